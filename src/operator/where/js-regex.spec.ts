/* eslint-disable no-useless-escape, no-empty-character-class -- these JS regex oddities are the inputs under test */
import { translateJsRegex } from './js-regex';
import { QueryLanguageError } from './where-parser';

/** What the SDK sends for a RegExp: its source and flags (minapp-sdk utils.parseRegExp). */
const sdk = (re: RegExp) => translateJsRegex(re.source, re.flags);
const DOT = '[^\\n\\r\\u2028\\u2029]';

describe('translateJsRegex (operator-api §6: regular expressions keep their JavaScript meaning)', () => {
  it('maps the flags to embedded options: i / c for case, w (m) / s (no m) for ^ and $', () => {
    expect(sdk(/a/)).toBe('(?cs)a');
    expect(sdk(/a/i)).toBe('(?is)a');
    expect(sdk(/a/gim)).toBe('(?iw)a');
    expect(sdk(/a/u)).toBe('(?cs)a');
    expect(sdk(/a/g)).toBe('(?cs)a');
  });

  it('spells . as "not a line terminator" unless s is set (PostgreSQL\'s . matches newlines in these modes)', () => {
    expect(sdk(/^a.c$/)).toBe(`(?cs)^a${DOT}c$`);
    expect(sdk(/a.c/s)).toBe('(?cs)a.c');
    expect(sdk(/[.]/)).toBe('(?cs)[\\u002e]');
    expect(sdk(/\./)).toBe('(?cs)\\.');
  });

  it('with m, also takes \\r, U+2028 and U+2029 as line breaks for ^ and $', () => {
    expect(sdk(/^b$/m)).toBe('(?cw)(?:^|(?<=[\\r\\u2028\\u2029]))b(?:$|(?=[\\r\\u2028\\u2029]))');
  });

  it('translates escapes whose meaning differs in PostgreSQL', () => {
    const word = '[A-Za-z0-9_]';
    expect(sdk(/\bfoo\B/)).toBe(`(?cs)(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))foo(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`);
    expect(sdk(/\d\w\s/)).toBe('(?cs)[0-9][A-Za-z0-9_][\\t\\n\\u000b\\f\\r\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]');
    expect(sdk(/\D\W/)).toBe('(?cs)[^0-9][^A-Za-z0-9_]');
    expect(sdk(/\x41B/)).toBe('(?cs)AB');
    expect(sdk(/\x2a/)).toBe('(?cs)\\*');
    expect(sdk(/\ud83d\ude00/)).toBe('(?cs)\\U0001f600');
    expect(sdk(/\u{1F600}/u)).toBe('(?cs)\\U0001f600');
    expect(sdk(/😀+/u)).toBe('(?cs)\\U0001f600+');
    expect(sdk(/\a\e\m\y/)).toBe('(?cs)aemy');
    expect(sdk(/\cJ\t/)).toBe('(?cs)\\u000a\\u0009');
  });

  it('writes bracket members so that PostgreSQL reads them as JS does', () => {
    expect(sdk(/[[:alpha:]]/)).toBe('(?cs)[\\u005b\\u003aalpha\\u003a]\\]');
    expect(sdk(/[]a]/)).toBe('(?cs)(?!)a\\]');
    expect(sdk(/[^]/)).toBe('(?cs).');
    expect(sdk(/[\s\S]/)).toBe('(?cs).');
    expect(sdk(/[^\d\D]/)).toBe('(?cs)(?!)');
    expect(sdk(/[\w-z]/)).toBe('(?cs)[\\u002dzA-Za-z0-9_]');
    expect(sdk(/[a-z\d]/)).toBe('(?cs)[a-z0-9]');
    expect(sdk(/[\b]/)).toBe('(?cs)[\\u0008]');
    expect(sdk(/[^\n]/)).toBe('(?cs)[^\\u000a]');
    expect(sdk(/[\S]/)).toBe('(?cs)[^\\t\\n\\u000b\\f\\r\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]');
  });

  it('keeps groups, lookarounds, quantifiers and literal braces', () => {
    expect(sdk(/(a)(?:b)(?=c)(?!d)(?<=e)(?<!f)/)).toBe('(?cs)(a)(?:b)(?=c)(?!d)(?<=e)(?<!f)');
    expect(sdk(/a{2,3}?b+?c*/)).toBe('(?cs)a{2,3}?b+?c*');
    expect(sdk(/a{/)).toBe('(?cs)a\\{');
    expect(sdk(/(a)\1/)).toBe('(?cs)(a)\\1');
    expect(sdk(/((a)b)\2\1/)).toBe('(?cs)((a)b)\\2\\1');
  });

  it.each([
    ['a', 'y', /flag\(s\) y/],
    ['a', 'd', /flag\(s\) d/],
    ['a', 'v', /flag\(s\) v/],
    ['a', 'ii', /not a valid JavaScript/],
    ['(', '', /not a valid JavaScript/],
    ['(?<year>\\d{4})', '', /named group/],
    ['\\p{L}', 'u', /Unicode property escape/],
    ['\\1(a)', '', /not closed before it/],
    ['((a)\\1)', '', /not closed before it/],
    ['(a)|\\1', '', /alternatives or lookarounds/],
    ['(?=(a))\\1', '', /alternatives or lookarounds/],
    ['\\07', '', /octal/],
    ['\\2', '', /octal/],
    ['\\ud800', '', /lone surrogate/],
    ['a\\0', '', /NUL/],
    ['a\u0000', '', /NUL/],
    ['[\u0000]', '', /NUL/],
    ['[\\Da]', '', /\\D inside a character class/],
    ['x😀+', '', /outside the BMP/],
    ['\\ud83d\\ude00{2}', '', /outside the BMP/],
  ])('refuses /%s/%s with a message naming what cannot be translated', (source, flags, message) => {
    expect(() => translateJsRegex(source, flags)).toThrow(QueryLanguageError);
    expect(() => translateJsRegex(source, flags)).toThrow(message);
  });
});
