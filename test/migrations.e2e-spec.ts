import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { MIGRATIONS } from '../migrations';
import { databaseUrl, withAdminClient } from './support/databases';
import { ensureBuild, ServiceProcess, startService } from './support/service-process';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..');

/** Issue 16 "Migrations": boot migrations under an advisory lock, and `npm run migrate` for a release job. */
describe('migrations', () => {
  let scratch: string;
  const running: ServiceProcess[] = [];
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), PII_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

  beforeAll(() => {
    ensureBuild();
    scratch = mkdtempSync(join(tmpdir(), 'user-service-migrations-'));
    chmodSync(scratch, 0o755);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A database with nothing in it (not cloned from the migrated template). */
  async function emptyDatabase(): Promise<string> {
    const name = `user_service_t_${process.pid}_${Date.now()}_empty`;
    await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
    return name;
  }

  const env = (databaseName: string, extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(databaseName),
    DATA_DIR: scratch,
    MESSAGE_DRIVER: 'file',
    MESSAGE_DIR: join(scratch, 'messages'),
    LOG_LEVEL: 'info',
    RANK_REFRESH_CRON: 'off',
    ...secrets,
    ...extra,
  });

  async function service(databaseName: string, extra: Record<string, string> = {}, waitFor?: string) {
    const started = await startService(env(databaseName, extra), 90_000, waitFor);
    running.push(started);
    return started;
  }

  async function inDatabase<T>(databaseName: string, work: (pool: Pool) => Promise<T>): Promise<T> {
    const pool = new Pool({ connectionString: databaseUrl(databaseName), max: 1 });
    try {
      return await work(pool);
    } finally {
      await pool.end();
    }
  }

  const appliedMigrations = (databaseName: string) =>
    inDatabase(databaseName, async (pool) => (await pool.query('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name));

  const roleSettings = (databaseName: string) =>
    inDatabase(databaseName, async (pool) => {
      const { rows } = await pool.query(`
        SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
         WHERE d.datname = current_database() AND s.setrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)`);
      return (rows[0]?.setconfig ?? []) as string[];
    });

  const expectedNames = MIGRATIONS.map((m) => m.name);

  it('three instances booting at once on an empty database all become ready, and the migrations run once', async () => {
    const databaseName = await emptyDatabase();
    const instances = await Promise.all([service(databaseName), service(databaseName), service(databaseName)]);
    for (const instance of instances) expect((await fetch(`${instance.url}/health/ready`)).status).toBe(200);

    // No instance failed and retried (TypeORM's retry would hide a lost race behind a second attempt).
    expect(instances.map((i) => i.output()).join('\n')).not.toMatch(/Unable to connect to the database|"level":50/);
    // One instance applied everything; the others waited on the lock and found nothing pending.
    const said = instances.map((i) => /applied (\d+) migration\(s\)/.exec(i.output())?.[1] ?? (/no pending migrations/.test(i.output()) ? 'none' : '?'));
    expect(said.sort()).toEqual([String(MIGRATIONS.length), 'none', 'none'].sort());
    expect(await appliedMigrations(databaseName)).toEqual(expectedNames);
    // The timeouts are role settings in this database (no startup parameters).
    expect(await roleSettings(databaseName)).toEqual(expect.arrayContaining(['statement_timeout=10000', 'idle_in_transaction_session_timeout=30000']));
  });

  it('release job: instances with MIGRATIONS_RUN=false stay unready until `npm run migrate` has run, which applies once', async () => {
    const databaseName = await emptyDatabase();
    const instance = await service(databaseName, { MIGRATIONS_RUN: 'false' }, '/health');
    expect((await fetch(`${instance.url}/health/ready`)).status).toBe(503);
    expect(await inDatabase(databaseName, async (pool) => (await pool.query(`SELECT to_regclass('users') AS t`)).rows[0].t)).toBeNull();

    const migrate = (extra: Record<string, string> = {}) =>
      promisify(execFile)('npm', ['run', '--silent', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env(databaseName, extra) } });
    const first = await migrate({ DATABASE_STATEMENT_TIMEOUT: '5000' });
    expect(first.stdout).toContain(`applied ${MIGRATIONS.length} migration(s)`);
    expect((await migrate()).stdout).toContain('no pending migrations');
    expect(await appliedMigrations(databaseName)).toEqual(expectedNames);
    expect(await roleSettings(databaseName)).toContain('statement_timeout=10000');

    // The running instance becomes ready without a restart.
    let status = 0;
    while (status !== 200) {
      status = (await fetch(`${instance.url}/health/ready`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });

  it('`npm run migrate` without DATABASE_URL fails with a clear message', async () => {
    const run = promisify(execFile)('npm', ['run', '--silent', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env('unused', { DATABASE_URL: '' }) } });
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('DATABASE_URL is required') });
  });
});
