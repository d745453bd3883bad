import { createTestApp, TestApp } from './support/harness';
import { bearer, registerUser, RegisteredUser } from './support/fixtures';

/** Follow relations, their counters and lists (mobile-api §4.1 flags, §4.3; quality §3 concurrency invariants). */

// `testTimeout` in the jest project config is not applied to projects (jest reads it globally): set it here.
jest.setTimeout(60_000);

const ids = (body: Array<{ id: number }>) => body.map((u) => u.id);

describe('follow relations (mobile-api §4.3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const followPath = (target: { id: number } | string) => `/api/v2/user/followings/${typeof target === 'string' ? target : target.id}`;
  const follow = (from: RegisteredUser, to: { id: number }) => t.http().put(followPath(to)).set(bearer(from.token));
  const unfollow = (from: RegisteredUser, to: { id: number }) => t.http().delete(followPath(to)).set(bearer(from.token));

  /** The counters as stored and as shown in the public user object. */
  async function counters(user: { id: number }) {
    const { rows } = await t.db.query('SELECT followers_count, followings_count FROM user_extras WHERE user_id = $1', [user.id]);
    const shown = await t.http().get(`/api/v2/users/${user.id}`).expect(200);
    expect({ followers: shown.body.extra.followers_count, followings: shown.body.extra.followings_count }).toEqual({
      followers: rows[0].followers_count,
      followings: rows[0].followings_count,
    });
    return { followers: rows[0].followers_count as number, followings: rows[0].followings_count as number };
  }

  async function relationRows(): Promise<number> {
    return Number((await t.db.query('SELECT count(*) AS n FROM follows')).rows[0].n);
  }

  /** Users whose stored counters differ from the number of relation rows (should be none). */
  async function counterMismatches() {
    const { rows } = await t.db.query(`
      SELECT e.user_id, e.followers_count, e.followings_count, coalesce(fr.n, 0)::int AS followers, coalesce(fg.n, 0)::int AS followings
        FROM user_extras e
        LEFT JOIN (SELECT followee_id AS id, count(*) AS n FROM follows GROUP BY followee_id) fr ON fr.id = e.user_id
        LEFT JOIN (SELECT follower_id AS id, count(*) AS n FROM follows GROUP BY follower_id) fg ON fg.id = e.user_id
       WHERE e.followers_count <> coalesce(fr.n, 0) OR e.followings_count <> coalesce(fg.n, 0)`);
    return rows;
  }

  async function flags(shown: RegisteredUser, viewer?: RegisteredUser) {
    const req = t.http().get(`/api/v2/users/${shown.id}`);
    if (viewer) req.set(bearer(viewer.token));
    const res = await req.expect(200);
    return { has_follower: res.body.has_follower, has_following: res.body.has_following };
  }

  it('PUT /user/followings/:target follows (204): a row, both counters, and the flags from each side', async () => {
    const a = await registerUser(t);
    const b = await registerUser(t);
    expect(await counters(a)).toEqual({ followers: 0, followings: 0 });

    const res = await follow(a, b);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const { rows } = await t.db.query('SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2', [a.id, b.id]);
    expect(rows).toHaveLength(1);
    expect(await counters(a)).toEqual({ followers: 0, followings: 1 });
    expect(await counters(b)).toEqual({ followers: 1, followings: 0 });

    expect(await flags(b, a)).toEqual({ has_follower: true, has_following: false });
    expect(await flags(a, b)).toEqual({ has_follower: false, has_following: true });
    expect(await flags(b)).toEqual({ has_follower: false, has_following: false });
    expect(await flags(a, a)).toEqual({ has_follower: false, has_following: false });

    // Mutual, then the flags in a list too.
    await follow(b, a).expect(204);
    expect(await flags(b, a)).toEqual({ has_follower: true, has_following: true });
    const list = await t.http().get(`/api/v2/users?id=${a.id},${b.id}`).set(bearer(a.token)).expect(200);
    const byId = Object.fromEntries(list.body.map((u: { id: number }) => [u.id, u]));
    expect(byId[b.id]).toMatchObject({ has_follower: true, has_following: true, extra: { followers_count: 1, followings_count: 1 } });
    expect(byId[a.id]).toMatchObject({ has_follower: false, has_following: false, extra: { followers_count: 1, followings_count: 1 } });

    // DELETE unfollows: the row goes, both counters go down, the flags follow.
    await unfollow(a, b).expect(204);
    expect(await counters(a)).toEqual({ followers: 1, followings: 0 });
    expect(await counters(b)).toEqual({ followers: 0, followings: 1 });
    expect(await flags(b, a)).toEqual({ has_follower: false, has_following: true });
    expect(await flags(a, b)).toEqual({ has_follower: true, has_following: false });
  });

  it('following twice and unfollowing when not following are 204 with the counters unchanged', async () => {
    const a = await registerUser(t);
    const b = await registerUser(t);
    await follow(a, b).expect(204);
    const rowsBefore = await relationRows();
    for (let i = 0; i < 3; i++) expect((await follow(a, b)).status).toBe(204);
    expect(await relationRows()).toBe(rowsBefore);
    expect(await counters(a)).toEqual({ followers: 0, followings: 1 });
    expect(await counters(b)).toEqual({ followers: 1, followings: 0 });

    await unfollow(a, b).expect(204);
    for (let i = 0; i < 3; i++) expect((await unfollow(a, b)).status).toBe(204);
    expect((await unfollow(b, a)).status).toBe(204); // never followed
    expect(await relationRows()).toBe(rowsBefore - 1);
    expect(await counters(a)).toEqual({ followers: 0, followings: 0 });
    expect(await counters(b)).toEqual({ followers: 0, followings: 0 });
  });

  it('refuses to follow yourself (422 不可对自己进行操作) and answers 404 for unknown, disabled, cancelled or malformed targets', async () => {
    const a = await registerUser(t);
    const disabled = await registerUser(t);
    const cancelled = await registerUser(t);
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
    await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [cancelled.id]);
    const rowsBefore = await relationRows();

    const self = await follow(a, a);
    expect(self.status).toBe(422);
    expect(self.body.message).toBe('不可对自己进行操作');
    expect(self.body.errors).toEqual(expect.any(Object));
    expect(Object.values(self.body.errors).flat()).toContain('不可对自己进行操作');

    const [{ max }] = (await t.db.query('SELECT max(id) AS max FROM users')).rows;
    for (const target of [String(Number(max) + 1000), String(disabled.id), String(cancelled.id)]) {
      const res = await t.http().put(followPath(target)).set(bearer(a.token));
      expect({ target, status: res.status, body: res.body }).toEqual({ target, status: 404, body: { message: '内容不存在' } });
    }
    for (const target of ['1abc', "'", '%27', '1234567890123456789012345678901234567890', '-1', '0', '1.5']) {
      for (const method of ['put', 'delete'] as const) {
        const res = await t.http()[method](followPath(target)).set(bearer(a.token));
        expect({ target, method, status: [404, 422].includes(res.status) }).toEqual({ target, method, status: true });
      }
    }
    expect(await relationRows()).toBe(rowsBefore);
    expect(await counters(a)).toEqual({ followers: 0, followings: 0 });
  });

  it('needs a token to follow, unfollow and read the own lists (401)', async () => {
    const a = await registerUser(t);
    for (const [method, path] of [
      ['put', followPath(a)],
      ['delete', followPath(a)],
      ['get', '/api/v2/user/followings'],
      ['get', '/api/v2/user/followers'],
    ] as const) {
      const res = await t.http()[method](path);
      expect({ method, path, status: res.status, body: res.body }).toEqual({ method, path, status: 401, body: { message: 'Unauthenticated.' } });
      const bad = await t.http()[method](path).set(bearer('not-a-token'));
      expect(bad.status).toBe(401);
    }
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM follows WHERE follower_id = $1 OR followee_id = $1', [a.id]);
    expect(rows[0].n).toBe(0);
    expect(await counters(a)).toEqual({ followers: 0, followings: 0 });
  });

  it('lists followings and followers newest relation first, with limit and offset, for the viewer and for anyone', async () => {
    const owner = await registerUser(t);
    const [p, q, r, s] = [await registerUser(t), await registerUser(t), await registerUser(t), await registerUser(t)];
    // The owner follows r, p, s, q (not id order); p, s, q follow the owner in that order; the owner follows back p.
    for (const target of [r, p, s, q]) await follow(owner, target).expect(204);
    for (const follower of [q, s, p]) await follow(follower, owner).expect(204);
    const followingsNewest = [q, s, p, r].map((u) => u.id);
    const followersNewest = [p, s, q].map((u) => u.id);

    const myFollowings = await t.http().get('/api/v2/user/followings').set(bearer(owner.token)).expect(200);
    expect(ids(myFollowings.body)).toEqual(followingsNewest);
    const myFollowers = await t.http().get('/api/v2/user/followers').set(bearer(owner.token)).expect(200);
    expect(ids(myFollowers.body)).toEqual(followersNewest);
    // Flags from the owner's side: everyone in followings is followed by the owner; followers follow the owner.
    for (const user of myFollowings.body) {
      expect(user.has_follower).toBe(true);
      expect(user.has_following).toBe([p.id, s.id, q.id].includes(user.id));
    }
    for (const user of myFollowers.body) {
      expect(user.has_following).toBe(true);
      expect(user.has_follower).toBe(true); // the owner follows all of p, s, q
    }

    for (const key of [String(owner.id), owner.name, owner.name.toUpperCase()]) {
      const guestFollowings = await t.http().get(`/api/v2/users/${key}/followings`).expect(200);
      expect(ids(guestFollowings.body)).toEqual(followingsNewest);
      for (const user of guestFollowings.body) expect([user.has_follower, user.has_following]).toEqual([false, false]);
      const guestFollowers = await t.http().get(`/api/v2/users/${key}/followers`).expect(200);
      expect(ids(guestFollowers.body)).toEqual(followersNewest);
    }
    // Another viewer: the flags describe that viewer's relations (r follows nobody; q follows the owner only).
    const asQ = await t.http().get(`/api/v2/users/${owner.id}/followers`).set(bearer(q.token)).expect(200);
    expect(asQ.body.map((u: { id: number; has_follower: boolean; has_following: boolean }) => [u.id, u.has_follower, u.has_following])).toEqual([
      [p.id, false, false],
      [s.id, false, false],
      [q.id, false, false],
    ]);
    await follow(r, q).expect(204);
    const asR = await t.http().get(`/api/v2/users/${owner.id}/followings`).set(bearer(r.token)).expect(200);
    const qSeenByR = asR.body.find((u: { id: number }) => u.id === q.id);
    const ownerFollowsR = asR.body.find((u: { id: number }) => u.id === r.id);
    expect([qSeenByR.has_follower, qSeenByR.has_following]).toEqual([true, false]);
    expect([ownerFollowsR.has_follower, ownerFollowsR.has_following]).toEqual([false, false]);

    // limit / offset
    const page = await t.http().get('/api/v2/user/followings?limit=2&offset=1').set(bearer(owner.token)).expect(200);
    expect(ids(page.body)).toEqual(followingsNewest.slice(1, 3));
    const page2 = await t.http().get(`/api/v2/users/${owner.id}/followers?limit=1&offset=2`).expect(200);
    expect(ids(page2.body)).toEqual(followersNewest.slice(2, 3));
    expect((await t.http().get(`/api/v2/users/${owner.id}/followers?offset=3`).expect(200)).body).toEqual([]);
    for (const bad of ['limit=0', 'limit=abc', 'offset=-1', 'offset=x']) {
      expect((await t.http().get(`/api/v2/user/followings?${bad}`).set(bearer(owner.token))).status).toBe(422);
      expect((await t.http().get(`/api/v2/users/${owner.id}/followers?${bad}`)).status).toBe(422);
    }
    const capped = await t.http().get(`/api/v2/users/${owner.id}/followings?limit=51`).expect(200);
    expect(ids(capped.body)).toEqual(followingsNewest);

    // A disabled user leaves the lists; unknown / disabled owners are 404.
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [s.id]);
    expect(ids((await t.http().get('/api/v2/user/followings').set(bearer(owner.token)).expect(200)).body)).toEqual([q.id, p.id, r.id]);
    expect(ids((await t.http().get(`/api/v2/users/${owner.id}/followers`).expect(200)).body)).toEqual([p.id, q.id]);
    for (const path of [
      `/api/v2/users/${s.id}/followings`,
      `/api/v2/users/${s.id}/followers`,
      `/api/v2/users/99999999/followers`,
      `/api/v2/users/1abc/followings`,
    ]) {
      const res = await t.http().get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    // A phone number does not name a user for a stranger (no phone → account mapping through the lists either).
    expect((await t.http().get(`/api/v2/users/${owner.phone}/followers`)).status).toBe(404);
    expect((await t.http().get(`/api/v2/users/${owner.phone}/followers`).set(bearer(p.token))).status).toBe(404);
    expect(ids((await t.http().get(`/api/v2/users/${owner.phone}/followers`).set(bearer(owner.token)).expect(200)).body)).toEqual([p.id, q.id]);
  });

  it('CONCURRENCY: a storm of parallel follows and unfollows never answers 5xx and keeps every counter equal to the rows', async () => {
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 10; i++) users.push(await registerUser(t));
    const targets: RegisteredUser[] = [];
    for (let i = 0; i < 3; i++) targets.push(await registerUser(t));
    // Some relations exist beforehand, so that the unfollows have something to remove.
    for (const user of users.slice(0, 5)) for (const target of targets) await follow(user, target).expect(204);

    const statuses: number[] = [];
    const fire = async (req: PromiseLike<{ status: number }>) => {
      statuses.push((await req).status);
    };
    for (let round = 0; round < 2; round++) {
      const requests: Array<Promise<void>> = [];
      users.forEach((user, i) => {
        for (let j = 0; j < 10; j++) {
          const target = targets[(i + j) % targets.length];
          const put = (i + j + round) % 2 === 0;
          requests.push(fire(put ? follow(user, target) : unfollow(user, target)));
        }
      });
      // Pairs following each other at the same instant (opposite lock order), and targets following back.
      for (let i = 0; i + 1 < users.length; i += 2) {
        const [x, y] = [users[i], users[i + 1]];
        requests.push(fire(round === 0 ? follow(x, y) : unfollow(x, y)), fire(round === 0 ? follow(y, x) : unfollow(y, x)));
        requests.push(fire(follow(x, y)), fire(follow(y, x)));
      }
      targets.forEach((target, k) => {
        for (const user of users) requests.push(fire((k + round) % 2 === 0 ? follow(target, user) : unfollow(target, user)));
      });
      await Promise.all(requests);
    }

    expect(statuses.length).toBe(2 * (100 + 20 + 30));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect([...new Set(statuses)]).toEqual([204]);
    expect(await relationRows()).toBeGreaterThan(0);
    expect(await counterMismatches()).toEqual([]);
    // and the API shows the same numbers
    for (const user of [...users, ...targets]) {
      const { rows } = await t.db.query(
        `SELECT (SELECT count(*) FROM follows WHERE followee_id = $1)::int AS followers, (SELECT count(*) FROM follows WHERE follower_id = $1)::int AS followings`,
        [user.id],
      );
      expect(await counters(user)).toEqual(rows[0]);
    }
  });

  it('keeps the counters right when many users follow and unfollow one target at once', async () => {
    const target = await registerUser(t);
    const fans: RegisteredUser[] = [];
    for (let i = 0; i < 12; i++) fans.push(await registerUser(t));
    const requests: Array<Promise<{ status: number }>> = [];
    for (let repeat = 0; repeat < 4; repeat++) {
      for (const [i, fan] of fans.entries()) {
        requests.push(follow(fan, target).then((r) => r));
        if ((i + repeat) % 3 === 0) requests.push(unfollow(fan, target).then((r) => r));
      }
    }
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status).filter((s) => s !== 204)).toEqual([]);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM follows WHERE followee_id = $1', [target.id]);
    expect((await counters(target)).followers).toBe(rows[0].n);
    // Settle: everyone follows once more (sequentially): exactly 12 followers.
    for (const fan of fans) await follow(fan, target).expect(204);
    expect(await counters(target)).toEqual({ followers: 12, followings: 0 });
    expect(await counterMismatches()).toEqual([]);
  });
});
