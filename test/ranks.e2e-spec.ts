import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { earnedIncomeMismatches, ledgerMismatches } from './support/ledger-invariants';

jest.setTimeout(60_000);

type RankedUser = { id: number; extra: Record<string, unknown> } & Record<string, unknown>;

/** thinksns-compat §6: `/ranks/followers`, `/ranks/income`, `/ranks/balance` in the original's shapes and order. */
describe('ranks (thinksns-compat §6)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let users: RegisteredUser[];

  // The H5 client (api/ranks.js): GET <rank>?limit=&offset= (limit 15 on its pages).
  const rank = (path: string, query: Record<string, unknown> = {}, token?: string) => {
    const req = t.http().get(`/api/v2/ranks/${path}`).query(query);
    return token ? req.set(bearer(token)) : req;
  };
  const ids = (body: RankedUser[]) => body.map((u) => u.id);
  const ofOurs = (body: RankedUser[]) => body.filter((u) => users.some((o) => o.id === u.id));

  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off' } });
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
    users = [];
    for (let i = 0; i < 4; i++) users.push(await registerUser(t));
    const [a, b, c, d] = users;
    // followers: c has 3, a has 2, b has 1, d none
    for (const [from, to] of [
      [a, c],
      [b, c],
      [d, c],
      [b, a],
      [c, a],
      [a, b],
    ] as const) {
      expect((await t.http().put(`/api/v2/user/followings/${to.id}`).set(bearer(from.token))).status).toBe(204);
    }
    // wallet: d 9000, a 5000, c 5000; b none
    for (const [u, amount] of [
      [d, 9000],
      [a, 5000],
      [c, 5000],
    ] as const) {
      expect((await t.http().post(`/api/v2/admin/wallet/${u.id}`).set(bearer(admin.token)).send({ amount })).status).toBe(201);
    }
    // Bought points (wallet → points) never count as earned: a buys 300, c buys 1000 (wallets: a 4700, c 4000).
    expect((await t.http().post('/api/v2/plus-pay/transform').set(bearer(a.token)).send({ amount: 300 })).status).toBe(201);
    expect((await t.http().post('/api/v2/plus-pay/transform').set(bearer(c.token)).send({ amount: 1000 })).status).toBe(201);
    // earned points: b 300 (admin grant), d 300 (a reward from a, paid with bought points), a 100 (admin grant)
    for (const [u, amount] of [
      [b, 300],
      [a, 100],
    ] as const) {
      expect((await t.http().post(`/api/v2/admin/currency/${u.id}`).set(bearer(admin.token)).send({ amount })).status).toBe(201);
    }
    expect((await t.http().post(`/api/v2/user/${d.id}/new-rewards`).set(bearer(a.token)).send({ amount: 300 })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('/ranks/followers: most followers first, ties by id; extra.rank (offset + position) and extra.count', async () => {
    const [a, b, c, d] = users;
    const res = await rank('followers', { limit: 50 });
    expect(res.status).toBe(200);
    const ours = ofOurs(res.body);
    expect(ids(ours)).toEqual([c.id, a.id, b.id, d.id]);
    expect(ours.map((u) => u.extra.count)).toEqual([3, 2, 1, 0]);
    expect(res.body.map((u: RankedUser) => u.extra.rank)).toEqual(res.body.map((_: unknown, i: number) => i + 1));
    expect(res.body[0].extra).toMatchObject({ followers_count: 3 });
    const page = await rank('followers', { limit: 1, offset: 1 });
    expect(page.body.map((u: RankedUser) => [u.id, u.extra.rank])).toEqual([[a.id, 2]]);
  });

  it('/ranks/income: earned points (grants, rewards received; not bought points), no amount shown', async () => {
    const [a, b, c, d] = users;
    const res = await rank('income', { limit: 15, offset: 0 });
    expect(res.status).toBe(200);
    // b and d 300 each (tie: lower id first), a 100; c only bought points and is absent.
    expect(ids(res.body)).toEqual([b.id, d.id, a.id]);
    expect(res.body.map((u: RankedUser) => u.extra.rank)).toEqual([1, 2, 3]);
    for (const u of res.body) {
      expect(u.extra).not.toHaveProperty('count');
      expect(JSON.stringify(u)).not.toMatch(/"(sum|balance|amount|earned_total|currency|wallet)"/);
    }
    expect(ids(res.body)).not.toContain(c.id);
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await earnedIncomeMismatches(t.db)).toEqual([]);
  });

  it('/ranks/balance: by wallet balance, users with money only, ties by id; never shows a balance', async () => {
    const [a, b, c, d] = users;
    const res = await rank('balance', {}, b.token);
    expect(res.status).toBe(200);
    // d 9000, a 4700, c 4000 (after converting 分 to points); b has none.
    expect(ids(res.body)).toEqual([d.id, a.id, c.id]);
    expect(res.body.map((u: RankedUser) => u.extra.rank)).toEqual([1, 2, 3]);
    for (const u of res.body) {
      expect(u).not.toHaveProperty('wallet');
      expect(u).not.toHaveProperty('new_wallet');
      expect(JSON.stringify(u)).not.toMatch(/9000|4700|4000/);
    }
  });

  it('viewer-relative follow flags, public views only (no phone)', async () => {
    const [a, , c] = users;
    const res = await rank('followers', { limit: 50 }, a.token);
    const cView = res.body.find((u: RankedUser) => u.id === c.id);
    expect(cView).toMatchObject({ has_follower: true, has_following: true });
    expect(JSON.stringify(res.body)).not.toContain(a.phone);
  });

  it('limit defaults to 10 and caps at 50; bad limit / offset → 422; disabled users vanish', async () => {
    const more: RegisteredUser[] = [];
    for (let i = 0; i < 8; i++) more.push(await registerUser(t));
    expect((await rank('followers')).body).toHaveLength(10);
    expect((await rank('followers', { limit: 500 })).status).toBe(200);
    for (const query of [{ limit: 0 }, { limit: 'x' }, { offset: -1 }, { offset: 10_001 }]) {
      expect((await rank('followers', query)).status).toBe(422);
    }
    const [, b] = users;
    expect((await t.http().put(`/api/v2/system/disabled/${b.id}`).set(bearer(admin.token))).status).toBe(204);
    expect(ids((await rank('income')).body)).not.toContain(b.id);
    expect(ids((await rank('followers', { limit: 50 })).body)).not.toContain(b.id);
  });

  it('each rank page is one index walk: the plans use the rank indexes', async () => {
    await t.db.query('ANALYZE user_extras, wallets, user_currencies');
    const plan = async (sql: string) => {
      await t.db.query('SET enable_seqscan = off');
      const { rows } = await t.db.query(`EXPLAIN ${sql}`);
      await t.db.query('RESET enable_seqscan');
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    expect(await plan('SELECT user_id FROM user_extras ORDER BY followers_count DESC, user_id LIMIT 10')).toContain('user_extras_followers_rank_idx');
    expect(await plan('SELECT owner_id FROM wallets WHERE balance > 0 ORDER BY balance DESC, owner_id LIMIT 10')).toContain('wallets_balance_rank_idx');
    expect(await plan('SELECT user_id FROM user_extras WHERE checkin_count > 0 ORDER BY checkin_count DESC, user_id LIMIT 10')).toContain(
      'user_extras_checkin_rank_idx',
    );
    expect(await plan('SELECT owner_id FROM user_currencies WHERE earned_total > 0 ORDER BY earned_total DESC, owner_id LIMIT 10')).toContain(
      'user_currencies_earned_idx',
    );
  });
});
