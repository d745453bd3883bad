import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './support/conditions';
import { registerUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { PostgresProcess, postgresProcess } from './support/postgres-process';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * quality.md §3: while PostgreSQL is down, requests answer 503 JSON quickly and /health/ready says not ready; when
 * it is back, the service recovers without a restart. Driven with an embedded server of its own.
 */
describe('database outage', () => {
  let dir: string;
  let server: PostgresProcess;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'user-service-outage-'));
    chmodSync(dir, 0o755);
    server = await postgresProcess(join(dir, 'pg'), await freePort());
    t = await createTestApp({ databaseName: 'postgres', env: { DATABASE_URL: server.url } });
  });

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 JSON within a bounded time while the database is down, and recovers when it is back', async () => {
    const user = await registerUser(t);
    const auth = { Authorization: `Bearer ${user.token}` };
    await t.http().get('/api/v2/user').set(auth).expect(200);
    await t.http().get('/health/ready').expect(200);

    await server.stop();

    for (const request of [
      () => t.http().get('/api/v2/user').set(auth),
      () => t.http().get(`/api/v2/users/${user.id}`),
      () => t.http().post('/api/v2/auth/login').send({ login: user.name, password: user.password }),
    ]) {
      // Bounded: the pool's connection timeout answers it (a request that hung would fail the test at its timeout).
      const res = await request();
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(typeof res.body.message).toBe('string');
    }
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('error');
    await t.http().get('/health').expect(200);

    await server.start();

    await waitFor('the service to reconnect', async () => (await t.http().get('/health/ready')).status === 200, { everyMs: 250 });
    const me = await t.http().get('/api/v2/user').set(auth).expect(200);
    expect(me.body.id).toBe(user.id);
  });
});
