import * as jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { PasswordHasher } from '../src/auth/password-hasher';
import { bearer, fullwidth, registerUser, RegisteredUser, uniqueEmail, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * Registration, login, tokens, refresh and logout over HTTP against the real app and PostgreSQL
 * (spec README §2–3, mobile-api §1 and §3).
 */

const UNAUTHENTICATED = { message: 'Unauthenticated.' };
const BAD_LOGIN = { message: '账号或密码不正确', errors: { login: ['账号或密码不正确'] } };
const LOGIN_KEYS = ['access_token', 'expires_in', 'refresh_ttl', 'token_type'];

/** A 6-digit code that is certainly not `code`. */
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Claims {
  sub: string;
  sid: string;
  jti: string;
  typ: string;
  iat: number;
  exp: number;
}

describe('authentication (mobile-api §3)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http().get('/api/v2/user').set(bearer(token));
  const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) => t.http().post('/api/v2/auth/login').set(headers).send(body);
  const claimsOf = (token: string) => jwt.decode(token) as Claims;
  const forge = (claims: Partial<Claims>, secret = t.config.jwtSecret) => jwt.sign(claims, secret, { algorithm: 'HS256' });

  /** Requests a register code for a phone (any accepted form) and returns it. */
  async function registerCode(phone: string, normalised = phone): Promise<string> {
    await t.http().post('/api/v2/verifycodes/register').send({ phone }).expect(202);
    return t.lastCode(normalised);
  }

  /** Moves every code of an account 61 s into the past, so that the 60 s resend throttle lets a new one through. */
  async function ageCodes(account: string): Promise<void> {
    await t.db.query(`UPDATE verify_codes SET created_at = created_at - interval '61 seconds' WHERE account = $1`, [account]);
  }

  async function userRow(id: number) {
    const { rows } = await t.db.query('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0];
  }

  describe('registration POST /api/v2/users', () => {
    it('answers 201 with the register keys and the login keys; the token works', async () => {
      const phone = uniquePhone();
      const name = uniqueName('reg');
      const code = await registerCode(phone);
      const res = await t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_ttl', 'token', 'token_type', 'ttl']);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 60, ttl: 60, refresh_ttl: 20160 });
      expect(res.body.token).toBe(res.body.access_token);
      const profile = await me(res.body.access_token);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ name, phone });
      const claims = claimsOf(res.body.access_token);
      expect(claims).toMatchObject({ typ: 'access', sub: String(profile.body.id) });
      expect(claims.exp - claims.iat).toBe(60 * 60);
    });

    it('creates the user_extras, wallets and user_currencies rows of the new user', async () => {
      const user = await registerUser(t);
      for (const [table, column] of [
        ['user_extras', 'user_id'],
        ['wallets', 'owner_id'],
        ['user_currencies', 'owner_id'],
      ]) {
        const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [user.id]);
        expect({ table, n: rows[0].n }).toEqual({ table, n: 1 });
      }
    });

    it('writes nothing when a later insert fails (one transaction), and the code stays usable', async () => {
      const phone = uniquePhone();
      const name = uniqueName('tx');
      const code = await registerCode(phone);
      const counts = async () => {
        const { rows } = await t.db.query(
          `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM user_extras)::int AS extras,
                  (SELECT count(*) FROM wallets)::int AS wallets, (SELECT count(*) FROM user_currencies)::int AS currencies,
                  (SELECT count(*) FROM auth_sessions)::int AS sessions`,
        );
        return rows[0];
      };
      const before = await counts();
      await t.db.query(`CREATE FUNCTION test_fail_wallet() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
      await t.db.query('CREATE TRIGGER test_fail_wallet BEFORE INSERT ON wallets FOR EACH ROW EXECUTE FUNCTION test_fail_wallet()');
      let failed: Awaited<ReturnType<ReturnType<TestApp['http']>['post']>> | undefined;
      try {
        failed = await t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      } finally {
        await t.db.query('DROP TRIGGER test_fail_wallet ON wallets');
        await t.db.query('DROP FUNCTION test_fail_wallet()');
      }
      expect(failed.status).toBe(500);
      expect(await counts()).toEqual(before);
      const { rows } = await t.db.query('SELECT consumed_at FROM verify_codes WHERE account = $1', [phone]);
      expect(rows).toEqual([{ consumed_at: null }]);
      const retried = await t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(retried.status).toBe(201);
    });

    it('stores the phone normalised: +86… and the 11-digit form are one account', async () => {
      const phone = uniquePhone();
      const code = await registerCode(`+86${phone}`, phone);
      const res = await t
        .http()
        .post('/api/v2/users')
        .send({ name: uniqueName('cn'), phone: `+86${phone}`, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(res.status).toBe(201);
      const { rows } = await t.db.query('SELECT phone, phone_verified FROM users WHERE id = $1', [Number(claimsOf(res.body.access_token).sub)]);
      expect(rows[0]).toEqual({ phone, phone_verified: true });
      const again = await t.http().post('/api/v2/verifycodes/register').send({ phone });
      expect(again.status).toBe(422);
      expect(again.body.errors.phone).toEqual(['手机号码已经被使用，不能发送验证码']);
      expect((await login({ login: `0086${phone}`, password: 'secret-123' })).status).toBe(200);
    });

    it('rejects phone and email together with 422 without consuming the code', async () => {
      const phone = uniquePhone();
      const name = uniqueName('both');
      const code = await registerCode(phone);
      const both = await t
        .http()
        .post('/api/v2/users')
        .send({ name, phone, email: uniqueEmail(), password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(both.status).toBe(422);
      expect(both.body.errors).toEqual({ email: ['一个验证码只能验证一个手机号码或邮箱'] });
      expect((await t.db.query('SELECT 1 FROM users WHERE lower(name) = lower($1)', [name])).rowCount).toBe(0);
      const ok = await t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(ok.status).toBe(201);
    });

    it('enforces the username rule and display_length 2–12 (ASCII word chars count half)', async () => {
      const phone = uniquePhone();
      const code = await registerCode(phone);
      const invalid: Array<[string, string]> = [
        ['1abcd', '用户名只能包含字母、数字、下划线和中文，且不能以数字开头'],
        ['ab cd', '用户名只能包含字母、数字、下划线和中文，且不能以数字开头'],
        ['ab-cd', '用户名只能包含字母、数字、下划线和中文，且不能以数字开头'],
        ['ab.cd', '用户名只能包含字母、数字、下划线和中文，且不能以数字开头'],
        ['ab@cd', '用户名只能包含字母、数字、下划线和中文，且不能以数字开头'],
        ['abc', '用户名长度必须在2到12个字之间（字母和数字算半个字）'],
        ['张', '用户名长度必须在2到12个字之间（字母和数字算半个字）'],
        ['a'.repeat(25), '用户名长度必须在2到12个字之间（字母和数字算半个字）'],
        ['张'.repeat(13), '用户名长度必须在2到12个字之间（字母和数字算半个字）'],
        ['张'.repeat(12) + 'a', '用户名长度必须在2到12个字之间（字母和数字算半个字）'],
      ];
      for (const [name, message] of invalid) {
        const res = await t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
        expect({ name, status: res.status, body: res.body }).toEqual({ name, status: 422, body: { message, errors: { name: [message] } } });
      }
      const missing = await t.http().post('/api/v2/users').send({ phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(missing.status).toBe(422);
      expect(Object.keys(missing.body.errors)).toEqual(['name']);

      // The boundaries are accepted (each with its own phone; the first reuses the code the failures left alive).
      const suffix = uniqueName('').slice(0, 4);
      const valid = [
        `ab${suffix.slice(0, 2)}`, // 4 ASCII = 2
        `_${suffix}${'b'.repeat(19)}`, // 24 ASCII = 12
        '张三', // 2 CJK = 2
        '张'.repeat(11) + suffix.slice(0, 2), // 11 + 1 = 12
        `_${suffix}9`, // leading underscore, digits later
      ];
      const { rows } = await t.db.query('SELECT 1 FROM users WHERE lower(name) = ANY($1)', [valid.map((n) => n.toLowerCase())]);
      expect(rows).toEqual([]);
      for (const [i, name] of valid.entries()) {
        const p = i === 0 ? phone : uniquePhone();
        const c = i === 0 ? code : await registerCode(p);
        const res = await t.http().post('/api/v2/users').send({ name, phone: p, password: 'secret-123', verifiable_type: 'sms', verifiable_code: c });
        expect({ name, status: res.status }).toEqual({ name, status: 201 });
      }
    });

    it('rejects the reserved names root/admin/administrator/system in any case: 系统保留昵称，禁止使用', async () => {
      const phone = uniquePhone();
      const code = await registerCode(phone);
      for (const name of ['root', 'Admin', 'ADMINISTRATOR', 'system']) {
        const res = await t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
        expect({ name, status: res.status, body: res.body }).toEqual({
          name,
          status: 422,
          body: { message: '系统保留昵称，禁止使用', errors: { name: ['系统保留昵称，禁止使用'] } },
        });
      }
      expect(
        (await t.http().post('/api/v2/users').send({ name: 'rooter', phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code })).status,
      ).toBe(201);
    });

    it('refuses look-alikes of reserved and taken names (confusable skeleton) and stores the name NFKC-normalised', async () => {
      const owner = await registerUser(t, { name: uniqueName('pa') });
      const phone = uniquePhone();
      const code = await registerCode(phone);
      const attempt = (name: string) =>
        t.http().post('/api/v2/users').send({ name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      for (const name of ['ａｄｍｉｎ', '\u0430dmin', 'ADM\u0130N', 'sy\u0455tem']) {
        const res = await attempt(name);
        expect({ name, status: res.status, body: res.body }).toEqual({
          name,
          status: 422,
          body: { message: '系统保留昵称，禁止使用', errors: { name: ['系统保留昵称，禁止使用'] } },
        });
      }
      for (const name of [fullwidth(owner.name), owner.name.replace('a', '\u0430')]) {
        const res = await attempt(name);
        expect({ name, status: res.status, body: res.body }).toEqual({
          name,
          status: 422,
          body: { message: '用户名已被使用', errors: { name: ['用户名已被使用'] } },
        });
      }
      const fresh = uniqueName('nf');
      expect((await attempt(fullwidth(fresh))).status).toBe(201);
      const { rows } = await t.db.query('SELECT name FROM users WHERE phone = $1 AND cancelled_at IS NULL', [phone]);
      expect(rows[0].name).toBe(fresh);
    });

    it('checks the code before uniqueness: a wrong code on a taken phone answers like on a free one, after the same work', async () => {
      const owner = await registerUser(t);
      const free = uniquePhone();
      const freeCode = await registerCode(free);
      const hasher = t.app.get(PasswordHasher, { strict: false });
      const answers: Array<{ status: number; body: unknown; hashes: number }> = [];
      for (const [phone, code] of [
        [owner.phone, '000000'],
        [free, otherCode(freeCode)],
      ]) {
        const hash = jest.spyOn(hasher, 'hash');
        try {
          const res = await t
            .http()
            .post('/api/v2/users')
            .send({ name: uniqueName(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
          answers.push({ status: res.status, body: res.body, hashes: hash.mock.calls.length });
        } finally {
          hash.mockRestore();
        }
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]).toMatchObject({ status: 422, body: { message: '验证码错误或者已失效', errors: { verifiable_code: ['验证码错误或者已失效'] } } });
    });

    it('rejects a name already used (case-insensitive) with 用户名已被使用, and that failure leaves the code usable', async () => {
      const owner = await registerUser(t);
      const phone = uniquePhone();
      const code = await registerCode(phone);
      const res = await t
        .http()
        .post('/api/v2/users')
        .send({ name: owner.name.toUpperCase(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ message: '用户名已被使用', errors: { name: ['用户名已被使用'] } });
      const ok = await t
        .http()
        .post('/api/v2/users')
        .send({ name: uniqueName(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(ok.status).toBe(201);
    });

    it('parallel registrations of one name: exactly one 201, the others 422 用户名已被使用, never 500', async () => {
      const name = uniqueName('race');
      const phones = Array.from({ length: 6 }, () => uniquePhone());
      const codes: string[] = [];
      for (const phone of phones) codes.push(await registerCode(phone));
      const results = await Promise.all(
        phones.map((phone, i) =>
          t
            .http()
            .post('/api/v2/users')
            .send({ name: i % 2 ? name : name.toUpperCase(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: codes[i] }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 422, 422, 422, 422, 422]);
      for (const r of results.filter((x) => x.status === 422)) {
        expect(r.body).toEqual({ message: '用户名已被使用', errors: { name: ['用户名已被使用'] } });
      }
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE lower(name) = lower($1)', [name]);
      expect(rows[0].n).toBe(1);
    });

    it('requires an existing invite_code and records the inviter', async () => {
      const inviter = await registerUser(t);
      const { invite_code: inviteCode } = await userRow(inviter.id);
      expect(inviteCode).toMatch(/^\S+$/);
      const phone = uniquePhone();
      const code = await registerCode(phone);
      const unknown = await t
        .http()
        .post('/api/v2/users')
        .send({ name: uniqueName(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code, invite_code: 'NOPE0000' });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toEqual({ message: '邀请码不存在', errors: { invite_code: ['邀请码不存在'] } });
      const ok = await t
        .http()
        .post('/api/v2/users')
        .send({ name: uniqueName(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code, invite_code: inviteCode });
      expect(ok.status).toBe(201);
      const invited = await userRow(Number(claimsOf(ok.body.access_token).sub));
      expect(Number(invited.inviter_id)).toBe(inviter.id);
      // Without an invite code there is no inviter.
      expect((await userRow(inviter.id)).inviter_id).toBeNull();
    });

    it('accepts passwords of 6–64 characters and at most 72 UTF-8 bytes, rejects the rest', async () => {
      const phone = uniquePhone();
      const code = await registerCode(phone);
      const message = '密码长度必须为6到64个字符（最多72字节）';
      for (const password of ['abcde', 'a'.repeat(65), '密'.repeat(25), 'é'.repeat(37)]) {
        const res = await t.http().post('/api/v2/users').send({ name: uniqueName(), phone, password, verifiable_type: 'sms', verifiable_code: code });
        expect({ password, status: res.status, body: res.body }).toEqual({ password, status: 422, body: { message, errors: { password: [message] } } });
      }
      for (const [i, password] of ['abcdef', 'x'.repeat(64), '密'.repeat(24), 'é'.repeat(36)].entries()) {
        const p = i === 0 ? phone : uniquePhone();
        const c = i === 0 ? code : await registerCode(p);
        const name = uniqueName();
        const res = await t.http().post('/api/v2/users').send({ name, phone: p, password, verifiable_type: 'sms', verifiable_code: c });
        expect({ password, status: res.status }).toEqual({ password, status: 201 });
        expect((await login({ login: name, password })).status).toBe(200);
        expect((await login({ login: name, password: password.slice(0, -1) + '!' })).status).toBe(422);
      }
    });

    it('registers by e-mail with a mail code', async () => {
      const email = uniqueEmail();
      await t.http().post('/api/v2/verifycodes/register').send({ email }).expect(202);
      const name = uniqueName();
      const res = await t
        .http()
        .post('/api/v2/users')
        .send({ name, email, password: 'secret-123', verifiable_type: 'mail', verifiable_code: t.lastCode(email) });
      expect(res.status).toBe(201);
      const row = await userRow(Number(claimsOf(res.body.access_token).sub));
      expect(row).toMatchObject({ name, email, phone: null, email_verified: true });
    });
  });

  describe('login POST /api/v2/auth/login', () => {
    let user: RegisteredUser;
    let email: string;

    beforeAll(async () => {
      user = await registerUser(t);
      email = uniqueEmail();
      await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
    });

    it('logs in by name, e-mail, phone (every cn_phone form) and id with the login body', async () => {
      const logins = [
        user.name,
        user.name.toUpperCase(),
        email,
        email.toUpperCase(),
        user.phone,
        `+86${user.phone}`,
        `86${user.phone}`,
        `0086${user.phone}`,
        `+86-${user.phone}`,
        String(user.id),
      ];
      for (const value of logins) {
        const res = await login({ login: value, password: user.password });
        expect({ value, status: res.status }).toEqual({ value, status: 200 });
        expect(Object.keys(res.body).sort()).toEqual(LOGIN_KEYS);
        expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 60, refresh_ttl: 20160 });
        const profile = await me(res.body.access_token);
        expect(profile.status).toBe(200);
        expect(profile.body.id).toBe(user.id);
      }
    });

    it('answers unknown account, wrong password and wrong code with one identical 422', async () => {
      await ageCodes(user.phone);
      await t.http().post('/api/v2/verifycodes').send({ phone: user.phone }).expect(202);
      const code = t.lastCode(user.phone);
      const attempts: Array<Record<string, unknown>> = [
        { login: uniqueName('nobody'), password: user.password },
        { login: uniquePhone(), password: user.password },
        { login: uniqueEmail(), password: user.password },
        { login: '99999999', password: user.password },
        { login: '!!!', password: user.password },
        { login: user.name, password: user.password + 'x' },
        { login: user.phone, password: 'Secret-123' },
        { login: user.phone, verifiable_code: otherCode(code) },
        { login: uniquePhone(), verifiable_code: code },
        { login: user.name, verifiable_code: code }, // code login only for phone / e-mail
        { login: String(user.id), verifiable_code: code },
      ];
      for (const body of attempts) {
        const res = await login(body);
        expect({ body, status: res.status, answer: res.body }).toEqual({ body, status: 422, answer: BAD_LOGIN });
      }
      // The code itself was right all along (one wrong try so far): it logs in by phone.
      const ok = await login({ login: user.phone, verifiable_code: code });
      expect(ok.status).toBe(200);
    });

    it('logs in by a code from /verifycodes (phone and e-mail), once per code', async () => {
      const other = await registerUser(t);
      await ageCodes(other.phone);
      await t.http().post('/api/v2/verifycodes').send({ phone: other.phone }).expect(202);
      const code = t.lastCode(other.phone);
      const res = await login({ login: `+86${other.phone}`, verifiable_code: code });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(LOGIN_KEYS);
      expect((await me(res.body.access_token)).body.id).toBe(other.id);
      expect((await login({ login: other.phone, verifiable_code: code })).body).toEqual(BAD_LOGIN);

      await t.http().post('/api/v2/verifycodes').send({ email: email.toUpperCase() }).expect(202);
      const mailCode = t.lastCode(email);
      const byMail = await login({ login: email, verifiable_code: Number(mailCode) });
      expect(byMail.status).toBe(200);
      expect((await me(byMail.body.access_token)).body.id).toBe(user.id);
    });

    it('disabled account: 403 账号已被禁用 only after the right password; a wrong one gets the same 422', async () => {
      const victim = await registerUser(t);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [victim.id]);
      const wrong = await login({ login: victim.name, password: victim.password + 'x' });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual(BAD_LOGIN);
      const right = await login({ login: victim.name, password: victim.password });
      expect(right.status).toBe(403);
      expect(right.body).toEqual({ message: '账号已被禁用，请联系管理员' });
      expect((await me(victim.token)).body).toEqual(UNAUTHENTICATED);
      await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [victim.id]);
      expect((await login({ login: victim.name, password: victim.password })).status).toBe(200);
    });

    it('records last_login_at and last_login_ip', async () => {
      const fresh = await registerUser(t);
      expect(await userRow(fresh.id)).toMatchObject({ last_login_at: null, last_login_ip: null });
      const dbNow = async () => (await t.db.query('SELECT clock_timestamp() AS at')).rows[0].at as Date;
      const before = await dbNow();
      expect((await login({ login: fresh.name, password: fresh.password })).status).toBe(200);
      const after = await dbNow();
      const row = await userRow(fresh.id);
      expect(row.last_login_at).toBeInstanceOf(Date);
      // The time of the login, by the database's clock: between the moments read before and after it.
      expect(row.last_login_at.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(row.last_login_at.getTime()).toBeLessThanOrEqual(after.getTime());
      expect(row.last_login_ip).toMatch(/127\.0\.0\.1|::1/);
      // A failed login records nothing.
      await t.db.query('UPDATE users SET last_login_at = NULL, last_login_ip = NULL WHERE id = $1', [fresh.id]);
      await login({ login: fresh.name, password: 'wrong-password' });
      expect(await userRow(fresh.id)).toMatchObject({ last_login_at: null, last_login_ip: null });
    });

    it('validates the body: login is required, and password or verifiable_code', async () => {
      const noLogin = await login({ password: 'secret-123' });
      expect(noLogin.status).toBe(422);
      expect(Object.keys(noLogin.body.errors)).toEqual(['login']);
      const noSecret = await login({ login: user.name });
      expect(noSecret.status).toBe(422);
      expect(Object.keys(noSecret.body.errors)).toEqual(['password']);
    });
  });

  describe('access tokens on GET /api/v2/user', () => {
    let victim: RegisteredUser;
    let other: RegisteredUser;
    let claims: Claims;

    beforeAll(async () => {
      victim = await registerUser(t);
      other = await registerUser(t);
      claims = claimsOf(victim.token);
    });

    it('carries sub, sid, jti, typ access, iat and exp, and is backed by auth_sessions.current_jti', async () => {
      expect(claims).toMatchObject({ sub: String(victim.id), typ: 'access' });
      expect(typeof claims.iat).toBe('number');
      expect(typeof claims.exp).toBe('number');
      const { rows } = await t.db.query('SELECT user_id, current_jti, revoked_at FROM auth_sessions WHERE id = $1', [claims.sid]);
      expect(rows).toEqual([{ user_id: victim.id, current_jti: claims.jti, revoked_at: null }]);
    });

    it('accepts the token as Bearer and as ?token=', async () => {
      expect((await me(victim.token)).body.id).toBe(victim.id);
      const byQuery = await t.http().get('/api/v2/user').query({ token: victim.token });
      expect(byQuery.status).toBe(200);
      expect(byQuery.body.id).toBe(victim.id);
      const none = await t.http().get('/api/v2/user');
      expect(none.status).toBe(401);
      expect(none.body).toEqual(UNAUTHENTICATED);
    });

    it('accepts a token signed with the secret for a live session (control for the attacks below)', async () => {
      const res = await me(forge({ ...claims }));
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(victim.id);
    });

    const attacks: Array<[string, () => string]> = [
      ['alg none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`],
      ['alg none with the original signature', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.${victim.token.split('.')[2]}`],
      ['a wrong signature', () => forge({ ...claims }, 'not-the-secret-not-the-secret-not-the-secret')],
      ['a signature cut off', () => victim.token.split('.').slice(0, 2).join('.') + '.'],
      ['an expired token', () => forge({ ...claims, iat: nowSeconds() - 7200, exp: nowSeconds() - 60 })],
      [
        'no exp claim',
        () => {
          const { exp: _exp, ...rest } = claims;
          return forge(rest);
        },
      ],
      [
        'a tampered sub (payload edited, signature kept)',
        () => {
          const [header, , signature] = victim.token.split('.');
          return `${header}.${b64url({ ...claims, sub: String(other.id) })}.${signature}`;
        },
      ],
      ['another user’s sub signed into the victim’s session', () => forge({ ...claims, sub: String(other.id) })],
      ['typ refresh', () => forge({ ...claims, typ: 'refresh' })],
      [
        'no typ',
        () => {
          const { typ: _typ, ...rest } = claims;
          return forge(rest);
        },
      ],
      ['an unknown jti', () => forge({ ...claims, jti: randomUUID() })],
      ['an unknown sid', () => forge({ ...claims, sid: randomUUID() })],
      ['garbage', () => 'garbage'],
      ['three garbage segments', () => 'abc.def.ghi'],
    ];
    it.each(attacks)('rejects %s with 401 Unauthenticated.', async (_label, build) => {
      const token = build();
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
      const byQuery = await t.http().get('/api/v2/user').query({ token });
      expect(byQuery.status).toBe(401);
      expect(byQuery.body).toEqual(UNAUTHENTICATED);
    });

    it('a token dies when its user is disabled or cancelled', async () => {
      const a = await registerUser(t);
      const b = await registerUser(t);
      expect((await me(a.token)).status).toBe(200);
      expect((await me(b.token)).status).toBe(200);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [a.id]);
      await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [b.id]);
      expect((await me(a.token)).body).toEqual(UNAUTHENTICATED);
      expect((await me(b.token)).body).toEqual(UNAUTHENTICATED);
    });
  });

  describe('refresh /api/v2/auth/refresh', () => {
    const refresh = (token: string) => t.http().post('/api/v2/auth/refresh').set(bearer(token));

    it('POST with the Authorization header rotates the token: the new one works, the old one is dead', async () => {
      const user = await registerUser(t);
      const res = await refresh(user.token);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(LOGIN_KEYS);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 60, refresh_ttl: 20160 });
      expect(res.body.access_token).not.toBe(user.token);
      expect((await me(res.body.access_token)).body.id).toBe(user.id);
      expect((await me(user.token)).body).toEqual(UNAUTHENTICATED);
      const before = claimsOf(user.token);
      const after = claimsOf(res.body.access_token);
      expect(after.sid).toBe(before.sid);
      expect(after.jti).not.toBe(before.jti);
      const { rows } = await t.db.query('SELECT current_jti FROM auth_sessions WHERE id = $1', [after.sid]);
      expect(rows[0].current_jti).toBe(after.jti);
    });

    it('GET with ?token= and PUT with a body token work too', async () => {
      const user = await registerUser(t);
      const byGet = await t.http().get('/api/v2/auth/refresh').query({ token: user.token });
      expect(byGet.status).toBe(200);
      const byPut = await t.http().put('/api/v2/auth/refresh').send({ token: byGet.body.access_token });
      expect(byPut.status).toBe(200);
      const byPostBody = await t.http().post('/api/v2/auth/refresh').send({ token: byPut.body.access_token });
      expect(byPostBody.status).toBe(200);
      expect((await me(byPostBody.body.access_token)).body.id).toBe(user.id);
      for (const dead of [user.token, byGet.body.access_token, byPut.body.access_token]) {
        expect((await me(dead)).status).toBe(401);
      }
    });

    it('refreshes an expired token inside the refresh window', async () => {
      const user = await registerUser(t);
      const claims = claimsOf(user.token);
      const expired = forge({ ...claims, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 });
      expect((await me(expired)).status).toBe(401);
      const res = await refresh(expired);
      expect(res.status).toBe(200);
      expect((await me(res.body.access_token)).body.id).toBe(user.id);
    });

    it('refuses a token outside JWT_REFRESH_TTL minutes from the family’s creation', async () => {
      const user = await registerUser(t);
      const inside = await login({ login: user.name, password: user.password });
      const sidOut = claimsOf(user.token).sid;
      const sidIn = claimsOf(inside.body.access_token).sid;
      await t.db.query(`UPDATE auth_sessions SET created_at = now() - interval '20161 minutes' WHERE id = $1`, [sidOut]);
      await t.db.query(`UPDATE auth_sessions SET created_at = now() - interval '20159 minutes' WHERE id = $1`, [sidIn]);
      const out = await refresh(user.token);
      expect(out.status).toBe(401);
      expect(out.body).toEqual(UNAUTHENTICATED);
      expect((await refresh(inside.body.access_token)).status).toBe(200);
    });

    it('presenting an already-rotated token revokes the whole family (the newest token dies too)', async () => {
      const user = await registerUser(t);
      const first = await refresh(user.token);
      const second = await refresh(first.body.access_token);
      expect(second.status).toBe(200);
      const reuse = await refresh(user.token);
      expect(reuse.status).toBe(401);
      expect(reuse.body).toEqual(UNAUTHENTICATED);
      expect((await me(second.body.access_token)).status).toBe(401);
      expect((await refresh(second.body.access_token)).status).toBe(401);
      const { rows } = await t.db.query('SELECT revoked_at FROM auth_sessions WHERE id = $1', [claimsOf(user.token).sid]);
      expect(rows[0].revoked_at).toBeInstanceOf(Date);
      // Other families of the user are untouched.
      expect((await login({ login: user.name, password: user.password })).status).toBe(200);
    });

    it('refuses a disabled or cancelled user, a missing token and a forged one', async () => {
      const disabled = await registerUser(t);
      const cancelled = await registerUser(t);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
      await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [cancelled.id]);
      for (const token of [disabled.token, cancelled.token]) {
        const res = await refresh(token);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(UNAUTHENTICATED);
      }
      expect((await t.http().post('/api/v2/auth/refresh')).status).toBe(401);
      const live = await registerUser(t);
      const forged = forge({ ...claimsOf(live.token) }, 'not-the-secret-not-the-secret-not-the-secret');
      expect((await refresh(forged)).status).toBe(401);
      expect((await refresh('garbage')).status).toBe(401);
      // A bad refresh attempt did not hurt the live token.
      expect((await me(live.token)).status).toBe(200);
    });
  });

  describe('logout /api/v2/auth/logout', () => {
    it('POST answers 200 退出成功 and kills that token only', async () => {
      const user = await registerUser(t);
      const second = await login({ login: user.name, password: user.password });
      const res = await t.http().post('/api/v2/auth/logout').set(bearer(user.token));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: '退出成功' });
      expect((await me(user.token)).body).toEqual(UNAUTHENTICATED);
      expect((await t.http().post('/api/v2/auth/refresh').set(bearer(user.token))).status).toBe(401);
      expect((await t.http().post('/api/v2/auth/logout').set(bearer(user.token))).status).toBe(401);
      expect((await me(second.body.access_token)).status).toBe(200);
    });

    it('GET works the same, also with ?token=', async () => {
      const user = await registerUser(t);
      const res = await t.http().get('/api/v2/auth/logout').query({ token: user.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: '退出成功' });
      expect((await me(user.token)).status).toBe(401);
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().post('/api/v2/auth/logout');
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
    });
  });

  describe('Accept-Language: en', () => {
    const en = { 'Accept-Language': 'en' };

    it('gives English messages with the same status', async () => {
      const user = await registerUser(t);
      const bad = await login({ login: user.name, password: 'wrong-password' }, en);
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ message: 'The account or password is incorrect.', errors: { login: ['The account or password is incorrect.'] } });

      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id]);
      const disabled = await login({ login: user.name, password: user.password }, en);
      expect(disabled.status).toBe(403);
      expect(disabled.body).toEqual({ message: 'This account is disabled, please contact an administrator.' });
      await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [user.id]);

      const phone = uniquePhone();
      const code = await registerCode(phone);
      const reserved = await t
        .http()
        .post('/api/v2/users')
        .set(en)
        .send({ name: 'admin', phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(reserved.status).toBe(422);
      expect(reserved.body).toEqual({ message: 'This name is reserved by the system.', errors: { name: ['This name is reserved by the system.'] } });
      const taken = await t
        .http()
        .post('/api/v2/users')
        .set(en)
        .send({ name: user.name, phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(taken.status).toBe(422);
      expect(taken.body).toEqual({ message: 'This name is already taken.', errors: { name: ['This name is already taken.'] } });

      const out = await t.http().post('/api/v2/auth/logout').set(en).set(bearer(user.token));
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ message: 'Logged out.' });
    });
  });
});

describe('authentication with other settings (LOGIN_RATE_LIMIT_PER_MINUTE, JWT_TTL, JWT_REFRESH_TTL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', JWT_TTL: '5', JWT_REFRESH_TTL: '30' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (body: Record<string, unknown>) => t.http().post('/api/v2/auth/login').send(body);

  it('limits login attempts per account + IP with 429 and Retry-After', async () => {
    const user = await registerUser(t);
    const other = await registerUser(t);
    for (let i = 0; i < 3; i++) {
      expect((await login({ login: user.name, password: 'wrong-password' })).status).toBe(422);
    }
    const limited = await login({ login: user.name, password: user.password });
    expect(limited.status).toBe(429);
    expect(typeof limited.body.message).toBe('string');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another account from the same address is not limited.
    expect((await login({ login: other.name, password: other.password })).status).toBe(200);
  });

  it('counts login and password-retrieval attempts for one account + IP together', async () => {
    const user = await registerUser(t);
    for (let i = 0; i < 2; i++) expect((await login({ login: user.phone, password: 'wrong-password' })).status).toBe(422);
    const retrieve = () =>
      t.http().put('/api/v2/user/retrieve-password').send({ verifiable_type: 'sms', phone: user.phone, verifiable_code: '000000', password: 'new-password-1' });
    expect((await retrieve()).status).toBe(422);
    expect((await retrieve()).status).toBe(429);
    expect((await login({ login: user.phone, password: user.password })).status).toBe(429);
  });

  it('issues tokens with the configured lifetimes (minutes) and refresh window', async () => {
    const user = await registerUser(t);
    const res = await t.http().post('/api/v2/auth/login').send({ login: user.phone, password: user.password });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 5, refresh_ttl: 30 });
    const claims = jwt.decode(res.body.access_token) as Claims;
    expect(claims.exp - claims.iat).toBe(5 * 60);

    await t.db.query(`UPDATE auth_sessions SET created_at = now() - interval '29 minutes' WHERE id = $1`, [claims.sid]);
    const inside = await t.http().post('/api/v2/auth/refresh').set(bearer(res.body.access_token));
    expect(inside.status).toBe(200);
    expect(inside.body).toMatchObject({ expires_in: 5, refresh_ttl: 30 });
    await t.db.query(`UPDATE auth_sessions SET created_at = now() - interval '31 minutes' WHERE id = $1`, [claims.sid]);
    const outside = await t.http().post('/api/v2/auth/refresh').set(bearer(inside.body.access_token));
    expect(outside.status).toBe(401);
  });
});

/** Issue 10 item 15: a registration holds one pooled connection, never two (the code is checked before the transaction). */
describe('registration with a small pool (DATABASE_POOL_SIZE=4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_POOL_SIZE: '4' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('12 parallel registrations all succeed (no 503 from an exhausted pool)', async () => {
    const phones = Array.from({ length: 12 }, () => uniquePhone());
    for (const phone of phones) await t.http().post('/api/v2/verifycodes/register').send({ phone }).expect(202);
    const answers = await Promise.all(
      phones.map((phone) =>
        t
          .http()
          .post('/api/v2/users')
          .send({ name: uniqueName(), phone, password: 'secret-123', verifiable_type: 'sms', verifiable_code: t.lastCode(phone) }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(phones.map(() => 201));
  });
});

/**
 * Issue 10 item 8: the login limits key on the account as the login resolves it, and a per-account limit holds whatever
 * the client IP (TRUST_PROXY=1: the tests speak from several addresses through X-Forwarded-For).
 */
describe('login limits per resolved account (LOGIN_RATE_LIMIT_PER_MINUTE=3, LOGIN_ACCOUNT_RATE_LIMIT=5)', () => {
  let t: TestApp;
  let lastIp = 0;
  const newIp = () => `203.0.113.${++lastIp}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '1', LOGIN_RATE_LIMIT_PER_MINUTE: '3', LOGIN_ACCOUNT_RATE_LIMIT: '5', LOGIN_ACCOUNT_RATE_WINDOW: '900' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (ip: string, body: Record<string, unknown>) => t.http().post('/api/v2/auth/login').set('X-Forwarded-For', ip).send(body);
  const spellings = (phone: string) => [phone, `+86${phone}`, `0086${phone}`, `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, `86${phone}`];

  it('alternating spellings of one phone share the per-client limit', async () => {
    const user = await registerUser(t);
    const ip = newIp();
    const [a, b, c, d] = spellings(user.phone);
    for (const spelling of [a, b, c]) expect((await login(ip, { login: spelling, password: 'wrong-password' })).status).toBe(422);
    const limited = await login(ip, { login: d, password: user.password });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    // name and e-mail case variants too
    const named = await registerUser(t);
    const ip2 = newIp();
    for (const spelling of [named.name, named.name.toUpperCase(), ` ${named.name} `]) {
      expect((await login(ip2, { login: spelling, password: 'wrong-password' })).status).toBe(422);
    }
    expect((await login(ip2, { login: named.name, password: named.password })).status).toBe(429);
  });

  it('an account is limited across client IPs: the 6th attempt from a 6th address gets 429, another account does not', async () => {
    const [user, other] = [await registerUser(t), await registerUser(t)];
    const forms = spellings(user.phone);
    for (let i = 0; i < 5; i++) expect((await login(newIp(), { login: forms[i], password: 'wrong-password' })).status).toBe(422);
    const limited = await login(newIp(), { login: user.phone, password: user.password });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(newIp(), { login: other.phone, password: other.password })).status).toBe(200);
  });
});
