import { bearer, registerUser, RegisteredUser, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { png } from './support/images';

/**
 * The ThinkSNS+ clients' view of users (thinksns-compat §1, §4, §7): `follower` / `following` beside the seed's
 * flags, the discovery lists (populars, latests, search, find-by-phone), absolute image URLs with APP_URL, and
 * PUBLIC_CONTACT_LOOKUP. Requests are built as the H5 client's src/api/user.js builds them.
 */

const APP_URL = 'https://api.example.test';

async function follow(t: TestApp, who: RegisteredUser, target: RegisteredUser): Promise<void> {
  await t.http().put(`/api/v2/user/followings/${target.id}`).set(bearer(who.token)).expect(204);
}

async function disable(t: TestApp, user: RegisteredUser): Promise<void> {
  await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id]);
}

const ids = (body: Array<{ id: number }>) => body.map((u) => u.id);

describe('ThinkSNS+ discovery and the user object (thinksns-compat §1, §4)', () => {
  let t: TestApp;
  let viewer: RegisteredUser;
  let star: RegisteredUser;
  let second: RegisteredUser;
  let fan: RegisteredUser;
  let gone: RegisteredUser;
  /** every user of this file's database, newest first */
  let everyone: RegisteredUser[];

  beforeAll(async () => {
    t = await createTestApp({ env: { APP_URL: `${APP_URL}/`, CONTACT_MATCH_PER_HOUR: '5' } });
    viewer = await registerUser(t);
    star = await registerUser(t, { name: 'starzzzuser' });
    second = await registerUser(t, { name: 'secondzzzuser' });
    fan = await registerUser(t);
    gone = await registerUser(t, { name: 'gonezzzuser' });
    const crowd: RegisteredUser[] = [];
    for (let i = 0; i < 14; i++) crowd.push(await registerUser(t));
    everyone = [viewer, star, second, fan, gone, ...crowd].reverse();
    // star: 3 followers (viewer, fan, gone); second: 1 (fan); gone is followed most but disabled
    await follow(t, viewer, star);
    await follow(t, fan, star);
    await follow(t, fan, second);
    await follow(t, star, viewer);
    for (const u of crowd.slice(0, 4)) await follow(t, u, gone);
    await follow(t, gone, star);
    await disable(t, gone);
    everyone = everyone.filter((u) => u.id !== gone.id);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('§1 follower / following in every user object', () => {
    it('GET /users/:id carries follower (viewer follows them) and following (they follow the viewer) beside has_*', async () => {
      const { body } = await t.http().get(`/api/v2/users/${star.id}`).set(bearer(viewer.token)).expect(200);
      expect(body).toMatchObject({ id: star.id, follower: true, following: true, has_follower: true, has_following: true });
      const { body: other } = await t.http().get(`/api/v2/users/${second.id}`).set(bearer(viewer.token)).expect(200);
      expect(other).toMatchObject({ follower: false, following: false, has_follower: false, has_following: false });
    });

    it('?follower= and ?following= steer both pairs', async () => {
      const { body } = await t.http().get(`/api/v2/users/${second.id}?follower=${fan.id}&following=${viewer.id}`).expect(200);
      expect(body).toMatchObject({ follower: true, has_follower: true, following: false, has_following: false });
      const { body: back } = await t.http().get(`/api/v2/users/${viewer.id}?following=${star.id}`).expect(200);
      expect(back).toMatchObject({ following: true, has_following: true, follower: false });
    });

    it('a guest gets false for both', async () => {
      const { body } = await t.http().get(`/api/v2/users/${star.id}`).expect(200);
      expect(body).toMatchObject({ follower: false, following: false });
    });

    it('lists carry them too: followers of a user, as the client asks (?limit=15&offset=0)', async () => {
      const { body } = await t.http().get(`/api/v2/users/${star.id}/followers?limit=15&offset=0`).set(bearer(viewer.token)).expect(200);
      const fanRow = body.find((u: { id: number }) => u.id === fan.id);
      expect(fanRow).toMatchObject({ follower: false, following: false });
      const { body: mine } = await t.http().get(`/api/v2/users/${viewer.id}/followers?limit=15&offset=0`).set(bearer(viewer.token)).expect(200);
      expect(mine.find((u: { id: number }) => u.id === star.id)).toMatchObject({ follower: true, following: true });
    });

    it('verified is null until a verification is approved', async () => {
      const { body } = await t.http().get(`/api/v2/users/${star.id}`).expect(200);
      expect(body.verified).toBeNull();
    });

    it('image URLs are absolute with APP_URL (the H5 client runs on its own origin)', async () => {
      const upload = await t
        .http()
        .post('/api/v2/storage')
        .set(bearer(second.token))
        .attach('file', png(4, 4), { filename: 'a.png', contentType: 'image/png' });
      expect(upload.status).toBe(201);
      await t.http().patch('/api/v2/user').set(bearer(second.token)).send({ avatar: upload.body.node }).expect(204);
      const { body } = await t.http().get(`/api/v2/users/${second.id}`).expect(200);
      expect(body.avatar.url).toBe(`${APP_URL}/api/v2/storage/${upload.body.node}`);
      const { body: list } = await t.http().get('/api/v2/user/latests?limit=50').expect(200);
      expect(list.find((u: { id: number }) => u.id === second.id).avatar.url).toMatch(/^https:\/\/api\.example\.test\//);
    });
  });

  describe('GET /user/populars', () => {
    it('most followers first, then newest; 15 by default; disabled users never appear', async () => {
      const res = await t.http().get('/api/v2/user/populars').set(bearer(viewer.token));
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(15);
      expect(ids(res.body).slice(0, 2)).toEqual([star.id, second.id]);
      expect(ids(res.body)).not.toContain(gone.id);
      expect(res.body[0]).toMatchObject({ follower: true, following: true, extra: { followers_count: 3 } });
      expect(res.body[1]).toMatchObject({ follower: false, following: false, extra: { followers_count: 1 } });
      expect(res.body[0]).not.toHaveProperty('phone');
    });

    it('pages with offset as the client does (?offset=15), and limit is capped at 50', async () => {
      const first = await t.http().get('/api/v2/user/populars').expect(200);
      const next = await t.http().get('/api/v2/user/populars?offset=15').expect(200);
      expect([...ids(first.body), ...ids(next.body)].sort()).toEqual(ids(everyone).sort());
      const all = await t.http().get('/api/v2/user/populars?limit=500').expect(200);
      expect(all.body).toHaveLength(everyone.length);
      await t.http().get('/api/v2/user/populars?limit=0').expect(422);
      await t.http().get('/api/v2/user/populars?offset=-1').expect(422);
    });

    it('a guest gets the same list with false flags', async () => {
      const { body } = await t.http().get('/api/v2/user/populars?limit=1').expect(200);
      expect(body).toEqual([expect.objectContaining({ id: star.id, follower: false, following: false })]);
    });
  });

  describe('GET /user/latests', () => {
    it('newest first, 15 by default, offset pages, disabled never', async () => {
      const first = await t.http().get('/api/v2/user/latests').set(bearer(viewer.token)).expect(200);
      expect(ids(first.body)).toEqual(ids(everyone).slice(0, 15));
      const next = await t.http().get('/api/v2/user/latests?offset=15').set(bearer(viewer.token)).expect(200);
      expect(ids(next.body)).toEqual(ids(everyone).slice(15));
      const starRow = [...first.body, ...next.body].find((u: { id: number }) => u.id === star.id);
      expect(starRow).toMatchObject({ follower: true, following: true });
    });
  });

  describe('GET /user/search?keyword=', () => {
    it('finds names containing the keyword (any case), newest first, never disabled users', async () => {
      const { body } = await t.http().get('/api/v2/user/search?keyword=ZZZ').set(bearer(viewer.token)).expect(200);
      expect(ids(body)).toEqual([second.id, star.id]);
      expect(body[1]).toMatchObject({ follower: true, following: true });
    });

    it('pages with offset (?keyword=…&offset=1); LIKE wildcards are plain characters', async () => {
      const { body } = await t.http().get('/api/v2/user/search?keyword=zzz&offset=1').expect(200);
      expect(ids(body)).toEqual([star.id]);
      const { body: none } = await t.http().get('/api/v2/user/search?keyword=%25').expect(200);
      expect(none).toEqual([]);
    });

    it('without a keyword answers the recommended users', async () => {
      await t.db.query('INSERT INTO recommended_users (user_id) VALUES ($1)', [second.id]);
      const { body } = await t.http().get('/api/v2/user/search').expect(200);
      expect(ids(body)).toEqual([second.id]);
    });
  });

  describe('POST /user/find-by-phone (contact matching)', () => {
    it('needs a token', async () => {
      await t
        .http()
        .post('/api/v2/user/find-by-phone')
        .send({ phones: [star.phone] })
        .expect(401);
    });

    it('answers registered phones with the public view and mobi = the phone as sent; others, disabled users and bad strings match nothing', async () => {
      const sentAs = `+86${star.phone}`;
      const res = await t
        .http()
        .post('/api/v2/user/find-by-phone')
        .set(bearer(viewer.token))
        .send({ phones: [sentAs, second.phone, uniquePhone(), gone.phone, 'not a phone'] });
      expect(res.status).toBe(200);
      expect(res.body.map((u: { id: number; mobi: string }) => [u.id, u.mobi]).sort()).toEqual(
        [
          [star.id, sentAs],
          [second.id, second.phone],
        ].sort(),
      );
      const starRow = res.body.find((u: { id: number }) => u.id === star.id);
      expect(starRow).toMatchObject({ name: star.name, follower: true, following: true });
      expect(starRow).not.toHaveProperty('phone');
      expect(starRow).not.toHaveProperty('email');
    });

    it('takes a comma string too; missing phones → 422 请传递手机号码; over 100 → 422', async () => {
      const res = await t
        .http()
        .post('/api/v2/user/find-by-phone')
        .set(bearer(viewer.token))
        .send({ phones: `${fan.phone},${uniquePhone()}` });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([expect.objectContaining({ id: fan.id, mobi: fan.phone })]);
      const missing = await t.http().post('/api/v2/user/find-by-phone').set(bearer(viewer.token)).send({});
      expect(missing.status).toBe(422);
      expect(missing.body.message).toBe('请传递手机号码');
      const many = await t
        .http()
        .post('/api/v2/user/find-by-phone')
        .set(bearer(viewer.token))
        .send({ phones: Array.from({ length: 101 }, () => uniquePhone()) });
      expect(many.status).toBe(422);
    });

    it('is rate-limited per user (CONTACT_MATCH_PER_HOUR), with Retry-After', async () => {
      const caller = await registerUser(t);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await t
          .http()
          .post('/api/v2/user/find-by-phone')
          .set(bearer(caller.token))
          .send({ phones: [star.phone] });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers['retry-after']).toBeDefined();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      // another user has a counter of their own
      await t
        .http()
        .post('/api/v2/user/find-by-phone')
        .set(bearer(fan.token))
        .send({ phones: [star.phone] })
        .expect(200);
    });
  });
});

describe('PUBLIC_CONTACT_LOOKUP (thinksns-compat §7: the H5 login page looks a phone up as a guest)', () => {
  for (const enabled of [false, true]) {
    describe(`PUBLIC_CONTACT_LOOKUP=${enabled}`, () => {
      let t: TestApp;
      let user: RegisteredUser;
      let email: string;

      beforeAll(async () => {
        t = await createTestApp({ env: { PUBLIC_CONTACT_LOOKUP: String(enabled), VERIFY_CODE_RESEND_SECONDS: '0' } });
        user = await registerUser(t);
        email = `${user.name}@example.com`;
        await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
      });
      afterAll(async () => {
        await t.close();
      });

      it(enabled ? 'a guest finds a user by phone or e-mail, public view only' : 'a guest cannot resolve a phone or e-mail (404)', async () => {
        for (const key of [user.phone, email]) {
          const res = await t.http().get(`/api/v2/users/${encodeURIComponent(key)}`);
          if (!enabled) {
            expect(res.status).toBe(404);
            continue;
          }
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ id: user.id, name: user.name, follower: false, following: false });
          expect(res.body).not.toHaveProperty('phone');
          expect(res.body).not.toHaveProperty('email');
          expect(JSON.stringify(res.body)).not.toContain(user.phone);
          expect(JSON.stringify(res.body)).not.toContain(email);
        }
      });

      it('an unregistered phone is 404 either way', async () => {
        await t.http().get(`/api/v2/users/${uniquePhone()}`).expect(404);
      });

      it('another signed-in user gets the public view only when enabled', async () => {
        const other = await registerUser(t);
        const res = await t.http().get(`/api/v2/users/${user.phone}`).set(bearer(other.token));
        expect(res.status).toBe(enabled ? 200 : 404);
        if (enabled) expect(res.body).not.toHaveProperty('phone');
      });

      it(`the H5 code-login page (SigninDynamic.vue) ${enabled ? 'signs a registered phone in' : 'cannot start for a registered phone'}`, async () => {
        // beforeGetCode: a guest lookup decides between /verifycodes and /verifycodes/register
        const lookup = await t.http().get(`/api/v2/users/${user.phone}`);
        expect([200, 404]).toContain(lookup.status);
        const registered = Boolean(lookup.body.id);
        expect(registered).toBe(enabled);
        const sent = await t
          .http()
          .post(registered ? '/api/v2/verifycodes' : '/api/v2/verifycodes/register')
          .send({ phone: user.phone });
        if (!enabled) {
          expect(sent.status).not.toBe(202);
          return;
        }
        expect(sent.status).toBe(202);
        // signinByCode → signinByAccount({ login, verifiable_code }) reads access_token
        const login = await t
          .http()
          .post('/api/v2/auth/login')
          .send({ login: user.phone, verifiable_code: t.lastCode(user.phone) });
        expect(login.status).toBe(200);
        expect(typeof login.body.access_token).toBe('string');
      });

      it('the H5 code sign-up (signupByCode) registers a new phone and reads token', async () => {
        const phone = uniquePhone();
        const lookup = await t.http().get(`/api/v2/users/${phone}`);
        expect(lookup.status).toBe(404);
        await t.http().post('/api/v2/verifycodes/register').send({ phone }).expect(202);
        const res = await t
          .http()
          .post('/api/v2/users')
          .send({ name: '用户aB3dE9', phone, verifiable_type: 'sms', verifiable_code: t.lastCode(phone) });
        expect(res.status).toBe(201);
        expect(typeof res.body.token).toBe('string');
      });

      it('the user themselves always gets the owner view by phone', async () => {
        const { body } = await t.http().get(`/api/v2/users/${user.phone}`).set(bearer(user.token)).expect(200);
        expect(body.phone).toBe(user.phone);
      });
    });
  }
});
