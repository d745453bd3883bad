import { notFound } from '../errors/api-error';

/** A positive integer id from a path segment; anything else (`1abc`, `'`, huge numbers) is 404, never 500. */
export function parseId(raw: string): number {
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw notFound();
  return Number(raw);
}
