import Redis from 'ioredis';
import { createServer } from 'node:net';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';

/**
 * A Redis database of its own for this file (CI's Redis at 127.0.0.1:6379), or null when none answers. Suites running
 * at once on one machine (two checkouts, two `npm test`) must not share counters: each claims a free database index
 * (1–14) with a marker in database 0 that expires by itself, and empties only the database it claimed.
 */
async function testRedis(): Promise<{ url: string; release: () => Promise<void> } | null> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, release: async () => undefined };
  const client = new Redis('redis://127.0.0.1:6379/0', { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    client.disconnect();
    return null;
  }
  const owner = `${process.pid}-${Date.now()}`;
  for (let index = 14; index >= 1; index--) {
    const marker = `user-service-test:rate-limits:db:${index}`;
    if ((await client.set(marker, owner, 'EX', 300, 'NX')) !== 'OK') continue;
    await client.select(index);
    await client.flushdb();
    await client.select(0);
    return {
      url: `redis://127.0.0.1:6379/${index}`,
      release: async () => {
        if ((await client.get(marker)) === owner) await client.del(marker);
        client.disconnect();
      },
    };
  }
  client.disconnect();
  throw new Error('every Redis database 1–14 is claimed by another test run');
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const LIMIT = '5';
const hit = (t: TestApp) => t.http().get('/api/v2/users?limit=1');
const statuses = async (t: TestApp, n: number) => {
  const result: number[] = [];
  for (let i = 0; i < n; i++) result.push((await hit(t)).status);
  return result;
};

describe('rate limits over several instances (README "Rate limits")', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  async function twoInstances(env: Record<string, string>) {
    const databaseName = await createTestDatabase();
    const a = await createTestApp({ databaseName, env: { RATE_LIMIT_PER_MINUTE: LIMIT, ...env } });
    const b = await createTestApp({ databaseName, env: { RATE_LIMIT_PER_MINUTE: LIMIT, ...env } });
    apps.push(a, b);
    return [a, b];
  }

  it('without REDIS_URL each process counts on its own; over the limit is 429 with Retry-After', async () => {
    const [a, b] = await twoInstances({});
    expect(await statuses(a, 5)).toEqual([200, 200, 200, 200, 200]);
    const over = await hit(a);
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).toEqual({ message: '请求过于频繁，请稍后再试' });
    expect(await statuses(b, 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('with REDIS_URL the instances share one count (when Redis answers); with Redis down they still serve', async () => {
    const redis = await testRedis();
    if (redis) {
      try {
        const [a, b] = await twoInstances({ REDIS_URL: redis.url });
        expect(await statuses(a, 3)).toEqual([200, 200, 200]);
        expect(await statuses(b, 3)).toEqual([200, 200, 429]);
      } finally {
        await redis.release();
      }
    } else {
      const [a] = await twoInstances({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
      expect(await statuses(a, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    }
  });

  it('counts one client across every route of the API, not per route', async () => {
    const [a] = await twoInstances({});
    const routes = [
      '/api/v2/users?limit=1',
      '/api/v2/user/recommends',
      '/api/v2/users?active=1&limit=1',
      '/api/v2/user/currency/income-rank?limit=1',
      '/api/v2/users/1',
    ];
    for (const path of routes) expect((await a.http().get(path)).status).not.toBe(429);
    expect((await a.http().get('/api/v2/user/recommends')).status).toBe(429);
  });

  it('health probes and metrics scrapes are not rate limited', async () => {
    const [a] = await twoInstances({});
    for (let i = 0; i < 8; i++) {
      await a.http().get('/health').expect(200);
      await a.http().get('/metrics').expect(200);
    }
  });

  it('a Redis that does not answer never fails a request: limits fall back to the process', async () => {
    const [a, b] = await twoInstances({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    expect(await statuses(a, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await statuses(b, 5)).toEqual([200, 200, 200, 200, 200]);
  });
});
