import { bearer, registerUser, RegisteredUser, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

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
];
const OWNER_KEYS = [...PUBLIC_KEYS, 'phone', 'email', 'wallet', 'new_wallet', 'currency', 'has_password'];
const EXTRA_COUNTERS = [
  'likes_count',
  'comments_count',
  'followers_count',
  'followings_count',
  'feeds_count',
  'questions_count',
  'answers_count',
  'be_reward_count',
  'checkin_count',
  'last_checkin_count',
];
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** mobile-api §4.1 / §4.2: `GET /api/v2/user`, the owner view. */
describe('GET /api/v2/user (owner view, mobile-api §4.1)', () => {
  let t: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerUser(t);
    // a login records the last-login IP, which must not show either
    await t.http().post('/api/v2/auth/login').send({ login: user.name, password: user.password }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http().get('/api/v2/user').set(bearer(token));

  it('answers 401 Unauthenticated. without a token', async () => {
    const res = await t.http().get('/api/v2/user');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
  });

  it('answers 401 with a malformed or forged token', async () => {
    for (const token of ['garbage', `${user.token}x`, user.token.split('.').slice(0, 2).join('.') + '.']) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    }
  });

  it('accepts the token as ?token= too', async () => {
    const res = await t.http().get('/api/v2/user').query({ token: user.token });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  it('has exactly the owner-view keys', async () => {
    const res = await me(user.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(Object.keys(res.body).sort()).toEqual([...OWNER_KEYS].sort());
  });

  it('describes a freshly registered user', async () => {
    const { body } = await me(user.token).expect(200);
    expect(body.id).toBe(user.id);
    expect(body.name).toBe(user.name);
    expect(body.phone).toBe(user.phone);
    expect(body.email).toBeNull();
    expect(body.bio).toBeNull();
    expect(body.sex).toBe(0);
    expect(body.location).toBeNull();
    expect(body.avatar).toBeNull();
    expect(body.bg).toBeNull();
    expect(body.verification).toBeNull();
    expect(body.vip).toBeNull();
    expect(typeof body.invite_code).toBe('string');
    expect(body.invite_code.length).toBeGreaterThan(0);
    expect(body.has_password).toBe(true);
    expect(body.has_follower).toBe(false);
    expect(body.has_following).toBe(false);
  });

  it('has extra with every counter zero', async () => {
    const { body } = await me(user.token).expect(200);
    expect(Object.keys(body.extra).sort()).toEqual(['user_id', ...EXTRA_COUNTERS, 'updated_at'].sort());
    expect(body.extra.user_id).toBe(user.id);
    for (const counter of EXTRA_COUNTERS) expect(body.extra[counter]).toBe(0);
  });

  it('has an empty wallet (also as new_wallet) and points', async () => {
    const { body } = await me(user.token).expect(200);
    const wallet = { owner_id: user.id, balance: 0, total_income: 0, total_expenses: 0 };
    expect(body.wallet).toEqual(wallet);
    expect(body.new_wallet).toEqual(wallet);
    expect(body.currency).toEqual({ owner_id: user.id, type: 1, sum: 0 });
  });

  it('writes numbers as JSON numbers, never strings', async () => {
    const res = await me(user.token).expect(200);
    const { body } = res;
    const numbers = [
      body.id,
      body.sex,
      body.extra.user_id,
      ...EXTRA_COUNTERS.map((c) => body.extra[c]),
      ...Object.values(body.wallet),
      ...Object.values(body.new_wallet),
      ...Object.values(body.currency),
    ];
    for (const value of numbers) {
      expect(typeof value).toBe('number');
      expect(Number.isInteger(value)).toBe(true);
    }
    // straight from the raw text, so that a custom parser could not hide a string
    expect(res.text).toContain(`"id":${user.id},`);
    expect(res.text).toContain(`"balance":0`);
    expect(res.text).toContain(`"sum":0`);
  });

  it('formats timestamps as ISO 8601 UTC with seconds and Z', async () => {
    const { body } = await me(user.token).expect(200);
    expect(body.created_at).toMatch(TIMESTAMP);
    expect(body.updated_at).toMatch(TIMESTAMP);
    expect(body.extra.updated_at).toMatch(TIMESTAMP);
    const { rows } = await t.db.query('SELECT created_at FROM users WHERE id = $1', [user.id]);
    const created: Date = rows[0].created_at;
    expect(body.created_at).toBe(created.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('never contains the password hash or the register / last-login IPs', async () => {
    const { rows } = await t.db.query('SELECT password, register_ip, last_login_ip FROM users WHERE id = $1', [user.id]);
    const { password, register_ip: registerIp, last_login_ip: lastLoginIp } = rows[0];
    expect(password).toMatch(/^\$2/);
    expect(registerIp).toBeTruthy();
    expect(lastLoginIp).toBeTruthy();

    const res = await me(user.token).expect(200);
    expect(res.text).not.toContain('$2');
    expect(res.text).not.toContain(password);
    expect(res.text).not.toContain(`"${registerIp}"`);
    expect(res.text).not.toContain(registerIp);
    expect(res.text).not.toContain(lastLoginIp);
    expect(res.text).not.toContain(user.password);
    expect(res.text).not.toMatch(/"(password|register_ip|last_login_ip|ip|token|access_token)"/);
  });

  it('reports has_password false for an account registered without a password', async () => {
    const phone = uniquePhone();
    await t.http().post('/api/v2/verifycodes/register').send({ phone }).expect(202);
    const reg = await t
      .http()
      .post('/api/v2/users')
      .send({ name: uniqueName(), phone, verifiable_type: 'sms', verifiable_code: t.lastCode(phone) })
      .expect(201);
    const { body } = await me(reg.body.access_token).expect(200);
    expect(body.has_password).toBe(false);
    expect(body.phone).toBe(phone);
  });

  it('returns a wallet balance above 2^31 as the exact JSON number', async () => {
    const other = await registerUser(t);
    await t.db.query('UPDATE wallets SET balance = 5000000000, total_income = 5000000001, total_expenses = 1 WHERE owner_id = $1', [other.id]);
    await t.db.query('UPDATE user_currencies SET sum = 3000000000 WHERE owner_id = $1', [other.id]);
    const res = await me(other.token).expect(200);
    expect(res.body.wallet).toEqual({ owner_id: other.id, balance: 5000000000, total_income: 5000000001, total_expenses: 1 });
    expect(res.body.new_wallet).toEqual(res.body.wallet);
    expect(res.body.currency).toEqual({ owner_id: other.id, type: 1, sum: 3000000000 });
    expect(res.text).toContain('"balance":5000000000,');
    expect(res.text).toContain('"total_income":5000000001,');
    expect(res.text).toContain('"sum":3000000000');
  });

  it('returns the largest safe integer balance exactly (2^53 - 1)', async () => {
    const other = await registerUser(t);
    await t.db.query('UPDATE wallets SET balance = 9007199254740991 WHERE owner_id = $1', [other.id]);
    const res = await me(other.token).expect(200);
    expect(res.body.wallet.balance).toBe(Number.MAX_SAFE_INTEGER);
    expect(res.text).toContain('"balance":9007199254740991,');
  });

  it('shows the owner only their own data', async () => {
    const other = await registerUser(t);
    const mine = await me(user.token).expect(200);
    const theirs = await me(other.token).expect(200);
    expect(mine.body.id).toBe(user.id);
    expect(theirs.body.id).toBe(other.id);
    expect(theirs.body.phone).toBe(other.phone);
    expect(theirs.text).not.toContain(user.phone);
  });
});
