import { randomInt } from 'node:crypto';
import { bearer, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * Shipping addresses (收货地址, mobile-api §6; README §3–4; quality §2 object-level, §3 concurrency invariants):
 * CRUD, the seed's object and timestamp format, the GB18030 byte limits, the 20-address cap and the single default,
 * also under parallel requests, and that nobody reaches someone else's addresses.
 */

const SEED_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const KEYS = ['alias', 'city', 'county', 'created_at', 'detail', 'id', 'is_default', 'name', 'phone', 'postcode', 'province', 'updated_at', 'user_id'];
const NOT_FOUND = { message: '内容不存在' };
const BASE = '/api/v2/user/addresses';

function phone(): string {
  return `158${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

function input(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: '张三', phone: phone(), detail: '天府大道北段1700号', is_default: false, ...overrides };
}

async function create(t: TestApp, user: RegisteredUser, body: Record<string, unknown> = input()) {
  return t.http().post(BASE).set(bearer(user.token)).send(body);
}

async function created(t: TestApp, user: RegisteredUser, body: Record<string, unknown> = input()) {
  const res = await create(t, user, body);
  expect(res.status).toBe(201);
  return res.body as { id: number; is_default: boolean } & Record<string, unknown>;
}

async function rowsOf(t: TestApp, userId: number) {
  const { rows } = await t.db.query('SELECT * FROM addresses WHERE user_id = $1 ORDER BY id', [userId]);
  return rows;
}

async function rowById(t: TestApp, id: number) {
  const { rows } = await t.db.query('SELECT * FROM addresses WHERE id = $1', [id]);
  return rows[0];
}

async function defaults(t: TestApp, userId: number): Promise<number[]> {
  const { rows } = await t.db.query('SELECT id FROM addresses WHERE user_id = $1 AND is_default ORDER BY id', [userId]);
  return rows.map((r) => Number(r.id));
}

/** Inserts addresses directly (a setup shortcut), oldest first. */
async function seed(t: TestApp, userId: number, count: number): Promise<number[]> {
  const { rows } = await t.db.query(
    `INSERT INTO addresses (user_id, name, phone, detail, is_default, created_at, updated_at)
     SELECT $1, '收件人' || g, '13800000000', '地址' || g, false, now() - (($2 - g) || ' seconds')::interval, now()
       FROM generate_series(1, $2::int) g RETURNING id`,
    [userId, count],
  );
  return rows.map((r) => Number(r.id));
}

/** Waits until `count` statements of the app wait on a row lock in the test database. */
async function untilLockWaiters(t: TestApp, count: number): Promise<void> {
  for (;;) {
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [t.databaseName]);
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function expectNo5xx(statuses: number[]) {
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
}

describe('shipping addresses (mobile-api §6)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('CRUD and the object', () => {
    it('POST → 201 with exactly the seed keys, normalised phone, seed timestamps; GET /:id returns the same', async () => {
      const u = await registerUser(t);
      const p = phone();
      const res = await create(t, u, {
        alias: '公司',
        name: '  李四  ',
        phone: `+86-${p}`,
        province: '四川省',
        city: '成都市',
        county: '武侯区',
        detail: '天府大道北段1700号',
        postcode: '610041',
        is_default: true,
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(KEYS);
      expect(res.body).toEqual({
        id: expect.any(Number),
        user_id: u.id,
        alias: '公司',
        name: '李四',
        phone: p,
        province: '四川省',
        city: '成都市',
        county: '武侯区',
        detail: '天府大道北段1700号',
        postcode: '610041',
        is_default: true,
        created_at: expect.stringMatching(SEED_TIME),
        updated_at: expect.stringMatching(SEED_TIME),
      });
      const row = await rowById(t, res.body.id);
      expect(row.phone).toBe(p);
      // timestamps are UTC: the text is the row's timestamptz in UTC, to the second
      expect(res.body.created_at).toBe((row.created_at as Date).toISOString().slice(0, 19).replace('T', ' '));
      const got = await t.http().get(`${BASE}/${res.body.id}`).set(bearer(u.token));
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('optional fields default to null; minimal body → 201', async () => {
      const u = await registerUser(t);
      const body = await created(t, u, { name: 'Bob', phone: '13912345678', detail: 'x', is_default: false });
      expect(body).toMatchObject({ alias: null, province: null, city: null, county: null, postcode: null, is_default: false, phone: '13912345678' });
    });

    it('GET /user/addresses → only the caller’s, newest first', async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await created(t, u, input({ name: `收件人${i}` }))).id);
      await created(t, other);
      const res = await t.http().get(BASE).set(bearer(u.token));
      expect(res.status).toBe(200);
      expect(res.body.map((a: { id: number }) => a.id)).toEqual([...ids].reverse());
      for (const a of res.body) {
        expect(Object.keys(a).sort()).toEqual(KEYS);
        expect(a.user_id).toBe(u.id);
        expect(a.created_at).toMatch(SEED_TIME);
      }
      const empty = await t
        .http()
        .get(BASE)
        .set(bearer((await registerUser(t)).token));
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual([]);
    });

    it('newest first follows created_at, not the id', async () => {
      const u = await registerUser(t);
      const [older, newer] = await seed(t, u.id, 2);
      await t.db.query(`UPDATE addresses SET created_at = now() + interval '1 hour' WHERE id = $1`, [older]);
      const res = await t.http().get(BASE).set(bearer(u.token));
      expect(res.body.map((a: { id: number }) => a.id)).toEqual([older, newer]);
    });

    it('PATCH and PUT → 200 with the object; only sent fields change; phone normalised; optional fields can be cleared', async () => {
      const u = await registerUser(t);
      const a = await created(t, u, input({ alias: '家', postcode: '100000', city: '北京市' }));
      const p = phone();
      const patch = await t
        .http()
        .patch(`${BASE}/${a.id}`)
        .set(bearer(u.token))
        .send({ phone: `0086${p}`, alias: null });
      expect(patch.status).toBe(200);
      expect(patch.body).toEqual({ ...a, phone: p, alias: null, updated_at: expect.stringMatching(SEED_TIME) });
      const put = await t.http().put(`${BASE}/${a.id}`).set(bearer(u.token)).send({ detail: '新地址', postcode: '' });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ ...a, phone: p, alias: null, detail: '新地址', postcode: null, updated_at: expect.stringMatching(SEED_TIME) });
      expect(await rowById(t, a.id)).toMatchObject({ phone: p, alias: null, detail: '新地址', postcode: null, city: '北京市', name: '张三' });
      const got = await t.http().get(`${BASE}/${a.id}`).set(bearer(u.token));
      expect(got.body).toEqual(put.body);
    });

    it('PATCH cannot clear a required field: name / phone / detail / is_default null or empty → 422, row unchanged', async () => {
      const u = await registerUser(t);
      const a = await created(t, u);
      const before = await rowById(t, a.id);
      for (const body of [{ name: null }, { name: '' }, { phone: null }, { phone: '  ' }, { detail: null }, { is_default: null }, { phone: '12345' }]) {
        const res = await t.http().patch(`${BASE}/${a.id}`).set(bearer(u.token)).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 422 });
        expect(Object.keys(res.body.errors)).toEqual(Object.keys(body));
      }
      expect(await rowById(t, a.id)).toEqual(before);
    });

    it('ignores fields it must not take from the client (id, user_id, created_at)', async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      const a = await created(t, u, input({ id: 1, user_id: other.id, created_at: '2000-01-01 00:00:00' }));
      expect(a.user_id).toBe(u.id);
      expect(a.created_at).not.toBe('2000-01-01 00:00:00');
      const patch = await t
        .http()
        .patch(`${BASE}/${a.id}`)
        .set(bearer(u.token))
        .send({ id: a.id + 1000, user_id: other.id, created_at: '2000-01-01 00:00:00' });
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({ id: a.id, user_id: u.id, created_at: a.created_at });
      expect(await rowsOf(t, other.id)).toEqual([]);
    });

    it('DELETE → 204, then GET / PATCH / DELETE → 404', async () => {
      const u = await registerUser(t);
      const a = await created(t, u);
      const del = await t.http().delete(`${BASE}/${a.id}`).set(bearer(u.token));
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect(await rowById(t, a.id)).toBeUndefined();
      expect((await t.http().get(`${BASE}/${a.id}`).set(bearer(u.token))).status).toBe(404);
      expect((await t.http().patch(`${BASE}/${a.id}`).set(bearer(u.token)).send({ name: 'x' })).status).toBe(404);
      const again = await t.http().delete(`${BASE}/${a.id}`).set(bearer(u.token));
      expect(again.status).toBe(404);
      expect(again.body).toEqual(NOT_FOUND);
    });

    it('every route without a token → 401', async () => {
      const requests = [
        t.http().get(BASE),
        t.http().post(BASE).send(input()),
        t.http().get(`${BASE}/1`),
        t.http().put(`${BASE}/1`).send({ name: 'x' }),
        t.http().patch(`${BASE}/1`).send({ name: 'x' }),
        t.http().delete(`${BASE}/1`),
      ];
      for (const res of await Promise.all(requests)) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: 'Unauthenticated.' });
      }
    });
  });

  describe('validation', () => {
    let u: RegisteredUser;
    beforeAll(async () => {
      u = await registerUser(t);
    });
    afterEach(async () => {
      await t.db.query('DELETE FROM addresses WHERE user_id = $1', [u.id]);
    });

    it.each(['name', 'phone', 'detail', 'is_default'])('POST without %s → 422 naming it, nothing stored', async (field) => {
      const body = input();
      delete body[field];
      const res = await create(t, u, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
      expect(typeof res.body.message).toBe('string');
      expect(await rowsOf(t, u.id)).toEqual([]);
    });

    it('an empty body → 422 naming every required field', async () => {
      const res = await create(t, u, {});
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors).sort()).toEqual(['detail', 'is_default', 'name', 'phone']);
    });

    it.each([
      ['12345678901', 'not a mobile number'],
      ['1380000000', '10 digits'],
      ['+1 2025550123', 'not Chinese'],
      ['138-0000-0000', 'dashes'],
    ])('phone %p (%s) → 422', async (bad) => {
      const res = await create(t, u, input({ phone: bad }));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['phone']);
    });

    it.each([
      ['13800000000', '13800000000'],
      ['+8613800000000', '13800000000'],
      ['8613800000000', '13800000000'],
      ['008613800000000', '13800000000'],
      ['+86-13800000000', '13800000000'],
    ])('phone %p is stored as %p', async (sent, stored) => {
      const a = await created(t, u, input({ phone: sent }));
      expect(a.phone).toBe(stored);
      expect((await rowById(t, a.id)).phone).toBe(stored);
    });

    it.each([
      [true, true],
      [false, false],
      ['true', true],
      ['false', false],
      [1, true],
      [0, false],
    ])('is_default %p → %p', async (sent, stored) => {
      const a = await created(t, u, input({ is_default: sent }));
      expect(a.is_default).toBe(stored);
    });

    it.each(['yes', 2, 'maybe', [true], { a: 1 }])('is_default %p → 422', async (bad) => {
      const res = await create(t, u, input({ is_default: bad }));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['is_default']);
    });

    it('postcode: exactly 6 digits', async () => {
      expect((await created(t, u, input({ postcode: '610041' }))).postcode).toBe('610041');
      expect((await created(t, u, input({ postcode: ' 000000 ' }))).postcode).toBe('000000');
      for (const bad of ['61004', '6100411', '61004a', '６１００４１', '61 041', 'abcdef', '-61004']) {
        const res = await create(t, u, input({ postcode: bad }));
        expect({ bad, status: res.status }).toEqual({ bad, status: 422 });
        expect(Object.keys(res.body.errors)).toEqual(['postcode']);
        expect(res.body.message).toBe('邮政编码必须是6位数字');
      }
      expect(await rowsOf(t, u.id)).toHaveLength(2);
    });

    /** [field, limit in GB18030 bytes] */
    const LIMITS: Array<[string, number]> = [
      ['name', 24],
      ['alias', 24],
      ['province', 32],
      ['city', 32],
      ['county', 32],
      ['detail', 160],
    ];

    it.each(LIMITS)('%s ≤ %d GB18030 bytes: CJK counts 2, ASCII 1, emoji 4 — at the limit passes, one more fails', async (field, limit) => {
      const fits = ['中'.repeat(limit / 2), 'a'.repeat(limit), '😀'.repeat(limit / 4), `${'中'.repeat(limit / 2 - 1)}ab`, `${'😀'.repeat(limit / 4 - 1)}中ab`];
      const over = [
        '中'.repeat(limit / 2 + 1),
        'a'.repeat(limit + 1),
        '😀'.repeat(limit / 4 + 1),
        `${'中'.repeat(limit / 2)}a`,
        `${'😀'.repeat(limit / 4)}a`,
        `${'中'.repeat(limit / 2 - 1)}😀`, // limit + 2 bytes in fewer characters than the limit / 2
      ];
      for (const value of fits) {
        const res = await create(t, u, input({ [field]: value }));
        expect({ field, value, status: res.status }).toEqual({ field, value, status: 201 });
        expect(res.body[field]).toBe(value);
        expect((await rowById(t, res.body.id))[field]).toBe(value);
      }
      await t.db.query('DELETE FROM addresses WHERE user_id = $1', [u.id]);
      const target = await created(t, u);
      const before = await rowById(t, target.id);
      for (const value of over) {
        const res = await create(t, u, input({ [field]: value }));
        expect({ field, value, status: res.status }).toEqual({ field, value, status: 422 });
        expect(Object.keys(res.body.errors)).toEqual([field]);
        const patch = await t
          .http()
          .patch(`${BASE}/${target.id}`)
          .set(bearer(u.token))
          .send({ [field]: value });
        expect({ field, value, patch: patch.status }).toEqual({ field, value, patch: 422 });
      }
      expect(await rowsOf(t, u.id)).toHaveLength(1);
      expect(await rowById(t, target.id)).toEqual(before);
    });

    it('name: 12 CJK characters pass, 13 fail; 6 emoji pass, 7 fail (the spec’s examples)', async () => {
      expect((await create(t, u, input({ name: '欧阳诸葛司马上官东方慕容' }))).status).toBe(201);
      expect((await create(t, u, input({ name: '欧阳诸葛司马上官东方慕容复' }))).status).toBe(422);
      expect((await create(t, u, input({ name: '😀😁😂🤣😃😄' }))).status).toBe(201);
      const seven = await create(t, u, input({ name: '😀😁😂🤣😃😄😅' }));
      expect(seven.status).toBe(422);
      expect(seven.body.errors.name).toHaveLength(1);
    });

    it('wrong types → 422, never 500', async () => {
      const statuses: number[] = [];
      for (const body of [
        input({ name: 123 }),
        input({ name: ['a'] }),
        input({ detail: { x: 1 } }),
        input({ alias: true }),
        input({ postcode: 610041.5 }),
        input({ province: '省'.repeat(10_000) }),
        input({ name: null }),
        input({ is_default: null }),
      ]) {
        const res = await create(t, u, body);
        statuses.push(res.status);
        expect(res.status).toBe(422);
      }
      expectNo5xx(statuses);
      expect(await rowsOf(t, u.id)).toEqual([]);
    });
  });

  describe('at most 20 addresses', () => {
    it('a 21st → 422 收货地址最多20个; after deleting one a new one fits', async () => {
      const u = await registerUser(t);
      const ids = await seed(t, u.id, 19);
      const twentieth = await created(t, u);
      expect((await rowsOf(t, u.id)).length).toBe(20);
      const res = await create(t, u);
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('收货地址最多20个');
      expect((await rowsOf(t, u.id)).length).toBe(20);
      const list = await t.http().get(BASE).set(bearer(u.token));
      expect(list.body).toHaveLength(20);
      expect(list.body[0].id).toBe(twentieth.id);
      expect((await t.http().delete(`${BASE}/${ids[0]}`).set(bearer(u.token))).status).toBe(204);
      expect((await create(t, u)).status).toBe(201);
      expect((await create(t, u)).status).toBe(422);
      expect((await rowsOf(t, u.id)).length).toBe(20);
    });

    it('the cap is per user: another user can still add', async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      await seed(t, u.id, 20);
      expect((await create(t, u)).status).toBe(422);
      expect((await create(t, other)).status).toBe(201);
    });

    it('30 parallel creations from one user → exactly 20 rows, 20 × 201, 10 × 422, no 5xx', async () => {
      const u = await registerUser(t);
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => create(t, u, input({ name: `并发${i}`, is_default: i % 3 === 0 }))));
      const statuses = results.map((r) => r.status);
      expectNo5xx(statuses);
      expect(statuses.filter((s) => s === 201)).toHaveLength(20);
      expect(statuses.filter((s) => s === 422)).toHaveLength(10);
      for (const r of results.filter((x) => x.status === 422)) expect(r.body.message).toBe('收货地址最多20个');
      expect(await rowsOf(t, u.id)).toHaveLength(20);
      expect((await defaults(t, u.id)).length).toBe(1);
    });

    it('parallel creations starting from 15 → exactly 20 rows', async () => {
      const u = await registerUser(t);
      await seed(t, u.id, 15);
      const results = await Promise.all(Array.from({ length: 12 }, () => create(t, u)));
      expectNo5xx(results.map((r) => r.status));
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      expect(await rowsOf(t, u.id)).toHaveLength(20);
    });
  });

  describe('at most one default', () => {
    it('creating with is_default true clears the previous default; false leaves it', async () => {
      const u = await registerUser(t);
      const a = await created(t, u, input({ is_default: true }));
      expect(await defaults(t, u.id)).toEqual([a.id]);
      const b = await created(t, u, input({ is_default: true }));
      expect(b.is_default).toBe(true);
      expect(await defaults(t, u.id)).toEqual([b.id]);
      const got = await t.http().get(`${BASE}/${a.id}`).set(bearer(u.token));
      expect(got.body.is_default).toBe(false);
      const c = await created(t, u, input({ is_default: false }));
      expect(c.is_default).toBe(false);
      expect(await defaults(t, u.id)).toEqual([b.id]);
      const list = await t.http().get(BASE).set(bearer(u.token));
      expect(list.body.filter((x: { is_default: boolean }) => x.is_default).map((x: { id: number }) => x.id)).toEqual([b.id]);
    });

    it('PATCH / PUT is_default true moves the default; false clears it; other users’ defaults untouched', async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      const theirs = await created(t, other, input({ is_default: true }));
      const a = await created(t, u, input({ is_default: true }));
      const b = await created(t, u);
      const patch = await t.http().patch(`${BASE}/${b.id}`).set(bearer(u.token)).send({ is_default: true });
      expect(patch.status).toBe(200);
      expect(patch.body.is_default).toBe(true);
      expect(await defaults(t, u.id)).toEqual([b.id]);
      const put = await t.http().put(`${BASE}/${a.id}`).set(bearer(u.token)).send({ is_default: 'true' });
      expect(put.status).toBe(200);
      expect(await defaults(t, u.id)).toEqual([a.id]);
      // setting the default again on the default is fine
      expect((await t.http().patch(`${BASE}/${a.id}`).set(bearer(u.token)).send({ is_default: true })).status).toBe(200);
      expect(await defaults(t, u.id)).toEqual([a.id]);
      // false on a non-default changes nothing; false on the default leaves none
      expect((await t.http().patch(`${BASE}/${b.id}`).set(bearer(u.token)).send({ is_default: false })).status).toBe(200);
      expect(await defaults(t, u.id)).toEqual([a.id]);
      expect((await t.http().patch(`${BASE}/${a.id}`).set(bearer(u.token)).send({ is_default: false })).status).toBe(200);
      expect(await defaults(t, u.id)).toEqual([]);
      expect(await defaults(t, other.id)).toEqual([theirs.id]);
    });

    it('the database enforces it too: a second default row is refused by a unique index', async () => {
      const u = await registerUser(t);
      await created(t, u, input({ is_default: true }));
      await expect(
        t.db.query(`INSERT INTO addresses (user_id, name, phone, detail, is_default) VALUES ($1, 'x', '13800000000', 'y', true)`, [u.id]),
      ).rejects.toMatchObject({ code: '23505' });
    });

    it('10 parallel PATCH is_default:true on different addresses → all 200, exactly one default, no 5xx', async () => {
      const u = await registerUser(t);
      const ids = await seed(t, u.id, 10);
      const results = await Promise.all(ids.map((id) => t.http().patch(`${BASE}/${id}`).set(bearer(u.token)).send({ is_default: true })));
      expectNo5xx(results.map((r) => r.status));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect((await defaults(t, u.id)).length).toBe(1);
    });

    it('mixed parallel default switches (PATCH, PUT, POST with is_default) → exactly one default, no 5xx', async () => {
      const u = await registerUser(t);
      const ids = await seed(t, u.id, 12);
      for (let round = 0; round < 3; round++) {
        const requests = [
          ...ids.slice(0, 6).map((id) => t.http().patch(`${BASE}/${id}`).set(bearer(u.token)).send({ is_default: true })),
          ...ids.slice(6, 10).map((id) =>
            t
              .http()
              .put(`${BASE}/${id}`)
              .set(bearer(u.token))
              .send({ is_default: true, name: `轮${round}` }),
          ),
          ...ids.slice(10).map((id) => t.http().patch(`${BASE}/${id}`).set(bearer(u.token)).send({ is_default: false })),
          create(t, u, input({ is_default: true })),
          t.http().delete(`${BASE}/${ids[11]}`).set(bearer(u.token)),
        ];
        const results = await Promise.all(requests);
        expectNo5xx(results.map((r) => r.status));
        expect((await defaults(t, u.id)).length).toBe(1);
      }
      expect((await rowsOf(t, u.id)).length).toBeLessThanOrEqual(20);
    });
  });

  describe('object-level authorisation (quality §2)', () => {
    /** One user with one address, shared by the bad-id cases. */
    let holder: RegisteredUser | undefined;
    let held: { id: number };

    it('someone else’s address id on GET / PUT / PATCH / DELETE → 404 内容不存在 and the row unchanged', async () => {
      const [victim, attacker] = await Promise.all([registerUser(t), registerUser(t)]);
      const a = await created(t, victim, input({ name: '受害人', alias: '家', is_default: true }));
      await created(t, attacker, input({ is_default: true }));
      const before = await rowById(t, a.id);
      const auth = bearer(attacker.token);
      const results = [
        await t.http().get(`${BASE}/${a.id}`).set(auth),
        await t.http().put(`${BASE}/${a.id}`).set(auth).send({ name: '攻击者', is_default: false }),
        await t.http().patch(`${BASE}/${a.id}`).set(auth).send({ name: '攻击者', detail: 'x' }),
        await t.http().patch(`${BASE}/${a.id}`).set(auth).send({ is_default: true }),
        await t.http().patch(`${BASE}/${a.id}`).set(auth).send({ user_id: attacker.id }),
        await t.http().delete(`${BASE}/${a.id}`).set(auth),
      ];
      for (const res of results) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(NOT_FOUND);
        expect(JSON.stringify(res.body)).not.toContain('受害人');
      }
      expect(await rowById(t, a.id)).toEqual(before);
      const list = await t.http().get(BASE).set(auth);
      expect(list.body.map((x: { id: number }) => x.id)).not.toContain(a.id);
      expect(JSON.stringify(list.body)).not.toContain('受害人');
      // the attacker's default switch did not touch the victim's default, and vice versa
      expect(await defaults(t, victim.id)).toEqual([a.id]);
      expect((await defaults(t, attacker.id)).length).toBe(1);
    });

    it('an attacker cannot plant an address on someone else (user_id in the body is ignored)', async () => {
      const [victim, attacker] = await Promise.all([registerUser(t), registerUser(t)]);
      const res = await create(t, attacker, input({ user_id: victim.id }));
      expect(res.status).toBe(201);
      expect(res.body.user_id).toBe(attacker.id);
      expect(await rowsOf(t, victim.id)).toEqual([]);
    });

    it.each(['abc', '1abc', '99999999999999999999', '9223372036854775808', '999999999999999', '0', '-1', '1.5', '1e3', "1'", '1%20OR%201=1', '%00', '0x10'])(
      'id %p → 404 on GET / PUT / PATCH / DELETE, never 500',
      async (id) => {
        if (!holder) {
          holder = await registerUser(t);
          held = await created(t, holder);
        }
        const [u, a] = [holder, held];
        const before = await rowById(t, a.id);
        const auth = bearer(u.token);
        const results = [
          await t.http().get(`${BASE}/${id}`).set(auth),
          await t.http().put(`${BASE}/${id}`).set(auth).send({ name: 'x' }),
          await t.http().patch(`${BASE}/${id}`).set(auth).send({ name: 'x' }),
          await t.http().delete(`${BASE}/${id}`).set(auth),
        ];
        for (const res of results) {
          expect(res.status).toBe(404);
          expect(res.body).toEqual(NOT_FOUND);
        }
        expect(await rowById(t, a.id)).toEqual(before);
      },
    );
  });

  describe('account cancellation', () => {
    it('DELETE /api/v2/user {password} deletes the addresses (and only the cancelled user’s)', async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      await created(t, u, input({ is_default: true }));
      await created(t, u);
      const kept = await created(t, other);
      const res = await t.http().delete('/api/v2/user').set(bearer(u.token)).send({ password: u.password });
      expect(res.status).toBe(202);
      expect(await rowsOf(t, u.id)).toEqual([]);
      expect(await rowById(t, kept.id)).toBeDefined();
      expect((await t.http().get(BASE).set(bearer(u.token))).status).toBe(401);
    });

    it('an address created while the cancellation commits does not survive it (the owner lock re-reads cancelled_at)', async () => {
      const u = await registerUser(t);
      const cancellation = await t.db.connect();
      try {
        // The cancellation's own statements (account.service cancel), held open so the create queues on the user row.
        await cancellation.query('BEGIN');
        await cancellation.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [u.id]);
        await cancellation.query('DELETE FROM addresses WHERE user_id = $1', [u.id]);
        const pending = create(t, u);
        await untilLockWaiters(t, 1);
        await cancellation.query('COMMIT');
        expect((await pending).status).toBe(401);
      } finally {
        cancellation.release();
      }
      expect(await rowsOf(t, u.id)).toEqual([]);
    });

    it('a wrong password cancels nothing and keeps the addresses', async () => {
      const u = await registerUser(t);
      await created(t, u);
      const res = await t.http().delete('/api/v2/user').set(bearer(u.token)).send({ password: 'wrong-password' });
      expect(res.status).toBe(422);
      expect(await rowsOf(t, u.id)).toHaveLength(1);
    });
  });
});
