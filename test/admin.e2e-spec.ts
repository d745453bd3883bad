import { bearer, makeFounder, registerUser, RegisteredUser, uniqueName } from './support/fixtures';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';

/** mobile-api §10: `PUT /api/v2/system/disabled/:user` (disable) and `DELETE …` (enable), plus the ability model. */
describe('admin: disabling users (mobile-api §10)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let normal: RegisteredUser;

  const disablePath = (user: string | number) => `/api/v2/system/disabled/${user}`;

  async function disabledAt(userId: number): Promise<Date | null> {
    const { rows } = await t.db.query('SELECT disabled_at FROM users WHERE id = $1', [userId]);
    return rows[0].disabled_at;
  }

  async function login(login: string, password: string) {
    return t.http().post('/api/v2/auth/login').send({ login, password });
  }

  /** A user holding one role that carries exactly the given abilities. */
  async function userWithAbilities(abilities: string[]): Promise<RegisteredUser> {
    const user = await registerUser(t);
    const roleName = uniqueName('role');
    const { rows } = await t.db.query(`INSERT INTO roles (name, display_name) VALUES ($1, $1) RETURNING id`, [roleName]);
    const roleId = rows[0].id;
    for (const ability of abilities) {
      const inserted = await t.db.query(`INSERT INTO role_abilities (role_id, ability_id) SELECT $1, id FROM abilities WHERE name = $2`, [roleId, ability]);
      expect(inserted.rowCount).toBe(1);
    }
    await t.db.query('INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)', [user.id, roleId]);
    return user;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
    normal = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('access', () => {
    it.each(['put', 'delete'] as const)('%s without a token → 401 Unauthenticated.', async (method) => {
      const target = await registerUser(t);
      const res = await t.http()[method](disablePath(target.id));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
      expect(await disabledAt(target.id)).toBeNull();
    });

    it.each(['put', 'delete'] as const)('%s with a garbage token → 401', async (method) => {
      const target = await registerUser(t);
      const res = await t.http()[method](disablePath(target.id)).set(bearer('not.a.jwt'));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    });

    it('a normal user cannot disable anyone → 403, nothing changes', async () => {
      const target = await registerUser(t);
      const res = await t.http().put(disablePath(target.id)).set(bearer(normal.token));
      expect(res.status).toBe(403);
      expect(typeof res.body.message).toBe('string');
      expect(await disabledAt(target.id)).toBeNull();
      // the target still works
      await t.http().get('/api/v2/user').set(bearer(target.token)).expect(200);
    });

    it('a normal user cannot enable a disabled user → 403, they stay disabled', async () => {
      const target = await registerUser(t);
      await t.http().put(disablePath(target.id)).set(bearer(admin.token)).expect(204);
      const res = await t.http().delete(disablePath(target.id)).set(bearer(normal.token));
      expect(res.status).toBe(403);
      expect(await disabledAt(target.id)).not.toBeNull();
    });
  });

  describe('bad targets', () => {
    it.each(['put', 'delete'] as const)('%s an unknown user → 404 内容不存在', async (method) => {
      const { rows } = await t.db.query('SELECT COALESCE(max(id), 0) + 1000 AS id FROM users');
      const res = await t.http()[method](disablePath(rows[0].id)).set(bearer(admin.token));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '内容不存在' });
    });

    const badIds = ['1abc', "'", '%27', '99999999999999999999', '-1', '0', '1.5', '1e3'];
    for (const method of ['put', 'delete'] as const) {
      it.each(badIds)(`${method} with the id %p → 404, never 500`, async (id) => {
        const res = await t.http()[method](disablePath(id)).set(bearer(admin.token));
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '内容不存在' });
      });
    }

    it('a cancelled user → 404 for both', async () => {
      const target = await registerUser(t);
      await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [target.id]);
      const put = await t.http().put(disablePath(target.id)).set(bearer(admin.token));
      expect(put.status).toBe(404);
      expect(put.body).toEqual({ message: '内容不存在' });
      expect(await disabledAt(target.id)).toBeNull();
      await t.http().delete(disablePath(target.id)).set(bearer(admin.token)).expect(404);
    });

    it('an admin cannot disable themself → 422, and stays enabled', async () => {
      const res = await t.http().put(disablePath(admin.id)).set(bearer(admin.token));
      expect(res.status).toBe(422);
      expect(typeof res.body.message).toBe('string');
      expect(await disabledAt(admin.id)).toBeNull();
      await t.http().get('/api/v2/user').set(bearer(admin.token)).expect(200);
    });
  });

  describe('disable and enable', () => {
    it('disable → 204 (idempotent), kills tokens at once, blocks login with 403 only after the right password', async () => {
      const target = await registerUser(t);
      await t.http().get('/api/v2/user').set(bearer(target.token)).expect(200);

      const first = await t.http().put(disablePath(target.id)).set(bearer(admin.token));
      expect(first.status).toBe(204);
      expect(first.text).toBe('');
      const since = await disabledAt(target.id);
      expect(since).not.toBeNull();

      const again = await t.http().put(disablePath(target.id)).set(bearer(admin.token));
      expect(again.status).toBe(204);
      expect(await disabledAt(target.id)).toEqual(since);

      // the token issued before the disable is dead at once, by header and by ?token=
      const me = await t.http().get('/api/v2/user').set(bearer(target.token));
      expect(me.status).toBe(401);
      expect(me.body).toEqual({ message: 'Unauthenticated.' });
      await t.http().get('/api/v2/user').query({ token: target.token }).expect(401);

      // the token cannot be refreshed into a live one either
      await t.http().post('/api/v2/auth/refresh').set(bearer(target.token)).expect(401);

      const right = await login(target.name, target.password);
      expect(right.status).toBe(403);
      expect(right.body).toEqual({ message: '账号已被禁用，请联系管理员' });
      const byPhone = await login(target.phone, target.password);
      expect(byPhone.status).toBe(403);

      const wrong = await login(target.name, 'wrong-password-1');
      expect(wrong.status).toBe(422);
      expect(wrong.body.message).toBe('账号或密码不正确');

      // the disabled user disappears from lookups
      await t.http().get(`/api/v2/users/${target.id}`).expect(404);
      await t.http().get(`/api/v2/users/${target.name}`).set(bearer(admin.token)).expect(404);
    });

    it('enable (DELETE) → 204, login works again, the token issued before the disable stays dead', async () => {
      const target = await registerUser(t);
      await t.http().put(disablePath(target.id)).set(bearer(admin.token)).expect(204);

      const res = await t.http().delete(disablePath(target.id)).set(bearer(admin.token));
      expect(res.status).toBe(204);
      expect(await disabledAt(target.id)).toBeNull();

      await t.http().get('/api/v2/user').set(bearer(target.token)).expect(401);
      await t.http().post('/api/v2/auth/refresh').set(bearer(target.token)).expect(401);

      const again = await login(target.name, target.password);
      expect(again.status).toBe(200);
      const fresh = again.body.access_token;
      expect(typeof fresh).toBe('string');
      const me = await t.http().get('/api/v2/user').set(bearer(fresh));
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(target.id);

      // still dead after the new login
      await t.http().get('/api/v2/user').set(bearer(target.token)).expect(401);
      // and visible again
      await t.http().get(`/api/v2/users/${target.id}`).expect(200);
    });

    it('a token from a login after enabling dies when the user is disabled again', async () => {
      const target = await registerUser(t);
      await t.http().put(disablePath(target.id)).set(bearer(admin.token)).expect(204);
      await t.http().delete(disablePath(target.id)).set(bearer(admin.token)).expect(204);
      const relogin = await login(target.name, target.password);
      expect(relogin.status).toBe(200);
      await t.http().get('/api/v2/user').set(bearer(relogin.body.access_token)).expect(200);
      await t.http().put(disablePath(target.id)).set(bearer(admin.token)).expect(204);
      await t.http().get('/api/v2/user').set(bearer(relogin.body.access_token)).expect(401);
    });
  });

  describe('abilities', () => {
    it("a role holding only 'admin:user:disable' may disable and enable", async () => {
      const moderator = await userWithAbilities(['admin:user:disable']);
      const target = await registerUser(t);
      await t.http().put(disablePath(target.id)).set(bearer(moderator.token)).expect(204);
      expect(await disabledAt(target.id)).not.toBeNull();
      await t.http().delete(disablePath(target.id)).set(bearer(moderator.token)).expect(204);
      expect(await disabledAt(target.id)).toBeNull();
    });

    it('a role holding other abilities only → 403, nothing changes', async () => {
      const viewer = await userWithAbilities(['admin:user:show', 'admin:user:update']);
      const target = await registerUser(t);
      const res = await t.http().put(disablePath(target.id)).set(bearer(viewer.token));
      expect(res.status).toBe(403);
      expect(await disabledAt(target.id)).toBeNull();

      await t.http().put(disablePath(target.id)).set(bearer(admin.token)).expect(204);
      await t.http().delete(disablePath(target.id)).set(bearer(viewer.token)).expect(403);
      expect(await disabledAt(target.id)).not.toBeNull();
    });

    it('losing the role takes the ability away at once', async () => {
      const moderator = await userWithAbilities(['admin:user:disable']);
      await t.db.query('DELETE FROM user_roles WHERE user_id = $1', [moderator.id]);
      const target = await registerUser(t);
      await t.http().put(disablePath(target.id)).set(bearer(moderator.token)).expect(403);
      expect(await disabledAt(target.id)).toBeNull();
    });
  });
});

describe('admin bootstrap (README §5 ADMIN_NAME / ADMIN_PASSWORD)', () => {
  const founderName = uniqueName('boss');
  const founderPassword = 'Founder-pass-42';
  let first: TestApp;

  async function founders(t: TestApp) {
    const { rows } = await t.db.query(
      `SELECT u.id, u.name FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE r.name = 'founder' ORDER BY u.id`,
    );
    return rows.map((row) => ({ id: Number(row.id), name: row.name as string }));
  }

  beforeAll(async () => {
    first = await createTestApp({ env: { ADMIN_NAME: founderName, ADMIN_PASSWORD: founderPassword } });
  });
  afterAll(async () => {
    await first.close();
  });

  it('creates exactly one founder account that can log in and disable users', async () => {
    const list = await founders(first);
    expect(list).toHaveLength(1);
    expect(list[0].name).toBe(founderName);
    const { rows } = await first.db.query('SELECT password FROM users WHERE id = $1', [list[0].id]);
    expect(rows[0].password).toMatch(/^\$2[aby]\$/);
    expect(rows[0].password).not.toContain(founderPassword);

    const res = await first.http().post('/api/v2/auth/login').send({ login: founderName, password: founderPassword });
    expect(res.status).toBe(200);
    const token = res.body.access_token;

    const target = await registerUser(first);
    await first.http().put(`/api/v2/system/disabled/${target.id}`).set(bearer(token)).expect(204);
    await first.http().get('/api/v2/user').set(bearer(target.token)).expect(401);
    await first.http().delete(`/api/v2/system/disabled/${target.id}`).set(bearer(token)).expect(204);
  });

  it('a second instance on the same database does not create a second founder', async () => {
    const otherName = uniqueName('boss');
    const second = await createTestApp({
      databaseName: first.databaseName,
      env: { ADMIN_NAME: otherName, ADMIN_PASSWORD: 'Another-pass-42' },
    });
    try {
      const list = await founders(second);
      expect(list).toHaveLength(1);
      expect(list[0].name).toBe(founderName);
      const { rows } = await second.db.query('SELECT count(*)::int AS n FROM users WHERE lower(name) = lower($1)', [otherName]);
      expect(rows[0].n).toBe(0);
      // the founder still logs in through the second instance
      await second.http().post('/api/v2/auth/login').send({ login: founderName, password: founderPassword }).expect(200);
    } finally {
      await second.close();
    }
  });

  it('two instances starting at the same time on an empty database create one founder', async () => {
    const databaseName = await createTestDatabase();
    const names = [uniqueName('boss'), uniqueName('boss')];
    const apps = await Promise.all(names.map((name) => createTestApp({ databaseName, env: { ADMIN_NAME: name, ADMIN_PASSWORD: founderPassword } })));
    try {
      const list = await founders(apps[0]);
      expect(list).toHaveLength(1);
      expect(names).toContain(list[0].name);
      const { rows } = await apps[0].db.query('SELECT count(*)::int AS n FROM users');
      expect(rows[0].n).toBe(1);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  it('a second instance with the same settings does not duplicate the founder either', async () => {
    const second = await createTestApp({
      databaseName: first.databaseName,
      env: { ADMIN_NAME: founderName, ADMIN_PASSWORD: founderPassword },
    });
    try {
      expect(await founders(second)).toHaveLength(1);
      const { rows } = await second.db.query('SELECT count(*)::int AS n FROM users WHERE lower(name) = lower($1)', [founderName]);
      expect(rows[0].n).toBe(1);
    } finally {
      await second.close();
    }
  });
});
