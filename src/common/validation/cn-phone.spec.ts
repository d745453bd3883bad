import { isCnPhone, normalizeCnPhone } from './cn-phone';

describe('cn_phone (mobile-api §1)', () => {
  it.each([
    ['13800000000', '13800000000'],
    ['+8613800000000', '13800000000'],
    ['8613800000000', '13800000000'],
    ['008613800000000', '13800000000'],
    ['+86-13800000000', '13800000000'],
    ['19912345678', '19912345678'],
    ['+86-15012345678', '15012345678'],
  ])('normalises %p to %p', (input, expected) => {
    expect(normalizeCnPhone(input)).toBe(expected);
    expect(isCnPhone(input)).toBe(true);
  });

  it('accepts every second digit 3–9 and no other', () => {
    for (let d = 0; d <= 9; d++) {
      const phone = `1${d}012345678`;
      expect(normalizeCnPhone(phone)).toBe(d >= 3 ? phone : null);
    }
  });

  it.each([
    ['', 'empty'],
    ['1380000000', '10 digits'],
    ['138000000000', '12 digits'],
    ['23800000000', 'does not start with 1'],
    ['+8613800000000 ', 'trailing space (input is trimmed before validation, not here)'],
    [' 13800000000', 'leading space'],
    ['+86 13800000000', 'space after the prefix'],
    ['86-13800000000', 'dash without plus'],
    ['0086-13800000000', 'dash after 0086'],
    ['+8613800000000x', 'trailing letter'],
    ['+1 2025550123', 'another country'],
    ['+85213800000000', 'another prefix'],
    ['138-0000-0000', 'dashes inside'],
    ['１３８００００００００', 'full-width digits'],
    ['+86+8613800000000', 'double prefix'],
    ['868613800000000', 'double prefix without plus'],
  ])('rejects %p (%s)', (input) => {
    expect(normalizeCnPhone(input)).toBeNull();
    expect(isCnPhone(input)).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const value of [13800000000, null, undefined, {}, ['13800000000'], true]) expect(isCnPhone(value)).toBe(false);
  });

  it('maps every accepted spelling of one number to one account', () => {
    const spellings = ['13912345678', '+8613912345678', '8613912345678', '008613912345678', '+86-13912345678'];
    expect(new Set(spellings.map(normalizeCnPhone))).toEqual(new Set(['13912345678']));
  });
});
