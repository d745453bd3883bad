import Redis from 'ioredis';
import { createServer } from 'node:net';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';

/** A Redis database of its own for this file (CI's Redis at 127.0.0.1:6379), or null when none answers. */
async function testRedis(): Promise<string | null> {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.flushdb();
    return url;
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
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
      const [a, b] = await twoInstances({ REDIS_URL: redis });
      expect(await statuses(a, 3)).toEqual([200, 200, 200]);
      expect(await statuses(b, 3)).toEqual([200, 200, 429]);
    } else {
      const [a] = await twoInstances({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
      expect(await statuses(a, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    }
  });

  it('counts one client across every route of the API, not per route', async () => {
    const [a] = await twoInstances({});
    const routes = ['/api/v2/users?limit=1', '/api/v2/user/recommends', '/api/v2/users?active=1&limit=1', '/api/v2/user/currency/income-rank?limit=1', '/api/v2/users/1'];
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
