import { randomBytes } from 'node:crypto';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { planVerification, SourceCertification } from './certification-plan';
import { ADJUSTMENT_TITLE, planBook, SourceOrder } from './ledger-plan';
import { ReportEntries } from './report';
import { importedInviteCode, planUser, SourceUser, TakenContacts } from './user-plan';

const at = new Date('2020-05-06T07:08:09Z');
const user = (over: Partial<SourceUser>): SourceUser => ({
  id: 10,
  name: 'someone',
  email: null,
  phone: null,
  password: null,
  bio: null,
  sex: 0,
  location: null,
  avatar: null,
  bg: null,
  register_ip: null,
  last_login_ip: null,
  created_at: at,
  updated_at: at,
  deleted_at: null,
  ...over,
});
const empty = (): TakenContacts => ({ names: new Set(), emails: new Set(), phones: new Set() });
const order = (over: Partial<SourceOrder>): SourceOrder => ({
  id: 1,
  owner_id: 10,
  title: 't',
  body: null,
  type: 1,
  target_type: 'user',
  target_id: '2',
  amount: 100,
  state: 1,
  created_at: at,
  ...over,
});

describe('planUser', () => {
  it('keeps a clean user as it was, with its $2y$ hash and a deterministic invite code', () => {
    const report = new ReportEntries();
    const hash = `$2y$10$${'a'.repeat(53)}`;
    const planned = planUser(user({ name: '小明', email: 'Ming@Example.com', phone: '13912345678', password: hash }), empty(), report);
    expect(planned).toMatchObject({ name: '小明', email: 'Ming@Example.com', phone: '13912345678', password: hash, invite_code: importedInviteCode(10) });
    expect(report.entries).toEqual([]);
  });

  it('renames a name held by another account ignoring case, drops held phones and e-mails, and reports each change', () => {
    const taken = empty();
    planUser(user({ id: 1, name: 'Alice', email: 'a@x.com', phone: '13900000000' }), taken, new ReportEntries());
    const report = new ReportEntries();
    const planned = planUser(user({ id: 2, name: 'ALICE', email: 'A@X.COM', phone: '+86-13900000000' }), taken, report);
    expect(planned).toMatchObject({ name: 'ALICE_2', email: null, phone: null });
    expect(report.entries.map((e) => e.reason)).toEqual(['name_duplicate', 'phone_duplicate', 'email_duplicate']);
  });

  it('drops what is not a mainland phone, an e-mail or a bcrypt hash; a soft-deleted user is disabled', () => {
    const report = new ReportEntries();
    const planned = planUser(user({ phone: '555-1234', email: 'nope', password: 'md5:abc', deleted_at: at, sex: 9 }), empty(), report);
    expect(planned).toMatchObject({ phone: null, email: null, password: null, disabled_at: at, sex: 0 });
    expect(report.entries.map((e) => e.reason)).toEqual(['phone_invalid', 'email_invalid', 'password_unusable', 'sex_invalid']);
  });

  it('gives different ids different invite codes of 9 characters', () => {
    const codes = new Set([1, 2, 31, 32, 33, 1_000_000, 2 ** 40 - 1].map(importedInviteCode));
    expect(codes.size).toBe(7);
    for (const code of codes) expect(code).toMatch(/^T[A-Z2-9]{8}$/);
  });
});

describe('planBook', () => {
  it('makes no adjustment when the balance equals the successful orders', () => {
    const report = new ReportEntries();
    const plan = planBook(
      'wallet_orders',
      10,
      70,
      [order({ amount: 100 }), order({ id: 2, type: -1, amount: 30 }), order({ id: 3, state: 0, amount: 5 })],
      at,
      report,
    );
    expect(plan.rows.map((r) => r.type * r.amount)).toEqual([100, -30]);
    expect({ balance: plan.balance, income: plan.income, expenses: plan.expenses }).toEqual({ balance: 70, income: 100, expenses: 30 });
    expect(report.entries.map((e) => e.reason)).toEqual(['order_pending']);
  });

  it('lets the balance win through one labelled adjustment row, dated after the last order', () => {
    const report = new ReportEntries();
    const later = new Date('2021-01-01T00:00:00Z');
    const plan = planBook('currency_orders', 10, 10, [order({ amount: 25, created_at: later, currency: 1 })], at, report);
    const adjustment = plan.rows[1];
    expect(adjustment).toMatchObject({ title: ADJUSTMENT_TITLE, type: -1, amount: 15, created_at: later });
    expect(plan.rows.reduce((sum, r) => sum + r.type * r.amount, 0)).toBe(plan.balance);
    expect(report.entries).toEqual([expect.objectContaining({ source_table: 'currencies', action: 'adjusted', reason: 'balance_differs_from_orders' })]);
  });

  it('imports a negative balance as 0 and leaves out other currencies and zero amounts', () => {
    const report = new ReportEntries();
    const plan = planBook('currency_orders', 10, -5, [order({ currency: 2 }), order({ id: 2, amount: 0, currency: 1 })], at, report);
    expect(plan).toMatchObject({ balance: 0, rows: [] });
    expect(report.entries.map((e) => e.reason)).toEqual(['other_currency', 'order_amount_zero', 'balance_negative']);
  });

  it("counts earned income per day, recharges excepted, and uses this service's target type names", () => {
    const plan = planBook(
      'currency_orders',
      10,
      30,
      [order({ amount: 10, target_type: 'recharge' }), order({ id: 2, amount: 20, target_type: 'task' })],
      at,
      new ReportEntries(),
    );
    expect(plan.earned).toBe(20);
    expect([...plan.earnedByDay]).toEqual([['2020-05-06', 20]]);
    const wallet = planBook('wallet_orders', 10, 5, [order({ amount: 5, target_type: 'recharge_ping_p_p' })], at, new ReportEntries());
    expect(wallet.rows[0].target_type).toBe('recharge');
  });
});

describe('planVerification', () => {
  const cipher = new PiiCipher(randomBytes(32));
  const cert = (over: Partial<SourceCertification>): SourceCertification => ({
    id: 1,
    certification_name: 'user',
    user_id: 10,
    data: '{}',
    examiner: 3,
    status: 0,
    created_at: at,
    updated_at: at,
    ...over,
  });

  it('maps the states (0 pending, 1 passed, 2 rejected → -1, 1, 0) and seals names and numbers', () => {
    const data = JSON.stringify({ name: '王五', number: '110101199003077777', phone: '13911112222', desc: 'd', files: [7, 8], reject_content: '模糊' });
    const planned = planVerification([cert({ data, status: 2 })], cipher, new ReportEntries())!;
    expect(planned).toMatchObject({ type: 'user', state: 0, reject_reason: '模糊', phone_number: '13911112222', fileWithIds: [7, 8], reviewed_by: 3 });
    expect(cipher.decrypt(planned.real_name_sealed!)).toBe('王五');
    expect(cipher.decrypt(planned.id_number_sealed!)).toBe('110101199003077777');
    expect(planVerification([cert({ data, status: 0 })], cipher, new ReportEntries())).toMatchObject({ state: -1, reviewed_by: null, reject_reason: null });
  });

  it('keeps the passed one of two types and reports the other; broken JSON is reported, not fatal', () => {
    const report = new ReportEntries();
    const planned = planVerification(
      [
        cert({ id: 1, certification_name: 'user', status: 0, data: '{"name":"a"}' }),
        cert({ id: 2, certification_name: 'org', status: 1, data: '{"org_name":"o"}' }),
        cert({ id: 3, certification_name: 'org', status: 1, data: '{"org_name' }),
      ],
      cipher,
      report,
    );
    expect(planned).toMatchObject({ type: 'org', state: 1, org_name: 'o' });
    expect(report.entries.map((e) => `${e.source_key}:${e.reason}`)).toEqual(['3:certification_data_broken', '1:certification_second_type']);
  });
});
