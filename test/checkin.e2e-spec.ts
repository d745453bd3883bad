import { cstDay, dayBefore } from '../src/checkin/checkin-day';
import { bearer, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { earnedIncomeMismatches, ledgerMismatches } from './support/ledger-invariants';

jest.setTimeout(60_000);

const POINTS = 5;

/** thinksns-compat §6: daily check-in (China Standard Time day), consecutive days, the check-in rank. */
describe('check-in (thinksns-compat §6)', () => {
  let t: TestApp;

  // The H5 client (page/checkin/CheckIn.vue) reads GET /user/checkin and sends PUT /user/checkin/currency with an
  // (accidental) axios config object as its body.
  const status = (u: RegisteredUser) => t.http().get('/api/v2/user/checkin').set(bearer(u.token));
  const checkIn = (u: RegisteredUser) => t.http().put('/api/v2/user/checkin/currency').set(bearer(u.token)).send({});
  const extraOf = async (id: number) => (await t.db.query('SELECT checkin_count, last_checkin_count FROM user_extras WHERE user_id = $1', [id])).rows[0];
  const checkinRowsOf = async (id: number) => (await t.db.query(`SELECT * FROM currency_ledger WHERE owner_id = $1 AND target_type = 'checkin'`, [id])).rows;

  /** A check-in `daysAgo` CST days back, written as the service would have written it then. */
  async function checkedInBefore(u: RegisteredUser, daysAgo: number, streak: number): Promise<void> {
    let day = cstDay(new Date());
    for (let i = 0; i < daysAgo; i++) day = dayBefore(day);
    await t.db.query('INSERT INTO checkin_days (user_id, day, amount, streak) VALUES ($1, $2, 1, $3)', [u.id, day, streak]);
    await t.db.query('UPDATE user_extras SET checkin_count = $2, last_checkin_count = $3 WHERE user_id = $1', [u.id, streak, streak]);
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off', CHECKIN_POINTS: String(POINTS) } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /user/checkin before the first check-in: the keys the client reads, CHECKIN_POINTS as attach_balance', async () => {
    const u = await registerUser(t);
    const res = await status(u);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['attach_balance', 'checked_in', 'checkin_count', 'last_checkin_count', 'rank_users']);
    expect(res.body).toMatchObject({ checked_in: false, checkin_count: 0, last_checkin_count: 0, attach_balance: POINTS });
    expect(Array.isArray(res.body.rank_users)).toBe(true);
    expect((await t.http().get('/api/v2/user/checkin')).status).toBe(401);
  });

  it('PUT /user/checkin/currency: 204, earned points through the ledger, counts up; a second call 422 已签到，请勿重复签到', async () => {
    const u = await registerUser(t);
    expect((await checkIn(u)).status).toBe(204);
    const res = await status(u);
    expect(res.body).toMatchObject({ checked_in: true, checkin_count: 1, last_checkin_count: 1 });
    expect(res.body.rank_users.map((r: { id: number }) => r.id)).toContain(u.id);
    const [row] = await checkinRowsOf(u.id);
    expect(row).toMatchObject({ type: 1, amount: POINTS, state: 1, title: '签到获得奖励' });
    const { rows } = await t.db.query('SELECT sum, earned_total FROM user_currencies WHERE owner_id = $1', [u.id]);
    expect(rows[0]).toEqual({ sum: POINTS, earned_total: POINTS });

    const again = await checkIn(u);
    expect(again.status).toBe(422);
    expect(again.body.message).toBe('已签到，请勿重复签到');
    expect(await checkinRowsOf(u.id)).toHaveLength(1);
    expect(await extraOf(u.id)).toEqual({ checkin_count: 1, last_checkin_count: 1 });
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await earnedIncomeMismatches(t.db)).toEqual([]);
  });

  it('the granted points count as earned income: the user enters /ranks/income', async () => {
    const u = await registerUser(t);
    expect((await checkIn(u)).status).toBe(204);
    const ranks = await t.http().get('/api/v2/ranks/income?limit=50');
    expect(ranks.body.map((r: { id: number }) => r.id)).toContain(u.id);
  });

  it('20 parallel check-ins grant once', async () => {
    const u = await registerUser(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => checkIn(u)));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status === 422)).toHaveLength(19);
    expect(await checkinRowsOf(u.id)).toHaveLength(1);
    expect(await extraOf(u.id)).toEqual({ checkin_count: 1, last_checkin_count: 1 });
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await earnedIncomeMismatches(t.db)).toEqual([]);
  });

  it('consecutive days: yesterday (CST) continues the streak, an older check-in starts a new one', async () => {
    const streaking = await registerUser(t);
    await checkedInBefore(streaking, 1, 3);
    expect((await checkIn(streaking)).status).toBe(204);
    expect(await extraOf(streaking.id)).toEqual({ checkin_count: 4, last_checkin_count: 4 });

    const lapsed = await registerUser(t);
    await checkedInBefore(lapsed, 2, 6);
    expect((await checkIn(lapsed)).status).toBe(204);
    expect(await extraOf(lapsed.id)).toEqual({ checkin_count: 7, last_checkin_count: 1 });
    const res = await status(lapsed);
    expect(res.body).toMatchObject({ checked_in: true, checkin_count: 7, last_checkin_count: 1 });
  });

  it('GET /checkin-ranks: most check-ins first, extra.rank and extra.count, limit / offset, guests too', async () => {
    const [a, b] = [await registerUser(t), await registerUser(t)];
    await checkedInBefore(a, 3, 900);
    await checkedInBefore(b, 3, 800);
    // The H5 client's request: /checkin-ranks?limit=15 (and offset when it pages).
    const res = await t.http().get('/api/v2/checkin-ranks?limit=15').set(bearer(a.token));
    expect(res.status).toBe(200);
    expect(res.body.slice(0, 2).map((u: { id: number; extra: { rank: number; count: number } }) => [u.id, u.extra.rank, u.extra.count])).toEqual([
      [a.id, 1, 900],
      [b.id, 2, 800],
    ]);
    expect(res.body[0].extra.checkin_count).toBe(900);
    const counts = res.body.map((u: { extra: { count: number } }) => u.extra.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const second = await t.http().get('/api/v2/checkin-ranks?limit=1&offset=1');
    expect(second.status).toBe(200);
    expect(second.body.map((u: { id: number; extra: { rank: number } }) => [u.id, u.extra.rank])).toEqual([[b.id, 2]]);
    expect((await t.http().get('/api/v2/checkin-ranks?limit=abc')).status).toBe(422);
  });
});

describe('check-in switched off (CHECKIN_POINTS=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off', CHECKIN_POINTS: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('announces it and refuses check-ins (403 签到已关闭), writing nothing', async () => {
    const u = await registerUser(t);
    const boot = await t.http().get('/api/v2/bootstrappers');
    expect(boot.body.checkin).toEqual({ switch: false, balance: 0 });
    const res = await t.http().put('/api/v2/user/checkin/currency').set(bearer(u.token)).send({});
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('签到已关闭');
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM checkin_days WHERE user_id = $1', [u.id]);
    expect(rows[0].n).toBe(0);
  });
});
