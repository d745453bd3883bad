import { randomUUID } from 'node:crypto';
import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { earnedIncomeMismatches, ledgerMismatches } from './support/ledger-invariants';

jest.setTimeout(30_000);

/** mobile-api §8 (points / 积分), quality §3 (concurrency invariants, ledger = balance). */
describe('points (currency, mobile-api §8)', () => {
  let t: TestApp;
  let admin: RegisteredUser;

  const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  const LEDGER_KEYS = ['amount', 'body', 'created_at', 'id', 'owner_id', 'state', 'target_id', 'target_type', 'title', 'type'];
  const UNKNOWN_ID = 987654321;

  const rewardPath = (target: number | string) => `/api/v2/user/${target}/new-rewards`;
  const adminPath = (user: number | string) => `/api/v2/admin/currency/${user}`;

  async function grant(userId: number, amount: number, app: TestApp = t, token = admin.token): Promise<void> {
    const res = await app.http().post(adminPath(userId)).set(bearer(token)).send({ amount, title: '测试发放' });
    expect(res.status).toBe(201);
  }

  async function pointsOf(userId: number): Promise<number> {
    const { rows } = await t.db.query('SELECT sum FROM user_currencies WHERE owner_id = $1', [userId]);
    return rows[0].sum;
  }

  async function ledgerOf(userId: number) {
    const { rows } = await t.db.query('SELECT * FROM currency_ledger WHERE owner_id = $1 ORDER BY id', [userId]);
    return rows;
  }

  function expectInteger(value: unknown): void {
    expect(typeof value).toBe('number');
    expect(Number.isSafeInteger(value)).toBe(true);
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off' } });
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET /api/v2/currency', () => {
    it('answers 401 Unauthenticated. without a token', async () => {
      const res = await t.http().get('/api/v2/currency');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    });

    it('returns {owner_id, type:1, sum, recharge_ratio} with integer numbers, following the balance (beside the settings keys, thinksns-compat §6)', async () => {
      const u = await registerUser(t);
      const before = await t.http().get('/api/v2/currency').set(bearer(u.token));
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ owner_id: u.id, type: 1, sum: 0, recharge_ratio: 1 });

      await grant(u.id, 321);
      const after = await t.http().get('/api/v2/currency').set(bearer(u.token));
      expect(after.body).toMatchObject({ owner_id: u.id, type: 1, sum: 321, recharge_ratio: 1 });
      expectInteger(after.body.sum);
      expect(after.text).toContain('"sum":321');
    });
  });

  describe('GET /api/v2/currency/orders', () => {
    let owner: RegisteredUser;
    let other: RegisteredUser;

    beforeAll(async () => {
      [owner, other] = await Promise.all([registerUser(t), registerUser(t)]);
      // Sequential so that the ids grow in this order: three incomes, then one expense.
      await grant(owner.id, 10);
      await grant(owner.id, 20);
      await grant(owner.id, 30);
      const reward = await t.http().post(rewardPath(other.id)).set(bearer(owner.token)).send({ amount: 5 });
      expect(reward.status).toBe(201);
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().get('/api/v2/currency/orders');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    });

    it('lists the own ledger rows newest first, with the documented shape and integer amounts', async () => {
      const res = await t.http().get('/api/v2/currency/orders').set(bearer(owner.token));
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(4);
      const ids = res.body.map((row: { id: number }) => row.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      for (const row of res.body) {
        expect(Object.keys(row).sort()).toEqual(LEDGER_KEYS);
        expect(row.owner_id).toBe(owner.id);
        expect(row.state).toBe(1);
        expect(row.created_at).toMatch(ISO_Z);
        expectInteger(row.id);
        expectInteger(row.amount);
      }
      expect(res.body.map((row: { type: number; amount: number }) => [row.type, row.amount])).toEqual([
        [-1, 5],
        [1, 30],
        [1, 20],
        [1, 10],
      ]);
      expect(res.body[0]).toMatchObject({ target_type: 'user', target_id: other.id });
      expect(res.body[1]).toMatchObject({ target_type: 'admin', target_id: admin.id, title: '测试发放' });
    });

    it('pages with limit and the `after` keyset', async () => {
      const all = (await t.http().get('/api/v2/currency/orders').set(bearer(owner.token))).body;
      const first = await t.http().get('/api/v2/currency/orders?limit=2').set(bearer(owner.token));
      expect(first.status).toBe(200);
      expect(first.body).toEqual(all.slice(0, 2));
      const second = await t.http().get(`/api/v2/currency/orders?limit=2&after=${first.body[1].id}`).set(bearer(owner.token));
      expect(second.body).toEqual(all.slice(2, 4));
      const none = await t.http().get(`/api/v2/currency/orders?after=${all[3].id}`).set(bearer(owner.token));
      expect(none.body).toEqual([]);
    });

    it('filters with action=income / action=expenses and rejects another action with 422', async () => {
      const income = await t.http().get('/api/v2/currency/orders?action=income').set(bearer(owner.token));
      expect(income.body.map((r: { amount: number }) => r.amount)).toEqual([30, 20, 10]);
      expect(income.body.every((r: { type: number }) => r.type === 1)).toBe(true);
      const expenses = await t.http().get('/api/v2/currency/orders?action=expenses').set(bearer(owner.token));
      expect(expenses.body).toHaveLength(1);
      expect(expenses.body[0]).toMatchObject({ type: -1, amount: 5 });
      const bad = await t.http().get('/api/v2/currency/orders?action=everything').set(bearer(owner.token));
      expect(bad.status).toBe(422);
    });

    it('defaults to 20 rows, caps limit at 50, and rejects limit=0 with 422', async () => {
      const q = await registerUser(t);
      const grants = await Promise.all(Array.from({ length: 55 }, () => t.http().post(adminPath(q.id)).set(bearer(admin.token)).send({ amount: 1 })));
      expect(grants.map((r) => r.status)).toEqual(Array(55).fill(201));
      const byDefault = await t.http().get('/api/v2/currency/orders').set(bearer(q.token));
      expect(byDefault.body).toHaveLength(20);
      const capped = await t.http().get('/api/v2/currency/orders?limit=1000').set(bearer(q.token));
      expect(capped.status).toBe(200);
      expect(capped.body).toHaveLength(50);
      expect((await t.http().get('/api/v2/currency/orders?limit=0').set(bearer(q.token))).status).toBe(422);
      expect((await t.http().get('/api/v2/currency/orders?limit=abc').set(bearer(q.token))).status).toBe(422);
    });

    it("never shows another user's rows (BOLA), whatever the `after` cursor", async () => {
      const ownerIds = (await ledgerOf(owner.id)).map((r) => r.id);
      for (const query of ['', '?limit=50', `?after=${Math.max(...ownerIds) + 1}`, '?action=expenses']) {
        const res = await t.http().get(`/api/v2/currency/orders${query}`).set(bearer(other.token));
        expect(res.status).toBe(200);
        for (const row of res.body) {
          expect(row.owner_id).toBe(other.id);
          expect(ownerIds).not.toContain(row.id);
        }
      }
      const mine = await t.http().get('/api/v2/currency/orders').set(bearer(other.token));
      expect(mine.body).toHaveLength(1);
      expect(mine.body[0]).toMatchObject({ owner_id: other.id, type: 1, amount: 5, target_type: 'user', target_id: owner.id });
    });
  });

  describe('POST /api/v2/admin/currency/:user', () => {
    let u: RegisteredUser;
    beforeAll(async () => {
      u = await registerUser(t);
    });

    it('grants points: 201, an income row target_type "admin" with the title and body', async () => {
      const res = await t.http().post(adminPath(u.id)).set(bearer(admin.token)).send({ amount: 250, title: '活动奖励', body: '国庆活动' });
      expect(res.status).toBe(201);
      expect(await pointsOf(u.id)).toBe(250);
      const rows = await ledgerOf(u.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type: 1, amount: 250, target_type: 'admin', target_id: admin.id, title: '活动奖励', body: '国庆活动', state: 1 });
    });

    it('deducts points with a negative amount: 201 and an expense row', async () => {
      const res = await t.http().post(adminPath(u.id)).set(bearer(admin.token)).send({ amount: -100, title: '违规扣除' });
      expect(res.status).toBe(201);
      expect(await pointsOf(u.id)).toBe(150);
      const rows = await ledgerOf(u.id);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({ type: -1, amount: 100, target_type: 'admin', title: '违规扣除' });
    });

    it.each([
      ['amount 0', { amount: 0 }],
      ['a deduction larger than the balance', { amount: -151 }],
      ['amount 1.5', { amount: 1.5 }],
      ['no amount', { title: 'x' }],
    ])('%s → 422 and nothing written', async (_label, body) => {
      const before = await ledgerOf(u.id);
      const res = await t.http().post(adminPath(u.id)).set(bearer(admin.token)).send(body);
      expect(res.status).toBe(422);
      expect(typeof res.body.message).toBe('string');
      expect(await pointsOf(u.id)).toBe(150);
      expect(await ledgerOf(u.id)).toEqual(before);
    });

    it('a normal user → 403, no token → 401, unknown user → 404; nothing written', async () => {
      const normal = await registerUser(t);
      const forbidden = await t.http().post(adminPath(normal.id)).set(bearer(normal.token)).send({ amount: 1000 });
      expect(forbidden.status).toBe(403);
      const anonymous = await t.http().post(adminPath(normal.id)).send({ amount: 1000 });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: 'Unauthenticated.' });
      expect(await pointsOf(normal.id)).toBe(0);
      expect(await ledgerOf(normal.id)).toEqual([]);
      const unknown = await t.http().post(adminPath(UNKNOWN_ID)).set(bearer(admin.token)).send({ amount: 10 });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '内容不存在' });
    });
  });

  describe('POST /api/v2/user/:target/new-rewards', () => {
    let payer: RegisteredUser;
    let payee: RegisteredUser;
    beforeAll(async () => {
      [payer, payee] = await Promise.all([registerUser(t), registerUser(t)]);
      await grant(payer.id, 100);
    });

    it('moves points: 201 打赏成功, an expense for the payer and an income target_type "user" for the target', async () => {
      const res = await t.http().post(rewardPath(payee.id)).set(bearer(payer.token)).send({ amount: 40 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: '打赏成功' });
      expect(await pointsOf(payer.id)).toBe(60);
      expect(await pointsOf(payee.id)).toBe(40);
      const [income] = await ledgerOf(payee.id);
      expect(income).toMatchObject({ type: 1, amount: 40, target_type: 'user', target_id: payer.id });
      const expense = (await ledgerOf(payer.id)).pop();
      expect(expense).toMatchObject({ type: -1, amount: 40, target_type: 'user', target_id: payee.id });
      const view = await t.http().get(`/api/v2/users/${payee.id}`);
      expect(view.body.extra.be_reward_count).toBe(1);
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().post(rewardPath(payee.id)).send({ amount: 1 });
      expect(res.status).toBe(401);
    });

    it('refuses to reward oneself: 422 用户不能打赏自己', async () => {
      const res = await t.http().post(rewardPath(payer.id)).set(bearer(payer.token)).send({ amount: 1 });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('用户不能打赏自己');
      expect(await pointsOf(payer.id)).toBe(60);
    });

    it('answers 403 余额不足 when the balance is short, and moves nothing', async () => {
      const before = await ledgerOf(payer.id);
      const res = await t.http().post(rewardPath(payee.id)).set(bearer(payer.token)).send({ amount: 61 });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: '余额不足' });
      expect(await pointsOf(payer.id)).toBe(60);
      expect(await pointsOf(payee.id)).toBe(40);
      expect(await ledgerOf(payer.id)).toEqual(before);
    });

    it.each([
      ['0', 0],
      ['-1', -1],
      ['1.5', 1.5],
      ['"abc"', 'abc'],
      ['null', null],
    ])('amount %s → 422 and nothing moves', async (_label, amount) => {
      const res = await t.http().post(rewardPath(payee.id)).set(bearer(payer.token)).send({ amount });
      expect(res.status).toBe(422);
      expect(res.body.errors).toHaveProperty('amount');
      expect(await pointsOf(payer.id)).toBe(60);
      expect(await pointsOf(payee.id)).toBe(40);
    });

    it('answers 404 for an unknown target', async () => {
      const res = await t.http().post(rewardPath(UNKNOWN_ID)).set(bearer(payer.token)).send({ amount: 1 });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '内容不存在' });
      expect(await pointsOf(payer.id)).toBe(60);
    });
  });

  describe('concurrency (quality §3)', () => {
    it('50 parallel 100-point rewards from a 1,000 balance: exactly 10 succeed, 40 get 403, balance 0, 10 expense rows', async () => {
      const [payer, payee] = await Promise.all([registerUser(t), registerUser(t)]);
      await grant(payer.id, 1000);
      const responses = await Promise.all(Array.from({ length: 50 }, () => t.http().post(rewardPath(payee.id)).set(bearer(payer.token)).send({ amount: 100 })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 403)).toHaveLength(40);
      for (const res of responses.filter((r) => r.status === 403)) expect(res.body).toEqual({ message: '余额不足' });

      expect(await pointsOf(payer.id)).toBe(0);
      expect(await pointsOf(payee.id)).toBe(1000);
      const expenses = (await ledgerOf(payer.id)).filter((r) => r.type === -1);
      expect(expenses).toHaveLength(10);
      expect(expenses.every((r) => r.amount === 100 && r.target_id === payee.id)).toBe(true);
      expect((await ledgerOf(payee.id)).filter((r) => r.type === 1)).toHaveLength(10);
      const own = await t.http().get('/api/v2/currency').set(bearer(payer.token));
      expect(own.body.sum).toBe(0);
    });

    it('parallel rewards in both directions between two users never 5xx and conserve the total', async () => {
      const [a, b] = await Promise.all([registerUser(t), registerUser(t)]);
      await grant(a.id, 300);
      await grant(b.id, 300);
      const responses = await Promise.all([
        ...Array.from({ length: 20 }, () => t.http().post(rewardPath(b.id)).set(bearer(a.token)).send({ amount: 30 })),
        ...Array.from({ length: 20 }, () => t.http().post(rewardPath(a.id)).set(bearer(b.token)).send({ amount: 30 })),
      ]);
      for (const res of responses) expect([201, 403]).toContain(res.status);
      const okAtoB = responses.slice(0, 20).filter((r) => r.status === 201).length;
      const okBtoA = responses.slice(20).filter((r) => r.status === 201).length;
      expect(await pointsOf(a.id)).toBe(300 - 30 * okAtoB + 30 * okBtoA);
      expect((await pointsOf(a.id)) + (await pointsOf(b.id))).toBe(600);
    });

    it('a repeated Idempotency-Key (5 in parallel, then again) moves points once and answers like the first; another body → 422', async () => {
      const [payer, payee] = await Promise.all([registerUser(t), registerUser(t)]);
      await grant(payer.id, 500);
      const key = `reward-${randomUUID()}`;
      const send = (amount: number, target = payee.id) =>
        t.http().post(rewardPath(target)).set(bearer(payer.token)).set('Idempotency-Key', key).send({ amount });

      const parallel = await Promise.all(Array.from({ length: 5 }, () => send(70)));
      const again = await send(70);
      const first = parallel[0];
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ message: '打赏成功' });
      for (const res of [...parallel, again]) {
        expect(res.status).toBe(first.status);
        expect(res.body).toEqual(first.body);
      }
      expect(await pointsOf(payer.id)).toBe(430);
      expect(await pointsOf(payee.id)).toBe(70);
      expect((await ledgerOf(payer.id)).filter((r) => r.type === -1)).toHaveLength(1);
      expect(await ledgerOf(payee.id)).toHaveLength(1);

      const otherBody = await send(71);
      expect(otherBody.status).toBe(422);
      const other = await registerUser(t);
      const otherTarget = await send(70, other.id);
      expect(otherTarget.status).toBe(422);
      expect(await pointsOf(payer.id)).toBe(430);
      expect(await pointsOf(other.id)).toBe(0);

      // A new key is a new payment.
      const fresh = await t.http().post(rewardPath(payee.id)).set(bearer(payer.token)).set('Idempotency-Key', `reward-${randomUUID()}`).send({ amount: 70 });
      expect(fresh.status).toBe(201);
      expect(await pointsOf(payer.id)).toBe(360);
    });
  });

  describe('PAY_VALIDATE_PASSWORD=true (a second instance on the same database)', () => {
    // Two Nest apps in one process share passport's global 'jwt' strategy (the last one created wins), so the second
    // instance uses the same JWT secret and stays open until the end of the file.
    let p: TestApp;
    beforeAll(async () => {
      p = await createTestApp({
        databaseName: t.databaseName,
        env: { PAY_VALIDATE_PASSWORD: 'true', RANK_REFRESH_CRON: 'off', JWT_SECRET: t.config.jwtSecret },
      });
    });
    afterAll(async () => {
      await p.close();
    });

    it('a missing or wrong password → 403 密码验证错误 and nothing moves; the right one works', async () => {
      const [from, to] = await Promise.all([registerUser(p), registerUser(p)]);
      await grant(from.id, 50);
      for (const body of [{ amount: 20 }, { amount: 20, password: 'wrong-password' }, { amount: 20, password: '' }]) {
        const res = await p.http().post(rewardPath(to.id)).set(bearer(from.token)).send(body);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ message: '密码验证错误' });
      }
      expect(await pointsOf(from.id)).toBe(50);
      expect(await pointsOf(to.id)).toBe(0);
      expect(await ledgerOf(to.id)).toEqual([]);

      const ok = await p.http().post(rewardPath(to.id)).set(bearer(from.token)).send({ amount: 20, password: from.password });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ message: '打赏成功' });
      expect(await pointsOf(from.id)).toBe(30);
      expect(await pointsOf(to.id)).toBe(20);
    });
  });

  describe('ledger invariant (quality §3), after everything above', () => {
    it('afterwards, for EVERY account: user_currencies.sum = its ledger (income − expense), wallets = their ledger, and the earned aggregates agree', async () => {
      const { rows } = await t.db.query(
        'SELECT (SELECT count(*) FROM user_currencies)::int AS accounts, (SELECT count(*) FROM currency_ledger)::int AS entries',
      );
      expect(rows[0].accounts).toBeGreaterThan(10);
      expect(rows[0].entries).toBeGreaterThan(50);
      expect(await ledgerMismatches(t.db)).toEqual([]);
      expect(await earnedIncomeMismatches(t.db)).toEqual([]);
    });
  });
});
