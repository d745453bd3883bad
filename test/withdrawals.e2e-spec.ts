import { randomUUID } from 'node:crypto';
import { bearer, makeFounder, registerAdmin, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { earnedIncomeMismatches, ledgerMismatches } from './support/ledger-invariants';

jest.setTimeout(60_000);

/** thinksns-compat §6: withdrawals of points and wallet money, held at once, reviewed once by an admin. */
describe('withdrawals (thinksns-compat §6)', () => {
  let t: TestApp;
  let admin: RegisteredUser;

  const grantPoints = async (user: RegisteredUser, amount: number) =>
    expect((await t.http().post(`/api/v2/admin/currency/${user.id}`).set(bearer(admin.token)).send({ amount })).status).toBe(201);
  const grantMoney = async (user: RegisteredUser, amount: number) =>
    expect((await t.http().post(`/api/v2/admin/wallet/${user.id}`).set(bearer(admin.token)).send({ amount })).status).toBe(201);
  const pointsOf = async (id: number) => (await t.db.query('SELECT sum FROM user_currencies WHERE owner_id = $1', [id])).rows[0].sum;
  const moneyOf = async (id: number) => (await t.db.query('SELECT balance FROM wallets WHERE owner_id = $1', [id])).rows[0].balance;
  const withdrawalsOf = async (id: number) => (await t.db.query('SELECT * FROM withdrawals WHERE user_id = $1 ORDER BY id', [id])).rows;
  const pointsLedgerOf = async (id: number) => (await t.db.query('SELECT * FROM currency_ledger WHERE owner_id = $1 ORDER BY id', [id])).rows;
  const moneyLedgerOf = async (id: number) => (await t.db.query('SELECT * FROM wallet_ledger WHERE owner_id = $1 ORDER BY id', [id])).rows;
  // The H5 client's request shapes (src/api/currency.js, wallet.js).
  const cashPoints = (user: RegisteredUser, body: Record<string, unknown>) => t.http().post('/api/v2/currency/cash').set(bearer(user.token)).send(body);
  const cashMoney = (user: RegisteredUser, body: Record<string, unknown>) => t.http().post('/api/v2/plus-pay/cashes').set(bearer(user.token)).send(body);
  const approve = (id: number, who = admin) => t.http().patch(`/api/v2/admin/withdrawals/${id}/approve`).set(bearer(who.token)).send({});
  const reject = (id: number, reason = '账户信息有误', who = admin) =>
    t.http().patch(`/api/v2/admin/withdrawals/${id}/reject`).set(bearer(who.token)).send({ reason });

  async function expectLedgersHold(): Promise<void> {
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await earnedIncomeMismatches(t.db)).toEqual([]);
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off' } });
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /currency/cash (points)', () => {
    it('holds the amount at once: 201, balance down, a pending expense row target_type "cash", a pending request', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 500);
      const res = await cashPoints(u, { amount: 300 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: ['积分提取申请已提交，请等待审核'] });
      expect(await pointsOf(u.id)).toBe(200);
      const rows = await pointsLedgerOf(u.id);
      expect(rows[1]).toMatchObject({ type: -1, amount: 300, target_type: 'cash', state: 0, title: '积分提取' });
      const [w] = await withdrawalsOf(u.id);
      expect(w).toMatchObject({ book: 'points', amount: 300, state: 0, hold_entry_id: rows[1].id });
      await expectLedgersHold();
    });

    it('below CURRENCY_CASH_MIN, above the balance, not an integer: 422 with the original messages, nothing written', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 150);
      const low = await cashPoints(u, { amount: 99 });
      expect(low.status).toBe(422);
      expect(low.body.message).toBe('最低提现金额为：“100”');
      const over = await cashPoints(u, { amount: 151 });
      expect(over.status).toBe(422);
      expect(over.body.message).toBe('账户积分余额不足或超出最大提现限制');
      for (const amount of [100.5, '1e3', -100, null]) expect((await cashPoints(u, { amount })).status).toBe(422);
      expect(await pointsOf(u.id)).toBe(150);
      expect(await withdrawalsOf(u.id)).toEqual([]);
      await expectLedgersHold();
    });

    it('a repeat with the same Idempotency-Key holds once and answers the same', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 1000);
      const key = randomUUID();
      const first = await cashPoints(u, { amount: 200 }).set('Idempotency-Key', key);
      const again = await cashPoints(u, { amount: 200 }).set('Idempotency-Key', key);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      expect(await withdrawalsOf(u.id)).toHaveLength(1);
      expect(await pointsOf(u.id)).toBe(800);
    });

    it('20 parallel withdrawals against one balance: exactly as many as it covers, never below zero', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 1000);
      const results = await Promise.all(Array.from({ length: 20 }, () => cashPoints(u, { amount: 150 })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(6);
      expect(statuses.filter((s) => s === 422)).toHaveLength(14);
      expect(await pointsOf(u.id)).toBe(100);
      expect(await withdrawalsOf(u.id)).toHaveLength(6);
      await expectLedgersHold();
    });

    it('needs a token (401)', async () => {
      expect((await t.http().post('/api/v2/currency/cash').send({ amount: 100 })).status).toBe(401);
    });
  });

  describe('POST /plus-pay/cashes and GET /plus-pay/cashes (wallet)', () => {
    it('holds the money: 201 {message:["提交申请成功"]}, a pending "withdraw" row; the list shows it in the original keys', async () => {
      const u = await registerUser(t);
      await grantMoney(u, 5000);
      const res = await cashMoney(u, { amount: 1200, type: 'alipay', account: 'me@example.com' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: ['提交申请成功'] });
      expect(await moneyOf(u.id)).toBe(3800);
      const rows = await moneyLedgerOf(u.id);
      expect(rows[1]).toMatchObject({ type: -1, amount: 1200, target_type: 'withdraw', state: 0 });
      const list = await t.http().get('/api/v2/plus-pay/cashes').query({ limit: 15 }).set(bearer(u.token));
      expect(list.status).toBe(200);
      expect(list.body).toHaveLength(1);
      expect(Object.keys(list.body[0]).sort()).toEqual(['account', 'created_at', 'id', 'remark', 'status', 'type', 'value']);
      expect(list.body[0]).toMatchObject({ value: 1200, type: 'alipay', account: 'me@example.com', status: 0, remark: null });
      await expectLedgersHold();
    });

    it('takes the original `value` too; pages with `after`; shows only the own requests', async () => {
      const u = await registerUser(t);
      const other = await registerUser(t);
      await grantMoney(u, 5000);
      await grantMoney(other, 5000);
      expect((await cashMoney(u, { value: 100, type: 'alipay', account: 'a' })).status).toBe(201);
      expect((await cashMoney(u, { value: 200, type: 'alipay', account: 'a' })).status).toBe(201);
      expect((await cashMoney(other, { amount: 300, type: 'alipay', account: 'b' })).status).toBe(201);
      const first = await t.http().get('/api/v2/plus-pay/cashes?limit=1').set(bearer(u.token));
      expect(first.body.map((c: { value: number }) => c.value)).toEqual([200]);
      const next = await t.http().get(`/api/v2/plus-pay/cashes?limit=15&after=${first.body[0].id}`).set(bearer(u.token));
      expect(next.body.map((c: { value: number }) => c.value)).toEqual([100]);
    });

    it('refuses a payout type outside WALLET_CASH_TYPES, a missing account, too little, more than the balance: 422, nothing held', async () => {
      const u = await registerUser(t);
      await grantMoney(u, 500);
      const type = await cashMoney(u, { amount: 200, type: 'bank', account: 'x' });
      expect(type.status).toBe(422);
      expect(type.body.message).toBe('你选择的提现方式不支持');
      expect((await cashMoney(u, { amount: 200, type: 'alipay' })).status).toBe(422);
      const low = await cashMoney(u, { amount: 99, type: 'alipay', account: 'x' });
      expect(low.body.message).toBe('输入的提现金额不足最低提现金额要求');
      const over = await cashMoney(u, { amount: 501, type: 'alipay', account: 'x' });
      expect(over.status).toBe(422);
      expect(over.body.message).toBe('提现金额超出账户余额');
      expect(await moneyOf(u.id)).toBe(500);
      expect(await withdrawalsOf(u.id)).toEqual([]);
    });

    it('parallel withdrawals against one wallet never take it below zero', async () => {
      const u = await registerUser(t);
      await grantMoney(u, 1000);
      const results = await Promise.all(Array.from({ length: 12 }, () => cashMoney(u, { amount: 300, type: 'alipay', account: 'x' })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(await moneyOf(u.id)).toBe(100);
      await expectLedgersHold();
    });
  });

  describe('admin review (/api/v2/admin/withdrawals)', () => {
    it('lists and filters by state, book and user (admin:withdrawal:review); others get 403', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 1000);
      await grantMoney(u, 1000);
      expect((await cashPoints(u, { amount: 100 })).status).toBe(201);
      expect((await cashMoney(u, { amount: 100, type: 'alipay', account: 'x' })).status).toBe(201);
      const all = await t.http().get(`/api/v2/admin/withdrawals?user=${u.id}`).set(bearer(admin.token));
      expect(all.status).toBe(200);
      expect(all.body.map((w: { book: string }) => w.book)).toEqual(['money', 'points']);
      expect(all.body[0]).toMatchObject({ user_id: u.id, amount: 100, value: 100, status: 0, reviewer_id: null, reviewed_at: null });
      const points = await t.http().get(`/api/v2/admin/withdrawals?user=${u.id}&book=points&state=0`).set(bearer(admin.token));
      expect(points.body.map((w: { book: string }) => w.book)).toEqual(['points']);
      const none = await t.http().get(`/api/v2/admin/withdrawals?user=${u.id}&state=1`).set(bearer(admin.token));
      expect(none.body).toEqual([]);
      expect((await t.http().get('/api/v2/admin/withdrawals').set(bearer(u.token))).status).toBe(403);
      const reviewer = await registerAdmin(t, ['admin:withdrawal:review']);
      expect((await t.http().get('/api/v2/admin/withdrawals').set(bearer(reviewer.token))).status).toBe(200);
      expect((await t.http().get('/api/v2/admin/withdrawals?state=7').set(bearer(admin.token))).status).toBe(422);
    });

    it('approve: 204, the hold settles (state 1), the points stay spent and land in the wallet, audited; a second decision 409', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 500);
      await cashPoints(u, { amount: 300 });
      const [w] = await withdrawalsOf(u.id);
      expect((await approve(w.id)).status).toBe(204);
      // The original's 积分提取: approved points go into the wallet at RECHARGE_RATIO (1 point = 1 分 here).
      expect(await moneyOf(u.id)).toBe(300);
      expect((await moneyLedgerOf(u.id)).map((r) => [r.type, r.amount, r.target_type, r.title, Number(r.target_id)])).toEqual([
        [1, 300, 'cash', '积分提现', Number(w.id)],
      ]);
      const [after] = await withdrawalsOf(u.id);
      expect(after).toMatchObject({ state: 1, reviewer_id: admin.id });
      const hold = (await pointsLedgerOf(u.id)).find((r) => r.id === w.hold_entry_id);
      expect(hold.state).toBe(1);
      expect(await pointsOf(u.id)).toBe(200);
      expect((await approve(w.id)).status).toBe(409);
      expect((await reject(w.id)).status).toBe(409);
      expect(await pointsOf(u.id)).toBe(200);
      expect(await moneyOf(u.id)).toBe(300);
      const audit = await t.db.query(`SELECT action, summary FROM admin_audit_log WHERE target_id = $1 AND action LIKE 'withdrawal.%'`, [u.id]);
      expect(audit.rows).toEqual([{ action: 'withdrawal.approve', summary: { withdrawal: Number(w.id), book: 'points', amount: 300, reason: null } }]);
      await expectLedgersHold();
    });

    it('reject: 204, the amount comes back as an income row (not counted as earned), the reason reaches the owner', async () => {
      const u = await registerUser(t);
      await grantMoney(u, 2000);
      await cashMoney(u, { amount: 1500, type: 'alipay', account: 'x' });
      const [w] = await withdrawalsOf(u.id);
      expect((await reject(w.id, '支付宝账户不存在')).status).toBe(204);
      expect(await moneyOf(u.id)).toBe(2000);
      const rows = await moneyLedgerOf(u.id);
      expect(rows.find((r) => r.id === w.hold_entry_id).state).toBe(-1);
      expect(rows[rows.length - 1]).toMatchObject({ type: 1, amount: 1500, target_type: 'withdraw', target_id: w.id, state: 1, title: '提现退回' });
      const own = await t.http().get('/api/v2/plus-pay/cashes').set(bearer(u.token));
      expect(own.body[0]).toMatchObject({ status: 2, remark: '支付宝账户不存在' });

      const p = await registerUser(t);
      await grantPoints(p, 400);
      await cashPoints(p, { amount: 400 });
      const [pw] = await withdrawalsOf(p.id);
      expect((await reject(pw.id)).status).toBe(204);
      expect(await pointsOf(p.id)).toBe(400);
      const earned = await t.db.query('SELECT earned_total FROM user_currencies WHERE owner_id = $1', [p.id]);
      expect(earned.rows[0].earned_total).toBe(400); // the grant only: the returned hold is not income
      await expectLedgersHold();
    });

    it('reject needs a reason (422); unknown id 404; non-numeric id 404', async () => {
      const u = await registerUser(t);
      await grantPoints(u, 200);
      await cashPoints(u, { amount: 100 });
      const [w] = await withdrawalsOf(u.id);
      expect((await t.http().patch(`/api/v2/admin/withdrawals/${w.id}/reject`).set(bearer(admin.token)).send({})).status).toBe(422);
      expect((await approve(987654321)).status).toBe(404);
      expect((await t.http().patch('/api/v2/admin/withdrawals/abc/approve').set(bearer(admin.token)).send({})).status).toBe(404);
      expect((await withdrawalsOf(u.id))[0].state).toBe(0);
    });

    it('parallel approvals and rejections of one request settle it once', async () => {
      for (const book of ['points', 'money'] as const) {
        const u = await registerUser(t);
        if (book === 'points') {
          await grantPoints(u, 1000);
          await cashPoints(u, { amount: 600 });
        } else {
          await grantMoney(u, 1000);
          await cashMoney(u, { amount: 600, type: 'alipay', account: 'x' });
        }
        const [w] = await withdrawalsOf(u.id);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? approve(w.id) : reject(w.id))));
        expect(results.map((r) => r.status).filter((s) => s === 204)).toHaveLength(1);
        expect(results.map((r) => r.status).filter((s) => s === 409)).toHaveLength(9);
        const [settled] = await withdrawalsOf(u.id);
        const balance = book === 'points' ? await pointsOf(u.id) : await moneyOf(u.id);
        expect(balance).toBe(settled.state === 1 ? 400 : 1000);
        if (book === 'points') expect(await moneyOf(u.id)).toBe(settled.state === 1 ? 600 : 0);
        const rows = book === 'points' ? await pointsLedgerOf(u.id) : await moneyLedgerOf(u.id);
        expect(rows.filter((r) => r.type === 1 && r.title.endsWith('退回'))).toHaveLength(settled.state === 2 ? 1 : 0);
        await expectLedgersHold();
      }
    });
  });
});
