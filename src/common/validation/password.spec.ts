import { isAcceptablePassword } from './password';

describe('password rule (mobile-api §1: 6–64 characters, at most 72 UTF-8 bytes)', () => {
  it.each([
    ['abcdef', '6 ASCII, lower bound'],
    ['a'.repeat(64), '64 ASCII, upper bound'],
    ['密码密码密码', '6 CJK characters (18 bytes)'],
    ['密'.repeat(24), '24 CJK characters = 72 bytes'],
    ['😀'.repeat(18), '18 emoji = 72 bytes'],
    ['😀'.repeat(6), '6 emoji are 6 characters (12 UTF-16 units)'],
    ['      ', '6 spaces: passwords are taken as typed'],
    ['pass word!', 'spaces and punctuation'],
  ])('accepts %p (%s)', (password) => {
    expect(isAcceptablePassword(password)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['abcde', '5 characters'],
    ['a'.repeat(65), '65 characters'],
    ['密'.repeat(25), '25 CJK characters = 75 bytes'],
    ['😀'.repeat(19), '19 emoji = 76 bytes'],
  ])('rejects %p (%s)', (password) => {
    expect(isAcceptablePassword(password)).toBe(false);
  });

  it('rejects more than 72 bytes even under 64 characters', () => {
    expect(isAcceptablePassword('😀'.repeat(19))).toBe(false); // 19 characters, 76 bytes
    expect(isAcceptablePassword('a'.repeat(61) + '密'.repeat(3))).toBe(true); // 64 characters, 70 bytes
    expect(isAcceptablePassword('a'.repeat(57) + '密'.repeat(5))).toBe(true); // 62 characters, 72 bytes
    expect(isAcceptablePassword('a'.repeat(58) + '密'.repeat(5))).toBe(false); // 63 characters, 73 bytes
  });

  it('counts characters, not UTF-16 units', () => {
    expect(isAcceptablePassword('😀'.repeat(3))).toBe(false); // 3 characters, 6 UTF-16 units
    expect(isAcceptablePassword('😀'.repeat(5))).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const value of [123456, null, undefined, {}, ['abcdef'], true]) expect(isAcceptablePassword(value)).toBe(false);
  });
});
