const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A mainland China resident ID number: 18 characters whose last one is the ISO 7064 MOD 11-2 check character
 * (digit or X), or the old 15-digit form; the birth date inside must be a real date.
 */
export function isResidentIdNumber(input: unknown): input is string {
  if (typeof input !== 'string') return false;
  const id = input.toUpperCase();
  if (/^\d{17}[\dX]$/.test(id)) {
    if (!validDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
    const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
    return CHECK_CHARS[sum % 11] === id[17];
  }
  if (/^\d{15}$/.test(id)) return validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
  return false;
}
