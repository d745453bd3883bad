import { isResidentIdNumber } from './resident-id';

/**
 * Resident ID numbers (mobile-api §5): 18 characters whose last one is the ISO 7064 MOD 11-2 check character, or the
 * old 15 digits; the birth date inside must exist. The check character is computed here from the standard's
 * definition (weights 2^(17-i) mod 11, Σ ≡ 1 mod 11), independently of the implementation's tables.
 */
function checkChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (2 ** (17 - i) % 11);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

const withCheck = (body17: string) => body17 + checkChar(body17);

/** Every check character other than the right one. */
const wrongChecks = (body17: string) =>
  '0123456789X'
    .split('')
    .filter((c) => c !== checkChar(body17))
    .map((c) => body17 + c);

/** A 17-character body (region 110105, the date, sequence 123) whose check character is 'X'. */
function bodyWithXCheck(date = '19900307'): string {
  for (let seq = 0; seq < 1000; seq++) {
    const body = `110105${date}${String(seq).padStart(3, '0')}`;
    if (checkChar(body) === 'X') return body;
  }
  throw new Error('no X check character found');
}

describe('isResidentIdNumber (ISO 7064 MOD 11-2)', () => {
  it('the test helper agrees with the published sample 11010519491231002X', () => {
    expect(checkChar('11010519491231002')).toBe('X');
    expect(isResidentIdNumber('11010519491231002X')).toBe(true);
  });

  it.each(['11010519491231002', '44030419900307123', '51010720000229001', '62010219991231999', '12345619800101000'])(
    'accepts %s + its computed check character, rejects the other ten',
    (body) => {
      expect(isResidentIdNumber(withCheck(body))).toBe(true);
      for (const wrong of wrongChecks(body)) expect(isResidentIdNumber(wrong)).toBe(false);
    },
  );

  it('accepts many computed numbers over a range of dates and sequences', () => {
    for (let year = 1920; year <= 2020; year += 7) {
      for (let month = 1; month <= 12; month += 5) {
        for (let seq = 0; seq < 30; seq += 3) {
          const body = `330102${year}${String(month).padStart(2, '0')}15${String(seq).padStart(3, '0')}`;
          expect(isResidentIdNumber(withCheck(body))).toBe(true);
        }
      }
    }
  });

  it('accepts a number whose check character is X, in upper and lower case', () => {
    const body = bodyWithXCheck();
    expect(isResidentIdNumber(`${body}X`)).toBe(true);
    expect(isResidentIdNumber(`${body}x`)).toBe(true);
    for (let d = 0; d <= 9; d++) expect(isResidentIdNumber(`${body}${d}`)).toBe(false);
  });

  it('rejects a single changed digit anywhere in the body (the checksum catches it)', () => {
    const valid = withCheck('44030419900307123');
    for (let i = 0; i < 17; i++) {
      // Changing a date digit may also make the date impossible; either way the number must be rejected.
      const changed = valid.slice(0, i) + String((Number(valid[i]) + 1) % 10) + valid.slice(i + 1);
      expect(isResidentIdNumber(changed)).toBe(false);
    }
  });

  it('rejects two swapped neighbouring digits', () => {
    const valid = withCheck('44030419900307123');
    for (let i = 0; i < 16; i++) {
      if (valid[i] === valid[i + 1]) continue;
      const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2);
      if (swapped === valid) continue;
      expect(isResidentIdNumber(swapped)).toBe(false);
    }
  });

  it.each([
    ['20010229', 'Feb 29 in a non-leap year'],
    ['19000229', 'Feb 29 in 1900 (not a leap year)'],
    ['19900230', 'Feb 30'],
    ['19900431', 'Apr 31'],
    ['19901301', 'month 13'],
    ['19900001', 'month 00'],
    ['19900100', 'day 00'],
    ['19900132', 'day 32'],
    ['00000101', 'year 0000'],
    ['00991231', 'year 0099 (Date.UTC maps it to 1999)'],
  ])('rejects an 18-char number with a valid check character but birth date %s (%s)', (date) => {
    const number = withCheck(`110105${date}123`);
    expect(isResidentIdNumber(number)).toBe(false);
  });

  it.each(['20000229', '19960229', '19991231', '20200101'])('accepts the real birth date %s', (date) => {
    expect(isResidentIdNumber(withCheck(`110105${date}123`))).toBe(true);
  });

  it('accepts the old 15-digit form with a real date (19YYMMDD)', () => {
    expect(isResidentIdNumber('110105491231002')).toBe(true);
    expect(isResidentIdNumber('440304960229123')).toBe(true); // 1996-02-29
    expect(isResidentIdNumber('440304000229123')).toBe(false); // 1900-02-29 does not exist
  });

  it.each([
    ['110105990230123', 'Feb 30'],
    ['110105991301123', 'month 13'],
    ['110105990100123', 'day 00'],
    ['110105970229123', 'Feb 29 in 1997'],
  ])('rejects a 15-digit number with an impossible date: %s (%s)', (number) => {
    expect(isResidentIdNumber(number)).toBe(false);
  });

  it.each([
    ['4403041990030712', '16 characters'],
    ['44030419900307123', '17 characters'],
    [`${withCheck('44030419900307123')}0`, '19 characters'],
    ['11010549123100X', '15 characters ending in X'],
    ['11010549123100', '14 digits'],
    ['', 'empty'],
    ['1101051949123100 2X', 'a space inside'],
    [` ${withCheck('44030419900307123')}`, 'a leading space'],
    [`${withCheck('44030419900307123')} `, 'a trailing space'],
    ['1101051949X231002X', 'X inside the body'],
    ['11010519491231002Y', 'a letter other than X'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'full-width digits'],
    ['١١٠١٠٥١٩٤٩١٢٣١٠٠٢X', 'Arabic-Indic digits'],
    ['11010519491231002\nX', 'a newline'],
    ['-1010519491231002X', 'a sign'],
  ])('rejects %p (%s)', (input) => {
    expect(isResidentIdNumber(input)).toBe(false);
  });

  it.each([[undefined], [null], [110105491231002], [11010519491231002], [{}], [['11010519491231002X']], [true]])('rejects the non-string %p', (input) => {
    expect(isResidentIdNumber(input)).toBe(false);
  });
});
