import { waitFor } from './support/conditions';
import { Result } from 'pg';
import { createTestApp, TestApp } from './support/harness';
import * as userActivity from '../src/users/user-activity';
import { bearer, makeFounder, registerUser, RegisteredUser, uniqueEmail, uniqueName } from './support/fixtures';

/** Finding other users (mobile-api §4.1, §4.2; quality §2 property-level authorisation, §1 B2 no N+1). */

// `testTimeout` in the jest project config is not applied to projects (jest reads it globally): set it here.
jest.setTimeout(60_000);

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
].sort();
const OWNER_KEYS = [...PUBLIC_KEYS, 'phone', 'email', 'wallet', 'new_wallet', 'currency', 'has_password'].sort();
const PRIVATE_KEYS = ['phone', 'email', 'wallet', 'new_wallet', 'currency', 'has_password', 'password', 'register_ip', 'last_login_ip'];
const NOT_FOUND = { message: '内容不存在' };

/** Every key at any depth of a JSON value. */
function keysDeep(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysDeep(v, into);
    }
  }
  return into;
}

const ids = (body: Array<{ id: number }>) => body.map((u) => u.id);

describe('user directory (mobile-api §4.1, §4.2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /users/:id decodes its rows with the shape kept per connection: the same answers, pg builds the shape once per connection', async () => {
    const [viewer, other] = await Promise.all([registerUser(t), registerUser(t)]);
    await t.http().put(`/api/v2/user/followings/${other.id}`).set(bearer(viewer.token)).expect(204);
    const describe = jest.spyOn(Result.prototype as unknown as { addFields: (fields: Array<{ name: string }>) => void }, 'addFields');
    try {
      const answers = [];
      for (let i = 0; i < 30; i++) answers.push((await t.http().get(`/api/v2/users/${other.id}`).set(bearer(viewer.token)).expect(200)).body);
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0]).toMatchObject({ id: other.id, name: other.name, follower: true, following: false, extra: { followers_count: 1 } });
      // The user view's columns described 30 times without the kept shapes; with them, at most once per pooled connection
      // (other statements the app runs meanwhile, such as a scheduled refresh, are not counted).
      const userViews = describe.mock.calls.filter(([fields]) => fields.some((field) => field.name === 'has_follower'));
      expect(userViews.length).toBeLessThanOrEqual(t.config.databasePoolSize);
    } finally {
      describe.mockRestore();
    }
  });

  /** Users straight into the database (with the rows the views join; a password no one can match), for lists that need many users. */
  async function insertUsers(count: number, prefix = uniqueName('b').slice(0, 6)): Promise<Array<{ id: number; name: string }>> {
    const { rows } = await t.db.query(
      `WITH u AS (
         INSERT INTO users (name, password, invite_code)
         SELECT $1 || lpad(g::text, 4, '0'), '!', substr(md5(random()::text || clock_timestamp()::text || g::text), 1, 16)
           FROM generate_series(1, $2::int) g
         RETURNING id, name),
       e AS (INSERT INTO user_extras (user_id) SELECT id FROM u),
       w AS (INSERT INTO wallets (owner_id) SELECT id FROM u),
       c AS (INSERT INTO user_currencies (owner_id) SELECT id FROM u)
       SELECT id, name FROM u ORDER BY id`,
      [prefix, count],
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async function setEmail(user: RegisteredUser): Promise<string> {
    const email = uniqueEmail();
    await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
    return email;
  }

  async function follow(from: RegisteredUser, to: { id: number }): Promise<void> {
    await t.http().put(`/api/v2/user/followings/${to.id}`).set(bearer(from.token)).expect(204);
  }

  /** Every live user id, straight from the database. */
  async function liveIds(order: 'asc' | 'desc'): Promise<number[]> {
    const { rows } = await t.db.query(
      `SELECT id FROM users WHERE disabled_at IS NULL AND cancelled_at IS NULL ORDER BY id ${order === 'asc' ? 'ASC' : 'DESC'}`,
    );
    return rows.map((r) => Number(r.id));
  }

  describe('GET /users/:user', () => {
    it('finds a live user by id and by name (case-insensitive) and shows exactly the public keys', async () => {
      const owner = await registerUser(t, { name: uniqueName('Look') });
      const viewer = await registerUser(t);
      for (const key of [String(owner.id), owner.name, owner.name.toUpperCase(), owner.name.toLowerCase()]) {
        for (const headers of [{}, bearer(viewer.token)]) {
          const res = await t
            .http()
            .get(`/api/v2/users/${encodeURIComponent(key)}`)
            .set(headers);
          expect(res.status).toBe(200);
          expect(Object.keys(res.body).sort()).toEqual(PUBLIC_KEYS);
          expect(res.body.id).toBe(owner.id);
          expect(res.body.name).toBe(owner.name);
          expect(res.body.extra).toMatchObject({ user_id: owner.id, followers_count: 0, followings_count: 0 });
          expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        }
      }
    });

    it('phone and e-mail lookups are 404 for guests and other users, the owner view for the owner and an admin', async () => {
      const owner = await registerUser(t);
      const email = await setEmail(owner);
      const other = await registerUser(t);
      const admin = await registerUser(t);
      await makeFounder(t, admin.id);

      const keys = [owner.phone, `+86${owner.phone}`, email, email.toUpperCase()];
      for (const key of keys) {
        const path = `/api/v2/users/${encodeURIComponent(key)}`;
        const guest = await t.http().get(path);
        expect(guest.status).toBe(404);
        expect(guest.body).toEqual(NOT_FOUND);
        const stranger = await t.http().get(path).set(bearer(other.token));
        expect(stranger.status).toBe(404);
        expect(stranger.body).toEqual(NOT_FOUND);

        for (const privileged of [owner, admin]) {
          const res = await t.http().get(path).set(bearer(privileged.token));
          expect(res.status).toBe(200);
          expect(Object.keys(res.body).sort()).toEqual(OWNER_KEYS);
          expect(res.body).toMatchObject({
            id: owner.id,
            phone: owner.phone,
            email,
            has_password: true,
            wallet: { owner_id: owner.id, balance: 0, total_income: 0, total_expenses: 0 },
            new_wallet: { owner_id: owner.id, balance: 0, total_income: 0, total_expenses: 0 },
            currency: { owner_id: owner.id, type: 1, sum: 0 },
          });
        }
      }

      // By id: the owner and an admin get the owner view, anyone else the public view.
      const own = await t.http().get(`/api/v2/users/${owner.id}`).set(bearer(owner.token)).expect(200);
      expect(Object.keys(own.body).sort()).toEqual(OWNER_KEYS);
      const byAdmin = await t.http().get(`/api/v2/users/${owner.id}`).set(bearer(admin.token)).expect(200);
      expect(Object.keys(byAdmin.body).sort()).toEqual(OWNER_KEYS);
      const byOther = await t.http().get(`/api/v2/users/${owner.id}`).set(bearer(other.token)).expect(200);
      expect(Object.keys(byOther.body).sort()).toEqual(PUBLIC_KEYS);
    });

    it('answers 404 内容不存在 for unknown, disabled and cancelled users, by id and by name', async () => {
      const disabled = await registerUser(t);
      const cancelled = await registerUser(t);
      const viewer = await registerUser(t);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
      await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [cancelled.id]);
      const [{ max }] = (await t.db.query('SELECT max(id) AS max FROM users')).rows;
      const keys = [String(Number(max) + 1000), uniqueName('nobody'), String(disabled.id), disabled.name, String(cancelled.id), cancelled.name];
      for (const key of keys) {
        for (const headers of [{}, bearer(viewer.token)]) {
          const res = await t.http().get(`/api/v2/users/${key}`).set(headers);
          expect({ key, status: res.status, body: res.body }).toEqual({ key, status: 404, body: NOT_FOUND });
        }
      }
    });

    it('answers malformed user keys and query values with 404 or 422, never 500', async () => {
      const user = await registerUser(t);
      const keys = [
        '1abc',
        "'",
        '%27',
        '1%27%20OR%201=1',
        '1234567890123456789012345678901234567890',
        '-1',
        '0',
        '1.5',
        '%00',
        'a%20b',
        '%E2%80%AE',
        'x'.repeat(300),
      ];
      for (const key of keys) {
        for (const headers of [{}, bearer(user.token)]) {
          const res = await t.http().get(`/api/v2/users/${key}`).set(headers);
          expect({ key, status: [404, 422].includes(res.status) }).toEqual({ key, status: true });
          expect(res.headers['content-type']).toMatch(/application\/json/);
        }
      }
      for (const query of ['following=abc', 'follower=-1', 'following=0', 'follower=99999999999999999999', 'following=1e3']) {
        const res = await t.http().get(`/api/v2/users/${user.id}?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 422 });
      }
    });

    it('computes has_follower / has_following for the viewer, or against the follower / following params', async () => {
      const a = await registerUser(t);
      const b = await registerUser(t);
      const c = await registerUser(t);
      await follow(a, b); // a → b
      await follow(c, a); // c → a
      await follow(b, c); // b → c

      const show = async (user: RegisteredUser, viewer?: RegisteredUser, query = '') => {
        const req = t.http().get(`/api/v2/users/${user.id}${query}`);
        if (viewer) req.set(bearer(viewer.token));
        const res = await req.expect(200);
        return { has_follower: res.body.has_follower, has_following: res.body.has_following };
      };

      // has_follower: the viewer follows the shown user; has_following: the shown user follows the viewer.
      expect(await show(b, a)).toEqual({ has_follower: true, has_following: false });
      expect(await show(a, b)).toEqual({ has_follower: false, has_following: true });
      expect(await show(a, c)).toEqual({ has_follower: true, has_following: false });
      expect(await show(c, a)).toEqual({ has_follower: false, has_following: true });
      // guests and the own object: both false
      expect(await show(a)).toEqual({ has_follower: false, has_following: false });
      expect(await show(b)).toEqual({ has_follower: false, has_following: false });
      expect(await show(a, a)).toEqual({ has_follower: false, has_following: false });

      // params: X = follower param (X follows shown user), Y = following param (shown user follows Y)
      expect(await show(a, b, `?follower=${c.id}`)).toEqual({ has_follower: true, has_following: true });
      expect(await show(a, c, `?follower=${b.id}&following=${c.id}`)).toEqual({ has_follower: false, has_following: false });
      expect(await show(a, c, `?following=${b.id}`)).toEqual({ has_follower: true, has_following: true });
      expect(await show(b, c, `?follower=${a.id}&following=${c.id}`)).toEqual({ has_follower: true, has_following: true });
      expect(await show(b, a, `?follower=${c.id}&following=${a.id}`)).toEqual({ has_follower: false, has_following: false });
    });

    it('gives an admin the owner view of another user with the real follow flags', async () => {
      const admin = await registerUser(t);
      await makeFounder(t, admin.id);
      const user = await registerUser(t);
      await follow(admin, user);
      const res = await t.http().get(`/api/v2/users/${user.id}`).set(bearer(admin.token)).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(OWNER_KEYS);
      expect(res.body).toMatchObject({ has_follower: true, has_following: false });
      await follow(user, admin);
      const both = await t.http().get(`/api/v2/users/${user.name}`).set(bearer(admin.token)).expect(200);
      expect(both.body).toMatchObject({ has_follower: true, has_following: true });
    });
  });

  it('PRIVACY: no user-returning route shows another user’s private fields, phone or e-mail', async () => {
    const victim = await registerUser(t);
    const victimEmail = await setEmail(victim);
    const viewer = await registerUser(t);
    const admin = await registerUser(t);
    await makeFounder(t, admin.id);
    await t.db.query(`UPDATE users SET register_ip = '10.9.8.7', last_login_ip = '10.9.8.6' WHERE id = $1`, [victim.id]);

    // Put the victim into every list the viewer and a guest can see.
    const city = `私城${victim.id}`;
    await t
      .http()
      .patch('/api/v2/user')
      .set(bearer(victim.token))
      .send({ location: `某省 ${city}市 某区` })
      .expect(204);
    await t
      .http()
      .patch('/api/v2/user')
      .set(bearer(viewer.token))
      .send({ location: `${city}` })
      .expect(204);
    await t.db.query(`UPDATE users SET last_active_at = now() + interval '1 hour' WHERE id = $1`, [victim.id]);
    await t.http().post(`/api/v2/admin/recommends/${victim.id}`).set(bearer(admin.token)).expect(201);
    await follow(viewer, victim);
    await follow(victim, viewer);

    const routes = [
      `/api/v2/users/${victim.id}`,
      `/api/v2/users/${victim.name}`,
      `/api/v2/users/${victim.phone}`,
      `/api/v2/users/${encodeURIComponent(victimEmail)}`,
      `/api/v2/users?limit=50`,
      `/api/v2/users?id=${victim.id},${viewer.id}`,
      `/api/v2/users?name=${victim.name}`,
      `/api/v2/users?name=${victim.name}&fetch_by=username`,
      `/api/v2/users?active=1&limit=50`,
      `/api/v2/user/recommends?limit=50`,
      `/api/v2/user/nearby?limit=50`,
      `/api/v2/users/${victim.id}/followers`,
      `/api/v2/users/${victim.id}/followings`,
      `/api/v2/users/${viewer.id}/followers`,
      `/api/v2/users/${viewer.id}/followings`,
      `/api/v2/user/followers`,
      `/api/v2/user/followings`,
    ];
    let victimSeen = 0;
    for (const route of routes) {
      for (const headers of [{}, bearer(viewer.token)]) {
        const res = await t.http().get(route).set(headers);
        expect({ route, status: res.status < 500 }).toEqual({ route, status: true });
        const keys = keysDeep(res.body);
        for (const key of PRIVATE_KEYS) expect({ route, key, present: keys.has(key) }).toEqual({ route, key, present: false });
        expect(res.text).not.toContain(victim.phone);
        expect(res.text.toLowerCase()).not.toContain(victimEmail.toLowerCase());
        expect(res.text).not.toContain('10.9.8.');
        if (res.status === 200 && res.text.includes(`"name":"${victim.name}"`)) victimSeen++;
      }
    }
    // The sweep is only meaningful when the victim really is in the answers: as a guest in 10 routes (not the phone /
    // e-mail lookups, not the victim's own relation lists, not the three user routes) and as the viewer in 13.
    expect(victimSeen).toBe(10 + 13);
  });

  describe('GET /users', () => {
    let bulk: Array<{ id: number; name: string }>;
    beforeAll(async () => {
      bulk = await insertUsers(70);
    });

    it('returns 20 by default, caps limit at 50 and rejects limit 0 or a non-number with 422', async () => {
      const res = await t.http().get('/api/v2/users').expect(200);
      expect(res.body).toHaveLength(20);
      for (const user of res.body) expect(Object.keys(user).sort()).toEqual(PUBLIC_KEYS);
      expect((await t.http().get('/api/v2/users?limit=7').expect(200)).body).toHaveLength(7);
      expect((await t.http().get('/api/v2/users?limit=50').expect(200)).body).toHaveLength(50);
      const over = await t.http().get('/api/v2/users?limit=51');
      expect(over.status).toBe(200);
      expect(over.body.length).toBeLessThanOrEqual(50);
      expect(over.body.length).toBeGreaterThan(0);
      expect((await t.http().get('/api/v2/users?limit=1000000').expect(200)).body.length).toBeLessThanOrEqual(50);
      for (const bad of ['0', 'abc', '-1', '1.5']) {
        const res422 = await t.http().get(`/api/v2/users?limit=${bad}`);
        expect({ bad, status: res422.status }).toEqual({ bad, status: 422 });
        expect(typeof res422.body.message).toBe('string');
        expect(res422.body.errors).toEqual(expect.any(Object));
      }
    });

    it('orders by id desc by default and asc with order=asc; since pages through every live user without overlap', async () => {
      for (const order of ['desc', 'asc'] as const) {
        const expected = await liveIds(order);
        const seen: number[] = [];
        let since: number | undefined;
        for (let page = 0; page < 100; page++) {
          const query = `limit=17${order === 'asc' ? '&order=asc' : ''}${since !== undefined ? `&since=${since}` : ''}`;
          const res = await t.http().get(`/api/v2/users?${query}`).expect(200);
          if (!res.body.length) break;
          const pageIds = ids(res.body);
          if (since !== undefined) {
            for (const id of pageIds) expect(order === 'asc' ? id > since : id < since).toBe(true);
          }
          seen.push(...pageIds);
          since = pageIds[pageIds.length - 1];
        }
        expect(seen).toEqual(expected);
      }
      const desc = ids((await t.http().get('/api/v2/users?limit=5').expect(200)).body);
      expect(desc).toEqual((await liveIds('desc')).slice(0, 5));
      const asc = ids((await t.http().get('/api/v2/users?limit=5&order=asc').expect(200)).body);
      expect(asc).toEqual((await liveIds('asc')).slice(0, 5));
      expect((await t.http().get('/api/v2/users?order=sideways')).status).toBe(422);
      expect((await t.http().get('/api/v2/users?since=abc')).status).toBe(422);
    });

    it('matches name as a substring with % and _ taken literally', async () => {
      const prefix = uniqueName('nq').slice(0, 7);
      const plain = await registerUser(t, { name: `${prefix}abc` });
      const underscored = await registerUser(t, { name: `${prefix}_x` });
      const found = await t.http().get(`/api/v2/users?name=${prefix}`).expect(200);
      expect(ids(found.body).sort()).toEqual([plain.id, underscored.id].sort());
      const middle = await t
        .http()
        .get(`/api/v2/users?name=${prefix.slice(2)}ab`)
        .expect(200);
      expect(ids(middle.body)).toEqual([plain.id]);

      // '%' matches nothing (no name contains it), '_' only names that contain an underscore
      expect(
        (
          await t
            .http()
            .get(`/api/v2/users?name=${encodeURIComponent('%')}&limit=50`)
            .expect(200)
        ).body,
      ).toEqual([]);
      expect(
        (
          await t
            .http()
            .get(`/api/v2/users?name=${encodeURIComponent('%%')}&limit=50`)
            .expect(200)
        ).body,
      ).toEqual([]);
      const underscore = await t.http().get(`/api/v2/users?name=_&limit=50`).expect(200);
      expect(ids(underscore.body)).toContain(underscored.id);
      for (const user of underscore.body) expect(user.name).toContain('_');
      const pattern = await t
        .http()
        .get(`/api/v2/users?name=${prefix}${encodeURIComponent('_')}`)
        .expect(200);
      expect(ids(pattern.body)).toEqual([underscored.id]);
      const wild = await t
        .http()
        .get(`/api/v2/users?name=${prefix}${encodeURIComponent('%')}abc`)
        .expect(200);
      expect(wild.body).toEqual([]);
      expect(
        (
          await t
            .http()
            .get(`/api/v2/users?name=${encodeURIComponent('\\')}`)
            .expect(200)
        ).body,
      ).toEqual([]);
    });

    it('fetch_by=username takes an exact comma list of names; id takes a comma list of ids', async () => {
      const a = await registerUser(t, { name: uniqueName('fba') });
      const aLonger = await registerUser(t, { name: `${a.name}zz` });
      const b = await registerUser(t, { name: uniqueName('fbb') });
      const byName = await t
        .http()
        .get(`/api/v2/users?fetch_by=username&name=${a.name},${b.name},${uniqueName('none')}`)
        .expect(200);
      expect(ids(byName.body).sort()).toEqual([a.id, b.id].sort());
      expect(ids(byName.body)).not.toContain(aLonger.id);

      const byId = await t.http().get(`/api/v2/users?id=${b.id},${a.id},${aLonger.id}`).expect(200);
      expect(ids(byId.body)).toEqual([a.id, aLonger.id, b.id].sort((x, y) => y - x));
      const byIdAsc = await t.http().get(`/api/v2/users?id=${b.id},${a.id}&order=asc`).expect(200);
      expect(ids(byIdAsc.body)).toEqual([a.id, b.id].sort((x, y) => x - y));
      for (const bad of ['abc', '1,,2', "1'", '1;2']) {
        const res = await t.http().get(`/api/v2/users?id=${encodeURIComponent(bad)}`);
        expect({ bad, status: res.status }).toEqual({ bad, status: 422 });
      }
    });

    it('never lists disabled or cancelled users', async () => {
      const live = await registerUser(t, { name: uniqueName('dlv') });
      const disabled = await registerUser(t, { name: uniqueName('dld') });
      const cancelled = await registerUser(t, { name: uniqueName('dlc') });
      await t.db.query("UPDATE users SET disabled_at = now(), last_active_at = now() + interval '2 hours' WHERE id = $1", [disabled.id]);
      await t.db.query("UPDATE users SET cancelled_at = now(), last_active_at = now() + interval '2 hours' WHERE id = $1", [cancelled.id]);
      const gone = [disabled.id, cancelled.id];

      const byId = await t.http().get(`/api/v2/users?id=${live.id},${disabled.id},${cancelled.id}`).expect(200);
      expect(ids(byId.body)).toEqual([live.id]);
      const byName = await t.http().get(`/api/v2/users?fetch_by=username&name=${live.name},${disabled.name},${cancelled.name}`).expect(200);
      expect(ids(byName.body)).toEqual([live.id]);
      for (const name of [disabled.name, cancelled.name]) {
        expect((await t.http().get(`/api/v2/users?name=${name}`).expect(200)).body).toEqual([]);
      }
      const newest = await t.http().get(`/api/v2/users?limit=50`).expect(200);
      expect(ids(newest.body)).toContain(live.id);
      for (const id of gone) expect(ids(newest.body)).not.toContain(id);
      const sinceAbove = await t
        .http()
        .get(`/api/v2/users?since=${cancelled.id + 1}&limit=5`)
        .expect(200);
      expect(ids(sinceAbove.body)).toEqual(ids(sinceAbove.body).filter((id) => !gone.includes(id)));
      expect(ids(sinceAbove.body)).toContain(live.id);
      const active = await t.http().get(`/api/v2/users?active=1&limit=50`).expect(200);
      for (const id of gone) expect(ids(active.body)).not.toContain(id);
    });

    it('active=1 lists users by last activity, newest first, without users who were never active; offset pages', async () => {
      const group = bulk.slice(0, 6);
      // Future times put this group first whatever else is active; distinct, out of id order.
      const order = [3, 0, 5, 1, 4, 2].map((i) => group[i]);
      for (const [rank, user] of order.entries()) {
        await t.db.query(`UPDATE users SET last_active_at = now() + interval '1 day' - $2 * interval '1 minute' WHERE id = $1`, [user.id, rank]);
      }
      const first = await t.http().get('/api/v2/users?active=1&limit=6').expect(200);
      expect(ids(first.body)).toEqual(order.map((u) => u.id));
      const paged = await t.http().get('/api/v2/users?active=1&limit=2&offset=3').expect(200);
      expect(ids(paged.body)).toEqual(order.slice(3, 5).map((u) => u.id));
      const active1 = await t.http().get('/api/v2/users?active=1&limit=3&offset=0').expect(200);
      expect(ids(active1.body)).toEqual(order.slice(0, 3).map((u) => u.id));

      // The whole list: exactly the live users with an activity time, in activity order.
      const all: Array<{ id: number }> = [];
      for (let offset = 0; offset < 10_000; offset += 50) {
        const res = await t.http().get(`/api/v2/users?active=1&limit=50&offset=${offset}`).expect(200);
        all.push(...res.body);
        if (res.body.length < 50) break;
      }
      const { rows } = await t.db.query(
        `SELECT id FROM users WHERE last_active_at IS NOT NULL AND disabled_at IS NULL AND cancelled_at IS NULL
          ORDER BY last_active_at DESC, id DESC`,
      );
      const expected = rows.map((r) => Number(r.id));
      // Authenticated requests elsewhere may have stamped a few more users meanwhile: compare the set of inactive ones.
      const listed = new Set(ids(all));
      const { rows: inactive } = await t.db.query(`SELECT id FROM users WHERE last_active_at IS NULL`);
      expect(inactive.length).toBeGreaterThan(10);
      for (const r of inactive) expect(listed.has(Number(r.id))).toBe(false);
      expect(ids(all).slice(0, 6)).toEqual(expected.slice(0, 6));
      expect(new Set(expected)).toEqual(listed);
      expect((await t.http().get('/api/v2/users?active=1&offset=-1')).status).toBe(422);
      expect((await t.http().get('/api/v2/users?active=1&limit=0')).status).toBe(422);
    });

    it('records activity on an authenticated request, at most once a minute', async () => {
      const user = await registerUser(t);
      const stamp = async () => (await t.db.query('SELECT last_active_at::text AS at FROM users WHERE id = $1', [user.id])).rows[0].at as string | null;
      // The stamp is written off the request's path: count the writes a request starts instead of sleeping to see
      // whether one lands (they are started while the token is checked, before the answer is sent).
      const writes = jest.spyOn(userActivity, 'recordActivity');
      const stampsStarted = () => writes.mock.calls.length;
      try {
        await t.db.query(`UPDATE users SET last_active_at = now() - interval '5 minutes' WHERE id = $1`, [user.id]);
        const before = await stamp();
        await t.http().get('/api/v2/user').set(bearer(user.token)).expect(200);
        expect(stampsStarted()).toBe(1);
        await waitFor('the activity stamp', async () => (await stamp()) !== before);
        const after = await stamp();
        const { rows } = await t.db.query(`SELECT last_active_at > now() - interval '30 seconds' AS fresh FROM users WHERE id = $1`, [user.id]);
        expect(rows[0].fresh).toBe(true);

        // A second request right away starts no write, and the time is as it was.
        await t.http().get('/api/v2/users?limit=1').set(bearer(user.token)).expect(200);
        await t.http().get('/api/v2/user').set(bearer(user.token)).expect(200);
        expect(stampsStarted()).toBe(1);
        expect(await stamp()).toBe(after);

        // A guest request does nothing for anyone.
        await t.db.query('UPDATE users SET last_active_at = NULL WHERE id = $1', [user.id]);
        await t.http().get(`/api/v2/users/${user.id}`).expect(200);
        expect(stampsStarted()).toBe(1);
        expect(await stamp()).toBeNull();
      } finally {
        writes.mockRestore();
      }
    });

    it('uses the same number of SQL statements for limit=5 and limit=50 (no N+1)', async () => {
      const viewer = await registerUser(t);
      // Relations make the flags non-trivial; the viewer follows some listed users and is followed by others.
      const newest = ids((await t.http().get('/api/v2/users?limit=50').expect(200)).body).filter((id) => id !== viewer.id);
      await t.db.query(`INSERT INTO follows (follower_id, followee_id) SELECT id, $1 FROM users WHERE id = ANY($2::bigint[])`, [
        viewer.id,
        newest.slice(10, 16),
      ]);
      for (const id of newest.slice(0, 8)) await t.http().put(`/api/v2/user/followings/${id}`).set(bearer(viewer.token)).expect(204);
      await t.db.query(`UPDATE users SET last_active_at = now() - interval '10 seconds' WHERE id = ANY($1::bigint[])`, [bulk.slice(10, 20).map((u) => u.id)]);
      const { rows: live } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE disabled_at IS NULL AND cancelled_at IS NULL');
      expect(live[0].n).toBeGreaterThanOrEqual(60);
      // Let the activity stamp settle so that it does not land in one of the measured requests only.
      await t.http().get('/api/v2/user').set(bearer(viewer.token)).expect(200);
      await waitFor("the viewer's activity stamp", async () => {
        const { rows } = await t.db.query(`SELECT last_active_at > now() - interval '1 minute' AS fresh FROM users WHERE id = $1`, [viewer.id]);
        return rows[0].fresh === true;
      });

      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pg = require('pg');
      const original = pg.Client.prototype.query;
      const count = async (path: string, expectedLength: number) => {
        let statements = 0;
        pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
          statements++;
          return original.apply(this, args);
        };
        try {
          const res = await t.http().get(path).set(bearer(viewer.token));
          expect(res.status).toBe(200);
          expect(res.body).toHaveLength(expectedLength);
        } finally {
          pg.Client.prototype.query = original;
        }
        return statements;
      };
      const five = await count('/api/v2/users?limit=5', 5);
      const fifty = await count('/api/v2/users?limit=50', 50);
      expect(five).toBeGreaterThan(0);
      expect(fifty).toBe(five);
      const activeFive = await count('/api/v2/users?active=1&limit=5', 5);
      expect(activeFive).toBeGreaterThan(0);
    });
  });

  describe('GET /user/recommends', () => {
    it('is managed by admins only: POST 201, DELETE 204; 403 for users, 401 without a token, 404 for unknown users', async () => {
      const admin = await registerUser(t);
      await makeFounder(t, admin.id);
      const user = await registerUser(t);
      const target = await registerUser(t);
      const path = `/api/v2/admin/recommends/${target.id}`;
      const count = async () => Number((await t.db.query('SELECT count(*) AS n FROM recommended_users WHERE user_id = $1', [target.id])).rows[0].n);

      const noToken = await t.http().post(path);
      expect(noToken.status).toBe(401);
      expect(noToken.body).toEqual({ message: 'Unauthenticated.' });
      expect((await t.http().delete(path)).status).toBe(401);
      expect((await t.http().post(path).set(bearer(user.token))).status).toBe(403);
      expect(await count()).toBe(0);

      expect((await t.http().post(path).set(bearer(admin.token))).status).toBe(201);
      expect(await count()).toBe(1);
      expect((await t.http().post(path).set(bearer(admin.token))).status).toBe(201); // idempotent
      expect(await count()).toBe(1);
      expect((await t.http().delete(path).set(bearer(user.token))).status).toBe(403);
      expect(await count()).toBe(1);
      expect((await t.http().delete(path).set(bearer(admin.token))).status).toBe(204);
      expect(await count()).toBe(0);

      const [{ max }] = (await t.db.query('SELECT max(id) AS max FROM users')).rows;
      for (const unknown of [String(Number(max) + 1000), 'abc', '0', '-1', '1234567890123456789012345']) {
        const res = await t.http().post(`/api/v2/admin/recommends/${unknown}`).set(bearer(admin.token));
        expect({ unknown, status: res.status, body: res.body }).toEqual({ unknown, status: 404, body: NOT_FOUND });
        expect((await t.http().delete(`/api/v2/admin/recommends/${unknown}`).set(bearer(admin.token))).status).toBe(404);
      }
    });

    it('lists the newest recommendation first, without the viewer or disabled users; limit and offset', async () => {
      const admin = await registerUser(t);
      await makeFounder(t, admin.id);
      const viewer = await registerUser(t);
      const users = [];
      for (let i = 0; i < 4; i++) users.push(await registerUser(t));
      const disabled = await registerUser(t);
      await t.db.query('DELETE FROM recommended_users');
      // Recommend in an order that is not the id order: newest recommendation first must win over id.
      const sequence = [users[2], users[0], disabled, viewer, users[3], users[1]];
      for (const user of sequence) {
        await t.http().post(`/api/v2/admin/recommends/${user.id}`).set(bearer(admin.token)).expect(201);
      }
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
      const newestFirst = [users[1], users[3], viewer, users[0], users[2]].map((u) => u.id);

      const guest = await t.http().get('/api/v2/user/recommends').expect(200);
      expect(ids(guest.body)).toEqual(newestFirst);
      for (const user of guest.body) expect(Object.keys(user).sort()).toEqual(PUBLIC_KEYS);
      const asViewer = await t.http().get('/api/v2/user/recommends').set(bearer(viewer.token)).expect(200);
      expect(ids(asViewer.body)).toEqual(newestFirst.filter((id) => id !== viewer.id));
      const page = await t.http().get('/api/v2/user/recommends?limit=2&offset=1').set(bearer(viewer.token)).expect(200);
      expect(ids(page.body)).toEqual([users[3].id, users[0].id]);
      expect((await t.http().get('/api/v2/user/recommends?limit=1').expect(200)).body).toHaveLength(1);
      expect((await t.http().get('/api/v2/user/recommends?limit=0')).status).toBe(422);
      expect((await t.http().get('/api/v2/user/recommends?offset=abc')).status).toBe(422);

      // un-recommended users leave the list
      await t.http().delete(`/api/v2/admin/recommends/${users[1].id}`).set(bearer(admin.token)).expect(204);
      expect(ids((await t.http().get('/api/v2/user/recommends').expect(200)).body)).toEqual(newestFirst.slice(1));
    });
  });

  describe('GET /user/nearby', () => {
    it('needs a token', async () => {
      const res = await t.http().get('/api/v2/user/nearby');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    });

    it('lists users of the viewer’s city (derived from location), without the viewer, most recently active first', async () => {
      const viewer = await registerUser(t);
      const a = await registerUser(t);
      const b = await registerUser(t);
      const c = await registerUser(t);
      const elsewhere = await registerUser(t);
      const noLocation = await registerUser(t);
      const locate = (user: RegisteredUser, location: string | null) => t.http().patch('/api/v2/user').set(bearer(user.token)).send({ location }).expect(204);
      await locate(viewer, '四川省 成都市 武侯区');
      await locate(a, '成都');
      await locate(b, '成都市');
      await locate(c, '四川省 成都市 高新区');
      await locate(elsewhere, '北京市 朝阳区');

      const { rows } = await t.db.query('SELECT id, city FROM users WHERE id = ANY($1::bigint[])', [[viewer.id, a.id, b.id, c.id, elsewhere.id]]);
      const cities = Object.fromEntries(rows.map((r) => [Number(r.id), r.city]));
      expect(cities).toEqual({ [viewer.id]: '成都', [a.id]: '成都', [b.id]: '成都', [c.id]: '成都', [elsewhere.id]: '北京' });

      // Recent (under a minute) activity times, so that no late activity stamp of the PATCH requests overrides them.
      const activity = [
        [b, 5],
        [c, 15],
        [a, 25],
      ] as const;
      for (const [user, secondsAgo] of activity) {
        await t.db.query(`UPDATE users SET last_active_at = now() - $2 * interval '1 second' WHERE id = $1`, [user.id, secondsAgo]);
      }
      const res = await t.http().get('/api/v2/user/nearby').set(bearer(viewer.token)).expect(200);
      expect(ids(res.body)).toEqual([b.id, c.id, a.id]);
      for (const user of res.body) expect(Object.keys(user).sort()).toEqual(PUBLIC_KEYS);
      const page = await t.http().get('/api/v2/user/nearby?limit=1&offset=1').set(bearer(viewer.token)).expect(200);
      expect(ids(page.body)).toEqual([c.id]);

      // From another member of the city: the viewer is listed, not the member itself.
      const fromA = await t.http().get('/api/v2/user/nearby?limit=50').set(bearer(a.token)).expect(200);
      expect(ids(fromA.body).sort()).toEqual([viewer.id, b.id, c.id].sort());
      const fromElsewhere = await t.http().get('/api/v2/user/nearby').set(bearer(elsewhere.token)).expect(200);
      expect(fromElsewhere.body).toEqual([]);

      // Without a location: nothing; a user who moves away leaves the list.
      expect((await t.http().get('/api/v2/user/nearby').set(bearer(noLocation.token)).expect(200)).body).toEqual([]);
      await locate(c, '上海市 浦东新区');
      expect(ids((await t.http().get('/api/v2/user/nearby').set(bearer(viewer.token)).expect(200)).body)).toEqual([b.id, a.id]);
      await locate(viewer, null);
      expect((await t.http().get('/api/v2/user/nearby').set(bearer(viewer.token)).expect(200)).body).toEqual([]);
      // disabled users are not listed
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [b.id]);
      expect(ids((await t.http().get('/api/v2/user/nearby').set(bearer(a.token)).expect(200)).body)).toEqual([]);
      expect((await t.http().get('/api/v2/user/nearby?limit=0').set(bearer(a.token))).status).toBe(422);
    });
  });
});
