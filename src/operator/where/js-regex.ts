import { QueryLanguageError } from './where-parser';

/**
 * A JavaScript regular expression (the `$regex` + `$options` the minapp SDK copies from a RegExp: source and flags)
 * as a PostgreSQL ARE that matches the same strings (operator-api §6), or a QueryLanguageError naming what has no
 * translation.
 *
 * - Flags become embedded options: `i` → `(?i)` (else `(?c)`); `m` → `(?w)` (`^`/`$` at line breaks; else `(?s)`,
 *   string ends only). `s` lets `.` match line breaks; without it `.` is spelled out as JS's "not a line terminator".
 *   `g` and `u` change nothing for a match (PostgreSQL always works on code points).
 * - Escapes whose meaning differs are rewritten: `\b`/`\B` → lookarounds over JS's ASCII word characters (what
 *   PostgreSQL's `\y`/`\Y` would be, were its word characters JS's), `\d \w \s` (and negations) → JS's ASCII /
 *   JS whitespace sets (PostgreSQL's follow the locale), `\xHH` → `\u00HH` (PostgreSQL's `\x` takes any number of hex
 *   digits), surrogate pairs → one code point, letters escaped for no reason (`\a`, `\e`, `\m`, `\y` are escapes in
 *   PostgreSQL) → the letter.
 * - Inside brackets every non-alphanumeric literal is written as `\uXXXX`, so `[[:alpha:]]`, `[]a]`, `[\w-z]` keep JS's
 *   meaning; `[]` matches nothing and `[^]` anything.
 * - PostgreSQL works on code points, as JS does with `u`. Without `u`, JS's `.` or `[^a]` can match half of a character
 *   outside the BMP (so `/^..$/` matches "😀"); here they match whole characters. A quantifier on such a character
 *   without `u` (it would repeat half of it) is refused.
 * - Refused: flags other than i m s u g, NUL (text cannot hold it; as for values, a 400), named groups, Unicode property escapes, octal escapes, back-references
 *   in a pattern with alternatives or lookarounds (their numbering or meaning differs), lone surrogates, and
 *   negated class escapes mixed into a bracket (`[\Da]`).
 */
export function translateJsRegex(source: string, flags = ''): string {
  const unknown = [...flags].filter((flag) => !'imsug'.includes(flag));
  if (unknown.length) throw new QueryLanguageError(`$options: the flag(s) ${unknown.join('')} cannot be used (i, m, s, u, g can)`);
  try {
    new RegExp(source, flags);
  } catch {
    throw new QueryLanguageError('$regex is not a valid JavaScript regular expression for these $options');
  }
  const body = new Translator(source, flags).run();
  return `(?${flags.includes('i') ? 'i' : 'c'}${flags.includes('m') ? 'w' : 's'})${body}`;
}

const LINE_TERMINATORS = '\\n\\r\\u2028\\u2029';
const JS_SPACE = '\\t\\n\\u000b\\f\\r\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** The members of JS's class escapes, as bracket content. */
const CLASS_MEMBERS: Record<string, string> = { d: '0-9', w: 'A-Za-z0-9_', s: JS_SPACE };
/**
 * JS's `\b` / `\B` over its ASCII word characters. PostgreSQL's `\y` / `\Y` count letters of every script as word
 * characters (in a C.UTF-8 database `'中文' ~ '\y'` is true, while JS's `/\b/.test('中文')` is false).
 */
const WORD = '[A-Za-z0-9_]';
const WORD_BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_WORD_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
/** Matches nothing (`[]`). */
const NEVER = '(?!)';
/** In the `(?s)` / `(?w)` modes used here, PostgreSQL's `.` matches every character. */
const ANY = '.';

/** A code point as a PostgreSQL character-entry escape (`\uXXXX` / `\UXXXXXXXX`). */
function codePointEscape(code: number): string {
  return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A literal character outside brackets: alphanumerics as themselves, anything else escaped. */
function literal(code: number): string {
  const char = String.fromCodePoint(code);
  if (/[A-Za-z0-9]/.test(char)) return char;
  if (code < 0x80 && code >= 0x20 && code !== 0x7f) return `\\${char}`;
  return codePointEscape(code);
}

/** A literal inside a bracket: only alphanumerics as themselves (`[`, `]`, `-`, `^`, `\\` mean something there). */
function bracketLiteral(code: number): string {
  const char = String.fromCodePoint(code);
  return /[A-Za-z0-9]/.test(char) ? char : codePointEscape(code);
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

class Translator {
  private pos = 0;
  private readonly unicode: boolean;
  private readonly dotAll: boolean;
  private readonly multiline: boolean;
  private readonly groupCount: number;
  private readonly hasNamedGroups: boolean;
  /** Open groups, innermost last: the capture number, or 0 for a group that does not capture. */
  private openGroups: number[] = [];
  private readonly closedCaptures = new Set<number>();
  private capturesOpened = 0;
  private readonly riskyForBackReferences: boolean;

  constructor(
    private readonly source: string,
    flags: string,
  ) {
    this.unicode = flags.includes('u');
    this.dotAll = flags.includes('s');
    this.multiline = flags.includes('m');
    // Group count and the constructs that make back-references ambiguous, from a quick scan (the pattern is valid JS).
    const scan = source.replace(/\\./gs, '').replace(/\[[^\]]*\]/g, '');
    this.groupCount = (scan.match(/\((?!\?)|\(\?<(?![=!])/g) ?? []).length;
    this.hasNamedGroups = /\(\?<(?![=!])/.test(scan);
    this.riskyForBackReferences = /\||\(\?[=!]|\(\?<[=!]/.test(scan);
  }

  run(): string {
    let out = '';
    while (this.pos < this.source.length) out += this.term();
    return out;
  }

  private fail(what: string): never {
    throw new QueryLanguageError(`$regex: ${what} cannot be translated to PostgreSQL`);
  }

  private peek(offset = 0): string {
    return this.source[this.pos + offset] ?? '';
  }

  /** The next source character as a code point (pairs joined: PostgreSQL works on code points). */
  private nextCodePoint(): number {
    const code = this.source.codePointAt(this.pos)!;
    this.pos += code > 0xffff ? 2 : 1;
    return code;
  }

  private term(): string {
    const char = this.peek();
    switch (char) {
      case '\\': {
        this.pos++;
        const escaped = this.escape(false);
        this.assertWholeCharacterQuantified(escaped.code);
        return escaped.text;
      }
      case '[':
        this.pos++;
        return this.bracket();
      case '.':
        this.pos++;
        return this.dotAll ? ANY : `[^${LINE_TERMINATORS}]`;
      case '^':
        this.pos++;
        return this.multiline ? '(?:^|(?<=[\\r\\u2028\\u2029]))' : '^';
      case '$':
        this.pos++;
        return this.multiline ? '(?:$|(?=[\\r\\u2028\\u2029]))' : '$';
      case '(':
        return this.groupStart();
      case ')':
        this.pos++;
        this.closedCaptures.add(this.openGroups.pop() ?? 0);
        return ')';
      case '{': {
        const quantifier = /^\{\d+(,\d*)?\}/.exec(this.source.slice(this.pos));
        if (quantifier) {
          this.pos += quantifier[0].length;
          return quantifier[0];
        }
        this.pos++;
        return '\\{';
      }
      case '}':
      case ']':
        this.pos++;
        return `\\${char}`;
      case '|':
      case '*':
      case '+':
      case '?':
        this.pos++;
        return char;
      default: {
        const code = this.nextCodePoint();
        if (isHigh(code) || isLow(code)) this.fail('a lone surrogate');
        if (code === 0) this.fail('a NUL character (text cannot hold one)');
        this.assertWholeCharacterQuantified(code);
        return literal(code);
      }
    }
  }

  /** Without u, JS reads `😀+` as "high surrogate, then low surrogate repeated": PostgreSQL cannot split a character. */
  private assertWholeCharacterQuantified(code: number | undefined): void {
    if (this.unicode || code === undefined || code <= 0xffff) return;
    if (/^(?:[*+?]|\{\d+(?:,\d*)?\})/.test(this.source.slice(this.pos))) this.fail('a quantifier after a character outside the BMP without the u flag');
  }

  private groupStart(): string {
    this.pos++;
    if (this.peek() !== '?') {
      this.openGroups.push(++this.capturesOpened);
      return '(';
    }
    const head = this.source.slice(this.pos, this.pos + 3);
    for (const opener of ['?:', '?=', '?!', '?<=', '?<!']) {
      if (head.startsWith(opener)) {
        this.pos += opener.length;
        this.openGroups.push(0);
        return `(${opener}`;
      }
    }
    if (head.startsWith('?<')) this.fail('a named group');
    return this.fail('this group modifier');
  }

  /**
   * After a backslash. `klass` is set for class escapes (\d \w \s and negations), so a bracket can merge them; `code`
   * for single characters, so a bracket can build ranges.
   */
  private escape(inBracket: boolean): { text: string; code?: number; klass?: string } {
    const char = this.peek();
    if (char === '') this.fail('a trailing backslash');
    this.pos++;
    const lower = char.toLowerCase();
    if ('dws'.includes(lower)) {
      const members = CLASS_MEMBERS[lower];
      return { text: char === lower ? `[${members}]` : `[^${members}]`, klass: char };
    }
    const single = (code: number) => ({ text: literal(code), code });
    switch (char) {
      case 'b':
        return inBracket ? single(8) : { text: WORD_BOUNDARY };
      case 'B':
        return inBracket ? single(0x42) : { text: NOT_WORD_BOUNDARY };
      case 't':
        return single(9);
      case 'n':
        return single(10);
      case 'v':
        return single(11);
      case 'f':
        return single(12);
      case 'r':
        return single(13);
      case '0':
        if (/[0-9]/.test(this.peek())) this.fail('an octal escape');
        return this.fail('a NUL character (text cannot hold one)');
      case 'x': {
        const hex = /^[0-9a-fA-F]{2}/.exec(this.source.slice(this.pos));
        if (!hex) return single(0x78);
        this.pos += 2;
        return single(parseInt(hex[0], 16));
      }
      case 'u':
        return this.unicodeEscape(single);
      case 'c': {
        const letter = this.peek();
        if (!/[A-Za-z]/.test(letter)) {
          this.pos--;
          return single(0x5c);
        }
        this.pos++;
        return single(letter.charCodeAt(0) % 32);
      }
      case 'k':
        if (this.unicode || this.hasNamedGroups) this.fail('a named back-reference');
        return single(0x6b);
      case 'p':
      case 'P':
        if (this.unicode) this.fail('a Unicode property escape');
        return single(char.charCodeAt(0));
    }
    if (/[1-9]/.test(char)) return this.backReference(char, inBracket);
    this.pos--;
    return single(this.nextCodePoint());
  }

  private unicodeEscape(single: (code: number) => { text: string; code: number }) {
    const rest = this.source.slice(this.pos);
    const braced = this.unicode ? /^\{([0-9a-fA-F]+)\}/.exec(rest) : null;
    if (braced) {
      this.pos += braced[0].length;
      return single(parseInt(braced[1], 16));
    }
    const hex = /^[0-9a-fA-F]{4}/.exec(rest);
    if (!hex) return single(0x75);
    this.pos += 4;
    const code = parseInt(hex[0], 16);
    const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.source.slice(this.pos));
    if (isHigh(code) && low) {
      this.pos += 6;
      return single(0x10000 + ((code - 0xd800) << 10) + (parseInt(low[1], 16) - 0xdc00));
    }
    if (isHigh(code) || isLow(code)) this.fail('a lone surrogate escape');
    return single(code);
  }

  private backReference(first: string, inBracket: boolean): { text: string } {
    let digits = first;
    while (/[0-9]/.test(this.peek())) digits += this.source[this.pos++];
    const number = Number(digits);
    if (inBracket || number > this.groupCount) this.fail('an octal escape');
    if (this.riskyForBackReferences) this.fail('a back-reference in a pattern with alternatives or lookarounds');
    if (!this.closedCaptures.has(number)) this.fail('a back-reference to a group that is not closed before it');
    if (number > 9) this.fail('a back-reference above \\9');
    return { text: `\\${number}` };
  }

  /** After `[`: a JS character class as a PostgreSQL bracket expression with JS's meaning. */
  private bracket(): string {
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const parts: string[] = [];
    const classes = new Set<string>();
    while (this.peek() !== ']') {
      if (this.pos >= this.source.length) this.fail('an unterminated character class');
      const from = this.classAtom();
      if (from.klass) {
        classes.add(from.klass);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.pos++;
        const to = this.classAtom();
        if (to.klass) {
          // `[a-\d]` (no u flag): a, '-' and the class.
          parts.push(from.text, bracketLiteral(0x2d));
          classes.add(to.klass);
          continue;
        }
        parts.push(`${from.text}-${to.text}`);
        continue;
      }
      parts.push(from.text);
    }
    this.pos++;
    return this.bracketExpression(negated, parts, classes);
  }

  private bracketExpression(negated: boolean, parts: string[], classes: Set<string>): string {
    const complete = ['d', 'w', 's'].some((k) => classes.has(k) && classes.has(k.toUpperCase()));
    if (complete) return negated ? NEVER : ANY;
    const negatives = [...classes].filter((k) => k !== k.toLowerCase());
    if (negatives.length && (negated || parts.length || classes.size > 1)) this.fail(`\\${negatives[0]} inside a character class with other members`);
    if (negatives.length) return `[^${CLASS_MEMBERS[negatives[0].toLowerCase()]}]`;
    const content = [...parts, ...[...classes].map((k) => CLASS_MEMBERS[k])].join('');
    if (!content) return negated ? ANY : NEVER;
    return `[${negated ? '^' : ''}${content}]`;
  }

  private classAtom(): { text: string; klass?: string } {
    if (this.peek() === '\\') {
      this.pos++;
      const escaped = this.escape(true);
      if (escaped.klass) return { text: '', klass: escaped.klass };
      return { text: escaped.code === undefined ? escaped.text : bracketLiteral(escaped.code) };
    }
    const code = this.nextCodePoint();
    if (isHigh(code) || isLow(code)) this.fail('a lone surrogate');
    if (code === 0) this.fail('a NUL character (text cannot hold one)');
    return { text: bracketLiteral(code) };
  }
}
