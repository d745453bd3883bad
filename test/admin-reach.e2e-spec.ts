import { png } from './support/images';
import { bearer, makeFounder, registerAdmin, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * Issue 10 #1–3: an admin acts only on users within reach (no founder unless one, no user holding an ability the admin
 * lacks); ID numbers and real names need `admin:verification:review`; `?token=` works on the mobile API only.
 */
describe('admin reach (issue 10)', () => {
  let t: TestApp;
  let founder: RegisteredUser;

  /** Everything an admin write could change on a user, to prove a refused write changed nothing. */
  async function userState(userId: number) {
    const { rows } = await t.db.query(
      `SELECT u.name, u.phone, u.email, u.password, u.disabled_at, u.vip_level, u.custom,
              (SELECT count(*)::int FROM auth_sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL) AS live_sessions,
              (SELECT count(*)::int FROM recommended_users r WHERE r.user_id = u.id) AS recommended,
              (SELECT row_to_json(w) FROM wallets w WHERE w.owner_id = u.id) AS wallet,
              (SELECT row_to_json(c) FROM user_currencies c WHERE c.owner_id = u.id) AS currency,
              (SELECT row_to_json(v) FROM verifications v WHERE v.user_id = u.id) AS verification,
              (SELECT count(*)::int FROM admin_audit_log a WHERE a.target_id = u.id AND a.action <> 'auth.sign_in') AS audited
         FROM users u WHERE u.id = $1`,
      [userId],
    );
    return rows[0];
  }

  /** Every admin and operator write on one user, as `admin` sends it. */
  function writes(target: RegisteredUser) {
    return [
      {
        ability: 'admin:user:update',
        send: (token: string) => t.http().put(`/userve/v2.2/miniapp/user/account/${target.id}/`).set(bearer(token)).send({ new_password: 'taken-over-1' }),
      },
      {
        ability: 'admin:user:update',
        send: (token: string) => t.http().put(`/userve/v2.2/miniapp/user/account/${target.id}/`).set(bearer(token)).send({ username: 'Takeover1' }),
      },
      {
        ability: 'admin:user:update',
        send: (token: string) => t.http().put(`/userve/v2.6/miniapp/user_profile/${target.id}/`).set(bearer(token)).send({ note: 'x' }),
      },
      {
        ability: 'admin:user:update',
        send: (token: string) => t.http().put(`/userve/v2.0/miniapp/user_profile/${target.id}/`).set(bearer(token)).send({ note: 'x' }),
      },
      { ability: 'admin:user:disable', send: (token: string) => t.http().put(`/api/v2/system/disabled/${target.id}`).set(bearer(token)) },
      { ability: 'admin:user:disable', send: (token: string) => t.http().delete(`/api/v2/system/disabled/${target.id}`).set(bearer(token)) },
      {
        ability: 'admin:vip:manage',
        send: (token: string) => t.http().put(`/api/v2/admin/users/${target.id}/vip`).set(bearer(token)).send({ level: 3, name: 'gold' }),
      },
      { ability: 'admin:recommend:manage', send: (token: string) => t.http().post(`/api/v2/admin/recommends/${target.id}`).set(bearer(token)) },
      {
        ability: 'admin:currency:manage',
        send: (token: string) => t.http().post(`/api/v2/admin/currency/${target.id}`).set(bearer(token)).send({ amount: 1000 }),
      },
      { ability: 'admin:wallet:manage', send: (token: string) => t.http().post(`/api/v2/admin/wallet/${target.id}`).set(bearer(token)).send({ amount: 1000 }) },
      {
        ability: 'admin:verification:review',
        send: (token: string) => t.http().patch(`/api/v2/admin/verifications/${target.id}/approve`).set(bearer(token)).send({ slogan: 'v' }),
      },
      {
        ability: 'admin:verification:review',
        send: (token: string) => t.http().patch(`/api/v2/admin/verifications/${target.id}/reject`).set(bearer(token)).send({ reason: 'r' }),
      },
    ];
  }

  async function submitVerification(user: RegisteredUser) {
    const node = async () =>
      (await t.http().post('/api/v2/storage').set(bearer(user.token)).attach('file', png(8, 6), { filename: 'c.png', contentType: 'image/png' }).expect(201))
        .body.node;
    const [front, rear] = await Promise.all([node(), node()]);
    const data = { id_card: { front, rear, number: '11010519491231002X' }, real_name: '张三', phone_number: user.phone, desc: 'd' };
    await t.http().post('/api/v2/user/verification').set(bearer(user.token)).send({ type: 'user', data }).expect(201);
  }

  beforeAll(async () => {
    t = await createTestApp();
    founder = await registerUser(t);
    await makeFounder(t, founder.id);
    await t.http().post('/api/v2/admin/user-fields').set(bearer(founder.token)).send({ name: 'note', type: 'string' }).expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('#1 an admin acts only on users within reach', () => {
    it('the reproduced finding: admin:user:update cannot reset the founder’s password and log in as them → 403', async () => {
      const operator = await registerAdmin(t, ['admin:user:show', 'admin:user:update']);
      const res = await t.http().put(`/userve/v2.2/miniapp/user/account/${founder.id}/`).set(bearer(operator.token)).send({ new_password: 'taken-over-1' });
      expect(res.status).toBe(403);
      expect((await t.http().post('/api/v2/auth/login').send({ login: founder.name, password: 'taken-over-1' })).status).toBe(422);
      expect((await t.http().post('/api/v2/auth/login').send({ login: founder.name, password: founder.password })).status).toBe(200);
      expect((await t.http().get('/api/v2/user').set(bearer(founder.token))).status).toBe(200);
    });

    it('the SDK password change on a founder answers 403 whether the old password is right or wrong (no password oracle)', async () => {
      const operator = await registerAdmin(t, ['admin:user:show', 'admin:user:update']);
      const send = (password: string) =>
        t.http().put(`/userve/v2.2/miniapp/user/account/${founder.id}/`).set(bearer(operator.token)).send({ password, new_password: 'taken-over-2' });
      const [wrong, right] = await Promise.all([send('not-the-password'), send(founder.password)]);
      expect([wrong.status, right.status]).toEqual([403, 403]);
      expect(wrong.body).toEqual(right.body);
      expect((await t.http().post('/api/v2/auth/login').send({ login: founder.name, password: founder.password })).status).toBe(200);
    });

    it('every admin write on a founder, by an admin holding every ability but not the founder role → 403, nothing written', async () => {
      const target = await registerUser(t);
      await makeFounder(t, target.id);
      await submitVerification(target);
      const all = await registerAdmin(t, [...new Set(writes(target).map((w) => w.ability)), 'admin:user:show', 'admin:user-field:manage']);
      const before = await userState(target.id);
      for (const [i, write] of writes(target).entries()) {
        const res = await write.send(all.token);
        expect({ i, status: res.status }).toEqual({ i, status: 403 });
      }
      expect(await userState(target.id)).toEqual(before);
    });

    it('every admin write on a user holding an ability the admin lacks → 403, nothing written', async () => {
      const target = await registerAdmin(t, ['admin:user-field:manage']);
      await submitVerification(target);
      const before = await userState(target.id);
      for (const [i, write] of writes(target).entries()) {
        // the admin holds the route's ability (and show), not the target's admin:user-field:manage
        const admin = await registerAdmin(t, [...new Set([write.ability, 'admin:user:show'])]);
        const res = await write.send(admin.token);
        expect({ i, status: res.status }).toEqual({ i, status: 403 });
      }
      expect(await userState(target.id)).toEqual(before);
    });

    it('an admin acts on users whose abilities they all hold, and a founder on another founder', async () => {
      const target = await registerAdmin(t, ['admin:user:show']);
      const admin = await registerAdmin(t, ['admin:user:show', 'admin:user:disable']);
      expect((await t.http().put(`/api/v2/system/disabled/${target.id}`).set(bearer(admin.token))).status).toBe(204);
      expect((await t.http().delete(`/api/v2/system/disabled/${target.id}`).set(bearer(admin.token))).status).toBe(204);

      const other = await registerUser(t);
      await makeFounder(t, other.id);
      const res = await t.http().put(`/userve/v2.2/miniapp/user/account/${other.id}/`).set(bearer(founder.token)).send({ username: 'FounderTwo' });
      expect(res.status).toBe(200);
      expect(res.body.username).toBe('FounderTwo');
    });

    it('operator bulk update leaves users out of reach as they are and answers 403 for each of them', async () => {
      const operator = await registerAdmin(t, ['admin:user:show', 'admin:user:update']);
      const plain = await registerUser(t);
      const where = JSON.stringify({ id: { $in: [founder.id, plain.id] } });
      const res = await t
        .http()
        .put(`/userve/v2.6/miniapp/user_profile/?where=${encodeURIComponent(where)}`)
        .set(bearer(operator.token))
        .send({ note: 'bulk' });
      expect(res.status).toBe(200);
      const byId = new Map(res.body.operation_result.map((r: { success?: { id: number }; error?: unknown }) => [r.success?.id, r]));
      expect(byId.has(plain.id)).toBe(true);
      expect(res.body.operation_result).toContainEqual({ error: { err_msg: 'you may not act on this user', code: 403 } });
      expect(res.body.succeed).toBe(1);
      expect((await userState(founder.id)).custom?.note).toBeUndefined();
      expect((await userState(plain.id)).custom.note).toBe('bulk');
    });

    it('parallel admin writes on one target queue on its row: each grant lands once, each is audited once', async () => {
      const target = await registerUser(t);
      const admin = await registerAdmin(t, ['admin:currency:manage']);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => t.http().post(`/api/v2/admin/currency/${target.id}`).set(bearer(admin.token)).send({ amount: 1 })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      const state = await userState(target.id);
      expect(Number(state.currency.sum)).toBe(10);
      expect(state.audited).toBe(10);
      // once the target becomes a founder, no write lands
      await makeFounder(t, target.id);
      expect((await t.http().post(`/api/v2/admin/currency/${target.id}`).set(bearer(admin.token)).send({ amount: 1 })).status).toBe(403);
      expect(await userState(target.id)).toEqual(state);
    });
  });

  describe('#2 ID numbers and real names need admin:verification:review', () => {
    it('admin:user:show alone sees the owner view without the decrypted real name and ID number', async () => {
      const user = await registerUser(t);
      await submitVerification(user);
      const shower = await registerAdmin(t, ['admin:user:show']);
      const res = await t.http().get(`/api/v2/users/${user.id}`).set(bearer(shower.token));
      expect(res.status).toBe(200);
      expect(res.body.phone).toBe(user.phone);
      expect(res.body.verification.data.real_name).toBeNull();
      expect(res.body.verification.data.id_card.number).toBeNull();
      expect(res.text).not.toContain('张三');
      expect(res.text).not.toContain('11010519491231002X');

      const reviewer = await registerAdmin(t, ['admin:user:show', 'admin:verification:review']);
      const full = await t.http().get(`/api/v2/users/${user.id}`).set(bearer(reviewer.token));
      expect(full.body.verification.data).toMatchObject({ real_name: '张三', id_card: { number: '11010519491231002X' } });
      const own = await t.http().get('/api/v2/user').set(bearer(user.token));
      expect(own.body.verification.data).toMatchObject({ real_name: '张三', id_card: { number: '11010519491231002X' } });
    });
  });

  describe('#3 ?token= authenticates on the mobile API only', () => {
    it('the mobile API takes ?token=; /userve and admin routes answer 401 and write nothing', async () => {
      const target = await registerUser(t);
      expect((await t.http().get(`/api/v2/user?token=${founder.token}`)).status).toBe(200);
      expect((await t.http().get(`/userve/v2.2/miniapp/user_profile/${target.id}/?token=${founder.token}`)).status).toBe(401);
      expect((await t.http().get(`/userve/v1/user-profile/?token=${founder.token}`)).status).toBe(401);
      expect((await t.http().get(`/api/v2/admin/audit-log?token=${founder.token}`)).status).toBe(401);
      expect((await t.http().get(`/api/v2/admin/verifications?token=${founder.token}`)).status).toBe(401);
      expect((await t.http().put(`/api/v2/system/disabled/${target.id}?token=${founder.token}`)).status).toBe(401);
      expect((await t.http().get(`/api/v2/users/${target.id}`).set(bearer(founder.token))).body.phone).toBe(target.phone);
      expect((await userState(target.id)).disabled_at).toBeNull();
      // the header still works there
      expect((await t.http().get(`/userve/v2.2/miniapp/user_profile/${target.id}/`).set(bearer(founder.token))).status).toBe(200);
    });
  });
});
