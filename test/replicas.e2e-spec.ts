import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { findPostgresTools, Replication, startReplication } from './support/replication';

jest.setTimeout(180_000);

/**
 * Issue 16 "Read replicas": a real primary and streaming replica (initdb, pg_basebackup -R). With replay paused on
 * the replica the two servers differ, so each answer shows which server gave it.
 */
describe('read replicas (DATABASE_REPLICA_URLS)', () => {
  const tools = findPostgresTools();
  let replication: Replication | undefined;
  let t: TestApp | undefined;
  let admin: RegisteredUser;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let carol: RegisteredUser;
  const DB = 'user_service';

  beforeAll(async () => {
    if (!tools) {
      console.warn('replica tests skipped: no PostgreSQL server tools (initdb, pg_basebackup) under /usr/lib/postgresql/*/bin');
      return;
    }
    replication = await startReplication(tools);
    await replication.query('primary', `CREATE DATABASE ${DB}`);
    t = await appWith({});
    [admin, alice, bob, carol] = await Promise.all([registerUser(t), registerUser(t), registerUser(t), registerUser(t)]);
    await makeFounder(t, admin.id);
    await replication.caughtUp();
  });
  afterAll(async () => {
    await t?.close();
    await replication?.close();
  });

  function appWith(env: Record<string, string>): Promise<TestApp> {
    return createTestApp({
      databaseName: DB,
      env: {
        DATABASE_URL: replication!.primaryUrl(DB),
        DATABASE_REPLICA_URLS: replication!.replicaUrl(DB),
        DATABASE_REPLICA_MAX_LAG: '300',
        RANK_REFRESH_CRON: 'off',
        ...env,
      },
    });
  }

  const followerIds = async (app: TestApp, of: RegisteredUser, viewer?: RegisteredUser) => {
    const request = app.http().get(`/api/v2/users/${of.id}/followers`);
    const res = await (viewer ? request.set(bearer(viewer.token)) : request);
    expect(res.status).toBe(200);
    return res.body.map((u: { id: number }) => u.id);
  };

  it("heavy reads come from the replica; token checks, writes and the writer's own reads from the primary", async () => {
    if (!t || !replication) return;
    const app = t;
    await replication.pauseReplay();
    try {
      // A write: the new user exists on the primary only.
      const dave = await registerUser(app);
      expect((await replication.query('replica', `SELECT pg_is_in_recovery() AS r`))[0].r).toBe(true);

      // Public view and list (guest): the replica, which has no dave.
      expect((await app.http().get(`/api/v2/users/${dave.name}`)).status).toBe(404);
      const list = await app.http().get('/api/v2/users').query({ limit: 50 });
      expect(list.status).toBe(200);
      expect(list.body.map((u: { id: number }) => u.id)).not.toContain(dave.id);
      // Operator query: the replica.
      const operator = await app
        .http()
        .get('/userve/v2.2/miniapp/user_profile/')
        .set(bearer(admin.token))
        .query({ where: JSON.stringify({ id: dave.id }) });
      expect(operator.status).toBe(200);
      expect(operator.body.objects).toEqual([]);
      // Ranks: served while the replica lags behind (a new ranking is computed on the primary and read there).
      expect((await app.http().get('/api/v2/user/currency/income-rank').set(bearer(carol.token))).status).toBe(200);

      // Token check: dave's session exists only on the primary, and it is accepted; his own profile too.
      const me = await app.http().get('/api/v2/user').set(bearer(dave.token));
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(dave.id);

      // Read-your-writes: alice follows bob and sees herself among his followers at once (primary);
      // a guest and carol, who wrote nothing, read the replica, where the follow is not yet.
      expect((await app.http().put(`/api/v2/user/followings/${bob.id}`).set(bearer(alice.token))).status).toBe(204);
      expect(await followerIds(app, bob, alice)).toEqual([alice.id]);
      expect(await followerIds(app, bob)).toEqual([]);
      expect(await followerIds(app, bob, carol)).toEqual([]);
      // The same holds through the user view of bob (follower count) and her own lookup.
      const bobForAlice = await app.http().get(`/api/v2/users/${bob.id}`).set(bearer(alice.token));
      expect(bobForAlice.body.extra.followers_count).toBe(1);
      expect((await app.http().get(`/api/v2/users/${bob.id}`)).body.extra.followers_count).toBe(0);

      // The replica holds connections of the service's read pool.
      const [{ n }] = await replication.query(
        'replica',
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'user-service-replica-reads'`,
      );
      expect(n).toBeGreaterThan(0);
    } finally {
      await replication.resumeReplay();
    }
    await replication.caughtUp();
    expect(await followerIds(app, bob)).toEqual([alice.id]);
  });

  it('a replica lagging beyond DATABASE_REPLICA_MAX_LAG is skipped: reads come from the primary', async () => {
    if (!t || !replication) return;
    const strict = await appWith({ DATABASE_REPLICA_MAX_LAG: '1' });
    await replication.pauseReplay();
    try {
      const erin = await registerUser(strict);
      // The replica cannot have erin while paused: once it counts as lagging, the guest lookup is the primary's.
      let status = 404;
      while (status !== 200) {
        status = (await strict.http().get(`/api/v2/users/${erin.name}`)).status;
        expect([200, 404]).toContain(status);
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await replication.query('replica', 'SELECT count(*)::int AS n FROM users WHERE id = $1', [erin.id], DB))[0].n).toBe(0);
    } finally {
      await replication.resumeReplay();
      await strict.close();
    }
  });

  const replicaGauge = async (app: TestApp) => {
    const text = (await app.http().get('/metrics')).text;
    return [/db_replicas\{state="configured"\} (\d+)/.exec(text)?.[1], /db_replicas\{state="usable"\} (\d+)/.exec(text)?.[1]];
  };

  it('a replica that is down is skipped: every read is answered by the primary, and /metrics says so', async () => {
    if (!t || !replication) return;
    const app = t;
    expect(await replicaGauge(app)).toEqual(['1', '1']);
    await replication.stopReplica();
    const frank = await registerUser(app);
    const answers = await Promise.all(Array.from({ length: 10 }, () => app.http().get(`/api/v2/users/${frank.name}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await app.http().get('/api/v2/users').query({ limit: 5 })).status).toBe(200);
    let gauge = await replicaGauge(app);
    while (gauge[1] !== '0') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      gauge = await replicaGauge(app);
    }
    expect(gauge).toEqual(['1', '0']);
  });
});
