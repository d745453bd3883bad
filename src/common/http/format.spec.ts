import { isoSeconds } from './format';

describe('isoSeconds (spec README §4: ISO 8601 UTC, seconds, Z)', () => {
  it('drops the milliseconds and keeps the Z', () => {
    expect(isoSeconds(new Date('2019-11-20T07:32:34.999Z'))).toBe('2019-11-20T07:32:34Z');
    expect(isoSeconds(new Date(Date.UTC(2026, 0, 5, 0, 0, 0)))).toBe('2026-01-05T00:00:00Z');
  });

  it('reads strings (with an offset) and passes null through', () => {
    expect(isoSeconds('2019-11-20 15:32:34.5+08')).toBe('2019-11-20T07:32:34Z');
    expect(isoSeconds(null)).toBeNull();
    expect(isoSeconds(undefined)).toBeNull();
  });
});
