/** ISO 8601 UTC, seconds precision, `Z` suffix (spec README §4): `2019-11-20T07:32:34Z`. */
export function isoSeconds(value: Date | string | null | undefined): string | null {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(value);
  return `${date.toISOString().slice(0, 19)}Z`;
}
