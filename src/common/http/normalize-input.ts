const MAX_DEPTH = 32;
/** Passwords are taken as typed (Laravel's TrimStrings makes the same exception). */
const UNTRIMMED = /password/i;

/**
 * Spec README §1: strings are trimmed and an empty string counts as absent (`null`) before validation.
 * Mutates in place; stops at MAX_DEPTH (deeper values are never read by a DTO).
 */
export function normalizeInput(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'string' && UNTRIMMED.test(key)) record[key] = item === '' ? null : item;
    else record[key] = normalizeInput(item, depth + 1);
  }
  return value;
}
