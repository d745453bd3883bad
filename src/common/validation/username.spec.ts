import { validateSync } from 'class-validator';
import { DisplayLength, IsUsername } from './decorators';
import { displayLength, isUsername } from './username';

describe('username rule (mobile-api §1)', () => {
  it.each(['alice', 'Alice', '_alice', 'a1', 'a_1_b', '张三', '张三123', 'é', 'xÿz', 'ü_ber', '名字_9', '😀smile', 'Ωmega', '_'])(
    'accepts %p',
    (name) => expect(isUsername(name)).toBe(true),
  );

  it.each([
    ['', 'empty'],
    ['1abc', 'leading digit'],
    ['9', 'a digit alone'],
    ['a b', 'space'],
    [' alice', 'leading space'],
    ['alice ', 'trailing space'],
    ['a-b', 'dash'],
    ['a.b', 'dot'],
    ['a@b', 'at'],
    ["o'neil", 'apostrophe'],
    ['a/b', 'slash'],
    ['a+b', 'plus'],
    ['a\tb', 'tab'],
    ['a\nb', 'newline'],
    ['a\u200bb', 'zero-width space'],
    ['a\u3000b', 'ideographic space'],
    ['a\u00a0b', 'no-break space'],
    ['\u202ealice', 'bidi override'],
    ['a\u0000b', 'NUL'],
    ['a\u0085b', 'C1 control'],
  ])('rejects %p (%s)', (name) => expect(isUsername(name)).toBe(false));

  it('rejects non-strings', () => {
    for (const value of [123, null, undefined, {}, ['alice']]) expect(isUsername(value)).toBe(false);
  });
});

describe('display_length (mobile-api §1)', () => {
  it.each([
    ['', 0],
    ['a', 0.5],
    ['ab', 1],
    ['abcd', 2],
    ['A_9z', 2],
    ['张', 1],
    ['张三', 2],
    ['a张', 1.5],
    ['é', 1],
    ['😀', 1],
    ['-', 1],
    ['a'.repeat(24), 12],
    ['张'.repeat(12), 12],
  ])('%p counts %p', (input, expected) => {
    expect(displayLength(input)).toBe(expected);
  });

  class Named {
    @IsUsername()
    @DisplayLength(2, 12)
    name: unknown;
  }
  const errorsFor = (name: unknown) => {
    const subject = new Named();
    subject.name = name;
    return validateSync(subject).flatMap((e) => Object.keys(e.constraints ?? {}));
  };

  it.each([
    ['abcd', 'ASCII, lower bound 2'],
    ['张三', 'CJK, lower bound 2'],
    ['a张x', 'mixed, 2'],
    ['a'.repeat(24), 'ASCII, upper bound 12'],
    ['张'.repeat(12), 'CJK, upper bound 12'],
    ['张'.repeat(11) + 'ab', 'mixed, upper bound 12'],
  ])('accepts %p (%s)', (name) => {
    expect(errorsFor(name)).toEqual([]);
  });

  it.each([
    ['abc', 'ASCII 1.5'],
    ['张', 'CJK 1'],
    ['a张', 'mixed 1.5'],
    ['a'.repeat(25), 'ASCII 12.5'],
    ['张'.repeat(13), 'CJK 13'],
    ['张'.repeat(12) + 'a', 'mixed 12.5'],
  ])('rejects %p (%s) by display length', (name) => {
    expect(errorsFor(name)).toContain('displayLength');
  });

  it('rejects a non-string', () => {
    expect(errorsFor(1234)).toEqual(expect.arrayContaining(['username', 'displayLength']));
  });
});
