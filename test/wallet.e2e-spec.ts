import { randomUUID } from 'node:crypto';
import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { earnedIncomeMismatches, ledgerMismatches } from './support/ledger-invariants';

jest.setTimeout(30_000);

/** mobile-api §8 (wallet / 钱包, money in integer 分), quality §3 (concurrency invariants, ledger = balance). */
describe('wallet (mobile-api §8)', () => {
  let t: TestApp;
  let admin: RegisteredUser;

  const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  const LEDGER_KEYS = ['amount', 'body', 'created_at', 'id', 'owner_id', 'state', 'target_id', 'target_type', 'title', 'type'];
  const UNKNOWN_ID = 987654321;
  const adminPath = (user: number | string) => `/api/v2/admin/wallet/${user}`;

  async function credit(userId: number, amount: number): Promise<void> {
    const res = await t.http().post(adminPath(userId)).set(bearer(admin.token)).send({ amount, title: '测试充值' });
    expect(res.status).toBe(201);
  }

  async function walletOf(userId: number): Promise<{ balance: number; total_income: number; total_expenses: number }> {
    const { rows } = await t.db.query('SELECT balance, total_income, total_expenses FROM wallets WHERE owner_id = $1', [userId]);
    return rows[0];
  }
  const balanceOf = async (userId: number) => (await walletOf(userId)).balance;

  async function pointsOf(userId: number): Promise<number> {
    const { rows } = await t.db.query('SELECT sum FROM user_currencies WHERE owner_id = $1', [userId]);
    return rows[0].sum;
  }

  async function walletLedgerOf(userId: number) {
    const { rows } = await t.db.query('SELECT * FROM wallet_ledger WHERE owner_id = $1 ORDER BY id', [userId]);
    return rows;
  }

  async function pointsLedgerOf(userId: number) {
    const { rows } = await t.db.query('SELECT * FROM currency_ledger WHERE owner_id = $1 ORDER BY id', [userId]);
    return rows;
  }

  function expectInteger(value: unknown): void {
    expect(typeof value).toBe('number');
    expect(Number.isSafeInteger(value)).toBe(true);
  }

  const transfer = (from: RegisteredUser, body: Record<string, unknown>) => t.http().post('/api/v2/plus-pay/transfer').set(bearer(from.token)).send(body);
  const transform = (user: RegisteredUser, body: Record<string, unknown>) => t.http().post('/api/v2/plus-pay/transform').set(bearer(user.token)).send(body);

  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off' } });
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/v2/admin/wallet/:user', () => {
    let u: RegisteredUser;
    beforeAll(async () => {
      u = await registerUser(t);
    });

    it('credits money: 201, an income row target_type "admin", running totals kept', async () => {
      const res = await t.http().post(adminPath(u.id)).set(bearer(admin.token)).send({ amount: 5000, title: '线下充值' });
      expect(res.status).toBe(201);
      expect(await walletOf(u.id)).toEqual({ balance: 5000, total_income: 5000, total_expenses: 0 });
      const rows = await walletLedgerOf(u.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type: 1, amount: 5000, target_type: 'admin', target_id: admin.id, title: '线下充值', state: 1 });
    });

    it('debits money with a negative amount: 201 and an expense row', async () => {
      const res = await t.http().post(adminPath(u.id)).set(bearer(admin.token)).send({ amount: -1200, title: '退款冲正' });
      expect(res.status).toBe(201);
      expect(await walletOf(u.id)).toEqual({ balance: 3800, total_income: 5000, total_expenses: 1200 });
      const rows = await walletLedgerOf(u.id);
      expect(rows[1]).toMatchObject({ type: -1, amount: 1200, target_type: 'admin', title: '退款冲正' });
    });

    it.each([
      ['amount 0', { amount: 0 }],
      ['a debit larger than the balance', { amount: -3801 }],
      ['amount 1.5', { amount: 1.5 }],
      ['amount "abc"', { amount: 'abc' }],
      ['no amount', { title: 'x' }],
    ])('%s → 422 and nothing written', async (_label, body) => {
      const before = await walletLedgerOf(u.id);
      const res = await t.http().post(adminPath(u.id)).set(bearer(admin.token)).send(body);
      expect(res.status).toBe(422);
      expect(await walletOf(u.id)).toEqual({ balance: 3800, total_income: 5000, total_expenses: 1200 });
      expect(await walletLedgerOf(u.id)).toEqual(before);
    });

    it('a normal user → 403, no token → 401, unknown user → 404; nothing written', async () => {
      const normal = await registerUser(t);
      const forbidden = await t.http().post(adminPath(normal.id)).set(bearer(normal.token)).send({ amount: 100000 });
      expect(forbidden.status).toBe(403);
      const anonymous = await t.http().post(adminPath(normal.id)).send({ amount: 100000 });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: 'Unauthenticated.' });
      expect(await balanceOf(normal.id)).toBe(0);
      expect(await walletLedgerOf(normal.id)).toEqual([]);
      const unknown = await t.http().post(adminPath(UNKNOWN_ID)).set(bearer(admin.token)).send({ amount: 10 });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '内容不存在' });
    });

    it('a repeated Idempotency-Key credits once', async () => {
      const key = `recharge-${randomUUID()}`;
      const responses = await Promise.all(
        Array.from({ length: 3 }, () => t.http().post(adminPath(u.id)).set(bearer(admin.token)).set('Idempotency-Key', key).send({ amount: 700 })),
      );
      for (const res of responses) {
        expect(res.status).toBe(201);
        expect(res.body).toEqual(responses[0].body);
      }
      expect(await balanceOf(u.id)).toBe(4500);
    });
  });

  describe('GET /api/v2/plus-pay/orders', () => {
    let owner: RegisteredUser;
    let other: RegisteredUser;

    beforeAll(async () => {
      [owner, other] = await Promise.all([registerUser(t), registerUser(t)]);
      await credit(owner.id, 1000);
      await credit(owner.id, 2000);
      const sent = await transfer(owner, { user: other.id, amount: 300 });
      expect(sent.status).toBe(201);
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().get('/api/v2/plus-pay/orders');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    });

    it('lists the own wallet ledger newest first, in the documented shape', async () => {
      const res = await t.http().get('/api/v2/plus-pay/orders').set(bearer(owner.token));
      expect(res.status).toBe(200);
      expect(res.body.map((r: { type: number; amount: number }) => [r.type, r.amount])).toEqual([
        [-1, 300],
        [1, 2000],
        [1, 1000],
      ]);
      for (const row of res.body) {
        expect(Object.keys(row).sort()).toEqual(LEDGER_KEYS);
        expect(row.owner_id).toBe(owner.id);
        expect(row.created_at).toMatch(ISO_Z);
        expectInteger(row.amount);
        expectInteger(row.id);
      }
      expect(res.body[0]).toMatchObject({ target_type: 'user', target_id: other.id, state: 1 });
    });

    it('pages with limit / after and filters with action', async () => {
      const all = (await t.http().get('/api/v2/plus-pay/orders').set(bearer(owner.token))).body;
      const page = await t.http().get(`/api/v2/plus-pay/orders?limit=1&after=${all[0].id}`).set(bearer(owner.token));
      expect(page.body).toEqual([all[1]]);
      const income = await t.http().get('/api/v2/plus-pay/orders?action=income').set(bearer(owner.token));
      expect(income.body).toEqual([all[1], all[2]]);
      const expenses = await t.http().get('/api/v2/plus-pay/orders?action=expenses').set(bearer(owner.token));
      expect(expenses.body).toEqual([all[0]]);
    });

    it('defaults to 20 rows and caps limit at 50', async () => {
      const q = await registerUser(t);
      const credits = await Promise.all(Array.from({ length: 55 }, () => t.http().post(adminPath(q.id)).set(bearer(admin.token)).send({ amount: 1 })));
      expect(credits.map((r) => r.status)).toEqual(Array(55).fill(201));
      expect((await t.http().get('/api/v2/plus-pay/orders').set(bearer(q.token))).body).toHaveLength(20);
      expect((await t.http().get('/api/v2/plus-pay/orders?limit=100').set(bearer(q.token))).body).toHaveLength(50);
      expect((await t.http().get('/api/v2/plus-pay/orders?limit=-1').set(bearer(q.token))).status).toBe(422);
    });

    it("never shows another user's rows (BOLA)", async () => {
      const ownerIds = (await walletLedgerOf(owner.id)).map((r) => r.id);
      for (const query of ['', `?after=${Math.max(...ownerIds) + 1}`, '?action=income', '?limit=50']) {
        const res = await t.http().get(`/api/v2/plus-pay/orders${query}`).set(bearer(other.token));
        expect(res.status).toBe(200);
        for (const row of res.body) {
          expect(row.owner_id).toBe(other.id);
          expect(ownerIds).not.toContain(row.id);
        }
      }
      const mine = await t.http().get('/api/v2/plus-pay/orders').set(bearer(other.token));
      expect(mine.body).toHaveLength(1);
      expect(mine.body[0]).toMatchObject({ type: 1, amount: 300, target_type: 'user', target_id: owner.id });
    });
  });

  describe('money is a JSON integer of 分', () => {
    it('a wallet of 9007199254740 分 reads back exactly from GET /user and the orders, as numbers', async () => {
      const rich = await registerUser(t);
      const payee = await registerUser(t);
      // Each request may move at most 10^12 分; nine of those plus the rest.
      for (let i = 0; i < 9; i++) await credit(rich.id, 1_000_000_000_000);
      await credit(rich.id, 7_199_254_740);
      expect(await balanceOf(rich.id)).toBe(9_007_199_254_740);

      const me = await t.http().get('/api/v2/user').set(bearer(rich.token));
      expect(me.status).toBe(200);
      expect(me.body.wallet).toEqual({ owner_id: rich.id, balance: 9_007_199_254_740, total_income: 9_007_199_254_740, total_expenses: 0 });
      expect(me.body.new_wallet).toEqual(me.body.wallet);
      expect(me.text).toContain('"balance":9007199254740');
      expectInteger(me.body.wallet.balance);

      const orders = await t.http().get('/api/v2/plus-pay/orders').set(bearer(rich.token));
      expect(orders.body[0].amount).toBe(7_199_254_740);
      expect(orders.text).toContain('"amount":7199254740');
      expect(orders.text).toContain('"amount":1000000000000');

      const big = await transfer(rich, { user: payee.id, amount: 999_999_999_999 });
      expect(big.status).toBe(201);
      const after = await t.http().get('/api/v2/user').set(bearer(rich.token));
      expect(after.body.wallet.balance).toBe(8_007_199_254_741);
      expect(after.body.wallet.total_expenses).toBe(999_999_999_999);
      expect(await balanceOf(payee.id)).toBe(999_999_999_999);
    });
  });

  describe('POST /api/v2/plus-pay/transfer', () => {
    let a: RegisteredUser;
    let b: RegisteredUser;
    beforeAll(async () => {
      [a, b] = await Promise.all([registerUser(t), registerUser(t)]);
      await credit(a.id, 1000);
    });

    it('moves money: 201 {"message":["转账成功"]}, a debit for the sender and a credit for the receiver', async () => {
      const res = await transfer(a, { user: b.id, amount: 250 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: ['转账成功'] });
      expect(await walletOf(a.id)).toEqual({ balance: 750, total_income: 1000, total_expenses: 250 });
      expect(await walletOf(b.id)).toEqual({ balance: 250, total_income: 250, total_expenses: 0 });
      expect((await walletLedgerOf(a.id)).pop()).toMatchObject({ type: -1, amount: 250, target_type: 'user', target_id: b.id });
      expect(await walletLedgerOf(b.id)).toEqual([expect.objectContaining({ type: 1, amount: 250, target_type: 'user', target_id: a.id })]);
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().post('/api/v2/plus-pay/transfer').send({ user: b.id, amount: 1 });
      expect(res.status).toBe(401);
    });

    it.each([
      ['to oneself', () => ({ user: a.id, amount: 10 }), undefined],
      ['more than the balance', () => ({ user: b.id, amount: 751 }), '转账金额超出账户余额'],
      ['to an unknown user', () => ({ user: UNKNOWN_ID, amount: 10 }), undefined],
      ['without a user', () => ({ amount: 10 }), undefined],
      ['with amount 0', () => ({ user: b.id, amount: 0 }), undefined],
      ['with amount -5', () => ({ user: b.id, amount: -5 }), undefined],
      ['with amount 1.5', () => ({ user: b.id, amount: 1.5 }), undefined],
      ['with amount "abc"', () => ({ user: b.id, amount: 'abc' }), undefined],
    ])('%s → 422 and nothing moves', async (_label, body, message) => {
      const res = await transfer(a, body());
      expect(res.status).toBe(422);
      expect(typeof res.body.message).toBe('string');
      if (message) expect(res.body.message).toBe(message);
      expect(await balanceOf(a.id)).toBe(750);
      expect(await balanceOf(b.id)).toBe(250);
    });
  });

  describe('POST /api/v2/plus-pay/transform', () => {
    let u: RegisteredUser;
    beforeAll(async () => {
      u = await registerUser(t);
      await credit(u.id, 500);
    });

    it('below TRANSFORM_MIN (100) → 422 and nothing moves', async () => {
      const res = await transform(u, { amount: 99 });
      expect(res.status).toBe(422);
      expect(await balanceOf(u.id)).toBe(500);
      expect(await pointsOf(u.id)).toBe(0);
    });

    it('201 {"message":["操作成功"]}: the wallet is debited, points credited with target_type "recharge"', async () => {
      const res = await transform(u, { amount: 150 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: ['操作成功'] });
      expect(await balanceOf(u.id)).toBe(350);
      expect(await pointsOf(u.id)).toBe(150);
      expect((await walletLedgerOf(u.id)).pop()).toMatchObject({ type: -1, amount: 150 });
      expect(await pointsLedgerOf(u.id)).toEqual([expect.objectContaining({ type: 1, amount: 150, target_type: 'recharge' })]);
      const currency = await t.http().get('/api/v2/currency').set(bearer(u.token));
      expect(currency.body).toMatchObject({ owner_id: u.id, type: 1, sum: 150, recharge_ratio: 1 });
    });

    it('more than the wallet holds → 422 and nothing moves', async () => {
      const res = await transform(u, { amount: 351 });
      expect(res.status).toBe(422);
      expect(await balanceOf(u.id)).toBe(350);
      expect(await pointsOf(u.id)).toBe(150);
    });
  });

  describe('concurrency (quality §3)', () => {
    it('20 parallel transfers each way (A→B and B→A at once): no 5xx, every one applied, total conserved', async () => {
      const [a, b] = await Promise.all([registerUser(t), registerUser(t)]);
      await credit(a.id, 1000);
      await credit(b.id, 1000);
      const responses = await Promise.all([
        ...Array.from({ length: 20 }, () => transfer(a, { user: b.id, amount: 37 })),
        ...Array.from({ length: 20 }, () => transfer(b, { user: a.id, amount: 53 })),
      ]);
      expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
      expect(await balanceOf(a.id)).toBe(1000 - 20 * 37 + 20 * 53);
      expect(await balanceOf(b.id)).toBe(1000 + 20 * 37 - 20 * 53);
      expect(await walletLedgerOf(a.id)).toHaveLength(1 + 40);
    });

    it('parallel transfers each way from scarce balances: only 201 or 422, never negative, total conserved', async () => {
      const [a, b] = await Promise.all([registerUser(t), registerUser(t)]);
      await credit(a.id, 100);
      await credit(b.id, 100);
      const responses = await Promise.all([
        ...Array.from({ length: 20 }, () => transfer(a, { user: b.id, amount: 30 })),
        ...Array.from({ length: 20 }, () => transfer(b, { user: a.id, amount: 30 })),
      ]);
      for (const res of responses) {
        expect([201, 422]).toContain(res.status);
        if (res.status === 422) expect(res.body.message).toBe('转账金额超出账户余额');
      }
      const okAtoB = responses.slice(0, 20).filter((r) => r.status === 201).length;
      const okBtoA = responses.slice(20).filter((r) => r.status === 201).length;
      expect(okAtoB).toBeGreaterThanOrEqual(3);
      expect(await balanceOf(a.id)).toBe(100 - 30 * okAtoB + 30 * okBtoA);
      expect((await balanceOf(a.id)) + (await balanceOf(b.id))).toBe(200);
    });

    it('a repeated Idempotency-Key (5 in parallel, then again) moves money once and answers like the first; another body → 422', async () => {
      const [a, b] = await Promise.all([registerUser(t), registerUser(t)]);
      await credit(a.id, 100);
      const key = `transfer-${randomUUID()}`;
      const send = (amount: number) => t.http().post('/api/v2/plus-pay/transfer').set(bearer(a.token)).set('Idempotency-Key', key).send({ user: b.id, amount });
      const parallel = await Promise.all(Array.from({ length: 5 }, () => send(25)));
      const again = await send(25);
      expect(parallel[0].status).toBe(201);
      expect(parallel[0].body).toEqual({ message: ['转账成功'] });
      for (const res of [...parallel, again]) {
        expect(res.status).toBe(parallel[0].status);
        expect(res.body).toEqual(parallel[0].body);
      }
      expect(await balanceOf(a.id)).toBe(75);
      expect(await balanceOf(b.id)).toBe(25);
      expect((await walletLedgerOf(a.id)).filter((r) => r.type === -1)).toHaveLength(1);
      expect(await walletLedgerOf(b.id)).toHaveLength(1);

      const otherBody = await send(26);
      expect(otherBody.status).toBe(422);
      expect(await balanceOf(a.id)).toBe(75);
      expect(await balanceOf(b.id)).toBe(25);
    });
  });

  describe('a second instance with RECHARGE_RATIO=10, TRANSFORM_MIN=50, PAY_VALIDATE_PASSWORD=true', () => {
    // Two Nest apps in one process share passport's global 'jwt' strategy (the last one created wins), so the second
    // instance uses the same JWT secret and stays open until the end of the file.
    let q: TestApp;
    beforeAll(async () => {
      q = await createTestApp({
        databaseName: t.databaseName,
        env: { RANK_REFRESH_CRON: 'off', RECHARGE_RATIO: '10', TRANSFORM_MIN: '50', PAY_VALIDATE_PASSWORD: 'true', JWT_SECRET: t.config.jwtSecret },
      });
    });
    afterAll(async () => {
      await q.close();
    });

    it('transform credits amount × RECHARGE_RATIO points and honours TRANSFORM_MIN', async () => {
      const u = await registerUser(q);
      await credit(u.id, 500);
      const currency = await q.http().get('/api/v2/currency').set(bearer(u.token));
      expect(currency.body.recharge_ratio).toBe(10);
      expect((await q.http().post('/api/v2/plus-pay/transform').set(bearer(u.token)).send({ amount: 49, password: u.password })).status).toBe(422);
      const res = await q.http().post('/api/v2/plus-pay/transform').set(bearer(u.token)).send({ amount: 50, password: u.password });
      expect(res.status).toBe(201);
      expect(await balanceOf(u.id)).toBe(450);
      expect(await pointsOf(u.id)).toBe(500);
      expect(await pointsLedgerOf(u.id)).toEqual([expect.objectContaining({ type: 1, amount: 500, target_type: 'recharge' })]);
    });

    it('transfer without or with a wrong password → 403 密码验证错误 and nothing moves; the right one works', async () => {
      const [a, b] = await Promise.all([registerUser(q), registerUser(q)]);
      await credit(a.id, 100);
      for (const body of [
        { user: b.id, amount: 10 },
        { user: b.id, amount: 10, password: 'not-my-password' },
      ]) {
        const res = await q.http().post('/api/v2/plus-pay/transfer').set(bearer(a.token)).send(body);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ message: '密码验证错误' });
      }
      expect(await balanceOf(a.id)).toBe(100);
      expect(await balanceOf(b.id)).toBe(0);
      const ok = await q.http().post('/api/v2/plus-pay/transfer').set(bearer(a.token)).send({ user: b.id, amount: 10, password: a.password });
      expect(ok.status).toBe(201);
      expect(await balanceOf(a.id)).toBe(90);
      expect(await balanceOf(b.id)).toBe(10);
    });
  });

  describe('ledger invariant (quality §3), after everything above', () => {
    it('for EVERY account: wallets.balance (and totals) = its wallet_ledger, user_currencies.sum = its currency_ledger', async () => {
      const { rows } = await t.db.query('SELECT (SELECT count(*) FROM wallets)::int AS accounts, (SELECT count(*) FROM wallet_ledger)::int AS entries');
      expect(rows[0].accounts).toBeGreaterThan(10);
      expect(rows[0].entries).toBeGreaterThan(100);
      expect(await ledgerMismatches(t.db)).toEqual([]);
      expect(await earnedIncomeMismatches(t.db)).toEqual([]);
    });
  });
});
