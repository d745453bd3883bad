import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { classifyLogin, LoginIdentifier } from '../common/validation/login-classifier';

export const LOGIN_THROTTLE = 'login-throttle';

/**
 * Marks routes limited per account + IP by `LOGIN_RATE_LIMIT_PER_MINUTE` and per account alone by
 * `LOGIN_ACCOUNT_RATE_LIMIT` (login, password retrieval).
 */
export const LoginThrottle = () => SetMetadata(LOGIN_THROTTLE, true);

export function isLoginThrottled(context: ExecutionContext): boolean {
  return Reflect.getMetadata(LOGIN_THROTTLE, context.getHandler()) === true;
}

function keyOf(identifier: LoginIdentifier): string {
  return `${identifier.kind}:${typeof identifier.value === 'string' ? identifier.value.toLowerCase() : identifier.value}`;
}

/**
 * The account a login-like request names, as the login resolves it (normalised phone, lower-case e-mail / name, id),
 * so `+8613912345678`, `008613912345678`, `+86 139 1234 5678` and `13912345678` share one counter. A string that
 * names nothing is keyed by its compact lower-case form.
 */
export function loginAccountKey(request: { body?: unknown }): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const raw = ([body.login, body.phone, body.email].find((v) => typeof v === 'string') as string | undefined) ?? '';
  const compact = raw.replace(/[\s\-()]/g, '');
  const identifier = classifyLogin(raw.trim());
  const asPhone = classifyLogin(compact);
  if (asPhone?.kind === 'phone' && identifier?.kind !== 'email') return keyOf(asPhone);
  return identifier ? keyOf(identifier) : `raw:${compact.toLowerCase()}`;
}

/** The per-client limit: client IP + resolved account. */
export function loginThrottleKey(request: { ip?: string; body?: unknown }): string {
  return `${request.ip}|${loginAccountKey(request)}`;
}
