import { bearer, registerUser, uniqueEmail, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/** One-time codes over HTTP against the real app and PostgreSQL (mobile-api §2 and their use in §3). */

const SENT = { message: ['获取成功'] };
const CODE_INVALID = { message: '验证码错误或者已失效', errors: { verifiable_code: ['验证码错误或者已失效'] } };
const BAD_LOGIN = { message: '账号或密码不正确', errors: { login: ['账号或密码不正确'] } };
const WAIT = /^还需要(\d+)秒后才能获取$/;

/** A 6-digit code that is certainly not `code`. */
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

function helpers(t: TestApp) {
  return {
    forNew: (body: Record<string, unknown>, headers: Record<string, string> = {}) => t.http().post('/api/v2/verifycodes/register').set(headers).send(body),
    forExisting: (body: Record<string, unknown>, headers: Record<string, string> = {}) => t.http().post('/api/v2/verifycodes').set(headers).send(body),
    register: (body: Record<string, unknown>) =>
      t
        .http()
        .post('/api/v2/users')
        .send({ name: uniqueName(), password: 'secret-123', verifiable_type: 'sms', ...body }),
    login: (body: Record<string, unknown>) => t.http().post('/api/v2/auth/login').send(body),
    /** Moves every code of an account `seconds` into the past (the resend throttle / caps look at created_at). */
    age: async (account: string, seconds = 61) => {
      await t.db.query(`UPDATE verify_codes SET created_at = created_at - make_interval(secs => $2) WHERE account = $1`, [account, seconds]);
    },
    rows: async (account: string) => (await t.db.query('SELECT * FROM verify_codes WHERE account = $1 ORDER BY id', [account])).rows,
    sentTo: (account: string) => t.messages().filter((m) => m.to === account),
  };
}

describe('verification codes (mobile-api §2)', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await createTestApp();
    h = helpers(t);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A second code for the same account and purpose, certainly different from `previous`. */
  async function newerCode(account: string, request: () => Promise<{ status: number }>, previous: string): Promise<string> {
    for (;;) {
      await h.age(account);
      expect((await request()).status).toBe(202);
      const code = t.lastCode(account);
      if (code !== previous) return code;
    }
  }

  describe('POST /api/v2/verifycodes/register', () => {
    it('answers 202 获取成功, sends a 6-digit sms code and stores only its HMAC', async () => {
      const phone = uniquePhone();
      const res = await h.forNew({ phone });
      expect(res.status).toBe(202);
      expect(res.body).toEqual(SENT);
      const sent = h.sentTo(phone);
      expect(sent).toHaveLength(1);
      expect(sent[0].channel).toBe('sms');
      expect(sent[0].code).toMatch(/^\d{6}$/);
      expect(sent[0].text).toContain(sent[0].code);
      const rows = await h.rows(phone);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ channel: 'sms', account: phone, purpose: 'register', attempts: 0, consumed_at: null });
      expect(rows[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows[0])).not.toContain(sent[0].code);
      const ttl = (rows[0].expires_at.getTime() - rows[0].created_at.getTime()) / 1000;
      expect(Math.abs(ttl - 300)).toBeLessThan(2);
    });

    it('sends mail codes to the lower-cased e-mail; e-mail wins when both are sent', async () => {
      const email = uniqueEmail();
      const res = await h.forNew({ email: email.toUpperCase() });
      expect(res.status).toBe(202);
      expect(h.sentTo(email).map((m) => m.channel)).toEqual(['mail']);
      expect((await h.rows(email)).map((r) => [r.channel, r.purpose])).toEqual([['mail', 'register']]);

      const phone = uniquePhone();
      const other = uniqueEmail();
      expect((await h.forNew({ phone, email: other })).status).toBe(202);
      expect(h.sentTo(other)).toHaveLength(1);
      expect(h.sentTo(phone)).toHaveLength(0);
      expect(await h.rows(phone)).toEqual([]);
    });

    it('refuses a phone or e-mail that belongs to a user (any phone form, any e-mail case), sending nothing', async () => {
      const user = await registerUser(t);
      const email = uniqueEmail();
      await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
      const before = t.messages().length;
      for (const phone of [user.phone, `+86${user.phone}`, `0086${user.phone}`]) {
        const res = await h.forNew({ phone });
        expect({ phone, status: res.status, body: res.body }).toEqual({
          phone,
          status: 422,
          body: { message: '手机号码已经被使用，不能发送验证码', errors: { phone: ['手机号码已经被使用，不能发送验证码'] } },
        });
      }
      const byMail = await h.forNew({ email: email.toUpperCase() });
      expect(byMail.status).toBe(422);
      expect(byMail.body).toEqual({ message: '邮箱地址已经被使用，不能发送验证码', errors: { email: ['邮箱地址已经被使用，不能发送验证码'] } });
      expect(t.messages().length).toBe(before);
      expect(await h.rows(email)).toEqual([]);
    });

    it('validates the account: a bad phone, a bad e-mail or neither → 422, nothing recorded', async () => {
      for (const body of [{ phone: '12345678901' }, { phone: '1380000000' }, { email: 'not-an-email' }, {}]) {
        const res = await h.forNew(body);
        expect({ body, status: res.status }).toEqual({ body, status: 422 });
        expect(typeof res.body.message).toBe('string');
        expect(Object.keys(res.body.errors).length).toBeGreaterThan(0);
      }
      expect((await t.db.query(`SELECT count(*)::int AS n FROM verify_codes WHERE account IN ('12345678901', '1380000000', 'not-an-email')`)).rows[0].n).toBe(
        0,
      );
    });
  });

  describe('POST /api/v2/verifycodes', () => {
    it('answers the same 202 whether or not the account exists; only an existing one gets a message', async () => {
      const user = await registerUser(t);
      const email = uniqueEmail();
      await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
      await h.age(user.phone);
      const unknownPhone = uniquePhone();
      const unknownEmail = uniqueEmail();
      const answers = [
        await h.forExisting({ phone: `+86${user.phone}` }),
        await h.forExisting({ phone: unknownPhone }),
        await h.forExisting({ email: email.toUpperCase() }),
        await h.forExisting({ email: unknownEmail }),
      ];
      for (const res of answers) {
        expect(res.status).toBe(202);
        expect(res.body).toEqual(SENT);
      }
      expect(h.sentTo(user.phone).map((m) => m.channel)).toEqual(['sms', 'sms']); // the register code, then this one
      expect(h.sentTo(email).map((m) => m.channel)).toEqual(['mail']);
      expect(h.sentTo(unknownPhone)).toEqual([]);
      expect(h.sentTo(unknownEmail)).toEqual([]);
      const rows = await h.rows(user.phone);
      expect(rows.map((r) => r.purpose)).toEqual(['register', 'account']);
    });

    it('throttles an unknown account exactly like an existing one (no enumeration through 429)', async () => {
      const user = await registerUser(t);
      await h.age(user.phone);
      const unknown = uniquePhone();
      for (const phone of [user.phone, unknown]) expect((await h.forExisting({ phone })).status).toBe(202);
      const again = [await h.forExisting({ phone: user.phone }), await h.forExisting({ phone: unknown })];
      for (const res of again) {
        expect(res.status).toBe(429);
        expect(res.body.message).toMatch(WAIT);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      }
    });
  });

  describe('rules of a code', () => {
    it('expires after VERIFY_CODE_TTL', async () => {
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      const code = t.lastCode(phone);
      await t.db.query(`UPDATE verify_codes SET expires_at = now() - interval '1 second' WHERE account = $1`, [phone]);
      const expired = await h.register({ phone, verifiable_code: code });
      expect(expired.status).toBe(422);
      expect(expired.body).toEqual(CODE_INVALID);
      // The same code, made live again, works: expiry was the only reason.
      await t.db.query(`UPDATE verify_codes SET expires_at = now() + interval '1 minute' WHERE account = $1`, [phone]);
      expect((await h.register({ phone, verifiable_code: code })).status).toBe(201);
    });

    it('is single-use (registration and code login)', async () => {
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      const code = t.lastCode(phone);
      const first = await h.register({ phone, verifiable_code: code });
      expect(first.status).toBe(201);
      // Free the phone again (as a cancellation would): the used code still does not register it.
      await t.db.query('UPDATE users SET cancelled_at = now() WHERE phone = $1', [phone]);
      const second = await h.register({ phone, verifiable_code: code });
      expect(second.status).toBe(422);
      expect(second.body).toEqual(CODE_INVALID);

      const user = await registerUser(t);
      await h.age(user.phone);
      await h.forExisting({ phone: user.phone }).expect(202);
      const loginCode = t.lastCode(user.phone);
      expect((await h.login({ login: user.phone, verifiable_code: loginCode })).status).toBe(200);
      const reused = await h.login({ login: user.phone, verifiable_code: loginCode });
      expect(reused.status).toBe(422);
      expect(reused.body).toEqual(BAD_LOGIN);
    });

    it('dies after 5 wrong tries; 4 wrong tries leave it usable', async () => {
      const four = await registerUser(t);
      const five = await registerUser(t);
      for (const user of [four, five]) {
        await h.age(user.phone);
        await h.forExisting({ phone: user.phone }).expect(202);
      }
      const codeFour = t.lastCode(four.phone);
      const codeFive = t.lastCode(five.phone);
      for (let i = 0; i < 4; i++) expect((await h.login({ login: four.phone, verifiable_code: otherCode(codeFour) })).body).toEqual(BAD_LOGIN);
      for (let i = 0; i < 5; i++) expect((await h.login({ login: five.phone, verifiable_code: otherCode(codeFive) })).body).toEqual(BAD_LOGIN);
      expect((await h.login({ login: four.phone, verifiable_code: codeFour })).status).toBe(200);
      const dead = await h.login({ login: five.phone, verifiable_code: codeFive });
      expect(dead.status).toBe(422);
      expect(dead.body).toEqual(BAD_LOGIN);
      expect((await h.rows(five.phone)).find((r) => r.purpose === 'account').attempts).toBe(5);
    });

    it('counts every wrong try, also when they arrive in parallel', async () => {
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      const code = t.lastCode(phone);
      const wrong = otherCode(code);
      const results = await Promise.all(Array.from({ length: 12 }, () => h.register({ phone, verifiable_code: wrong })));
      for (const res of results) {
        expect(res.status).toBe(422);
        expect(res.body).toEqual(CODE_INVALID);
      }
      expect((await h.rows(phone)).map((r) => r.attempts)).toEqual([5]);
      const right = await h.register({ phone, verifiable_code: code });
      expect(right.status).toBe(422);
      expect(right.body).toEqual(CODE_INVALID);
      expect((await t.db.query('SELECT 1 FROM users WHERE phone = $1', [phone])).rowCount).toBe(0);
    });

    it('is superseded by a newer code for the same account and purpose', async () => {
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      const older = t.lastCode(phone);
      const newer = await newerCode(phone, () => h.forNew({ phone }), older);
      const rows = await h.rows(phone);
      expect(rows.filter((r) => r.consumed_at === null)).toHaveLength(1);
      expect((await h.register({ phone, verifiable_code: older })).body).toEqual(CODE_INVALID);
      expect((await h.register({ phone, verifiable_code: newer })).status).toBe(201);

      const user = await registerUser(t);
      await h.age(user.phone);
      await h.forExisting({ phone: user.phone }).expect(202);
      const olderLogin = t.lastCode(user.phone);
      const newerLogin = await newerCode(user.phone, () => h.forExisting({ phone: user.phone }), olderLogin);
      expect((await h.login({ login: user.phone, verifiable_code: olderLogin })).body).toEqual(BAD_LOGIN);
      expect((await h.login({ login: user.phone, verifiable_code: newerLogin })).status).toBe(200);
    });

    it('resend throttle: 60 s per account → 429 还需要N秒后才能获取 with Retry-After: N', async () => {
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      const again = await h.forNew({ phone });
      expect(again.status).toBe(429);
      const [, seconds] = WAIT.exec(again.body.message) ?? [];
      // 60 minus the time since the first code (by the database's clock, read after the answer: a lower bound).
      const { rows } = await t.db.query(`SELECT ceil(60 - extract(epoch FROM now() - max(created_at)))::int AS left FROM verify_codes WHERE account = $1`, [
        phone,
      ]);
      expect(Number(seconds)).toBeGreaterThanOrEqual(rows[0].left);
      expect(Number(seconds)).toBeLessThanOrEqual(60);
      expect(again.headers['retry-after']).toBe(seconds);
      expect(Object.keys(again.body)).toEqual(['message']);
      // Per account, whatever the endpoint.
      expect((await h.forExisting({ phone })).status).toBe(429);
      expect(h.sentTo(phone)).toHaveLength(1);
      expect(await h.rows(phone)).toHaveLength(1);

      await h.age(phone, 30);
      const later = await h.forNew({ phone });
      expect(later.status).toBe(429);
      const left = Number(WAIT.exec(later.body.message)?.[1]);
      expect(left).toBeGreaterThanOrEqual(25);
      expect(left).toBeLessThanOrEqual(31);
      expect(later.headers['retry-after']).toBe(String(left));

      const en = await h.forNew({ phone }, { 'Accept-Language': 'en' });
      expect(en.status).toBe(429);
      expect(en.body.message).toMatch(/^Please wait \d+ seconds before requesting another code\.$/);

      await h.age(phone, 31);
      expect((await h.forNew({ phone })).status).toBe(202);
      expect(h.sentTo(phone)).toHaveLength(2);
      // Another account is not throttled by this one.
      expect((await h.forNew({ phone: uniquePhone() })).status).toBe(202);
    });

    it('is purpose-bound: a code from /verifycodes does not register', async () => {
      const user = await registerUser(t);
      const phone = user.phone;
      await h.age(phone);
      await h.forExisting({ phone }).expect(202);
      const accountCode = t.lastCode(phone);
      // The phone becomes free (the user moved to another number): the account code still does not register it.
      await t.db.query('UPDATE users SET phone = $2 WHERE id = $1', [user.id, uniquePhone()]);
      const res = await h.register({ phone, verifiable_code: accountCode });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(CODE_INVALID);
      // A register code for the same phone does.
      await h.age(phone);
      await h.forNew({ phone }).expect(202);
      expect((await h.register({ phone, verifiable_code: t.lastCode(phone) })).status).toBe(201);
    });

    it('is purpose-bound: a code from /verifycodes/register does not log in', async () => {
      const user = await registerUser(t);
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      const registerCode = t.lastCode(phone);
      // The free phone becomes the user's (bound after the code was sent).
      await t.db.query('UPDATE users SET phone = $2 WHERE id = $1', [user.id, phone]);
      const res = await h.login({ login: phone, verifiable_code: registerCode });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(BAD_LOGIN);
      await h.age(phone);
      await h.forExisting({ phone }).expect(202);
      const ok = await h.login({ login: phone, verifiable_code: t.lastCode(phone) });
      expect(ok.status).toBe(200);
      expect((await t.http().get('/api/v2/user').set(bearer(ok.body.access_token))).body.id).toBe(user.id);
    });

    it('is channel-bound: a mail code does not verify an sms registration', async () => {
      const email = uniqueEmail();
      await h.forNew({ email }).expect(202);
      const code = t.lastCode(email);
      const name = uniqueName();
      const asSms = await t.http().post('/api/v2/users').send({ name, email, password: 'secret-123', verifiable_type: 'sms', verifiable_code: code });
      expect(asSms.status).toBe(422);
      expect(Object.keys(asSms.body.errors)).toEqual(['phone']);
      expect((await t.db.query('SELECT 1 FROM users WHERE lower(email) = $1', [email])).rowCount).toBe(0);
      const asMail = await t.http().post('/api/v2/users').send({ name, email, password: 'secret-123', verifiable_type: 'mail', verifiable_code: code });
      expect(asMail.status).toBe(201);
    });

    it('is account-bound: a code for one phone does not verify another', async () => {
      const a = uniquePhone();
      const b = uniquePhone();
      await h.forNew({ phone: a }).expect(202);
      const codeA = t.lastCode(a);
      await h.forNew({ phone: b }).expect(202);
      const codeB = codeA === t.lastCode(b) ? await newerCode(b, () => h.forNew({ phone: b }), codeA) : t.lastCode(b);
      const res = await h.register({ phone: b, verifiable_code: codeA });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(CODE_INVALID);
      expect((await h.register({ phone: b, verifiable_code: codeB })).status).toBe(201);
      expect((await h.register({ phone: a, verifiable_code: codeA })).status).toBe(201);
    });

    it('accepts the code as a JSON number', async () => {
      const phone = uniquePhone();
      await h.forNew({ phone }).expect(202);
      expect((await h.register({ phone, verifiable_code: Number(t.lastCode(phone)) })).status).toBe(201);
    });
  });

  describe('delivery failure (MESSAGE_DIR unusable)', () => {
    let broken: TestApp;

    beforeAll(async () => {
      broken = await createTestApp({ databaseName: t.databaseName, env: { MESSAGE_DIR: '/dev/null/messages' } });
    });
    afterAll(async () => {
      await broken.close();
    });

    it('answers 400 验证码发送失败 and leaves no row, and the account is not throttled afterwards', async () => {
      const phone = uniquePhone();
      const res = await broken.http().post('/api/v2/verifycodes/register').send({ phone });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: '验证码发送失败' });
      expect(await h.rows(phone)).toEqual([]);
      expect((await h.forNew({ phone })).status).toBe(202);
      expect((await h.register({ phone, verifiable_code: t.lastCode(phone) })).status).toBe(201);
    });

    it('fails the same way for an existing account on /verifycodes', async () => {
      const user = await registerUser(t);
      await h.age(user.phone);
      const before = (await h.rows(user.phone)).length;
      const res = await broken.http().post('/api/v2/verifycodes').send({ phone: user.phone });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: '验证码发送失败' });
      expect(await h.rows(user.phone)).toHaveLength(before);
      expect((await t.db.query(`SELECT 1 FROM verify_codes WHERE account = $1 AND purpose = 'account'`, [user.phone])).rowCount).toBe(0);
    });
  });
});

describe('verification codes with other settings (caps, VERIFY_CODE_RESEND_SECONDS=0, VERIFY_CODE_TTL=120)', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await createTestApp({
      env: { VERIFY_CODE_RESEND_SECONDS: '0', VERIFY_CODE_ACCOUNT_DAILY_LIMIT: '3', VERIFY_CODE_IP_HOURLY_LIMIT: '7', VERIFY_CODE_TTL: '120' },
    });
    h = helpers(t);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Moves every code of the database past the hourly IP window (but not out of the day). */
  const passAnHour = () => t.db.query(`UPDATE verify_codes SET created_at = created_at - interval '61 minutes'`);

  it('caps codes per account per day with 429 and Retry-After', async () => {
    await passAnHour();
    const phone = uniquePhone();
    for (let i = 0; i < 3; i++) expect((await h.forNew({ phone })).status).toBe(202);
    const capped = await h.forNew({ phone });
    expect(capped.status).toBe(429);
    expect(capped.body).toEqual({ message: '今日获取验证码次数已达上限，请明天再试' });
    expect(capped.headers['retry-after']).toMatch(/^\d+$/);
    expect((await h.forExisting({ phone })).status).toBe(429);
    expect(h.sentTo(phone)).toHaveLength(3);
    expect(await h.rows(phone)).toHaveLength(3);
    // An hour later it is still capped (the cap is per day), another account is not.
    await passAnHour();
    expect((await h.forNew({ phone })).status).toBe(429);
    expect((await h.forNew({ phone: uniquePhone() })).status).toBe(202);
    // A day later it is not.
    await h.age(phone, 24 * 3600 + 60);
    expect((await h.forNew({ phone })).status).toBe(202);
  });

  it('caps codes per client IP per hour with 429 and Retry-After, counting unknown accounts too', async () => {
    await passAnHour();
    const accounts = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    // 7 requests: 3 register codes, 4 codes for accounts nobody has (nothing is sent for those).
    for (const phone of accounts.slice(0, 3)) expect((await h.forNew({ phone })).status).toBe(202);
    for (const phone of accounts) expect((await h.forExisting({ phone })).status).toBe(202);
    const capped = await h.forNew({ phone: uniquePhone() });
    expect(capped.status).toBe(429);
    expect(capped.body).toEqual({ message: '获取验证码过于频繁，请稍后再试' });
    expect(capped.headers['retry-after']).toMatch(/^\d+$/);
    expect((await h.forExisting({ email: uniqueEmail() })).status).toBe(429);
    await passAnHour();
    expect((await h.forNew({ phone: uniquePhone() })).status).toBe(202);
  });

  it('keeps a code alive for VERIFY_CODE_TTL seconds', async () => {
    await passAnHour();
    const phone = uniquePhone();
    await h.forNew({ phone }).expect(202);
    const [row] = await h.rows(phone);
    expect(Math.abs((row.expires_at.getTime() - row.created_at.getTime()) / 1000 - 120)).toBeLessThan(2);
  });

  it('lets codes be re-sent at once with VERIFY_CODE_RESEND_SECONDS=0, the newest one winning', async () => {
    await passAnHour();
    const phone = uniquePhone();
    await h.forNew({ phone }).expect(202);
    const first = t.lastCode(phone);
    let second = first;
    while (second === first) {
      await h.forNew({ phone }).expect(202);
      second = t.lastCode(phone);
    }
    expect((await h.register({ phone, verifiable_code: first })).body).toEqual(CODE_INVALID);
    expect((await h.register({ phone, verifiable_code: second })).status).toBe(201);
  });
});

/**
 * Caps that one client cannot turn against someone else (issue 10 item 7). TRUST_PROXY=1 lets a test speak from
 * several client IPs through X-Forwarded-For (the app trusts the one proxy hop in front of it).
 */
describe('verification code caps across clients (VERIFY_CODE_ACCOUNT_IP_DAILY_LIMIT, exact IP cap)', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;
  let lastIp = 0;
  /** A client address no other test used. */
  const newIp = () => `198.51.100.${++lastIp}`;
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TRUST_PROXY: '1',
        VERIFY_CODE_RESEND_SECONDS: '0',
        VERIFY_CODE_ACCOUNT_DAILY_LIMIT: '4',
        VERIFY_CODE_ACCOUNT_IP_DAILY_LIMIT: '2',
        VERIFY_CODE_IP_HOURLY_LIMIT: '30',
      },
    });
    h = helpers(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('only delivered codes count toward the account cap: requests for a phone nobody has do not block its registration', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 4; i++) expect((await h.forExisting({ phone }, from(newIp()))).status).toBe(202);
    expect(h.sentTo(phone)).toEqual([]);
    // Without the cap on delivered codes this was 429 for the rest of the day.
    expect((await h.forNew({ phone }, from(newIp()))).status).toBe(202);
    expect(h.sentTo(phone)).toHaveLength(1);
  });

  it('one client gets at most VERIFY_CODE_ACCOUNT_IP_DAILY_LIMIT codes for an account; the owner elsewhere still gets one', async () => {
    const phone = uniquePhone();
    const attacker = from(newIp());
    for (let i = 0; i < 2; i++) expect((await h.forNew({ phone }, attacker)).status).toBe(202);
    const capped = await h.forNew({ phone }, attacker);
    expect(capped.status).toBe(429);
    expect(capped.body).toEqual({ message: '今日获取验证码次数已达上限，请明天再试' });
    expect((await h.forNew({ phone }, from(newIp()))).status).toBe(202);
    expect(h.sentTo(phone)).toHaveLength(3);
  });

  it('an unknown account is capped per client exactly like an existing one (no enumeration through 429)', async () => {
    const user = await registerUser(t);
    for (const phone of [user.phone, uniquePhone()]) {
      const client = from(newIp());
      for (let i = 0; i < 2; i++) expect((await h.forExisting({ phone }, client)).status).toBe(202);
      expect((await h.forExisting({ phone }, client)).status).toBe(429);
    }
  });

  it('the per-IP hourly cap is exact under 60 parallel requests: 30 codes delivered, 30 refused', async () => {
    const client = from(newIp());
    const phones = Array.from({ length: 60 }, () => uniquePhone());
    const answers = await Promise.all(phones.map((phone) => h.forNew({ phone }, client)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const wanted = new Set(phones);
    expect(t.messages().filter((m) => wanted.has(m.to))).toHaveLength(30);
  });
});
