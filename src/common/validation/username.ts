import unhomoglyph from 'unhomoglyph';

/** First char: ASCII letter, `_` or any non-ASCII char; then ASCII letters, digits, `_` or non-ASCII (mobile-api §1). */
const USERNAME = /^[A-Za-z_\u0080-\u{10FFFF}][A-Za-z0-9_\u0080-\u{10FFFF}]*$/u;
/** Control, format and separator characters are not names even though they are non-ASCII. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\p{Cs}\p{Co}\p{Cn}]/u;

export function isUsername(input: unknown): input is string {
  return typeof input === 'string' && USERNAME.test(input) && !INVISIBLE.test(input);
}

/** A name's display length bounds (mobile-api §1). */
export const USERNAME_LENGTH = { min: 2, max: 12 } as const;

/** The whole username rule, for code that is not a DTO: the characters and the display length. */
export function isAcceptableUsername(input: unknown): input is string {
  if (!isUsername(input)) return false;
  const length = displayLength(input);
  return length >= USERNAME_LENGTH.min && length <= USERNAME_LENGTH.max;
}

/** The stored form of a requested name (NFKC: `ａｄｍｉｎ` is stored as `admin`). */
export function storedUsername(requested: string): string {
  return requested.normalize('NFKC');
}

/** Each `[A-Za-z0-9_]` counts 0.5, every other code point 1 (mobile-api §1 display_length). */
export function displayLength(input: string): number {
  let length = 0;
  for (const char of input) length += /[A-Za-z0-9_]/.test(char) ? 0.5 : 1;
  return length;
}

/**
 * What a name looks like, for reserved names and uniqueness (Unicode TS #39 skeleton, confusables data from
 * `unhomoglyph`): NFKC, lower case, the confusable mapping, then combining marks dropped, so `ａｄｍｉｎ`, `аdmin`
 * (Cyrillic а), `ADMİN` and `admin` share one. Never shown: `m` becomes `rn`.
 */
export function usernameSkeleton(name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().normalize('NFD');
  return unhomoglyph(folded)
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');
}

/** True when a name looks like one of the reserved names (`RESERVED_NAMES`). */
export function looksReserved(name: string, reservedNames: readonly string[]): boolean {
  const skeleton = usernameSkeleton(name);
  return reservedNames.some((reserved) => usernameSkeleton(reserved) === skeleton);
}
