import { Client } from 'pg';
import { EarnedIncome } from '../src/currency/earned-income';
import { IncomeRankRefresher } from '../src/ranking/income-rank.refresher';
import { waitFor } from './support/conditions';
import { databaseUrl } from './support/databases';
import { bearer, makeFounder, registerUser, RegisteredUser, uniqueName } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { incomeWindowMismatches } from './support/ledger-invariants';

const PUBLIC_KEYS = [
  'id',
  'name',
  'bio',
  'sex',
  'location',
  'avatar',
  'bg',
  'invite_code',
  'verification',
  'extra',
  'has_follower',
  'has_following',
  'follower',
  'following',
  'verified',
  'created_at',
  'updated_at',
  'vip',
].sort();
const OWNER_KEYS = [...PUBLIC_KEYS, 'phone', 'email', 'wallet', 'new_wallet', 'currency', 'has_password'].sort();
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const RANK_PATH = '/api/v2/user/currency/income-rank';

interface RankEntry {
  user: { id: number } & Record<string, unknown>;
  amount_count: number;
  rank: string;
}
interface RankBody {
  rank_list: RankEntry[];
  my_rank?: RankEntry;
}

jest.setTimeout(60_000);

/** Configured standing cities of the test app (RANK_STANDING_CITIES): their rankings are snapshots. */
const STANDING_CITIES = { chengdu: '成都', snapshot: '快照', disabling: '停用', pages: '页面' };
/** The default standing windows (RANK_STANDING_DAYS unset): all time, 1, 7, 30 and 365 days. */
const STANDING_DAYS = [null, 1, 7, 30, 365];
const standingKeys = (cities: Array<string | null>) => STANDING_DAYS.flatMap((days) => cities.map((city) => `days=${days ?? 'all'};city=${city ?? ''}`)).sort();

/** [user id, amount, rank] of each entry: the part of the ranking most assertions are about. */
const standing = (body: RankBody) => body.rank_list.map((e) => [e.user.id, e.amount_count, e.rank]);

/** A city nobody else in this run uses, and a location string that resolves to it. */
function freshCity(): { city: string; location: string } {
  const city = `城${uniqueName('c')}`;
  return { city, location: `四川省 ${city}市` };
}

/** mobile-api §9: `GET /api/v2/user/currency/income-rank`, served from a snapshot refreshed by a scheduled job. */
describe('income ranking (mobile-api §9)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let refresher: IncomeRankRefresher;

  async function rank(query: Record<string, string | number> = {}, token?: string) {
    const req = t.http().get(RANK_PATH).query(query);
    if (token) req.set(bearer(token));
    const res = await req;
    expect(res.status).toBe(200);
    return { body: res.body as RankBody, updatedAt: res.headers['x-rank-updated-at'] as string };
  }

  async function grant(userId: number, amount: number): Promise<void> {
    const res = await t.http().post(`/api/v2/admin/currency/${userId}`).set(bearer(admin.token)).send({ amount });
    expect(res.status).toBe(201);
  }

  async function reward(from: RegisteredUser, to: RegisteredUser, amount: number): Promise<void> {
    const res = await t.http().post(`/api/v2/user/${to.id}/new-rewards`).set(bearer(from.token)).send({ amount });
    expect(res.status).toBe(201);
  }

  async function locate(user: RegisteredUser, location: string): Promise<void> {
    const res = await t.http().patch('/api/v2/user').set(bearer(user.token)).send({ location });
    expect(res.status).toBe(204);
  }

  /** Registers users one after the other (ids ascending), all living in `location`. */
  async function residents(count: number, location: string | null): Promise<RegisteredUser[]> {
    const users: RegisteredUser[] = [];
    for (let i = 0; i < count; i++) {
      const user = await registerUser(t);
      if (location) await locate(user, location);
      users.push(user);
    }
    return users;
  }

  async function refresh(): Promise<void> {
    expect(await refresher.refresh()).toBe(true);
  }

  /** A payer outside every test city, with points to give. */
  async function payer(points: number): Promise<RegisteredUser> {
    const user = await registerUser(t);
    await grant(user.id, points);
    return user;
  }

  beforeAll(async () => {
    // No schedule here: these tests decide when the snapshot is refreshed. A generous live-query timeout: a busy
    // test machine must not turn a live answer into a 422.
    t = await createTestApp({
      env: { RANK_REFRESH_CRON: 'off', RANK_STANDING_CITIES: Object.values(STANDING_CITIES).join(','), RANK_LIVE_TIMEOUT_MS: '30000' },
    });
    refresher = t.app.get(IncomeRankRefresher);
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
  });
  afterAll(async () => {
    await t.close();
  });

  it('guests get rank_list (public user views) without my_rank, and X-Rank-Updated-At in ISO 8601 Z', async () => {
    const { city, location } = freshCity();
    const [earner] = await residents(1, location);
    await grant(earner.id, 10);
    const res = await t.http().get(RANK_PATH).query({ city });
    expect(res.status).toBe(200);
    expect(res.headers['x-rank-updated-at']).toMatch(ISO_Z);
    expect(Object.keys(res.body)).toEqual(['rank_list']);
    expect(res.body.rank_list).toHaveLength(1);
    const [entry] = res.body.rank_list;
    expect(Object.keys(entry).sort()).toEqual(['amount_count', 'rank', 'user']);
    expect(entry.amount_count).toBe(10);
    expect(entry.rank).toBe('1');
    expect(Object.keys(entry.user).sort()).toEqual(PUBLIC_KEYS);
    expect(entry.user).toMatchObject({ id: earner.id, name: earner.name });

    const all = await t.http().get(RANK_PATH);
    expect(all.status).toBe(200);
    expect(all.headers['x-rank-updated-at']).toMatch(ISO_Z);
    expect(all.body).not.toHaveProperty('my_rank');
  });

  it('orders by amount desc, ties by user id asc, consecutive string ranks; users without income are not ranked', async () => {
    const { city, location } = freshCity();
    const [u1, u2, u3, u4, u5] = await residents(5, location);
    const giver = await payer(1000);
    await grant(u3.id, 50); // u3 earns first, but u1 (lower id) still ranks before it at the same amount
    await grant(u1.id, 50);
    await reward(giver, u2, 80);
    await grant(u5.id, 30);
    await reward(giver, u5, 90);
    const expected = [
      [u5.id, 120, '1'],
      [u2.id, 80, '2'],
      [u1.id, 50, '3'],
      [u3.id, 50, '4'],
    ];
    expect(standing((await rank({ city })).body)).toEqual(expected);
    expect(standing((await rank({ city, days: 30 })).body)).toEqual(expected);
    expect(standing((await rank({ city, limit: 1 })).body)).toEqual([expected[0]]);
    expect(standing((await rank({ city, limit: 2 })).body)).toEqual(expected.slice(0, 2));

    // The whole ranking keeps the same rules.
    await refresh();
    const { body } = await rank({ limit: 1000 });
    const list = body.rank_list;
    expect(list.map((e) => e.rank)).toEqual(list.map((_, i) => String(i + 1)));
    for (let i = 1; i < list.length; i++) {
      const [prev, cur] = [list[i - 1], list[i]];
      expect(prev.amount_count > cur.amount_count || (prev.amount_count === cur.amount_count && prev.user.id < cur.user.id)).toBe(true);
    }
    expect(list.every((e) => Number.isSafeInteger(e.amount_count) && e.amount_count > 0)).toBe(true);
    const ids = list.map((e) => e.user.id);
    expect(ids).toEqual(expect.arrayContaining([u1.id, u2.id, u3.id, u5.id, giver.id]));
    expect(ids).not.toContain(u4.id);
  });

  it('rewards and admin grants count as income, bought points (transform, target_type "recharge") do not', async () => {
    const { city, location } = freshCity();
    const [buyer, rewarded, granted] = await residents(3, location);
    const credit = await t.http().post(`/api/v2/admin/wallet/${buyer.id}`).set(bearer(admin.token)).send({ amount: 1000 });
    expect(credit.status).toBe(201);
    const transform = await t.http().post('/api/v2/plus-pay/transform').set(bearer(buyer.token)).send({ amount: 500 });
    expect(transform.status).toBe(201);
    await reward(buyer, rewarded, 200);
    await grant(granted.id, 40);

    const expected = [
      [rewarded.id, 200, '1'],
      [granted.id, 40, '2'],
    ];
    const allTime = await rank({ city }, buyer.token);
    expect(standing(allTime.body)).toEqual(expected);
    expect(allTime.body.my_rank).toMatchObject({ amount_count: 0, rank: '1000+' });
    const windowed = await rank({ city, days: 7 }, buyer.token);
    expect(standing(windowed.body)).toEqual(expected);
    expect(windowed.body.my_rank).toMatchObject({ amount_count: 0, rank: '1000+' });
  });

  it('my_rank: the viewer in owner view with amount and position; "1000+" with 0 for no income; absent for guests and another city', async () => {
    const { city, location } = freshCity();
    const [m1, m2, m3, zero] = await residents(4, location);
    const [homeless] = await residents(1, null);
    await grant(m1.id, 300);
    await grant(m2.id, 100);
    await grant(m3.id, 200);

    const second = await rank({ city }, m3.token);
    expect(second.body.my_rank).toEqual({ user: expect.objectContaining({ id: m3.id }), amount_count: 200, rank: '2' });
    const mine = second.body.my_rank!;
    expect(Object.keys(mine.user).sort()).toEqual(OWNER_KEYS);
    expect(mine.user.phone).toBe(m3.phone);
    expect(mine.user.wallet).toMatchObject({ owner_id: m3.id });
    expect(second.body.rank_list.every((e) => !('phone' in e.user) && !('wallet' in e.user))).toBe(true);

    expect((await rank({ city }, m2.token)).body.my_rank).toMatchObject({ amount_count: 100, rank: '3' });
    expect((await rank({ city }, m1.token)).body.my_rank).toMatchObject({ amount_count: 300, rank: '1' });
    const nothing = (await rank({ city }, zero.token)).body.my_rank;
    expect(nothing).toMatchObject({ user: expect.objectContaining({ id: zero.id }), amount_count: 0, rank: '1000+' });

    expect((await rank({ city })).body).not.toHaveProperty('my_rank');
    expect((await rank({ city: freshCity().city }, m1.token)).body).not.toHaveProperty('my_rank');
    expect((await rank({ city }, homeless.token)).body).not.toHaveProperty('my_rank');
    // An invalid token on this optional route is a guest.
    const forged = await t
      .http()
      .get(RANK_PATH)
      .query({ city })
      .set(bearer(`${m1.token}x`));
    expect(forged.status).toBe(200);
    expect(forged.body).not.toHaveProperty('my_rank');

    // Without a city, the viewer's position in the whole ranking (after a refresh that includes them).
    await refresh();
    const whole = await rank({ limit: 1000 }, m3.token);
    const position = whole.body.rank_list.findIndex((e) => e.user.id === m3.id) + 1;
    expect(position).toBeGreaterThan(0);
    expect(whole.body.my_rank).toMatchObject({ amount_count: 200, rank: String(position) });
  });

  it('city keeps the users of that city; 成都 and 成都市 are the same city', async () => {
    const [c1, c2, c3, c4] = await residents(4, null);
    await locate(c1, '四川省 成都市');
    await locate(c2, '四川省 成都市 武侯区');
    await locate(c3, '四川省 绵阳市');
    await locate(c4, '成都');
    await grant(c1.id, 60);
    await grant(c2.id, 20);
    await grant(c3.id, 500);
    await grant(c4.id, 10);
    await refresh(); // 成都 is a standing city (a snapshot)

    const short = await rank({ city: '成都' }, c2.token);
    expect(standing(short.body)).toEqual([
      [c1.id, 60, '1'],
      [c2.id, 20, '2'],
      [c4.id, 10, '3'],
    ]);
    expect(short.body.my_rank).toMatchObject({ amount_count: 20, rank: '2' });
    const long = await rank({ city: '成都市' }, c2.token);
    expect(long.body).toEqual(short.body);
    expect((await rank({ city: '绵阳' })).body.rank_list.map((e) => e.user.id)).toEqual([c3.id]);
    expect((await rank({ city: '成都' }, c3.token)).body).not.toHaveProperty('my_rank');

    const { rows } = await t.db.query(`SELECT key, city FROM income_rank_keys WHERE city LIKE '成都%' AND days IS NULL`);
    expect(rows).toEqual([{ key: 'days=all;city=成都', city: '成都' }]);
  });

  it('days keeps only the income of the last N days (from the daily aggregates)', async () => {
    const { city, location } = freshCity();
    const [x1, x2, x3] = await residents(3, location);
    const backDate = async (userId: number, days: number) => {
      const moved = await t.db.query(`UPDATE currency_income_daily SET day = day - $2::int WHERE owner_id = $1 AND day = (now() AT TIME ZONE 'UTC')::date`, [
        userId,
        days,
      ]);
      expect(moved.rowCount).toBe(1);
      await t.db.query(`UPDATE currency_ledger SET created_at = created_at - make_interval(days => $2) WHERE owner_id = $1 AND type = 1`, [userId, days]);
    };
    await grant(x1.id, 20);
    await backDate(x1.id, 10);
    await grant(x1.id, 100); // x1: 20 ten days ago, 100 today
    await grant(x2.id, 70);
    await backDate(x2.id, 10); // x2: 70 ten days ago
    await grant(x3.id, 40);
    await backDate(x3.id, 40); // x3: 40 forty days ago

    expect(standing((await rank({ city, days: 7 })).body)).toEqual([[x1.id, 100, '1']]);
    expect(standing((await rank({ city, days: 30 })).body)).toEqual([
      [x1.id, 120, '1'],
      [x2.id, 70, '2'],
    ]);
    const everything = [
      [x1.id, 120, '1'],
      [x2.id, 70, '2'],
      [x3.id, 40, '3'],
    ];
    expect(standing((await rank({ city, days: 365 })).body)).toEqual(everything);
    expect(standing((await rank({ city })).body)).toEqual(everything);

    expect((await rank({ city, days: 7 }, x2.token)).body.my_rank).toMatchObject({ amount_count: 0, rank: '1000+' });
    expect((await rank({ city, days: 30 }, x2.token)).body.my_rank).toMatchObject({ amount_count: 70, rank: '2' });
  });

  it.each([
    ['days=0', { days: 0 }],
    ['days=3651', { days: 3651 }],
    ['days=abc', { days: 'abc' }],
    ['days=1.5', { days: 1.5 }],
    ['limit=0', { limit: 0 }],
    ['limit=abc', { limit: 'abc' }],
  ])('%s → 422', async (_label, query) => {
    const res = await t.http().get(RANK_PATH).query(query);
    expect(res.status).toBe(422);
    expect(typeof res.body.message).toBe('string');
  });

  it('disabled users leave a snapshot at once, cancelled ones too; ranks and my_rank close up', async () => {
    const city = STANDING_CITIES.disabling;
    const location = `四川省 ${city}市`;
    const [d1, d2, d3, d4] = await residents(4, location);
    await grant(d1.id, 300);
    await grant(d2.id, 200);
    await grant(d3.id, 100);
    await grant(d4.id, 50);
    await refresh();
    const before = await rank({ city }, d4.token);
    expect(standing(before.body).map((e) => e[0])).toEqual([d1.id, d2.id, d3.id, d4.id]);
    expect(before.body.my_rank).toMatchObject({ rank: '4' });

    const disable = await t.http().put(`/api/v2/system/disabled/${d1.id}`).set(bearer(admin.token));
    expect(disable.status).toBe(204);
    const afterDisable = await rank({ city }, d4.token);
    expect(standing(afterDisable.body)).toEqual([
      [d2.id, 200, '1'],
      [d3.id, 100, '2'],
      [d4.id, 50, '3'],
    ]);
    expect(afterDisable.body.my_rank).toMatchObject({ amount_count: 50, rank: '3' });
    expect((await rank({ limit: 1000 })).body.rank_list.map((e) => e.user.id)).not.toContain(d1.id);

    const cancel = await t.http().delete('/api/v2/user').set(bearer(d3.token)).send({ password: d3.password });
    expect(cancel.status).toBe(202);
    const afterCancel = await rank({ city }, d4.token);
    expect(standing(afterCancel.body)).toEqual([
      [d2.id, 200, '1'],
      [d4.id, 50, '2'],
    ]);
    expect(afterCancel.body.my_rank).toMatchObject({ rank: '2' });

    await refresh();
    expect(standing((await rank({ city })).body)).toEqual(standing(afterCancel.body));
    const whole = (await rank({ limit: 1000 })).body.rank_list.map((e) => e.user.id);
    expect(whole).not.toContain(d1.id);
    expect(whole).not.toContain(d3.id);
    expect(whole).toContain(d2.id);
  });

  it('a snapshot page is built once per refresh: a profile edit shows after the next refresh, follow flags and leavers per request', async () => {
    const city = STANDING_CITIES.pages;
    const [p1, p2, p3] = await residents(3, `四川省 ${city}市`);
    await grant(p1.id, 5000);
    await grant(p2.id, 4000);
    await grant(p3.id, 3000);
    await refresh();
    const top3 = (body: RankBody) => body.rank_list.slice(0, 3);
    const first = await rank({ city, limit: 3 }, p3.token);
    expect(top3(first.body).map((e) => [e.user.id, e.user.has_follower])).toEqual([
      [p1.id, false],
      [p2.id, false],
      [p3.id, false],
    ]);
    expect(top3(first.body)[0].user.bio).not.toBe('新的简介');

    // A profile edit: the page of this snapshot is kept until the next refresh, then rebuilt.
    const edit = await t.http().patch('/api/v2/user').set(bearer(p1.token)).send({ bio: '新的简介' });
    expect(edit.status).toBe(204);
    await refresh();
    const edited = await rank({ city, limit: 3 }, p3.token);
    expect(top3(edited.body)[0].user).toMatchObject({ id: p1.id, bio: '新的简介' });

    // Follow flags are the viewer's, now: p3 follows p1, p2 follows p3; another viewer sees none of it.
    expect((await t.http().put(`/api/v2/user/followings/${p1.id}`).set(bearer(p3.token))).status).toBe(204);
    expect((await t.http().put(`/api/v2/user/followings/${p3.id}`).set(bearer(p2.token))).status).toBe(204);
    const asP3 = top3((await rank({ city, limit: 3 }, p3.token)).body);
    expect(asP3.map((e) => [e.user.id, e.user.has_follower, e.user.has_following])).toEqual([
      [p1.id, true, false],
      [p2.id, false, true],
      [p3.id, false, false],
    ]);
    // The open-source clients read the same flags as follower / following.
    expect(asP3.map((e) => [e.user.follower, e.user.following])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
    const asGuest = top3((await rank({ city, limit: 3 })).body);
    expect(asGuest.map((e) => [e.user.has_follower, e.user.has_following])).toEqual([
      [false, false],
      [false, false],
      [false, false],
    ]);

    // Disabled after the page was built: gone from the next answer, ranks close up; enabled again: back at once.
    expect((await t.http().put(`/api/v2/system/disabled/${p2.id}`).set(bearer(admin.token))).status).toBe(204);
    expect(top3((await rank({ city, limit: 3 }, p3.token)).body).map((e) => [e.user.id, e.rank])).toEqual([
      [p1.id, '1'],
      [p3.id, '2'],
    ]);
    // A page built while p2 is disabled (another limit), then p2 enabled again: it shows without a refresh.
    expect((await rank({ city, limit: 2 })).body.rank_list.map((e) => e.user.id)).toEqual([p1.id, p3.id]);
    expect((await t.http().delete(`/api/v2/system/disabled/${p2.id}`).set(bearer(admin.token))).status).toBe(204);
    expect((await rank({ city, limit: 2 })).body.rank_list.map((e) => e.user.id)).toEqual([p1.id, p2.id]);
    expect(standing((await rank({ city, limit: 3 }, p3.token)).body).slice(0, 3)).toEqual([
      [p1.id, 5000, '1'],
      [p2.id, 4000, '2'],
      [p3.id, 3000, '3'],
    ]);
  });

  it('reads the snapshot of a standing combination: new income changes nothing until a refresh, then it does', async () => {
    const city = STANDING_CITIES.snapshot;
    const [s1, s2, s3] = await residents(3, `四川省 ${city}市`);
    await grant(s1.id, 100);
    await grant(s2.id, 50);
    await refresh();
    const first = await rank({ city }, s2.token);
    expect(standing(first.body)).toEqual([
      [s1.id, 100, '1'],
      [s2.id, 50, '2'],
    ]);

    await grant(s2.id, 100);
    await grant(s3.id, 30);
    const stale = await rank({ city }, s2.token);
    expect(standing(stale.body)).toEqual(standing(first.body));
    expect(stale.body.my_rank).toMatchObject({ amount_count: 50, rank: '2' });
    expect(stale.updatedAt).toBe(first.updatedAt);

    await refresh();
    const fresh = await rank({ city }, s2.token);
    expect(standing(fresh.body)).toEqual([
      [s2.id, 150, '1'],
      [s1.id, 100, '2'],
      [s3.id, 30, '3'],
    ]);
    expect(fresh.body.my_rank).toMatchObject({ amount_count: 150, rank: '1' });
    // The header is the time of the refresh that computed the rows.
    const { rows } = await t.db.query('SELECT refreshed_at FROM income_rank_keys WHERE key = $1', [`days=all;city=${city}`]);
    expect(fresh.updatedAt).toBe(`${rows[0].refreshed_at.toISOString().slice(0, 19)}Z`);
    expect(Date.parse(fresh.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
  });

  it('the standing set is the configured one: all time, 1, 7, 30, 365 days × every city and RANK_STANDING_CITIES', async () => {
    await refresh();
    const { rows } = await t.db.query('SELECT key FROM income_rank_keys ORDER BY key');
    expect(rows.map((r) => r.key)).toEqual(standingKeys([null, ...Object.values(STANDING_CITIES)]));
    const { rows: runs } = await t.db.query('SELECT keys_refreshed FROM income_rank_runs ORDER BY id DESC LIMIT 1');
    expect(runs[0].keys_refreshed).toBe(rows.length);
    // What the clients ask for is standing: each answers from its snapshot (the header is the refresh's time).
    for (const days of STANDING_DAYS) {
      const res = await rank(days === null ? {} : { days });
      const [key] = (await t.db.query('SELECT refreshed_at FROM income_rank_keys WHERE key = $1', [`days=${days ?? 'all'};city=`])).rows;
      expect(res.updatedAt).toBe(`${key.refreshed_at.toISOString().slice(0, 19)}Z`);
    }
  });

  it('any other (days, city) is answered live by one query and neither joins nor evicts the standing set', async () => {
    const { city, location } = freshCity();
    const [n1, n2] = await residents(2, location);
    await grant(n1.id, 10);
    await grant(n2.id, 25);
    await refresh();
    const standingSet = async () => ({
      keys: (await t.db.query('SELECT key, refreshed_at FROM income_rank_keys ORDER BY key')).rows,
      entries: (await t.db.query('SELECT count(*)::int AS n FROM income_rank_entries')).rows[0].n,
    });
    const before = await standingSet();

    const first = await rank({ city, days: 17 });
    expect(standing(first.body)).toEqual([
      [n2.id, 25, '1'],
      [n1.id, 10, '2'],
    ]);
    expect(first.updatedAt).toMatch(ISO_Z);
    // Live: new income shows at once, without a refresh.
    await grant(n1.id, 30);
    expect(standing((await rank({ city, days: 17 }, n1.token)).body)).toEqual([
      [n1.id, 40, '1'],
      [n2.id, 25, '2'],
    ]);
    expect((await rank({ city, days: 17 }, n1.token)).body.my_rank).toMatchObject({
      user: expect.objectContaining({ id: n1.id }),
      amount_count: 40,
      rank: '1',
    });

    // A guest asking for many made-up combinations (two at a time: the per-instance cap is 2) changes nothing stored.
    const madeUp = [
      ...Array.from({ length: 30 }, (_, i) => ({ days: 100 + i })),
      ...Array.from({ length: 10 }, (_, i) => ({ city: `${city}${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ city: `${city}${i}`, days: 7 })),
    ];
    for (let i = 0; i < madeUp.length; i += 2) {
      const answers = await Promise.all(madeUp.slice(i, i + 2).map((query) => t.http().get(RANK_PATH).query(query)));
      expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    }
    expect(await standingSet()).toEqual(before);
    // and the standing combinations still answer from their snapshots.
    expect((await rank({ days: 7 })).updatedAt).toBe(
      `${before.keys
        .find((k) => k.key === 'days=7;city=')
        .refreshed_at.toISOString()
        .slice(0, 19)}Z`,
    );
  });

  it('a live query is bounded: beyond RANK_LIVE_CONCURRENCY at once 429, over RANK_LIVE_TIMEOUT_MS 422 with a clear message', async () => {
    const locker = new Client({ connectionString: databaseUrl(t.databaseName) });
    await locker.connect();
    const lockAggregates = async () => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE currency_income_daily IN ACCESS EXCLUSIVE MODE');
    };
    const liveQueriesWaiting = async () =>
      (await locker.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'currency_income_daily'::regclass`)).rows[0].n;
    let strict: TestApp | undefined;
    try {
      // With the aggregates locked, live queries wait (t's timeout is 30 s): two run at once (the default cap), a
      // third is refused at once, and a standing combination answers from its snapshot meanwhile.
      await lockAggregates();
      const running = Promise.all(
        [2, 3].map((days) =>
          t
            .http()
            .get(RANK_PATH)
            .query({ days })
            .then((res) => res),
        ),
      );
      await waitFor('two live queries waiting for the lock', async () => (await liveQueriesWaiting()) >= 2);
      const third = await t.http().get(RANK_PATH).query({ days: 4 });
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('1');
      expect((await t.http().get(RANK_PATH).query({ days: 30 })).status).toBe(200);
      await locker.query('ROLLBACK');
      expect((await running).map((res) => res.status)).toEqual([200, 200]);

      // An instance with a 100 ms timeout: a live query still waiting then is refused, and the message says which
      // rankings are kept.
      strict = await createTestApp({ databaseName: t.databaseName, env: { RANK_REFRESH_CRON: 'off', RANK_LIVE_TIMEOUT_MS: '100' } });
      await lockAggregates();
      const zh = await strict.http().get(RANK_PATH).query({ days: 2 });
      expect(zh.status).toBe(422);
      expect(zh.body.message).toBe('该排行榜数据量过大，无法即时计算。预先计算的排行榜：days ∈ {all, 1, 7, 30, 365}, city ∈ {all}');
      const en = await strict.http().get(RANK_PATH).query({ city: '上海', days: 9 }).set('Accept-Language', 'en');
      expect(en.status).toBe(422);
      expect(en.body.message).toBe('This ranking is too large to compute on request. Precomputed rankings: days ∈ {all, 1, 7, 30, 365}, city ∈ {all}.');
      await locker.query('ROLLBACK');
      expect((await strict.http().get(RANK_PATH).query({ days: 2 })).status).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
      await strict?.close();
    }
  });

  it('limit 1–1000 (default 100); a viewer below the top 1000 gets "1000+" with their own amount', async () => {
    const { city, location } = freshCity();
    // 1,000 users of this city, each with earned income 101…1100, written as the API would (ledger, totals, daily).
    const suffix = uniqueName('b').slice(1);
    await t.db.query(
      `WITH g AS (SELECT n FROM generate_series(1, 1000) n),
            u AS (INSERT INTO users (name, password, invite_code, location, city)
                  SELECT 'bulk_' || $1 || '_' || n, '!', 'B' || $1 || n, $2, $3 FROM g RETURNING id, (regexp_match(name, '_(\\d+)$'))[1]::int AS n),
            e AS (INSERT INTO user_extras (user_id) SELECT id FROM u),
            w AS (INSERT INTO wallets (owner_id) SELECT id FROM u),
            c AS (INSERT INTO user_currencies (owner_id, sum, earned_total) SELECT id, 100 + n, 100 + n FROM u),
            l AS (INSERT INTO currency_ledger (owner_id, title, type, target_type, target_id, amount) SELECT id, 'bulk', 1, 'admin', $4::bigint, 100 + n FROM u)
       INSERT INTO currency_income_daily (owner_id, day, amount) SELECT id, (now() AT TIME ZONE 'UTC')::date, 100 + n FROM u`,
      [suffix, location, city, admin.id],
    );
    const [viewer] = await residents(1, location);
    await grant(viewer.id, 50);

    const byDefault = await rank({ city }, viewer.token);
    expect(byDefault.body.rank_list).toHaveLength(100);
    expect(byDefault.body.rank_list[0]).toMatchObject({ amount_count: 1100, rank: '1' });
    expect(byDefault.body.rank_list[99]).toMatchObject({ amount_count: 1001, rank: '100' });
    expect(byDefault.body.my_rank).toMatchObject({ user: expect.objectContaining({ id: viewer.id }), amount_count: 50, rank: '1000+' });

    const full = await rank({ city, limit: 1000 }, viewer.token);
    expect(full.body.rank_list).toHaveLength(1000);
    expect(full.body.rank_list.map((e) => e.rank)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i + 1)));
    expect(full.body.rank_list[999]).toMatchObject({ amount_count: 101, rank: '1000' });
    expect(full.body.rank_list.map((e) => e.user.id)).not.toContain(viewer.id);

    const windowed = await rank({ city, days: 7 }, viewer.token);
    expect(windowed.body.my_rank).toMatchObject({ amount_count: 50, rank: '1000+' });

    const tooMany = await t.http().get(RANK_PATH).query({ city, limit: 5000 });
    expect([200, 422]).toContain(tooMany.status);
    if (tooMany.status === 200) expect(tooMany.body.rank_list.length).toBeLessThanOrEqual(1000);
  });

  it('the first refresh of a fresh install and concurrent first requests never collide (no 5xx, the run is not lost)', async () => {
    // A fresh install has the default combination without a snapshot (refreshed_at NULL): the first request computes
    // it while the scheduled refresh may be computing it too.
    const allTime = 'days=all;city=';
    // As on a fresh install, the default combination is the only one the refresh knows (so it starts with it at once).
    await t.db.query('DELETE FROM income_rank_keys WHERE key <> $1', [allTime]);
    for (let i = 0; i < 8; i++) {
      await t.db.query('UPDATE income_rank_keys SET refreshed_at = NULL WHERE key = $1', [allTime]);
      const [refreshed, ...responses] = await Promise.all([refresher.refresh(), ...Array.from({ length: 3 }, () => t.http().get(RANK_PATH))]);
      expect(refreshed).toBe(true);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      for (const res of responses) expect(res.body.rank_list).toHaveLength(100);
    }
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM income_rank_entries WHERE key = $1', [allTime]);
    expect(rows[0].n).toBe(1000);
  });

  it('a request waiting for a snapshot another session is computing holds no pooled connection meanwhile', async () => {
    // An instance with a pool of 2, and a standing combination whose snapshot "someone else" is computing: the test
    // holds the combination's lock, as the refresh of another instance would.
    const small = await createTestApp({ databaseName: t.databaseName, env: { RANK_REFRESH_CRON: 'off', DATABASE_POOL_SIZE: '2' } });
    const key = 'days=1;city=';
    const locker = new Client({ connectionString: databaseUrl(t.databaseName) });
    await locker.connect();
    try {
      await refresh();
      await t.db.query('UPDATE income_rank_keys SET refreshed_at = NULL WHERE key = $1', [key]);
      await locker.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      const waiting = Promise.all(
        Array.from({ length: 6 }, () =>
          small
            .http()
            .get(RANK_PATH)
            .query({ days: 1 })
            .then((res) => res),
        ),
      );
      // Six requests wait for that snapshot; every other request of the instance is still served.
      for (let i = 0; i < 4; i++) expect((await small.http().get(RANK_PATH).query({ days: 7 })).status).toBe(200);
      expect((await small.http().get('/api/v2/users?limit=1')).status).toBe(200);
      await locker.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      const answers = await waiting;
      expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
      for (const res of answers) expect(res.headers['x-rank-updated-at']).toMatch(ISO_Z);
      expect(new Set(answers.map((res) => res.headers['x-rank-updated-at'])).size).toBe(1);
    } finally {
      await locker.end();
      await small.close();
    }
  });

  it('reads, refreshes and prunes at once (two instances with different standing sets): every answer is complete', async () => {
    // `other` keeps no city: each of its refreshes drops t's city combinations, which t computes again when asked.
    const other = await createTestApp({ databaseName: t.databaseName, env: { RANK_REFRESH_CRON: 'off' } });
    const otherRefresher = other.app.get(IncomeRankRefresher);
    try {
      type Answer = { status: number; header: string; listed: number; standingAllTime: boolean };
      const answers: Answer[] = [];
      const read = async (query: Record<string, string | number>) => {
        const res = await t.http().get(RANK_PATH).query(query);
        answers.push({
          status: res.status,
          header: res.headers['x-rank-updated-at'],
          listed: res.body.rank_list?.length ?? 0,
          standingAllTime: Object.keys(query).length === 0,
        });
      };
      const worker = (count: number, job: (i: number) => Promise<unknown>) =>
        (async () => {
          for (let i = 0; i < count; i++) await job(i);
        })();
      let runs = 0;
      await Promise.all([
        worker(6, async (i) => (runs += (await (i % 2 ? refresher : otherRefresher).refresh()) ? 1 : 0)),
        worker(6, async (i) => (runs += (await (i % 2 ? otherRefresher : refresher).refresh()) ? 1 : 0)),
        worker(15, () => read({})),
        worker(15, () => read({ city: STANDING_CITIES.chengdu })),
        worker(15, (i) => {
          const days = STANDING_DAYS[i % STANDING_DAYS.length];
          return read(days === null ? { city: STANDING_CITIES.snapshot } : { city: STANDING_CITIES.snapshot, days });
        }),
        worker(15, (i) => read({ days: 200 + i })),
      ]);
      expect(runs).toBeGreaterThan(0);
      expect(answers).toHaveLength(60);
      expect(answers.filter((a) => a.status !== 200 || !ISO_Z.test(a.header ?? ''))).toEqual([]);
      expect(answers.filter((a) => a.standingAllTime && a.listed === 0)).toEqual([]);

      // A burst of 40 made-up combinations at once, with refreshes: each is answered in full, or refused with 429
      // (the live-query cap); never a 5xx, never an answer without its time.
      const burst = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) =>
          t
            .http()
            .get(RANK_PATH)
            .query({ days: 400 + i })
            .then((res) => res),
        ),
        refresher.refresh(),
        otherRefresher.refresh(),
      ]);
      const burstAnswers = burst.slice(0, 40) as Array<{ status: number; headers: Record<string, string> }>;
      expect(burstAnswers.filter((res) => !(res.status === 200 && ISO_Z.test(res.headers['x-rank-updated-at'] ?? '')) && res.status !== 429)).toEqual([]);
      expect(burstAnswers.filter((res) => res.status === 200).length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('RANK_REFRESH_CRON drives the refresh, and with two instances on one database it runs once per period', async () => {
    const cron = { RANK_REFRESH_CRON: '*/2 * * * * *' };
    const a = await createTestApp({ env: cron });
    let b: TestApp | undefined;
    try {
      b = await createTestApp({ databaseName: a.databaseName, env: { ...cron, JWT_SECRET: a.config.jwtSecret } });
      const boss = await registerUser(b);
      await makeFounder(b, boss.id);
      const earner = await registerUser(b);

      const before = await a.http().get(RANK_PATH);
      expect(before.status).toBe(200);
      expect(before.body.rank_list.map((e: RankEntry) => e.user.id)).not.toContain(earner.id);
      const granted = await b.http().post(`/api/v2/admin/currency/${earner.id}`).set(bearer(boss.token)).send({ amount: 77 });
      expect(granted.status).toBe(201);

      // No manual refresh: the schedule picks the new income up.
      let after = before;
      await waitFor('a scheduled refresh with the new income', async () => {
        after = await a.http().get(RANK_PATH);
        return after.body.rank_list.some((e: RankEntry) => e.user.id === earner.id);
      });
      expect(after.body.rank_list).toEqual([expect.objectContaining({ user: expect.objectContaining({ id: earner.id }), amount_count: 77, rank: '1' })]);
      // The header is the refresh's start time (a lower bound of what the snapshot contains), so it may stay in the
      // same second when a run was already under way; it never goes back.
      expect(after.headers['x-rank-updated-at']).toMatch(ISO_Z);
      expect(Date.parse(after.headers['x-rank-updated-at'])).toBeGreaterThanOrEqual(Date.parse(before.headers['x-rank-updated-at']));
      await waitFor('four scheduled runs', async () => (await a.db.query('SELECT count(*)::int AS n FROM income_rank_runs')).rows[0].n >= 4);

      // Passport's process-wide registry plays no part: the apps started last did not take over the `jwt` strategy,
      // so t's tokens still work on t (and on no other app).
      const me = await t.http().get('/api/v2/user').set(bearer(admin.token));
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(admin.id);
      expect((await b.http().get('/api/v2/user').set(bearer(admin.token))).status).toBe(401);
    } finally {
      await b?.close();
      await a.close();
    }

    const client = new Client({ connectionString: databaseUrl(a.databaseName) });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT extract(epoch FROM started_at)::float8 * 1000 AS ms FROM income_rank_runs ORDER BY started_at');
      const times: number[] = rows.map((r) => r.ms);
      // Never two runs in one 2-second period, whichever instance ran them: each starts at least half a period
      // after the one before (the guard of the refresh).
      expect(times.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(1000);
    } finally {
      await client.end();
    }
  });
});

/**
 * Issue 17: the standing windows' running totals (kept as income lands, rolled when the day changes) against a full
 * recomputation from the daily rows, with the app's clock moved by the test instead of waited for.
 */
describe('income ranking: running totals of the standing windows', () => {
  const DAY_MS = 86_400_000;
  const KEPT_DAYS = [1, 7, 30, 365];
  const CITY = '滚动';
  let now = Date.now();
  let t: TestApp;
  let admin: RegisteredUser;
  let refresher: IncomeRankRefresher;

  const today = () => new Date(now).toISOString().slice(0, 10);

  /** A small deterministic generator (the run is the same every time; a failure can be replayed). */
  function sequence(seed: number) {
    let state = seed;
    return (below: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 16) % below;
    };
  }

  async function grant(userId: number, amount: number): Promise<void> {
    const res = await t.http().post(`/api/v2/admin/currency/${userId}`).set(bearer(admin.token)).send({ amount });
    expect(res.status).toBe(201);
  }

  /** The ranking a full recomputation gives: live users by their daily rows of the window, then by id. */
  async function recomputed(days: number, city: string | null): Promise<Array<[number, number]>> {
    const { rows } = await t.db.query(
      `SELECT d.owner_id, sum(d.amount)::bigint AS amount FROM currency_income_daily d JOIN users u ON u.id = d.owner_id
        WHERE d.day > $1::date - $2::int AND u.disabled_at IS NULL AND u.cancelled_at IS NULL AND ($3::text IS NULL OR u.city = $3)
        GROUP BY d.owner_id HAVING sum(d.amount) > 0 ORDER BY sum(d.amount) DESC, d.owner_id`,
      [today(), days, city],
    );
    return rows.map((row) => [Number(row.owner_id), Number(row.amount)]);
  }

  beforeAll(async () => {
    t = await createTestApp({
      clock: () => new Date(now),
      env: { RANK_REFRESH_CRON: 'off', RANK_STANDING_CITIES: CITY, RANK_LIVE_TIMEOUT_MS: '30000' },
    });
    refresher = t.app.get(IncomeRankRefresher);
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
  });
  afterAll(async () => {
    await t.close();
  });

  it('equal a full recomputation after randomized income, day changes and disabled users; the ranking agrees', async () => {
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 8; i++) {
      const user = await registerUser(t);
      if (i % 2 === 0)
        expect(
          (
            await t
              .http()
              .patch('/api/v2/user')
              .set(bearer(user.token))
              .send({ location: `四川省 ${CITY}市` })
          ).status,
        ).toBe(204);
      users.push(user);
    }
    const disabled = new Set<number>();
    const next = sequence(17);
    const someone = () => users[next(users.length)];

    /** After a refresh: every standing window counted to today, equal to a recomputation, and so are the rankings. */
    async function expectCurrent(daysList: number[]): Promise<void> {
      const { rows: windows } = await t.db.query('SELECT days, as_of::text AS as_of FROM currency_income_window_days ORDER BY days');
      expect(windows).toEqual(KEPT_DAYS.map((days) => ({ days, as_of: today() })));
      expect(await incomeWindowMismatches(t.db)).toEqual([]);
      for (const days of daysList) {
        for (const city of [null, CITY]) {
          const res = await t
            .http()
            .get(RANK_PATH)
            .query(city ? { days, city, limit: 1000 } : { days, limit: 1000 });
          expect(res.status).toBe(200);
          const answered = (res.body as RankBody).rank_list.map((entry) => [entry.user.id, entry.amount_count]);
          expect({ days, city, answered }).toEqual({ days, city, answered: await recomputed(days, city) });
        }
      }
    }

    await grant(someone().id, 50);
    expect(await refresher.refresh()).toBe(true);
    let rolls = 0;
    for (let step = 0; step < 40; step++) {
      const action = next(10);
      if (action < 4) {
        await grant(someone().id, 1 + next(500));
      } else if (action < 6) {
        // Income landing while the windows roll to a new day: neither lost nor counted twice.
        now += DAY_MS * (1 + next(3));
        rolls++;
        await Promise.all([...Array.from({ length: 6 }, () => grant(someone().id, 1 + next(100))), refresher.refresh()]);
      } else if (action < 8) {
        now += DAY_MS * [1, 6, 29, 40, 400][next(5)];
        rolls++;
      } else if (action < 9) {
        const user = someone();
        const leave = !disabled.has(user.id);
        const res = await t.http()[leave ? 'put' : 'delete'](`/api/v2/system/disabled/${user.id}`).set(bearer(admin.token));
        expect(res.status).toBe(204);
        if (leave) disabled.add(user.id);
        else disabled.delete(user.id);
      } else {
        expect(await refresher.refresh()).toBe(true);
        await expectCurrent([KEPT_DAYS[next(KEPT_DAYS.length)]]);
      }
    }
    expect(rolls).toBeGreaterThan(5);
    expect(disabled.size).toBeGreaterThan(0);

    expect(await refresher.refresh()).toBe(true);
    await expectCurrent(KEPT_DAYS);
  });

  it('a new window is built a few owners at a time while income lands: nothing lost, nothing counted twice', async () => {
    const income = t.app.get(EarnedIncome);
    const earners: RegisteredUser[] = [];
    for (let i = 0; i < 6; i++) earners.push(await registerUser(t));
    for (const [i, earner] of earners.entries()) await grant(earner.id, 10 * (i + 1));
    for (let round = 0; round < 3; round++) {
      // No window yet (as on the first refresh after an upgrade): each is built two owner ids per step.
      await t.db.query('DELETE FROM currency_income_window_days');
      await t.db.query('DELETE FROM currency_income_windows');
      await Promise.all([income.keep(KEPT_DAYS, 2), ...earners.map((earner, i) => grant(earner.id, round + i + 1))]);
      expect(await incomeWindowMismatches(t.db)).toEqual([]);
      const { rows } = await t.db.query('SELECT days, as_of::text AS as_of, built_through FROM currency_income_window_days ORDER BY days');
      expect(rows).toEqual(KEPT_DAYS.map((days) => ({ days, as_of: today(), built_through: null })));
    }
  });

  it('a window nobody rolled for a week (no longer standing anywhere) is dropped with its totals', async () => {
    const earner = await registerUser(t);
    await grant(earner.id, 70);
    // Days 90, as another instance's standing set kept it until eight days ago.
    await t.db.query(`INSERT INTO currency_income_window_days (days, as_of) VALUES (90, $1::date - 8)`, [today()]);
    await t.db.query(
      `INSERT INTO currency_income_windows (days, owner_id, amount)
       SELECT 90, owner_id, sum(amount) FROM currency_income_daily WHERE day > $1::date - 98 GROUP BY owner_id HAVING sum(amount) > 0`,
      [today()],
    );
    expect(await incomeWindowMismatches(t.db)).toEqual([]);
    now += DAY_MS;
    expect(await refresher.refresh()).toBe(true);
    expect((await t.db.query('SELECT count(*)::int AS n FROM currency_income_windows WHERE days = 90')).rows[0].n).toBe(0);
    const { rows } = await t.db.query('SELECT days, as_of::text AS as_of FROM currency_income_window_days ORDER BY days');
    expect(rows).toEqual(KEPT_DAYS.map((days) => ({ days, as_of: today() })));
    expect(await incomeWindowMismatches(t.db)).toEqual([]);
  });
});
