import { types } from 'pg';

/**
 * PostgreSQL int8 (ids, money in 分, counts) reaches JavaScript as a number, never as a string or a float
 * that lost digits: a value outside ±2^53 throws instead of being silently rounded.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}

let installed = false;
export function installInt8Parser(): void {
  if (installed) return;
  types.setTypeParser(types.builtins.INT8, parseInt8);
  installed = true;
}
