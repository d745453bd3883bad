import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf } from '../src/database/prepared-query';
import { bearer, makeFounder, registerUser } from './support/fixtures';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';
import { ledgerMismatches } from './support/ledger-invariants';
import { findPgbouncer, Pgbouncer, startPgbouncer } from './support/pgbouncer';

jest.setTimeout(120_000);

/**
 * Issue 16 "Poolers": the service behind a real PgBouncer (Debian's 1.18, installed by .ci/run) in transaction mode.
 * PgBouncer refuses startup parameters such as statement_timeout and cannot keep named prepared statements
 * (< 1.21), so timeouts are role settings and DATABASE_PREPARED_STATEMENTS=false turns named statements off.
 */
describe('behind PgBouncer in transaction mode', () => {
  const binary = findPgbouncer();
  let bouncer: Pgbouncer | undefined;
  let t: TestApp | undefined;
  let databaseName: string;

  beforeAll(async () => {
    if (!binary) {
      console.warn('pgbouncer tests skipped: no pgbouncer binary (install it with `apt-get install -y pgbouncer`, as .ci/run does)');
      return;
    }
    bouncer = await startPgbouncer(binary, { poolSize: 4 });
    databaseName = await createTestDatabase();
    t = await createTestApp({
      databaseName,
      env: { DATABASE_URL: bouncer.urlOf(databaseName), DATABASE_PREPARED_STATEMENTS: 'false', RANK_REFRESH_CRON: 'off' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await bouncer?.stop();
  });

  it('a connection with a statement_timeout startup parameter is refused by PgBouncer (why timeouts are role settings)', async () => {
    if (!bouncer) return;
    const client = new Client({ connectionString: bouncer.urlOf(databaseName), statement_timeout: 1000 });
    await expect(client.connect()).rejects.toThrow(/unsupported startup parameter/);
    await client.end().catch(() => undefined);
  });

  it('boots (migrations and role settings through the pooler) and its sessions carry the timeouts', async () => {
    if (!t || !bouncer) return;
    expect(bouncer.output()).toContain(`login attempt: db=${databaseName}`);
    const pool = poolOf(t.app.get(DataSource))!;
    const shown = await Promise.all(Array.from({ length: 8 }, () => pool.query('SHOW statement_timeout')));
    expect(new Set(shown.map((r) => r.rows[0].statement_timeout))).toEqual(new Set(['10s']));
    const idle = await pool.query('SHOW idle_in_transaction_session_timeout');
    expect(idle.rows[0].idle_in_transaction_session_timeout).toBe('30s');
  });

  it('serves register, login, profile, follow and money moves, in parallel, with the ledger intact', async () => {
    if (!t) return;
    const app = t;
    const [admin, alice, bob] = await Promise.all([registerUser(app), registerUser(app), registerUser(app)]);
    await makeFounder(app, admin.id);

    const login = await app.http().post('/api/v2/auth/login').send({ login: alice.name, password: alice.password });
    expect(login.status).toBe(200);
    const token = login.body.access_token as string;

    // The hot-path reads (prepared statements when on) run as unnamed statements here.
    const profiles = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app
          .http()
          .get(i % 2 ? '/api/v2/user' : `/api/v2/users/${bob.id}`)
          .set(bearer(token)),
      ),
    );
    expect(profiles.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(profiles[1].body.name).toBe(alice.name);
    expect(profiles[0].body.name).toBe(bob.name);

    expect((await app.http().put(`/api/v2/user/followings/${bob.id}`).set(bearer(token))).status).toBe(204);
    const followers = await app.http().get(`/api/v2/users/${bob.id}/followers`).set(bearer(token));
    expect(followers.status).toBe(200);
    expect(followers.body.map((u: { id: number }) => u.id)).toEqual([alice.id]);

    expect((await app.http().post(`/api/v2/admin/wallet/${alice.id}`).set(bearer(admin.token)).send({ amount: 1000, title: '测试充值' })).status).toBe(201);
    const transfers = await Promise.all(
      Array.from({ length: 12 }, () => app.http().post('/api/v2/plus-pay/transfer').set(bearer(token)).send({ user: bob.id, amount: 100 })),
    );
    // 1000 分 buys exactly ten transfers of 100; the rest are refused, none lost or doubled.
    expect(transfers.filter((r) => r.status < 300)).toHaveLength(10);
    expect(transfers.filter((r) => r.status >= 500)).toEqual([]);
    const { rows } = await app.db.query('SELECT owner_id, balance FROM wallets WHERE owner_id = ANY($1)', [[alice.id, bob.id]]);
    expect(Object.fromEntries(rows.map((r) => [r.owner_id, r.balance]))).toEqual({ [alice.id]: 0, [bob.id]: 1000 });
    expect(await ledgerMismatches(app.db)).toEqual([]);
  });
});

describe('DATABASE_PREPARED_STATEMENTS (direct connection)', () => {
  async function namedStatementsAfterAUserView(setting: 'true' | 'false'): Promise<number> {
    const t = await createTestApp({ env: { DATABASE_PREPARED_STATEMENTS: setting, DATABASE_POOL_SIZE: '1', RANK_REFRESH_CRON: 'off' } });
    try {
      // An id nobody has: the view's statement runs all the same (registering needs more than one connection).
      expect((await t.http().get('/api/v2/users/987654321')).status).toBe(404);
      // One pooled connection: the session that answered the request.
      const { rows } = await poolOf(t.app.get(DataSource))!.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'p\\_%'`);
      return rows[0].n;
    } finally {
      await t.close();
    }
  }

  it('on (default): the hot path runs named prepared statements; off: none', async () => {
    expect(await namedStatementsAfterAUserView('true')).toBeGreaterThan(0);
    expect(await namedStatementsAfterAUserView('false')).toBe(0);
  });
});
