import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { ApiError, notFound } from '../errors/api-error';

const MAX_DEPTH = 32;
/** Passwords are taken as typed (Laravel's TrimStrings makes the same exception). */
const UNTRIMMED = /password/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate is not text: a request carrying either is malformed. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

function storable(text: string): string {
  if (!isStorableText(text)) throw new ApiError(400, 'malformed_json');
  return text;
}

/**
 * Spec README §1: strings are trimmed and an empty string counts as absent (`null`) before validation.
 * Strings and keys that are not storable text answer 400. Mutates in place; stops at MAX_DEPTH (deeper values are
 * never read by a DTO).
 */
export function normalizeInput(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const trimmed = storable(value).trim();
    return trimmed === '' ? null : trimmed;
  }
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[storable(key)];
    if (typeof item === 'string' && UNTRIMMED.test(key)) record[key] = storable(item) === '' ? null : item;
    else record[key] = normalizeInput(item, depth + 1);
  }
  return value;
}

/**
 * Input taken exactly as sent (operator-api §6: operator values round-trip unchanged): nothing is trimmed or turned
 * into null, but strings and keys that are not storable text still answer 400. Walks the whole value.
 */
export function assertStorableInput(value: unknown): unknown {
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === 'string') storable(item);
    else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) pending.push(storable(key), child);
    }
  }
  return value;
}

/** Route config key: how a route takes its body and query values (`verbatim` via `@VerbatimInput()`, else normalised). */
const INPUT_RULE = 'inputRule';

/** The one place that applies a route's input rule (the preValidation hook of app.setup calls it). */
export function applyInputRule(request: { body: unknown; query: unknown; routeOptions?: { config?: unknown } }): void {
  const config = request.routeOptions?.config as Record<string, unknown> | undefined;
  if (config?.[INPUT_RULE] === 'verbatim') {
    assertStorableInput(request.body);
    assertStorableInput(request.query);
  } else {
    request.body = normalizeInput(request.body);
    normalizeInput(request.query);
  }
}

/**
 * Class decorator: every route of the controller takes its input verbatim (no trim, `""` stays `""`). Fastify route
 * config is per handler, so it is set on each method; `applyInputRule` reads it.
 */
export function VerbatimInput(): ClassDecorator {
  return (target) => {
    const proto = (target as unknown as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ?? {};
      Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [INPUT_RULE]: 'verbatim' }, handler);
    }
  };
}

/** Path parameters name resources; one that is not storable text names nothing: 404, like any unknown id. */
export function assertStorablePath(params: unknown): void {
  if (typeof params !== 'object' || params === null) return;
  for (const value of Object.values(params)) if (typeof value === 'string' && !isStorableText(value)) throw notFound();
}
