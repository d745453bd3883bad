import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min, registerDecorator, ValidationOptions } from 'class-validator';
import { MessageKey, MessageParams } from '../errors/messages';
import { isCnPhone } from './cn-phone';
import { gb18030Length } from './gb18030';
import { isResidentIdNumber } from './resident-id';
import { isAcceptablePassword } from './password';
import { QueryInt } from './transforms';
import { displayLength, isUsername, USERNAME_LENGTH } from './username';

/**
 * A class-validator message that names one of our message keys, with parameters; class-validator fills in
 * `$constraint1` etc. before the validation pipe reads it back (see `parseValidationMessage`).
 */
export function msg(key: MessageKey, params: Record<string, string | number> = {}): string {
  const query = Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return query ? `${key}|${query}` : key;
}

export function parseValidationMessage(message: string): { key: string; params: MessageParams } {
  const [key, query] = message.split('|', 2);
  const params: MessageParams = {};
  for (const pair of query ? query.split('&') : []) {
    const [k, v] = pair.split('=', 2);
    params[k] = v;
  }
  return { key, params };
}

function rule(name: string, check: (value: unknown) => boolean, message: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({ name, target: object.constructor, propertyName, options: { message, ...options }, validator: { validate: check } });
}

export const IsCnPhone = (options?: ValidationOptions) => rule('cnPhone', isCnPhone, msg('v.cn_phone'), options);
export const IsUsername = (options?: ValidationOptions) => rule('username', isUsername, msg('v.username'), options);
export const IsPassword = (options?: ValidationOptions) => rule('password', isAcceptablePassword, msg('v.password'), options);

export function DisplayLength(min: number, max: number, options?: ValidationOptions) {
  const check = (value: unknown) => typeof value === 'string' && displayLength(value) >= min && displayLength(value) <= max;
  return rule('displayLength', check, msg('v.display_length', { min, max }), options);
}

/** The username rule on a DTO field: the characters, then the display length (each with its own message). */
export function Username(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    IsUsername(options)(object, propertyName);
    DisplayLength(USERNAME_LENGTH.min, USERNAME_LENGTH.max, options)(object, propertyName);
  };
}

export const IsResidentIdNumber = (options?: ValidationOptions) => rule('residentId', isResidentIdNumber, msg('v.resident_id'), options);

/** At most `max` bytes in GB18030 (mobile-api §1 gb18030_length). */
export function Gb18030MaxLength(max: number, options?: ValidationOptions) {
  return rule('gb18030Length', (value) => typeof value === 'string' && gb18030Length(value) <= max, msg('v.gb18030_length', { max }), options);
}

/** An id (user, ledger row…) from a query string or a body: a whole number 1 … 2^53−1, so it fits bigint and stays exact. */
export const IsId = () =>
  applyDecorators(
    QueryInt(),
    IsInt({ message: msg('v.integer') }),
    Min(1, { message: msg('v.min', { min: '$constraint1' }) }),
    Max(Number.MAX_SAFE_INTEGER, { message: msg('v.max', { max: '$constraint1' }) }),
  );
