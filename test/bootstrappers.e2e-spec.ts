import { bearer, registerUser, uniqueEmail, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

jest.setTimeout(60_000);

/** thinksns-compat §3 (`GET /bootstrappers`), §6 (points and wallet settings, recharge refused without a gateway). */
describe('site, points and wallet settings (thinksns-compat §3, §6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /bootstrappers (guest): the original keys and types, defaults from configuration', async () => {
    const res = await t.http().get('/api/v2/bootstrappers');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.ad).toEqual([]);
    expect(body.registerSettings).toEqual({ showTerms: false, method: 'all', content: '', fixed: 'need', type: 'all' });
    expect(body.site).toMatchObject({ name: 'ThinkSNS+', reward: { status: true, amounts: '5,10,15' }, client_email: '' });
    expect(body.site.anonymous).toEqual({ status: false, rule: '' });
    // The H5 client reads site.currency_name.name and splits site.reward.amounts.
    expect(body.site.currency_name.name).toBe('积分');
    expect(body.site.reward.amounts.split(',')).toEqual(['5', '10', '15']);
    expect(body.currency.settings).toEqual({
      'recharge-ratio': 1,
      'recharge-options': '100,500,1000,2000,5000,10000',
      'recharge-max': 10000000,
      'recharge-min': 100,
      'cash-max': 10000000,
      'cash-min': 100,
    });
    expect(body.currency.cash).toEqual({ rule: '', status: true });
    expect(body.currency.recharge).toEqual({ rule: '', status: false });
    expect(body.wallet).toEqual({
      rule: '',
      labels: [100, 500, 1000, 2000, 5000, 10000],
      ratio: 100,
      cash: { 'min-amount': 100, types: ['alipay'], status: true },
      recharge: { types: [], status: false },
      'transform-currency': true,
    });
    expect(body['pay-validate-user-password']).toBe(false);
    expect(body.checkin).toEqual({ switch: true, balance: 1 });
  });

  it('GET /currency: the settings keys beside the owner’s sum (the recharge page splits recharge-options)', async () => {
    const u = await registerUser(t);
    const res = await t.http().get('/api/v2/currency').set(bearer(u.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      owner_id: u.id,
      type: 1,
      sum: 0,
      recharge_ratio: 1,
      rule: '',
      'recharge-rule': '',
      'recharge-type': [],
      'recharge-ratio': 1,
      'recharge-max': 10000000,
      'recharge-min': 100,
      'cash-rule': '',
      'cash-max': 10000000,
      'cash-min': 100,
      cash: { rule: '', status: true },
      recharge: { rule: '', status: false },
    });
    expect(res.body['recharge-options'].split(',').map(Number)).toEqual([100, 500, 1000, 2000, 5000, 10000]);
  });

  it('GET /wallet: labels, ratio, rule, cash {types, status}, recharge {types, status}, transform-currency', async () => {
    const u = await registerUser(t);
    const res = await t.http().get('/api/v2/wallet').set(bearer(u.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      labels: [100, 500, 1000, 2000, 5000, 10000],
      ratio: 100,
      rule: '',
      recharge_type: [],
      cash: { types: ['alipay'], status: true },
      recharge: { types: [], status: false },
      'transform-currency': true,
    });
    expect((await t.http().get('/api/v2/wallet')).status).toBe(401);
  });

  it('recharge orders answer the original refusal for a recharge type that is not enabled (422), no payment', async () => {
    const u = await registerUser(t);
    // The H5 client: POST /currencyRecharge/orders and /walletRecharge/orders with {type, amount, from: 2}.
    for (const path of ['/api/v2/currencyRecharge/orders', '/api/v2/walletRecharge/orders']) {
      const res = await t.http().post(path).set(bearer(u.token)).send({ type: 'AlipayWapOrder', amount: 1000, from: 2 });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ message: '选择的充值方式错误', errors: { type: ['选择的充值方式错误'] } });
      expect((await t.http().post(path).send({ type: 'AlipayWapOrder', amount: 1000, from: 2 })).status).toBe(401);
    }
    const { rows } = await t.db.query(
      `SELECT (SELECT count(*) FROM currency_ledger WHERE owner_id = $1)::int AS points, (SELECT count(*) FROM wallet_ledger WHERE owner_id = $1)::int AS money`,
      [u.id],
    );
    expect(rows[0]).toEqual({ points: 0, money: 0 });
  });
});

describe('settings from configuration are the ones enforced', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        RANK_REFRESH_CRON: 'off',
        SITE_NAME: '测试社区',
        REGISTER_METHOD: 'mail-only',
        REGISTER_TERMS: '# 服务条款',
        REWARD_AMOUNTS: '1,2',
        CURRENCY_CASH_ENABLED: 'false',
        CURRENCY_CASH_MIN: '50',
        WALLET_CASH_TYPES: 'alipay,wechat',
        WALLET_CASH_MIN: '300',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('announces them', async () => {
    const { body } = await t.http().get('/api/v2/bootstrappers');
    expect(body.site.name).toBe('测试社区');
    expect(body.site.reward.amounts).toBe('1,2');
    expect(body.registerSettings).toMatchObject({ method: 'mail-only', showTerms: true, content: '# 服务条款' });
    expect(body.currency.cash.status).toBe(false);
    expect(body.currency.settings['cash-min']).toBe(50);
    expect(body.wallet.cash).toEqual({ 'min-amount': 300, types: ['alipay', 'wechat'], status: true });
  });

  it('registration: mail-only refuses a phone account (422), takes an e-mail one', async () => {
    const phone = uniquePhone();
    await t.http().post('/api/v2/verifycodes/register').send({ phone }).expect(202);
    const byPhone = await t
      .http()
      .post('/api/v2/users')
      .send({ name: uniqueName(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: t.lastCode(phone) });
    expect(byPhone.status).toBe(422);
    expect(byPhone.body.message).toBe('当前不支持该方式注册');
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE phone = $1', [phone]);
    expect(rows[0].n).toBe(0);
    const email = uniqueEmail();
    await t.http().post('/api/v2/verifycodes/register').send({ email }).expect(202);
    const byMail = await t
      .http()
      .post('/api/v2/users')
      .send({ name: uniqueName(), email, password: 'secret-123', verifiable_type: 'mail', verifiable_code: t.lastCode(email) });
    expect(byMail.status).toBe(201);
  });

  it('withdrawals: points closed (403 提现功能已关闭), wallet minimum and types as announced', async () => {
    const email = uniqueEmail();
    await t.http().post('/api/v2/verifycodes/register').send({ email }).expect(202);
    const reg = await t
      .http()
      .post('/api/v2/users')
      .send({ name: uniqueName(), email, password: 'secret-123', verifiable_type: 'mail', verifiable_code: t.lastCode(email) });
    const token = reg.body.access_token;
    const closed = await t.http().post('/api/v2/currency/cash').set(bearer(token)).send({ amount: 100 });
    expect(closed.status).toBe(403);
    expect(closed.body.message).toBe('提现功能已关闭');
    const low = await t.http().post('/api/v2/plus-pay/cashes').set(bearer(token)).send({ amount: 299, type: 'wechat', account: 'x' });
    expect(low.status).toBe(422);
    expect(low.body.message).toBe('输入的提现金额不足最低提现金额要求');
  });
});
