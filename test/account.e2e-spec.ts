import { PasswordHasher } from '../src/auth/password-hasher';
import { VerifyCodesService } from '../src/verify-codes/verify-codes.service';
import { bearer, fullwidth, makeFounder, registerUser, RegisteredUser, uniqueEmail, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { gif, png } from './support/images';

/**
 * The own account (mobile-api §4.1–4.2): PATCH / PUT / DELETE /user…, password change and retrieval, cancellation,
 * and the admin VIP route (§10). Every rule is checked over HTTP and, where it matters, in the database.
 */

const CODE_INVALID = { message: '验证码错误或者已失效', errors: { verifiable_code: ['验证码错误或者已失效'] } };

describe('account (mobile-api §4.2)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Several codes per account in one test: no 60 s resend interval here (the verify-codes tests cover it).
    t = await createTestApp({ env: { VERIFY_CODE_RESEND_SECONDS: '0' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const me = (token: string) => t.http().get('/api/v2/user').set(bearer(token));
  const patch = (token: string, body: object) => t.http().patch('/api/v2/user').set(bearer(token)).send(body);
  const login = (account: string, password: string) => t.http().post('/api/v2/auth/login').send({ login: account, password });

  /** A code for a phone / e-mail nobody uses yet (register or bind). */
  async function registerCode(contact: { phone: string } | { email: string }): Promise<string> {
    await t.http().post('/api/v2/verifycodes/register').send(contact).expect(202);
    return t.lastCode('phone' in contact ? contact.phone.replace(/^\+86/, '') : contact.email.toLowerCase());
  }

  /** A code for an existing account (retrieve password, unbind, cancel). */
  async function accountCode(contact: { phone: string } | { email: string }): Promise<string> {
    await t.http().post('/api/v2/verifycodes').send(contact).expect(202);
    return t.lastCode('phone' in contact ? contact.phone : contact.email.toLowerCase());
  }

  /** Registers through the API without a password (an account that logs in by code only). */
  async function registerWithoutPassword(): Promise<{ id: number; name: string; phone: string; token: string }> {
    const name = uniqueName('np');
    const phone = uniquePhone();
    const code = await registerCode({ phone });
    const res = await t.http().post('/api/v2/users').send({ name, phone, verifiable_type: 'sms', verifiable_code: code }).expect(201);
    const { rows } = await t.db.query('SELECT id, password FROM users WHERE phone = $1 AND cancelled_at IS NULL', [phone]);
    expect(rows[0].password).toBeNull();
    return { id: Number(rows[0].id), name, phone, token: res.body.access_token };
  }

  /** Gives an existing user an e-mail directly in the database (setup shortcut). */
  async function giveEmail(userId: number): Promise<string> {
    const email = uniqueEmail();
    await t.db.query('UPDATE users SET email = $2, email_verified = true WHERE id = $1', [userId, email]);
    return email;
  }

  async function uploadImage(token: string, bytes: Buffer = png(12, 7)) {
    const res = await t.http().post('/api/v2/storage').set(bearer(token)).attach('file', bytes, { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    return res.body as { node: string; url: string; mime: string; size: number; dimension: { width: number; height: number } };
  }

  async function userRow(id: number) {
    const { rows } = await t.db.query(
      `SELECT u.*, w.balance, w.total_income, w.total_expenses, c.sum AS currency_sum,
              (SELECT count(*)::int FROM user_roles r WHERE r.user_id = u.id) AS roles
         FROM users u JOIN wallets w ON w.owner_id = u.id JOIN user_currencies c ON c.owner_id = u.id WHERE u.id = $1`,
      [id],
    );
    return rows[0];
  }

  async function expectTokenDead(token: string) {
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
  }

  // ───────────────────────────── PATCH /user ─────────────────────────────

  describe('PATCH /api/v2/user', () => {
    it('answers 204 and changes only the fields sent', async () => {
      const u = await registerUser(t);
      await patch(u.token, { bio: 'first bio', sex: 2, location: '四川省 成都市 高新区' }).expect(204);
      let view = (await me(u.token).expect(200)).body;
      expect(view).toMatchObject({ name: u.name, bio: 'first bio', sex: 2, location: '四川省 成都市 高新区' });

      await patch(u.token, { bio: 'second bio' }).expect(204);
      view = (await me(u.token).expect(200)).body;
      expect(view).toMatchObject({ name: u.name, bio: 'second bio', sex: 2, location: '四川省 成都市 高新区', avatar: null, bg: null });

      const newName = uniqueName('ren');
      await patch(u.token, { name: newName }).expect(204);
      const row = await userRow(u.id);
      expect(row).toMatchObject({ name: newName, bio: 'second bio', sex: 2, location: '四川省 成都市 高新区', phone: u.phone });
      // an empty body changes nothing
      await patch(u.token, {}).expect(204);
      expect(await userRow(u.id)).toMatchObject({ name: newName, bio: 'second bio', sex: 2 });
    });

    it('refuses name: null (and an empty name, which counts as null) with 422 and keeps the name', async () => {
      const u = await registerUser(t);
      for (const name of [null, '', '   ']) {
        const res = await patch(u.token, { name, bio: 'must not be written' });
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual(['name']);
        expect(res.body.message).toBe(res.body.errors.name[0]);
      }
      expect(await userRow(u.id)).toMatchObject({ name: u.name, bio: null });
    });

    it('refuses a name another user has, compared case-insensitively: 422 用户名已被使用', async () => {
      const [a, b] = await Promise.all([registerUser(t), registerUser(t)]);
      for (const name of [a.name, a.name.toUpperCase(), a.name[0].toUpperCase() + a.name.slice(1)]) {
        const res = await patch(b.token, { name });
        expect(res.status).toBe(422);
        expect(res.body).toEqual({ message: '用户名已被使用', errors: { name: ['用户名已被使用'] } });
      }
      expect((await userRow(b.id)).name).toBe(b.name);
      // changing the case of one's own name is not a clash
      await patch(a.token, { name: a.name.toUpperCase() }).expect(204);
      expect((await userRow(a.id)).name).toBe(a.name.toUpperCase());
    });

    it('gives a name raced for by several users to exactly one of them (the rest 422 用户名已被使用, never 500)', async () => {
      const racers = await Promise.all(Array.from({ length: 6 }, () => registerUser(t)));
      const name = uniqueName('race');
      const results = await Promise.all(racers.map((r) => patch(r.token, { name })));
      expect(results.map((r) => r.status).sort()).toEqual([204, 422, 422, 422, 422, 422]);
      for (const res of results.filter((r) => r.status === 422)) {
        expect(res.body).toEqual({ message: '用户名已被使用', errors: { name: ['用户名已被使用'] } });
      }
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE lower(name) = lower($1)', [name]);
      expect(rows[0].n).toBe(1);
    });

    it('refuses reserved names (admin, root, administrator, system, any case) with 422 系统保留昵称，禁止使用', async () => {
      const u = await registerUser(t);
      for (const name of ['admin', 'root', 'Administrator', 'SYSTEM', 'Admin']) {
        const res = await patch(u.token, { name });
        expect(res.status).toBe(422);
        expect(res.body).toEqual({ message: '系统保留昵称，禁止使用', errors: { name: ['系统保留昵称，禁止使用'] } });
      }
      expect((await userRow(u.id)).name).toBe(u.name);
    });

    it('compares names by confusable skeleton: look-alikes of a reserved or taken name are refused; names are stored NFKC', async () => {
      const [a, b] = await Promise.all([registerUser(t, { name: uniqueName('pa') }), registerUser(t)]);
      for (const name of ['ａｄｍｉｎ', '\u0430dmin', 'ADM\u0130N', 'r\u043eot']) {
        const res = await patch(b.token, { name });
        expect({ name, status: res.status, body: res.body }).toEqual({
          name,
          status: 422,
          body: { message: '系统保留昵称，禁止使用', errors: { name: ['系统保留昵称，禁止使用'] } },
        });
      }
      for (const name of [fullwidth(a.name), a.name.replace('a', '\u0430'), a.name.toUpperCase().replace('A', '\u0410')]) {
        const res = await patch(b.token, { name });
        expect({ name, status: res.status, body: res.body }).toEqual({
          name,
          status: 422,
          body: { message: '用户名已被使用', errors: { name: ['用户名已被使用'] } },
        });
      }
      expect((await userRow(b.id)).name).toBe(b.name);
      const fresh = uniqueName('nf');
      await patch(b.token, { name: fullwidth(fresh) }).expect(204);
      expect(await userRow(b.id)).toMatchObject({ name: fresh });
      // one's own look-alike is no clash
      await patch(a.token, { name: fullwidth(a.name) }).expect(204);
    });

    it('refuses a name that breaks the username / display-length rules with 422', async () => {
      const u = await registerUser(t);
      for (const name of ['1abc', 'a b c', 'ab-cd', 'a', 'abcdefghijklmnopqrstuvwxy', 123]) {
        const res = await patch(u.token, { name });
        expect({ name, status: res.status }).toEqual({ name, status: 422 });
        expect(res.body.errors.name).toHaveLength(1);
      }
      expect((await userRow(u.id)).name).toBe(u.name);
    });

    it('limits bio to 255 characters (256 → 422, 255 → 204) and null clears it', async () => {
      const u = await registerUser(t);
      const tooLong = await patch(u.token, { bio: 'x'.repeat(256) });
      expect(tooLong.status).toBe(422);
      expect(Object.keys(tooLong.body.errors)).toEqual(['bio']);
      expect((await userRow(u.id)).bio).toBeNull();

      await patch(u.token, { bio: '简'.repeat(255) }).expect(204);
      expect((await userRow(u.id)).bio).toBe('简'.repeat(255));
      await patch(u.token, { bio: null }).expect(204);
      expect((await userRow(u.id)).bio).toBeNull();

      const longLocation = await patch(u.token, { location: '地'.repeat(256) });
      expect(longLocation.status).toBe(422);
      expect(Object.keys(longLocation.body.errors)).toEqual(['location']);
      await patch(u.token, { location: '地'.repeat(255) }).expect(204);
      expect((await userRow(u.id)).location).toBe('地'.repeat(255));
    });

    it('accepts sex 0, 1 and 2 only', async () => {
      const u = await registerUser(t);
      for (const sex of [1, 2, 0]) {
        await patch(u.token, { sex }).expect(204);
        expect((await me(u.token)).body.sex).toBe(sex);
      }
      await patch(u.token, { sex: 2 }).expect(204);
      for (const sex of [3, -1, 1.5, 'male', true, 99999999999]) {
        const res = await patch(u.token, { sex });
        expect({ sex, status: res.status }).toEqual({ sex, status: 422 });
        expect(Object.keys(res.body.errors)).toEqual(['sex']);
      }
      expect((await userRow(u.id)).sex).toBe(2);
    });

    it('ignores mass-assigned fields: id, phone, email, password, wallet, balance, is_admin, invite_code, disabled_at, created_at', async () => {
      const u = await registerUser(t);
      const victim = await registerUser(t);
      const rowBefore = await userRow(u.id);
      const viewBefore = (await me(u.token).expect(200)).body;
      const res = await patch(u.token, {
        bio: 'only this changes',
        id: victim.id,
        user_id: victim.id,
        phone: uniquePhone(),
        email: uniqueEmail(),
        password: 'hacked-password',
        wallet: { balance: 100000000 },
        new_wallet: { balance: 100000000 },
        balance: 100000000,
        currency: { sum: 999999 },
        sum: 999999,
        is_admin: true,
        roles: ['founder'],
        invite_code: 'HACKED',
        disabled_at: '2020-01-01T00:00:00Z',
        cancelled_at: '2020-01-01T00:00:00Z',
        created_at: '2000-01-01T00:00:00Z',
        updated_at: '2000-01-01T00:00:00Z',
        vip_level: 9,
        vip: { level: 9, name: 'gold', end_time: '2099-01-01T00:00:00Z' },
        city: 'Atlantis',
        has_password: false,
        extra: { followers_count: 1000 },
      });
      expect(res.status).toBe(204);

      const rowAfter = await userRow(u.id);
      expect(rowAfter.bio).toBe('only this changes');
      // bio and updated_at change; last_active_at is the activity clock of authenticated requests
      const { bio: _b1, updated_at: _u1, last_active_at: _l1, ...keptBefore } = rowBefore;
      const { bio: _b2, updated_at: _u2, last_active_at: _l2, ...keptAfter } = rowAfter;
      expect(keptAfter).toEqual(keptBefore);
      expect(rowAfter.roles).toBe(0);

      const viewAfter = (await me(u.token).expect(200)).body;
      const { bio: _b3, updated_at: _u3, ...viewKeptBefore } = viewBefore;
      const { bio: _b4, updated_at: _u4, ...viewKeptAfter } = viewAfter;
      expect(viewKeptAfter).toEqual(viewKeptBefore);
      expect(viewAfter.vip).toBeNull();

      // the victim is untouched, the old password still works, and the user did not become an admin
      expect((await userRow(victim.id)).bio).toBeNull();
      await login(u.name, u.password).expect(200);
      expect((await login(u.name, 'hacked-password')).status).toBe(422);
      expect((await t.http().put(`/api/v2/admin/users/${victim.id}/vip`).set(bearer(u.token)).send({ level: 1 })).status).toBe(403);
    });

    it('sets avatar and bg to own uploads; user objects then show {url, vendor, mime, size, dimension, node}; null clears', async () => {
      const u = await registerUser(t);
      const viewer = await registerUser(t);
      const avatarFile = await uploadImage(u.token, png(12, 7));
      const bgFile = await uploadImage(u.token, gif(30, 20));
      await patch(u.token, { avatar: avatarFile.node, bg: bgFile.node }).expect(204);
      expect(await userRow(u.id)).toMatchObject({ avatar: avatarFile.node, bg: bgFile.node });

      const expectedAvatar = {
        url: avatarFile.url,
        vendor: expect.any(String),
        mime: 'image/png',
        size: avatarFile.size,
        dimension: { width: 12, height: 7 },
        node: avatarFile.node,
      };
      const expectedBg = {
        url: bgFile.url,
        vendor: expect.any(String),
        mime: 'image/gif',
        size: bgFile.size,
        dimension: { width: 30, height: 20 },
        node: bgFile.node,
      };
      const own = (await me(u.token).expect(200)).body;
      expect(own.avatar).toEqual(expectedAvatar);
      expect(own.bg).toEqual(expectedBg);
      expect(own.avatar.url).toMatch(new RegExp(`/api/v2/storage/${avatarFile.node.replace(/[.]/g, '\\.')}$`));

      const seenByOther = (await t.http().get(`/api/v2/users/${u.id}`).set(bearer(viewer.token)).expect(200)).body;
      expect(seenByOther.avatar).toEqual(expectedAvatar);
      expect(seenByOther.bg).toEqual(expectedBg);
      const listed = (await t.http().get(`/api/v2/users?id=${u.id}`).expect(200)).body;
      expect(listed).toHaveLength(1);
      expect(listed[0].avatar).toEqual(expectedAvatar);

      // null clears one field and leaves the other
      await patch(u.token, { avatar: null }).expect(204);
      const cleared = (await me(u.token).expect(200)).body;
      expect(cleared.avatar).toBeNull();
      expect(cleared.bg).toEqual(expectedBg);
      expect((await userRow(u.id)).avatar).toBeNull();
    });

    it("refuses someone else's upload and made-up nodes as avatar / bg with 422 and writes nothing", async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      const mine = await uploadImage(u.token);
      await patch(u.token, { avatar: mine.node }).expect(204);
      const theirs = await uploadImage(other.token);
      const madeUp = 'public:2020/01/01/0123456789abcdef0123456789abcdef.png';
      for (const field of ['avatar', 'bg']) {
        for (const node of [theirs.node, madeUp, 'public:../../etc/passwd', 'http://evil.example/x.png', 42]) {
          const res = await patch(u.token, { [field]: node, bio: 'must not be written' });
          expect({ field, node, status: res.status }).toEqual({ field, node, status: 422 });
          expect(Object.keys(res.body.errors)).toEqual([field]);
        }
      }
      expect(await userRow(u.id)).toMatchObject({ avatar: mine.node, bg: null, bio: null });
    });
  });

  // ───────────────────────────── PUT /user ─────────────────────────────

  describe('PUT /api/v2/user (bind a phone or an e-mail)', () => {
    it('refuses both or neither of phone / email with 422 非法操作', async () => {
      const u = await registerUser(t);
      const email = uniqueEmail();
      const phone = uniquePhone();
      const code = await registerCode({ email });
      const both = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ phone, email, verifiable_code: code });
      expect(both.status).toBe(422);
      expect(both.body.message).toBe('非法操作');
      const neither = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ verifiable_code: code });
      expect(neither.status).toBe(422);
      expect(neither.body.message).toBe('非法操作');
      expect(await userRow(u.id)).toMatchObject({ phone: u.phone, email: null });
      // the code was not spent by the refused requests
      await t.http().put('/api/v2/user').set(bearer(u.token)).send({ email, verifiable_code: code }).expect(204);
    });

    it('refuses a phone or e-mail another user has (e-mail case-insensitively) with 422 已经被使用, even with a valid code', async () => {
      const [u, holder] = await Promise.all([registerUser(t), registerUser(t)]);
      const phone = uniquePhone();
      const phoneCode = await registerCode({ phone });
      await t.db.query('UPDATE users SET phone = $2 WHERE id = $1', [holder.id, phone]);
      const takenPhone = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ phone, verifiable_code: phoneCode });
      expect(takenPhone.status).toBe(422);
      expect(takenPhone.body).toEqual({ message: '已经被使用', errors: { phone: ['已经被使用'] } });

      const email = uniqueEmail();
      const emailCode = await registerCode({ email: email.toUpperCase() });
      await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [holder.id, email]);
      const takenEmail = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ email: email.toUpperCase(), verifiable_code: emailCode });
      expect(takenEmail.status).toBe(422);
      expect(takenEmail.body).toEqual({ message: '已经被使用', errors: { email: ['已经被使用'] } });
      expect(await userRow(u.id)).toMatchObject({ phone: u.phone, email: null });
    });

    it('refuses a wrong or missing code with 422 验证码错误或者已失效', async () => {
      const u = await registerUser(t);
      const phone = uniquePhone();
      const code = await registerCode({ phone });
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const res = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ phone, verifiable_code: wrong });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(CODE_INVALID);
      // a code sent to another phone does not bind this one
      const elsewhere = uniquePhone();
      const otherCode = await registerCode({ phone: elsewhere });
      const mismatch = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ phone: uniquePhone(), verifiable_code: otherCode });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body).toEqual(CODE_INVALID);
      const missing = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ phone });
      expect(missing.status).toBe(422);
      expect(Object.keys(missing.body.errors)).toEqual(['verifiable_code']);
      expect((await userRow(u.id)).phone).toBe(u.phone);
    });

    it('binds a new phone (204): GET /user shows it, it logs in, and the code is single-use', async () => {
      const u = await registerUser(t);
      const phone = uniquePhone();
      const code = await registerCode({ phone: `+86${phone}` });
      await t
        .http()
        .put('/api/v2/user')
        .set(bearer(u.token))
        .send({ phone: `+86${phone}`, verifiable_code: code })
        .expect(204);
      expect((await me(u.token).expect(200)).body.phone).toBe(phone);
      expect((await userRow(u.id)).phone).toBe(phone);
      await login(phone, u.password).expect(200);

      const again = await registerUser(t);
      const reuse = await t.http().put('/api/v2/user').set(bearer(again.token)).send({ phone: uniquePhone(), verifiable_code: code });
      expect(reuse.status).toBe(422);
    });

    it('binds a new e-mail (204): GET /user shows it and it logs in', async () => {
      const u = await registerUser(t);
      const email = uniqueEmail();
      const code = await registerCode({ email });
      await t
        .http()
        .put('/api/v2/user')
        .set(bearer(u.token))
        .send({ email, verifiable_code: Number(code) })
        .expect(204);
      const view = (await me(u.token).expect(200)).body;
      expect(view.email).toBe(email);
      expect(view.phone).toBe(u.phone);
      await login(email, u.password).expect(200);
    });

    it('does not accept a code from /verifycodes (existing-account purpose) for binding', async () => {
      const [u, owner] = await Promise.all([registerUser(t), registerUser(t)]);
      // an existing-account code for a phone, then the phone is freed: the code is still for the wrong purpose
      const code = await accountCode({ phone: owner.phone });
      await t.db.query('UPDATE users SET phone = NULL WHERE id = $1', [owner.id]);
      const res = await t.http().put('/api/v2/user').set(bearer(u.token)).send({ phone: owner.phone, verifiable_code: code });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(CODE_INVALID);
      expect((await userRow(u.id)).phone).toBe(u.phone);
    });
  });

  // ───────────────────────────── PUT /user/password ─────────────────────────────

  describe('PUT /api/v2/user/password', () => {
    const change = (token: string, body: object) => t.http().put('/api/v2/user/password').set(bearer(token)).send(body);

    it('refuses a wrong old password, an unchanged password and a confirmation mismatch, and changes nothing', async () => {
      const u = await registerUser(t);
      const hashBefore = (await userRow(u.id)).password;

      const wrongOld = await change(u.token, { old_password: 'not-my-password', password: 'brand-new-1', password_confirmation: 'brand-new-1' });
      expect(wrongOld.status).toBe(422);
      expect(wrongOld.body).toEqual({ message: '账户密码错误', errors: { old_password: ['账户密码错误'] } });

      const same = await change(u.token, { old_password: u.password, password: u.password, password_confirmation: u.password });
      expect(same.status).toBe(422);
      expect(same.body.message).toBe('新密码和旧密码相同');

      const mismatch = await change(u.token, { old_password: u.password, password: 'brand-new-1', password_confirmation: 'brand-new-2' });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body.message).toBe('确认输入的新密码不一致');

      const missingOld = await change(u.token, { password: 'brand-new-1', password_confirmation: 'brand-new-1' });
      expect(missingOld.status).toBe(422);
      expect(Object.keys(missingOld.body.errors)).toEqual(['old_password']);

      const tooShort = await change(u.token, { old_password: u.password, password: '12345', password_confirmation: '12345' });
      expect(tooShort.status).toBe(422);

      expect((await userRow(u.id)).password).toBe(hashBefore);
      await me(u.token).expect(200);
      await login(u.name, u.password).expect(200);
    });

    it('changes the password: 204 with a fresh working token in Authorization, every older token dies, only the new password logs in', async () => {
      const u = await registerUser(t);
      const otherLogin = (await login(u.phone, u.password).expect(200)).body.access_token;
      await me(otherLogin).expect(200);

      const res = await t.http().put('/api/v2/user/password').set(bearer(u.token)).send({
        old_password: u.password,
        password: 'brand-new-pass',
        password_confirmation: 'brand-new-pass',
      });
      expect(res.status).toBe(204);
      expect(res.headers.authorization).toMatch(/^Bearer \S+$/);
      const fresh = res.headers.authorization.slice('Bearer '.length);
      expect((await me(fresh).expect(200)).body.id).toBe(u.id);

      await expectTokenDead(u.token);
      await expectTokenDead(otherLogin);
      // the fresh token keeps working after the old ones were rejected
      await me(fresh).expect(200);

      await login(u.name, 'brand-new-pass').expect(200);
      const old = await login(u.name, u.password);
      expect(old.status).toBe(422);
      expect(old.body.message).toBe('账号或密码不正确');
    });

    it('lets a password-less account set a password without old_password', async () => {
      const u = await registerWithoutPassword();
      expect((await me(u.token).expect(200)).body.has_password).toBe(false);
      await t.http().put('/api/v2/user/password').set(bearer(u.token)).send({ password: 'first-pass-1', password_confirmation: 'first-pass-1' }).expect(204);
      await login(u.name, 'first-pass-1').expect(200);
      expect((await userRow(u.id)).password).not.toBeNull();
    });
  });

  // ───────────────────────────── PUT /user/retrieve-password ─────────────────────────────

  describe('PUT /api/v2/user/retrieve-password (guest)', () => {
    const retrieve = (body: object) => t.http().put('/api/v2/user/retrieve-password').send(body);

    it('sms: a bad code → 422 验证码错误或者已失效 and nothing changes; the right code → 204, every token dies, the new password works', async () => {
      const u = await registerUser(t);
      const second = (await login(u.name, u.password).expect(200)).body.access_token;
      const hashBefore = (await userRow(u.id)).password;
      const code = await accountCode({ phone: u.phone });
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

      const bad = await retrieve({ verifiable_type: 'sms', phone: u.phone, verifiable_code: wrong, password: 'retrieved-1' });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual(CODE_INVALID);
      expect((await userRow(u.id)).password).toBe(hashBefore);
      await me(u.token).expect(200);

      await retrieve({ verifiable_type: 'sms', phone: u.phone, verifiable_code: code, password: 'retrieved-1' }).expect(204);
      await expectTokenDead(u.token);
      await expectTokenDead(second);
      await login(u.phone, 'retrieved-1').expect(200);
      expect((await login(u.phone, u.password)).status).toBe(422);

      // the code is single-use
      const reuse = await retrieve({ verifiable_type: 'sms', phone: u.phone, verifiable_code: code, password: 'retrieved-2' });
      expect(reuse.status).toBe(422);
      expect(reuse.body).toEqual(CODE_INVALID);
    });

    it('mail: the code sent to the e-mail resets the password (204), every token dies', async () => {
      const u = await registerUser(t);
      const email = await giveEmail(u.id);
      const code = await accountCode({ email });
      const bad = await retrieve({
        verifiable_type: 'mail',
        email,
        verifiable_code: String((Number(code) + 7) % 1_000_000).padStart(6, '0'),
        password: 'mailed-pass',
      });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual(CODE_INVALID);

      await retrieve({ verifiable_type: 'mail', email: email.toUpperCase(), verifiable_code: code, password: 'mailed-pass' }).expect(204);
      await expectTokenDead(u.token);
      await login(email, 'mailed-pass').expect(200);
      expect((await login(email, u.password)).status).toBe(422);
    });

    it('does the same work for an unknown account as for a known one: one password hash and one code check each', async () => {
      const hasher = t.app.get(PasswordHasher, { strict: false });
      const codes = t.app.get(VerifyCodesService, { strict: false });
      const u = await registerUser(t);
      const unknown = uniquePhone();
      const work: Record<string, { hashes: number; checks: number; status: number; body: unknown }> = {};
      for (const [label, phone] of [
        ['known', u.phone],
        ['unknown', unknown],
      ] as const) {
        await t.http().post('/api/v2/verifycodes').send({ phone }).expect(202);
        const code = label === 'known' ? t.lastCode(phone) : '999999';
        const hash = jest.spyOn(hasher, 'hash');
        const check = jest.spyOn(codes, 'check');
        try {
          const res = await retrieve({
            verifiable_type: 'sms',
            phone,
            verifiable_code: String((Number(code) + 1) % 1_000_000).padStart(6, '0'),
            password: 'whatever-1',
          });
          work[label] = { hashes: hash.mock.calls.length, checks: check.mock.calls.length, status: res.status, body: res.body };
        } finally {
          hash.mockRestore();
          check.mockRestore();
        }
      }
      expect(work.unknown).toEqual(work.known);
      expect(work.known).toEqual({ hashes: 1, checks: 1, status: 422, body: CODE_INVALID });
    });

    it('answers an unknown account exactly like a bad code (no enumeration)', async () => {
      const u = await registerUser(t);
      await accountCode({ phone: u.phone });
      const knownBad = await retrieve({ verifiable_type: 'sms', phone: u.phone, verifiable_code: '000000', password: 'whatever-1' });
      const unknownPhone = await retrieve({ verifiable_type: 'sms', phone: uniquePhone(), verifiable_code: '000000', password: 'whatever-1' });
      const unknownEmail = await retrieve({ verifiable_type: 'mail', email: uniqueEmail(), verifiable_code: '123456', password: 'whatever-1' });
      for (const res of [knownBad, unknownPhone, unknownEmail]) {
        expect(res.status).toBe(422);
        expect(res.body).toEqual(CODE_INVALID);
      }
    });

    it('does not accept a code from /verifycodes/register (register-or-bind purpose)', async () => {
      const u = await registerUser(t);
      const phone = uniquePhone();
      const registerPurpose = await registerCode({ phone });
      // the phone now belongs to u (setup shortcut), the register code is still live
      await t.db.query('UPDATE users SET phone = $2 WHERE id = $1', [u.id, phone]);
      const res = await retrieve({ verifiable_type: 'sms', phone, verifiable_code: registerPurpose, password: 'purpose-1' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(CODE_INVALID);
      await me(u.token).expect(200);
      expect((await login(phone, 'purpose-1')).status).toBe(422);

      // control: an existing-account code for the same phone works
      const accountPurpose = await accountCode({ phone });
      await retrieve({ verifiable_type: 'sms', phone, verifiable_code: accountPurpose, password: 'purpose-1' }).expect(204);
      await login(phone, 'purpose-1').expect(200);
    });
  });

  // ───────────────────────────── DELETE /user/phone, /user/email ─────────────────────────────

  describe('DELETE /api/v2/user/phone and /api/v2/user/email', () => {
    it('phone: wrong password → 422 密码错误, bad code → 422 验证码错误或者已失效, right ones → 204 and phone null', async () => {
      const u = await registerUser(t);
      await giveEmail(u.id);
      const code = await accountCode({ phone: u.phone });

      const wrongPassword = await t.http().delete('/api/v2/user/phone').set(bearer(u.token)).send({ password: 'not-the-password', verifiable_code: code });
      expect(wrongPassword.status).toBe(422);
      expect(wrongPassword.body).toEqual({ message: '密码错误', errors: { password: ['密码错误'] } });

      const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const badCode = await t.http().delete('/api/v2/user/phone').set(bearer(u.token)).send({ password: u.password, verifiable_code: wrongCode });
      expect(badCode.status).toBe(422);
      expect(badCode.body).toEqual(CODE_INVALID);
      expect((await userRow(u.id)).phone).toBe(u.phone);

      // the code may come as a JSON number
      await t
        .http()
        .delete('/api/v2/user/phone')
        .set(bearer(u.token))
        .send({ password: u.password, verifiable_code: Number(code) })
        .expect(204);
      expect((await userRow(u.id)).phone).toBeNull();
      expect((await me(u.token).expect(200)).body.phone).toBeNull();
      expect((await login(u.phone, u.password)).status).toBe(422);
      // the phone is free for someone else
      await registerUser(t, { phone: u.phone });
    });

    it('email: 204 and email null with the password and a code sent to the e-mail', async () => {
      const u = await registerUser(t);
      const email = await giveEmail(u.id);
      const code = await accountCode({ email });
      const wrongPassword = await t.http().delete('/api/v2/user/email').set(bearer(u.token)).send({ password: 'nope-nope', verifiable_code: code });
      expect(wrongPassword.status).toBe(422);
      expect(wrongPassword.body.message).toBe('密码错误');
      const badCode = await t
        .http()
        .delete('/api/v2/user/email')
        .set(bearer(u.token))
        .send({ password: u.password, verifiable_code: '999999' === code ? '999998' : '999999' });
      expect(badCode.status).toBe(422);
      expect(badCode.body).toEqual(CODE_INVALID);
      expect((await userRow(u.id)).email).toBe(email);

      await t.http().delete('/api/v2/user/email').set(bearer(u.token)).send({ password: u.password, verifiable_code: code }).expect(204);
      expect((await userRow(u.id)).email).toBeNull();
      const view = (await me(u.token).expect(200)).body;
      expect(view.email).toBeNull();
      expect(view.phone).toBe(u.phone);
      // nothing left to remove
      const again = await t.http().delete('/api/v2/user/email').set(bearer(u.token)).send({ password: u.password, verifiable_code: code });
      expect(again.status).toBe(422);
    });

    it('refuses to remove the last way to log in of a password-less account (422), and allows it while another remains', async () => {
      const u = await registerWithoutPassword();
      const onlyPhone = await t
        .http()
        .delete('/api/v2/user/phone')
        .set(bearer(u.token))
        .send({ verifiable_code: await accountCode({ phone: u.phone }) });
      expect(onlyPhone.status).toBe(422);
      expect(typeof onlyPhone.body.message).toBe('string');
      expect((await userRow(u.id)).phone).toBe(u.phone);

      // with an e-mail as well, the phone can go; then the e-mail is the last way and stays
      const email = await giveEmail(u.id);
      await t
        .http()
        .delete('/api/v2/user/phone')
        .set(bearer(u.token))
        .send({ verifiable_code: await accountCode({ phone: u.phone }) })
        .expect(204);
      expect((await userRow(u.id)).phone).toBeNull();
      const lastEmail = await t
        .http()
        .delete('/api/v2/user/email')
        .set(bearer(u.token))
        .send({ verifiable_code: await accountCode({ email }) });
      expect(lastEmail.status).toBe(422);
      expect((await userRow(u.id)).email).toBe(email);
    });

    it('parallel DELETE /user/phone and /user/email of a password-less account: one 204, one 422, a way to sign in stays', async () => {
      for (let round = 0; round < 3; round++) {
        const u = await registerWithoutPassword();
        const email = await giveEmail(u.id);
        const [phoneCode, emailCode] = [await accountCode({ phone: u.phone }), await accountCode({ email })];
        const answers = await Promise.all([
          t.http().delete('/api/v2/user/phone').set(bearer(u.token)).send({ verifiable_code: phoneCode }),
          t.http().delete('/api/v2/user/email').set(bearer(u.token)).send({ verifiable_code: emailCode }),
        ]);
        expect(answers.map((r) => r.status).sort()).toEqual([204, 422]);
        const row = await userRow(u.id);
        expect(row.phone !== null || row.email !== null).toBe(true);
        // The refused side's code was not used up: it works once the other contact is back.
        const refused = answers[0].status === 422 ? 'phone' : 'email';
        expect(row[refused]).not.toBeNull();
      }
    });

    it('the database refuses a live account without password, phone and e-mail (users_sign_in_check)', async () => {
      const u = await registerWithoutPassword();
      await expect(t.db.query('UPDATE users SET phone = NULL WHERE id = $1', [u.id])).rejects.toThrow(/users_sign_in_check/);
      // A cancelled account may lose them all.
      await t.db.query('UPDATE users SET cancelled_at = now(), phone = NULL WHERE id = $1', [u.id]);
    });

    it('answers 401 without a token', async () => {
      const res = await t.http().delete('/api/v2/user/phone').send({ password: 'x', verifiable_code: '123456' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    });
  });

  // ───────────────────────────── DELETE /user (cancel) ─────────────────────────────

  describe('DELETE /api/v2/user (cancel the account)', () => {
    it('answers 401 without a token or with a bad one', async () => {
      for (const req of [t.http().delete('/api/v2/user'), t.http().delete('/api/v2/user').set(bearer('garbage'))]) {
        const res = await req.send({ password: 'whatever' });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: 'Unauthenticated.' });
      }
    });

    it('refuses a wrong or missing password with 422 and cancels nothing', async () => {
      const u = await registerUser(t);
      for (const body of [{ password: 'wrong-password' }, {}]) {
        const res = await t.http().delete('/api/v2/user').set(bearer(u.token)).send(body);
        expect(res.status).toBe(422);
        expect(res.body.errors.password).toHaveLength(1);
      }
      expect((await userRow(u.id)).cancelled_at).toBeNull();
      await me(u.token).expect(200);
    });

    it('cancels: 202 操作成功,再见; tokens die, the user vanishes, name and phone are free, follows go with counters fixed, wallet rows stay', async () => {
      const [a, b, c] = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
      const follow = (token: string, target: number) => t.http().put(`/api/v2/user/followings/${target}`).set(bearer(token)).expect(204);
      await follow(a.token, b.id); // a → b
      await follow(b.token, a.id); // b → a
      await follow(c.token, a.id); // c → a
      await follow(c.token, b.id); // c → b (must survive)
      const extraOf = async (id: number) => (await t.http().get(`/api/v2/users/${id}`).expect(200)).body.extra;
      expect(await extraOf(b.id)).toMatchObject({ followers_count: 2, followings_count: 1 });
      expect(await extraOf(c.id)).toMatchObject({ followers_count: 0, followings_count: 2 });
      // money history through the admin routes: a wallet credit and a points grant, each with its ledger row
      const banker = await registerUser(t);
      await makeFounder(t, banker.id);
      await t.http().post(`/api/v2/admin/wallet/${a.id}`).set(bearer(banker.token)).send({ amount: 500, title: 'test credit' }).expect(201);
      await t.http().post(`/api/v2/admin/currency/${a.id}`).set(bearer(banker.token)).send({ amount: 30, title: 'test grant' }).expect(201);
      const email = await giveEmail(a.id);
      await t.http().post(`/api/v2/admin/recommends/${a.id}`).set(bearer(banker.token)).expect(201);
      const recommendedBefore = (await t.http().get('/api/v2/user/recommends').expect(200)).body;
      expect(recommendedBefore.map((x: { id: number }) => x.id)).toContain(a.id);
      const secondToken = (await login(a.name, a.password).expect(200)).body.access_token;

      const res = await t.http().delete('/api/v2/user').set(bearer(a.token)).send({ password: a.password });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ message: '操作成功,再见' });

      // every token of the user dies; logging in fails
      await expectTokenDead(a.token);
      await expectTokenDead(secondToken);
      expect((await login(a.name, a.password)).status).toBe(422);

      // gone from lookups and lists, for guests and users
      for (const key of [String(a.id), a.name]) {
        const guest = await t.http().get(`/api/v2/users/${key}`);
        expect(guest.status).toBe(404);
        expect(guest.body).toEqual({ message: '内容不存在' });
        expect((await t.http().get(`/api/v2/users/${key}`).set(bearer(b.token))).status).toBe(404);
      }
      const byIds = (await t.http().get(`/api/v2/users?id=${a.id},${b.id}`).expect(200)).body;
      expect(byIds.map((x: { id: number }) => x.id)).toEqual([b.id]);
      const page = (await t.http().get('/api/v2/users?limit=50').expect(200)).body;
      expect(page.map((x: { id: number }) => x.id)).not.toContain(a.id);
      expect(page.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([b.id, c.id]));

      // follow relations are removed and the other side's counters fixed
      const { rows: relations } = await t.db.query('SELECT * FROM follows WHERE follower_id = $1 OR followee_id = $1', [a.id]);
      expect(relations).toEqual([]);
      expect(await extraOf(b.id)).toMatchObject({ followers_count: 1, followings_count: 0 });
      expect(await extraOf(c.id)).toMatchObject({ followers_count: 0, followings_count: 1 });
      const { rows: counts } = await t.db.query(
        `SELECT e.user_id, e.followers_count, e.followings_count,
                (SELECT count(*)::int FROM follows f WHERE f.followee_id = e.user_id) AS followers,
                (SELECT count(*)::int FROM follows f WHERE f.follower_id = e.user_id) AS followings
           FROM user_extras e WHERE e.user_id = ANY($1)`,
        [[b.id, c.id]],
      );
      for (const row of counts) {
        expect(row.followers_count).toBe(row.followers);
        expect(row.followings_count).toBe(row.followings);
      }
      const recommended = (await t.http().get('/api/v2/user/recommends').expect(200)).body;
      expect(recommended.map((x: { id: number }) => x.id)).not.toContain(a.id);
      const followers = (await t.http().get('/api/v2/user/followers').set(bearer(b.token)).expect(200)).body;
      expect(followers.map((x: { id: number }) => x.id)).toEqual([c.id]);

      // money history stays: the ledgers, the wallet and the points balance of the cancelled user still exist
      const { rows: walletLedger } = await t.db.query('SELECT amount, type FROM wallet_ledger WHERE owner_id = $1', [a.id]);
      expect(walletLedger).toEqual([{ amount: 500, type: 1 }]);
      const { rows: currencyLedger } = await t.db.query('SELECT amount, type FROM currency_ledger WHERE owner_id = $1', [a.id]);
      expect(currencyLedger).toEqual([{ amount: 30, type: 1 }]);
      const { rows: wallets } = await t.db.query('SELECT balance FROM wallets WHERE owner_id = $1', [a.id]);
      expect(wallets).toEqual([{ balance: 500 }]);
      const { rows: currencies } = await t.db.query('SELECT sum FROM user_currencies WHERE owner_id = $1', [a.id]);
      expect(currencies).toEqual([{ sum: 30 }]);
      const { rows: users } = await t.db.query('SELECT cancelled_at FROM users WHERE id = $1', [a.id]);
      expect(users[0].cancelled_at).not.toBeNull();

      // name, phone and e-mail can be registered again by someone else
      await t.http().post('/api/v2/verifycodes/register').send({ email }).expect(202);
      const again = await registerUser(t, { name: a.name, phone: a.phone });
      expect(again.id).not.toBe(a.id);
      const found = (await t.http().get(`/api/v2/users/${a.name}`).expect(200)).body;
      expect(found.id).toBe(again.id);

      // a second cancel with a dead token is 401
      expect((await t.http().delete('/api/v2/user').set(bearer(a.token)).send({ password: a.password })).status).toBe(401);
    });

    it('leaves no relation of the cancelled user and exact counters when follows race with the cancellation', async () => {
      const a = await registerUser(t);
      const others = await Promise.all(Array.from({ length: 12 }, () => registerUser(t)));
      const ids = [a.id, ...others.map((o) => o.id)];
      for (const o of others.slice(0, 4)) {
        await t.http().put(`/api/v2/user/followings/${o.id}`).set(bearer(a.token)).expect(204);
        await t.http().put(`/api/v2/user/followings/${a.id}`).set(bearer(o.token)).expect(204);
      }
      const racing = [
        ...others.slice(4).map((o) => t.http().put(`/api/v2/user/followings/${o.id}`).set(bearer(a.token))),
        ...others.slice(4).map((o) => t.http().put(`/api/v2/user/followings/${a.id}`).set(bearer(o.token))),
        ...others.slice(0, 4).map((o) => t.http().delete(`/api/v2/user/followings/${a.id}`).set(bearer(o.token))),
      ];
      const cancel = t.http().delete('/api/v2/user').set(bearer(a.token)).send({ password: a.password });
      const [cancelled, ...rest] = await Promise.all([cancel, ...racing]);
      expect(cancelled.status).toBe(202);
      for (const res of rest) expect(res.status).toBeLessThan(500);

      const { rows: left } = await t.db.query('SELECT follower_id, followee_id FROM follows WHERE follower_id = $1 OR followee_id = $1', [a.id]);
      expect(left).toEqual([]);
      const { rows } = await t.db.query(
        `SELECT e.user_id, e.followers_count, e.followings_count,
                (SELECT count(*)::int FROM follows f WHERE f.followee_id = e.user_id) AS followers,
                (SELECT count(*)::int FROM follows f WHERE f.follower_id = e.user_id) AS followings
           FROM user_extras e WHERE e.user_id = ANY($1) ORDER BY e.user_id`,
        [ids],
      );
      for (const row of rows) {
        expect({ user: row.user_id, followers: row.followers_count, followings: row.followings_count }).toEqual({
          user: row.user_id,
          followers: row.followers,
          followings: row.followings,
        });
      }
    });

    it('cancels a password-less account with a code sent to its phone (a wrong code → 422)', async () => {
      const u = await registerWithoutPassword();
      const code = await accountCode({ phone: u.phone });
      const wrong = await t
        .http()
        .delete('/api/v2/user')
        .set(bearer(u.token))
        .send({ verifiable_code: String((Number(code) + 3) % 1_000_000).padStart(6, '0') });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual(CODE_INVALID);
      expect((await userRow(u.id)).cancelled_at).toBeNull();

      const res = await t.http().delete('/api/v2/user').set(bearer(u.token)).send({ verifiable_code: code });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ message: '操作成功,再见' });
      await expectTokenDead(u.token);
      expect((await t.http().get(`/api/v2/users/${u.id}`)).status).toBe(404);
    });
  });

  // ───────────────────────────── VIP (admin) ─────────────────────────────

  describe('PUT /api/v2/admin/users/:user/vip', () => {
    let admin: RegisteredUser;
    beforeAll(async () => {
      admin = await registerUser(t);
      await makeFounder(t, admin.id);
    });
    const setVip = (token: string | null, userId: number | string, body: object) => {
      const req = t.http().put(`/api/v2/admin/users/${userId}/vip`);
      if (token) req.set(bearer(token));
      return req.send(body);
    };

    it('sets a membership (204) that every view of the user shows as vip {level, name, end_time}', async () => {
      const u = await registerUser(t);
      expect((await me(u.token).expect(200)).body.vip).toBeNull();
      await setVip(admin.token, u.id, { level: 3, name: '黄金会员', end_time: '2099-01-02T03:04:05Z' }).expect(204);
      const vip = { level: 3, name: '黄金会员', end_time: '2099-01-02T03:04:05Z' };
      expect((await me(u.token).expect(200)).body.vip).toEqual(vip);
      expect((await t.http().get(`/api/v2/users/${u.id}`).expect(200)).body.vip).toEqual(vip);
      const listed = (await t.http().get(`/api/v2/users?id=${u.id}`).expect(200)).body;
      expect(listed[0].vip).toEqual(vip);

      // a new call replaces it
      await setVip(admin.token, u.id, { level: 5, name: '钻石会员', end_time: '2098-12-31T23:59:59Z' }).expect(204);
      expect((await me(u.token).expect(200)).body.vip).toEqual({ level: 5, name: '钻石会员', end_time: '2098-12-31T23:59:59Z' });
    });

    it('level null ends the membership (vip null)', async () => {
      const u = await registerUser(t);
      await setVip(admin.token, u.id, { level: 2, name: 'silver', end_time: '2099-01-01T00:00:00Z' }).expect(204);
      expect((await me(u.token).expect(200)).body.vip).not.toBeNull();
      await setVip(admin.token, u.id, { level: null, name: 'silver', end_time: '2099-01-01T00:00:00Z' }).expect(204);
      expect((await me(u.token).expect(200)).body.vip).toBeNull();
      expect((await t.http().get(`/api/v2/users/${u.id}`).expect(200)).body.vip).toBeNull();
      const { rows } = await t.db.query('SELECT vip_level FROM users WHERE id = $1', [u.id]);
      expect(rows[0].vip_level).toBeNull();
    });

    it('an end_time in the past means no running membership (vip null)', async () => {
      const u = await registerUser(t);
      await setVip(admin.token, u.id, { level: 4, name: 'expired', end_time: '2020-01-01T00:00:00Z' }).expect(204);
      expect((await me(u.token).expect(200)).body.vip).toBeNull();
      expect((await t.http().get(`/api/v2/users/${u.id}`).expect(200)).body.vip).toBeNull();
      // control: the same membership with a future end shows
      await setVip(admin.token, u.id, { level: 4, name: 'expired', end_time: '2099-01-01T00:00:00Z' }).expect(204);
      expect((await me(u.token).expect(200)).body.vip).toMatchObject({ level: 4 });
    });

    it('answers 403 to a normal user, 401 without a token, 404 for an unknown user, and writes nothing', async () => {
      const [u, normal] = await Promise.all([registerUser(t), registerUser(t)]);
      const forbidden = await setVip(normal.token, u.id, { level: 1, name: 'x', end_time: '2099-01-01T00:00:00Z' });
      expect(forbidden.status).toBe(403);
      expect(typeof forbidden.body.message).toBe('string');
      const self = await setVip(normal.token, normal.id, { level: 1, name: 'x', end_time: '2099-01-01T00:00:00Z' });
      expect(self.status).toBe(403);
      const guest = await setVip(null, u.id, { level: 1, name: 'x', end_time: '2099-01-01T00:00:00Z' });
      expect(guest.status).toBe(401);
      expect(guest.body).toEqual({ message: 'Unauthenticated.' });
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE id = ANY($1) AND vip_level IS NOT NULL', [[u.id, normal.id]]);
      expect(rows[0].n).toBe(0);

      for (const unknown of ['999999999', 'nobody']) {
        const res = await setVip(admin.token, unknown, { level: 1, name: 'x', end_time: '2099-01-01T00:00:00Z' });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '内容不存在' });
      }
    });
  });
});
