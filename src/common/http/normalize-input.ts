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

/** Path parameters name resources; one that is not storable text names nothing: 404, like any unknown id. */
export function assertStorablePath(params: unknown): void {
  if (typeof params !== 'object' || params === null) return;
  for (const value of Object.values(params)) if (typeof value === 'string' && !isStorableText(value)) throw notFound();
}
