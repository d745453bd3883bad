import { randomUUID } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RetentionJob } from '../src/retention/retention.job';
import { bearer, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

jest.setTimeout(60_000);

/** Issue 16 "Retention": aged rows go, young rows stay, one instance deletes at a time. */
describe('retention job', () => {
  let t: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    // Batches of 2 rows, so every table takes several batches.
    t = await createTestApp({ env: { RETENTION_CRON: 'off', RETENTION_BATCH: '2', JWT_REFRESH_TTL: '1440', RANK_REFRESH_CRON: 'off' } });
    user = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const ago = (interval: string) => `now() - interval '${interval}'`;

  async function code(age: string): Promise<number> {
    const { rows } = await t.db.query(
      `INSERT INTO verify_codes (channel, account, purpose, code_hash, expires_at, created_at)
       VALUES ('sms', '13900000000', 'register', 'x', ${ago(age)} + interval '5 minutes', ${ago(age)}) RETURNING id`,
    );
    return Number(rows[0].id);
  }
  async function session(age: string, revoked?: string): Promise<string> {
    const id = randomUUID();
    await t.db.query(
      `INSERT INTO auth_sessions (id, user_id, current_jti, created_at, revoked_at) VALUES ($1, $2, $3, ${ago(age)}, ${revoked ? ago(revoked) : 'NULL'})`,
      [id, user.id, randomUUID()],
    );
    return id;
  }
  async function idempotencyKey(age: string): Promise<string> {
    const key = randomUUID();
    await t.db.query(
      `INSERT INTO idempotency_keys (user_id, key, route, request_hash, status, body, created_at) VALUES ($1, $2, 'r', 'h', 201, '{}', ${ago(age)})`,
      [user.id, key],
    );
    return key;
  }
  async function rankRun(age: string): Promise<number> {
    const { rows } = await t.db.query(
      `INSERT INTO income_rank_runs (instance, started_at, duration_ms, keys_refreshed) VALUES ('test', ${ago(age)}, 1, 1) RETURNING id`,
    );
    return Number(rows[0].id);
  }
  const remaining = async (table: string, column: string, ids: unknown[]) =>
    (await t.db.query(`SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1)`, [ids])).rows
      .map((r) => (typeof r.id === 'string' ? r.id : Number(r.id)))
      .sort();

  it('deletes aged codes, ended sessions, day-old idempotency keys and old rank runs, and nothing younger', async () => {
    const oldCodes = [await code('49 hours'), await code('10 days'), await code('72 hours')];
    const youngCodes = [await code('1 minute'), await code('30 hours')];
    // JWT_REFRESH_TTL 1 day (+ 60 min access token): older families are dead; revoked ones go 7 days after revocation.
    const endedSessions = [await session('2 days'), await session('30 days', '29 days'), await session('10 hours', '8 days')];
    const liveSessions = [await session('10 hours'), await session('3 hours', '2 days')];
    const oldKeys = [await idempotencyKey('25 hours'), await idempotencyKey('3 days'), await idempotencyKey('48 hours')];
    const youngKeys = [await idempotencyKey('23 hours')];
    const oldRuns = [await rankRun('30 days'), await rankRun('9 days'), await rankRun('8 days')];
    const youngRuns = [await rankRun('1 hour')];

    const report = await t.app.get(RetentionJob).run();
    expect(report).toEqual({ verifyCodes: 3, sessions: 3, idempotencyKeys: 3, rankRuns: 3, yielded: false });
    expect(await remaining('verify_codes', 'id', [...oldCodes, ...youngCodes])).toEqual([...youngCodes].sort());
    expect(await remaining('auth_sessions', 'id::text', [...endedSessions, ...liveSessions])).toEqual([...liveSessions].sort());
    expect(await remaining('idempotency_keys', 'key', [...oldKeys, ...youngKeys])).toEqual(youngKeys);
    expect(await remaining('income_rank_runs', 'id', [...oldRuns, ...youngRuns])).toEqual(youngRuns);
    // The user's own session (from registration) still works.
    expect((await t.http().get('/api/v2/user').set(bearer(user.token))).status).toBe(200);

    // Nothing left to do: a second run deletes nothing.
    expect(await t.app.get(RetentionJob).run()).toEqual({ verifyCodes: 0, sessions: 0, idempotencyKeys: 0, rankRuns: 0, yielded: false });
  });

  it('keeps the latest rank run however old (it schedules the next refresh)', async () => {
    await t.db.query('DELETE FROM income_rank_runs');
    const runs = [await rankRun('40 days'), await rankRun('20 days')];
    await t.app.get(RetentionJob).run();
    expect(await remaining('income_rank_runs', 'id', runs)).toEqual([runs[1]]);
  });

  it('runs started at once (several instances) delete every aged row exactly once between them', async () => {
    const aged = await Promise.all(Array.from({ length: 9 }, () => code('3 days')));
    const reports = await Promise.all(Array.from({ length: 4 }, () => t.app.get(RetentionJob).run()));
    const deleted = reports.reduce((sum, r) => sum + r.verifyCodes, 0);
    expect(deleted).toBe(9);
    expect(await remaining('verify_codes', 'id', aged)).toEqual([]);
  });

  it('is scheduled by RETENTION_CRON, and not at all with off', async () => {
    expect(() => t.app.get(SchedulerRegistry).getCronJob('retention')).toThrow();
    const scheduled = await createTestApp({
      databaseName: t.databaseName,
      env: { RETENTION_CRON: '0 0 3 * * *', RANK_REFRESH_CRON: 'off', JWT_SECRET: t.config.jwtSecret },
    });
    try {
      expect(scheduled.app.get(SchedulerRegistry).getCronJob('retention').cronTime.source).toBe('0 0 3 * * *');
    } finally {
      await scheduled.close();
    }
  });
});
