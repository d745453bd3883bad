import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../migrations';
import { uniqueName, uniquePhone } from './support/fixtures';
import { png } from './support/images';
import { findPgbouncer, Pgbouncer, startPgbouncer } from './support/pgbouncer';
import { findPostgresTools, Replication, startReplication } from './support/replication';
import { ensureBuild, ServiceProcess, startService } from './support/service-process';

jest.setTimeout(240_000);

type S3Server = { run(): Promise<{ port: number }>; close(): Promise<void> };
const S3rver = require('@20minutes/s3rver') as new (options: Record<string, unknown>) => S3Server;

/**
 * Issue 16 "Done when": three service processes (the production build) behind PgBouncer in transaction mode, with a
 * streaming replica and an S3-protocol object store, all started here; a user's journey hops between instances.
 */
describe('N instances behind PgBouncer, with a replica and an object store', () => {
  const tools = findPostgresTools();
  const pgbouncer = findPgbouncer();
  const DB = 'user_service';
  let scratch: string;
  let replication: Replication | undefined;
  let bouncer: Pgbouncer | undefined;
  let s3: S3Server | undefined;
  let instances: ServiceProcess[] = [];

  beforeAll(async () => {
    if (!tools || !pgbouncer) {
      console.warn(`topology test skipped: ${!tools ? 'no PostgreSQL server tools under /usr/lib/postgresql/*/bin' : 'no pgbouncer binary'}`);
      return;
    }
    ensureBuild();
    scratch = mkdtempSync(join(tmpdir(), 'user-service-topology-'));
    chmodSync(scratch, 0o755);
    replication = await startReplication(tools);
    await replication.query('primary', `CREATE DATABASE ${DB}`);
    bouncer = await startPgbouncer(pgbouncer, { server: replication.primaryUrl('postgres'), poolSize: 6 });
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(scratch, 's3'), configureBuckets: [{ name: 'files' }] });
    const { port } = await s3.run();
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: bouncer.urlOf(DB),
      DATABASE_PREPARED_STATEMENTS: 'false',
      DATABASE_POOL_SIZE: '5',
      DATABASE_REPLICA_URLS: replication.replicaUrl(DB),
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'files',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      DATA_DIR: scratch,
      MESSAGE_DRIVER: 'file',
      MESSAGE_DIR: join(scratch, 'messages'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      RANK_REFRESH_CRON: 'off',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    };
    // All three boot at once on the empty database: migrations run once, through the pooler.
    instances = await Promise.all([startService(env, 120_000), startService(env, 120_000), startService(env, 120_000)]);
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await bouncer?.stop();
    await s3?.close();
    await replication?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const call = async (instance: ServiceProcess, method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${instance.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const lastCode = (to: string) => {
    const dir = join(scratch, 'messages');
    const sent = readdirSync(dir)
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
      .filter((m) => m.to === to);
    return sent[sent.length - 1].code as string;
  };
  async function register(at: ServiceProcess, login: ServiceProcess) {
    const phone = uniquePhone();
    const name = uniqueName();
    expect((await call(at, 'POST', '/api/v2/verifycodes/register', { phone })).status).toBe(202);
    const created = await call(at, 'POST', '/api/v2/users', { name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: lastCode(phone) });
    expect(created.status).toBe(201);
    const signedIn = await call(login, 'POST', '/api/v2/auth/login', { login: name, password: 'secret-123' });
    expect(signedIn.status).toBe(200);
    const me = await call(login, 'GET', '/api/v2/user', undefined, signedIn.body.access_token);
    return { id: me.body.id as number, name, token: signedIn.body.access_token as string };
  }

  it('serves one user journey across the instances: sign-up, login, upload, download, follow, read-your-writes', async () => {
    if (!replication) return;
    const [a, b, c] = instances;
    const [{ n: applied }] = await replication.query('primary', 'SELECT count(*)::int AS n FROM migrations', [], DB);
    expect(applied).toBe(MIGRATIONS.length);

    const alice = await register(a, b);
    const bob = await register(c, a);

    const form = new FormData();
    form.append('file', new Blob([png(10, 10)], { type: 'image/png' }), 'avatar.png');
    const uploaded = await fetch(`${c.url}/api/v2/storage`, { method: 'POST', body: form, headers: { authorization: `Bearer ${alice.token}` } });
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as { node: string; size: number };
    for (const instance of [a, b]) {
      const served = await fetch(`${instance.url}/api/v2/storage/${file.node}`);
      expect(served.status).toBe(200);
      expect((await served.arrayBuffer()).byteLength).toBe(file.size);
    }

    // Bob follows alice on one instance and reads her followers on another at once: his reads are the primary's.
    expect((await call(a, 'PUT', `/api/v2/user/followings/${alice.id}`, undefined, bob.token)).status).toBe(204);
    const followers = await call(b, 'GET', `/api/v2/users/${alice.id}/followers`, undefined, bob.token);
    expect(followers.status).toBe(200);
    expect(followers.body.map((u: { id: number }) => u.id)).toEqual([bob.id]);

    // Guests' heavy reads went to the replica.
    expect((await call(c, 'GET', '/api/v2/users?limit=10')).status).toBe(200);
    const [{ n: replicaClients }] = await replication.query(
      'replica',
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'user-service-replica-reads'`,
    );
    expect(replicaClients).toBeGreaterThan(0);
    expect(bouncer!.output()).toContain(`login attempt: db=${DB}`);
  });
});
