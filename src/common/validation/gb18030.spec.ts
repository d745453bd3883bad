import { validate } from 'class-validator';
import { Gb18030MaxLength } from './decorators';
import { gb18030Length } from './gb18030';

/** gb18030_length (mobile-api §1): byte length in GB18030 — ASCII 1, CJK 2, emoji 4. Used by address limits. */
describe('gb18030Length', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abc 123_!', 9],
    ['中', 2],
    ['北京市朝阳区', 12],
    ['😀', 4],
    ['👍🏽', 8], // thumbs up + skin tone modifier: two supplementary code points
    ['中a😀', 7],
    ['ａ', 2], // full-width Latin letter
    ['。，', 4], // CJK punctuation
    ['€', 2], // GB18030 two-byte A2E3 (GBK's single 0x80 is not GB18030)
    ['한', 4], // Hangul is outside the two-byte range
    ['é', 2],
    ['¥', 4],
  ])('%p is %d bytes', (text, bytes) => {
    expect(gb18030Length(text)).toBe(bytes);
  });

  it('counts by bytes, not by UTF-16 units or UTF-8 bytes', () => {
    const text = '收货人😀abc';
    expect(text.length).toBe(8); // 3 CJK + a surrogate pair + 3 ASCII
    expect(Buffer.byteLength(text, 'utf8')).toBe(16);
    expect(gb18030Length(text)).toBe(3 * 2 + 4 + 3);
  });

  it('grows linearly with repetition', () => {
    expect(gb18030Length('中'.repeat(80))).toBe(160);
    expect(gb18030Length('😀'.repeat(6))).toBe(24);
    expect(gb18030Length('x'.repeat(1000))).toBe(1000);
  });
});

class Probe {
  @Gb18030MaxLength(24) value: unknown;
}

async function passes(value: unknown): Promise<boolean> {
  const probe = new Probe();
  probe.value = value;
  return (await validate(probe)).length === 0;
}

describe('@Gb18030MaxLength(24)', () => {
  it.each([
    ['中'.repeat(12), true],
    ['中'.repeat(13), false],
    ['a'.repeat(24), true],
    ['a'.repeat(25), false],
    ['😀'.repeat(6), true],
    ['😀'.repeat(7), false],
    [`${'中'.repeat(11)}ab`, true],
    [`${'中'.repeat(11)}abc`, false],
    [`${'😀'.repeat(5)}中a`, true], // 20 + 2 + 1 = 23
    [`${'😀'.repeat(5)}中ab`, true], // 24
    [`${'😀'.repeat(5)}中abc`, false], // 25
  ])('%p → %p', async (value, ok) => {
    expect(await passes(value)).toBe(ok);
  });

  it('uses GB18030 bytes at the boundary, not characters (12 CJK = 24 bytes pass, 13 = 26 fail)', async () => {
    expect(await passes('中'.repeat(12))).toBe(true);
    expect(await passes('中'.repeat(13))).toBe(false);
    expect(await passes('😀'.repeat(6))).toBe(true);
    expect(await passes('😀'.repeat(7))).toBe(false);
    expect(await passes('한'.repeat(6))).toBe(true);
    expect(await passes('한'.repeat(7))).toBe(false);
  });

  it('rejects values that are not strings', async () => {
    for (const value of [123, true, {}, ['a'], null]) expect(await passes(value)).toBe(false);
  });

  it('reports the gb18030 message key with the limit', async () => {
    const probe = new Probe();
    probe.value = '中'.repeat(13);
    const [error] = await validate(probe);
    expect(error.constraints).toEqual({ gb18030Length: 'v.gb18030_length|max=24' });
  });
});
