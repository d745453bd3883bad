import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-body';

describe('nestsDeeperThan (the pre-parse depth scan)', () => {
  const objects = (levels: number) => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
  const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it.each([
    [objects(MAX_JSON_DEPTH), false],
    [objects(MAX_JSON_DEPTH + 1), true],
    [arrays(MAX_JSON_DEPTH), false],
    [arrays(MAX_JSON_DEPTH + 1), true],
    [arrays(2000), true],
    ['[{"a":[{"b":[1]}]}]', false],
    ['{}', false],
    ['1', false],
    ['', false],
  ])('%s → %p', (text, deeper) => {
    expect(nestsDeeperThan(text, MAX_JSON_DEPTH)).toBe(deeper);
  });

  it('counts depth, not brackets: many siblings stay shallow', () => {
    expect(nestsDeeperThan('[' + '[],'.repeat(10_000) + '[]]', 2)).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(nestsDeeperThan(JSON.stringify({ a: '['.repeat(100) }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ a: '\\"[[[[' }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ a: '\\' }) + '[[[', 2)).toBe(true);
  });
});
