import { types } from 'pg';
import { installInt8Parser, parseInt8 } from './int8';

describe('parseInt8 (int8 → JavaScript number, never rounded)', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['-1', -1],
    ['2147483648', 2147483648],
    ['5000000000', 5000000000],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
  ])('%p → %p', (text, expected) => {
    expect(parseInt8(text)).toBe(expected);
  });

  it.each(['9007199254740992', '-9007199254740992', '9223372036854775807', '-9223372036854775808', '18446744073709551616'])(
    'throws for %p (outside ±(2^53 - 1))',
    (text) => {
      expect(() => parseInt8(text)).toThrow(RangeError);
    },
  );

  it('throws for text that is not an integer', () => {
    for (const text of ['abc', '1.5', 'NaN', 'Infinity']) expect(() => parseInt8(text)).toThrow(RangeError);
  });

  it('is installed as the pg parser for int8', () => {
    installInt8Parser();
    const parser = types.getTypeParser(types.builtins.INT8, 'text') as (text: string) => unknown;
    expect(parser('5000000000')).toBe(5000000000);
    expect(() => parser('9007199254740993')).toThrow(RangeError);
  });
});
