import { FixedWindowRateLimitStorage } from './rate-limit-storage';

describe('FixedWindowRateLimitStorage', () => {
  let storage: FixedWindowRateLimitStorage;
  let now = 1_000_000;
  beforeEach(() => {
    storage = new FixedWindowRateLimitStorage();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => {
    storage.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('allows `limit` hits per window, blocks the next one for blockDuration, then starts a new window', async () => {
    for (let i = 1; i <= 3; i++) expect(await storage.increment('ip', 60_000, 3, 60_000, 'api')).toMatchObject({ totalHits: i, isBlocked: false });
    const blocked = await storage.increment('ip', 60_000, 3, 60_000, 'api');
    expect(blocked).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    expect(await storage.increment('ip', 60_000, 3, 60_000, 'api')).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 30_001;
    expect(await storage.increment('ip', 60_000, 3, 60_000, 'api')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts keys and throttlers separately', async () => {
    await storage.increment('a', 60_000, 1, 60_000, 'api');
    expect((await storage.increment('a', 60_000, 1, 60_000, 'api')).isBlocked).toBe(true);
    expect((await storage.increment('b', 60_000, 1, 60_000, 'api')).isBlocked).toBe(false);
    expect((await storage.increment('a', 60_000, 1, 60_000, 'login')).isBlocked).toBe(false);
  });

  it('costs the same whatever the number of hits in the window', async () => {
    for (let i = 0; i < 100_000; i++) await storage.increment('busy', 60_000, 1_000_000, 60_000, 'api');
    expect((await storage.increment('busy', 60_000, 1_000_000, 60_000, 'api')).totalHits).toBe(100_001);
  });
});
