const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`expected 17 digits, got "${first17}"`);
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(first17[i]), 0);
  return CHECK_CHARS[sum % 11];
}

/**
 * A well-formed 18-character resident ID number: 6-digit division code, birth date (YYYYMMDD, UTC), a 3-digit
 * sequence whose last digit is odd for men and even for women, and the check character.
 */
export function residentIdNumber(divisionCode: string, birth: Date, sequence: number, male: boolean): string {
  const date = birth.toISOString().slice(0, 10).replace(/-/g, '');
  let seq = Math.abs(Math.trunc(sequence)) % 1000;
  if (seq % 2 !== (male ? 1 : 0)) seq = seq === 999 ? 998 : seq + 1;
  const first17 = `${divisionCode}${date}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
