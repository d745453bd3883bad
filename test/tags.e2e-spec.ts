import { bearer, registerAdmin, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * Tags (thinksns-compat §4): the admin catalogue under /api/v2/admin/tags (ability admin:tag:manage), the guest
 * catalogue the H5 client's ChooseTags page reads, a user's own tags (at most five, also under parallel PUTs), other
 * users' tags and /user/find-by-tags. Requests as the client sends them (PUT / DELETE /user/tags/:id without a body).
 */

interface Tag {
  id: number;
  name: string;
  tag_category_id: number;
  weight: number;
}

describe('tags (thinksns-compat §4)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let user: RegisteredUser;
  let other: RegisteredUser;
  let hobbies: number;
  let jobs: number;
  /** seven tags in "hobbies", two in "jobs" */
  let tags: Tag[];

  const as = (who: RegisteredUser) => bearer(who.token);
  const putTag = (who: RegisteredUser, id: number) => t.http().put(`/api/v2/user/tags/${id}`).set(as(who));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerAdmin(t, ['admin:tag:manage']);
    user = await registerUser(t);
    other = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('admin catalogue (/api/v2/admin/tags…)', () => {
    it('guests get 401, users without admin:tag:manage 403, and nothing is written', async () => {
      await t.http().post('/api/v2/admin/tags/categories').send({ name: 'x' }).expect(401);
      await t.http().post('/api/v2/admin/tags/categories').set(as(user)).send({ name: 'x' }).expect(403);
      await t.http().get('/api/v2/admin/tags').set(as(user)).expect(403);
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM tag_categories');
      expect(rows[0].n).toBe(0);
    });

    it('creates categories (201) and refuses a duplicate name (422 分类已经存在)', async () => {
      const res = await t.http().post('/api/v2/admin/tags/categories').set(as(admin)).send({ name: '兴趣', weight: 1 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), name: '兴趣', weight: 1, tags_count: 0 });
      hobbies = res.body.id;
      const jobsRes = await t.http().post('/api/v2/admin/tags/categories').set(as(admin)).send({ name: '职业', weight: 5 }).expect(201);
      jobs = jobsRes.body.id;
      const dup = await t.http().post('/api/v2/admin/tags/categories').set(as(admin)).send({ name: '兴趣' });
      expect(dup.status).toBe(422);
      expect(dup.body.message).toBe('分类已经存在');
      await t.http().post('/api/v2/admin/tags/categories').set(as(admin)).send({}).expect(422);
      await t
        .http()
        .post('/api/v2/admin/tags/categories')
        .set(as(admin))
        .send({ name: 'x'.repeat(151) })
        .expect(422);
    });

    it('creates tags in a category; unknown category 422; duplicate name 422; every write audited', async () => {
      tags = [];
      for (const name of ['读书', '电影', '音乐', '旅行', '摄影', '跑步', '游泳']) {
        const res = await t.http().post('/api/v2/admin/tags').set(as(admin)).send({ name, category: hobbies });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ id: expect.any(Number), name, tag_category_id: hobbies, weight: 0, users_count: 0 });
        tags.push(res.body);
      }
      for (const [name, weight] of [
        ['程序员', 1],
        ['设计师', 9],
      ] as const) {
        const res = await t.http().post('/api/v2/admin/tags').set(as(admin)).send({ name, category: jobs, weight }).expect(201);
        tags.push(res.body);
      }
      const unknown = await t.http().post('/api/v2/admin/tags').set(as(admin)).send({ name: '新', category: 999999 });
      expect(unknown.status).toBe(422);
      const dup = await t.http().post('/api/v2/admin/tags').set(as(admin)).send({ name: '读书', category: jobs });
      expect(dup.status).toBe(422);
      expect(dup.body.message).toBe('标签已经存在');
      const { rows } = await t.db.query(`SELECT action, count(*)::int AS n FROM admin_audit_log WHERE actor_id = $1 GROUP BY action ORDER BY action`, [
        admin.id,
      ]);
      expect(rows).toEqual([
        { action: 'tag.create', n: 9 },
        { action: 'tag_category.create', n: 2 },
      ]);
    });

    it('lists, shows and updates tags and categories', async () => {
      const list = await t.http().get(`/api/v2/admin/tags?category=${jobs}`).set(as(admin)).expect(200);
      expect(list.body.map((x: Tag) => x.name)).toEqual(['设计师', '程序员']);
      const search = await t.http().get('/api/v2/admin/tags?keyword=读').set(as(admin)).expect(200);
      expect(search.body.map((x: Tag) => x.name)).toEqual(['读书']);
      const shown = await t.http().get(`/api/v2/admin/tags/${tags[0].id}`).set(as(admin)).expect(200);
      expect(shown.body).toMatchObject({ id: tags[0].id, name: '读书', users_count: 0 });
      const renamed = await t.http().patch(`/api/v2/admin/tags/${tags[6].id}`).set(as(admin)).send({ name: '游泳健身', weight: 3 }).expect(200);
      expect(renamed.body).toMatchObject({ name: '游泳健身', weight: 3, tag_category_id: hobbies });
      tags[6] = { ...tags[6], name: '游泳健身', weight: 3 };
      const cat = await t.http().patch(`/api/v2/admin/tags/categories/${hobbies}`).set(as(admin)).send({ weight: 2 }).expect(200);
      expect(cat.body).toEqual({ id: hobbies, name: '兴趣', weight: 2, tags_count: 7 });
      const cats = await t.http().get('/api/v2/admin/tags/categories').set(as(admin)).expect(200);
      expect(cats.body.map((c: { id: number }) => c.id)).toEqual([jobs, hobbies]);
      await t.http().get('/api/v2/admin/tags/999999').set(as(admin)).expect(404);
      await t.http().get('/api/v2/admin/tags/abc').set(as(admin)).expect(404);
      await t.http().patch('/api/v2/admin/tags/999999').set(as(admin)).send({ weight: 1 }).expect(404);
      await t.http().patch(`/api/v2/admin/tags/${tags[0].id}`).set(as(admin)).send({ category: 999999 }).expect(422);
    });

    it('deletes an empty category (204); one with tags stays (422)', async () => {
      const empty = await t.http().post('/api/v2/admin/tags/categories').set(as(admin)).send({ name: '空' }).expect(201);
      await t.http().delete(`/api/v2/admin/tags/categories/${empty.body.id}`).set(as(admin)).expect(204);
      await t.http().delete(`/api/v2/admin/tags/categories/${empty.body.id}`).set(as(admin)).expect(404);
      const full = await t.http().delete(`/api/v2/admin/tags/categories/${jobs}`).set(as(admin));
      expect(full.status).toBe(422);
      expect(full.body.message).toBe('该分类下还有标签存在，请先删除标签再删除分类');
    });
  });

  describe('GET /tags (guest, the ChooseTags page)', () => {
    it('lists categories (larger weight first) with their tags (larger weight first)', async () => {
      const res = await t.http().get('/api/v2/tags');
      expect(res.status).toBe(200);
      expect(res.body.map((c: { name: string }) => c.name)).toEqual(['职业', '兴趣']);
      expect(res.body[0]).toEqual({
        id: jobs,
        name: '职业',
        weight: 5,
        tags: [
          { id: tags[8].id, name: '设计师', tag_category_id: jobs, weight: 9 },
          { id: tags[7].id, name: '程序员', tag_category_id: jobs, weight: 1 },
        ],
      });
      expect(res.body[1].tags[0]).toEqual({ id: tags[6].id, name: '游泳健身', tag_category_id: hobbies, weight: 3 });
      expect(res.body[1].tags).toHaveLength(7);
    });
  });

  describe("a user's own tags", () => {
    it('PUT /user/tags/:tag → 204; again → 422 你已拥有「…」标签，请勿重复添加', async () => {
      await putTag(user, tags[0].id).expect(204);
      const again = await putTag(user, tags[0].id);
      expect(again.status).toBe(422);
      expect(again.body.message).toBe('你已拥有「读书」标签，请勿重复添加');
    });

    it('GET /user/tags lists them; GET /users/:user/tags shows them to anyone (by id or name)', async () => {
      await putTag(user, tags[7].id).expect(204);
      const mine = await t.http().get('/api/v2/user/tags').set(as(user)).expect(200);
      expect(mine.body).toEqual([
        { id: tags[0].id, name: '读书', tag_category_id: hobbies, weight: 0 },
        { id: tags[7].id, name: '程序员', tag_category_id: jobs, weight: 1 },
      ]);
      const byGuest = await t.http().get(`/api/v2/users/${user.id}/tags`).expect(200);
      expect(byGuest.body).toEqual(mine.body);
      const byName = await t.http().get(`/api/v2/users/${user.name}/tags`).set(as(other)).expect(200);
      expect(byName.body).toEqual(mine.body);
      const none = await t.http().get(`/api/v2/users/${other.id}/tags`).expect(200);
      expect(none.body).toEqual([]);
    });

    it('GET /users/:user/tags is 404 for an unknown, malformed or disabled user (never 500)', async () => {
      await t.http().get('/api/v2/users/999999999/tags').expect(404);
      await t.http().get('/api/v2/users/no_such_user_x/tags').expect(404);
      await t
        .http()
        .get(`/api/v2/users/${encodeURIComponent("1' or 1=1")}/tags`)
        .expect(404);
      const disabled = await registerUser(t);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
      await t.http().get(`/api/v2/users/${disabled.id}/tags`).expect(404);
    });

    it('DELETE /user/tags/:tag → 204; not held → 422 你没有「…」标签; unknown tag → 404', async () => {
      await t.http().delete(`/api/v2/user/tags/${tags[7].id}`).set(as(user)).expect(204);
      const again = await t.http().delete(`/api/v2/user/tags/${tags[7].id}`).set(as(user));
      expect(again.status).toBe(422);
      expect(again.body.message).toBe('你没有「程序员」标签');
      await t.http().delete('/api/v2/user/tags/999999').set(as(user)).expect(404);
      await putTag(user, 999999).expect(404);
      await putTag(user, 'abc' as unknown as number).expect(404);
    });

    it('needs a token', async () => {
      await t.http().get('/api/v2/user/tags').expect(401);
      await t.http().put(`/api/v2/user/tags/${tags[1].id}`).expect(401);
      await t.http().delete(`/api/v2/user/tags/${tags[0].id}`).expect(401);
    });

    it('at most five: the sixth → 422 标签最多可选5个, and a freed slot can be used again', async () => {
      const owner = await registerUser(t);
      for (const tag of tags.slice(0, 5)) await putTag(owner, tag.id).expect(204);
      const sixth = await putTag(owner, tags[5].id);
      expect(sixth.status).toBe(422);
      expect(sixth.body.message).toBe('标签最多可选5个');
      await t.http().delete(`/api/v2/user/tags/${tags[2].id}`).set(as(owner)).expect(204);
      await putTag(owner, tags[5].id).expect(204);
      const { body } = await t.http().get('/api/v2/user/tags').set(as(owner)).expect(200);
      expect(body.map((x: Tag) => x.id).sort()).toEqual([tags[0], tags[1], tags[3], tags[4], tags[5]].map((x) => x.id).sort());
    });

    it('parallel PUTs of nine different tags never give more than five', async () => {
      for (let round = 0; round < 3; round++) {
        const racer = await registerUser(t);
        const statuses = await Promise.all(tags.map((tag) => putTag(racer, tag.id).then((res) => res.status)));
        expect(statuses.filter((s) => s === 204)).toHaveLength(5);
        expect(statuses.filter((s) => s === 422)).toHaveLength(4);
        const { rows } = await t.db.query('SELECT count(*)::int AS n FROM user_tags WHERE user_id = $1', [racer.id]);
        expect(rows[0].n).toBe(5);
      }
    });

    it('parallel PUTs of one tag add it once', async () => {
      const racer = await registerUser(t);
      const statuses = await Promise.all(Array.from({ length: 6 }, () => putTag(racer, tags[3].id).then((res) => res.status)));
      expect(statuses.sort()).toEqual([204, 422, 422, 422, 422, 422]);
    });

    it('a tag users hold cannot be deleted by an admin (422); an unused one can (204)', async () => {
      const inUse = await t.http().delete(`/api/v2/admin/tags/${tags[0].id}`).set(as(admin));
      expect(inUse.status).toBe(422);
      expect(inUse.body.message).toBe('有资源使用该标签，不能删除，请先清理使用该标签的资源');
      const spare = await t.http().post('/api/v2/admin/tags').set(as(admin)).send({ name: '临时', category: hobbies }).expect(201);
      await t.http().delete(`/api/v2/admin/tags/${spare.body.id}`).set(as(admin)).expect(204);
      await t.http().get(`/api/v2/admin/tags/${spare.body.id}`).set(as(admin)).expect(404);
      const used = await t.http().get(`/api/v2/admin/tags/${tags[0].id}`).set(as(admin)).expect(200);
      expect(used.body.users_count).toBeGreaterThan(1);
    });
  });

  describe('GET /user/find-by-tags (the 找人 → 推荐 tab)', () => {
    it('a guest gets []', async () => {
      const res = await t.http().get('/api/v2/user/find-by-tags');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it("users sharing any of the viewer's tags, newest first, without the viewer or disabled users, with follow flags", async () => {
      const seeker = await registerUser(t);
      const twoShared = await registerUser(t);
      const oneShared = await registerUser(t);
      const disabled = await registerUser(t);
      const jobsOnly = await registerUser(t);
      // two tags nobody else holds (earlier tests hand out the others at random)
      const fresh: number[] = [];
      for (const name of ['攀岩', '潜水']) {
        fresh.push((await t.http().post('/api/v2/admin/tags').set(as(admin)).send({ name, category: hobbies }).expect(201)).body.id);
      }
      await putTag(seeker, fresh[0]).expect(204);
      await putTag(seeker, fresh[1]).expect(204);
      for (const who of [twoShared, disabled]) {
        await putTag(who, fresh[0]).expect(204);
        await putTag(who, fresh[1]).expect(204);
      }
      await putTag(oneShared, fresh[1]).expect(204);
      await putTag(jobsOnly, tags[1].id).expect(204);
      await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
      await t.http().put(`/api/v2/user/followings/${oneShared.id}`).set(as(seeker)).expect(204);

      const res = await t.http().get('/api/v2/user/find-by-tags').set(as(seeker)).expect(200);
      expect(res.body.map((u: { id: number }) => u.id)).toEqual([oneShared.id, twoShared.id]);
      expect(res.body[0]).toMatchObject({ follower: true, following: false, has_follower: true, extra: expect.any(Object) });
      expect(res.body[1]).toMatchObject({ follower: false, following: false });
      expect(res.body[0]).not.toHaveProperty('phone');
      const next = await t.http().get('/api/v2/user/find-by-tags?offset=1').set(as(seeker)).expect(200);
      expect(next.body.map((u: { id: number }) => u.id)).toEqual([twoShared.id]);
      const one = await t.http().get('/api/v2/user/find-by-tags?limit=1').set(as(seeker)).expect(200);
      expect(one.body.map((u: { id: number }) => u.id)).toEqual([oneShared.id]);
    });
  });
});
