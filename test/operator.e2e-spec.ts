import { bearer, fullwidth, makeFounder, RegisteredUser, registerUser, uniqueEmail, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * The operator API (operator-api.md) over HTTP against the real app and PostgreSQL. The describe blocks run in file
 * order and share one database: the `where` block runs before anything adds users, so it can compute the exact
 * expected result over every live user.
 */

const LIST = '/userve/v2.2/miniapp/user_profile/';
const LIST_V20 = '/userve/v2.0/miniapp/user_profile/';
const BULK = '/userve/v2.6/miniapp/user_profile/';
const one = (id: number | string, version = 'v2.2') => `/userve/${version}/miniapp/user_profile/${id}/`;
const put = (id: number | string, version = 'v2.6') => `/userve/${version}/miniapp/user_profile/${id}/`;
const account = (id: number | string) => `/userve/v2.2/miniapp/user/account/${id}/`;
const ME = '/userve/v1/user-profile/';
const FIELDS = '/api/v2/admin/user-fields';

const PROFILE_KEYS = [
  'id',
  'user_id',
  'nickname',
  '_username',
  'gender',
  'avatar',
  'country',
  'province',
  'city',
  'language',
  'openid',
  'unionid',
  'is_authorized',
  'user_group',
  '_email',
  '_phone',
  '_email_verified',
  '_phone_verified',
  'created_by',
  'created_at',
  'updated_at',
];
/** The custom-field schema every block works with (created in beforeAll, in this order). */
const CUSTOM = [
  ['score', 'integer'],
  ['rating', 'number'],
  ['title', 'string'],
  ['active', 'boolean'],
  ['birthday', 'date'],
  ['tags', 'array'],
  ['meta', 'object'],
  ['note', 'string'],
  ['level', 'integer'],
  ['mark', 'integer'],
  ['counter', 'integer'],
] as const;
const CUSTOM_NAMES = CUSTOM.map(([name]) => name as string);

/** Query string with each value URL-encoded (objects as JSON). */
function qs(params: Record<string, unknown>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined);
  if (!entries.length) return '';
  return '?' + entries.map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');
}

const sortIds = (ids: number[]) => [...ids].sort((a, b) => a - b);

function expectOperatorError(res: { status: number; body: unknown }, status: number) {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { status: 'error', error_msg: expect.any(String) } });
}

/** Ten users with distinct custom values, set through the update route (flat form). */
const COHORT: Array<Record<string, unknown>> = [
  { score: 1, rating: 1.5, title: 'Alpha', active: true, birthday: '2000-01-01', tags: ['a', 'b'], meta: { k: 1, color: 'red' } },
  { score: 2, rating: 2.25, title: 'alphabet', active: false, birthday: '1999-12-31T23:00:00Z', tags: ['b'], meta: { k: 2 } },
  { score: 3, rating: -0.5, title: 'Beta_1', active: true, birthday: '2010-06-15T12:00:00+08:00', tags: ['c', 'a'], meta: {} },
  { score: 4, rating: 100, title: 'gamma%', active: false, birthday: '2020-02-29', tags: [], meta: { other: true } },
  { score: 5, title: 'Delta', tags: ['a', 1] },
  { score: 10, rating: 0, title: '中文字段', active: true },
  { score: -1, title: "O'Reilly", meta: { k: null } },
  {},
  { score: 0, rating: 3, title: 'beta', tags: ['x'] },
  {},
];
const BASE_TIME = 1_500_000_000;

describe('operator API (operator-api.md)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let normal: RegisteredUser;
  let viewer: RegisteredUser;
  let scratch: RegisteredUser;
  let cohort: RegisteredUser[];
  let founderRole: number;
  let viewerRole: number;
  const adminAuth = () => bearer(admin.token);

  const get = (path: string, token = admin.token) => t.http().get(path).set(bearer(token));
  const list = (params: Record<string, unknown>, path = LIST) => get(path + qs(params));
  async function listIds(where: unknown): Promise<number[]> {
    const res = await list({ where, limit: 1000 });
    expect({ where, status: res.status, body: res.status === 200 ? 'ok' : { ...res.body, log: lastFailure() } }).toEqual({ where, status: 200, body: 'ok' });
    return sortIds(res.body.objects.map((o: { id: number }) => o.id));
  }
  /** The newest 5xx log line of the app, to explain a failure. */
  const lastFailure = () => t.logs.filter((line) => /request failed|"level":50/.test(line)).slice(-1)[0];
  async function liveIds(): Promise<number[]> {
    const { rows } = await t.db.query('SELECT id FROM users WHERE cancelled_at IS NULL ORDER BY id');
    return rows.map((r) => Number(r.id));
  }
  async function customOf(id: number): Promise<Record<string, unknown>> {
    const { rows } = await t.db.query('SELECT custom FROM users WHERE id = $1', [id]);
    return rows[0].custom;
  }
  async function rowOf(id: number) {
    const { rows } = await t.db.query('SELECT custom, updated_at FROM users WHERE id = $1', [id]);
    return rows[0];
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
    normal = await registerUser(t);
    viewer = await registerUser(t);
    scratch = await registerUser(t);
    founderRole = Number((await t.db.query(`SELECT id FROM roles WHERE name = 'founder'`)).rows[0].id);
    viewerRole = Number((await t.db.query(`INSERT INTO roles (name, display_name) VALUES ('user-viewer', '查看用户') RETURNING id`)).rows[0].id);
    await t.db.query(`INSERT INTO role_abilities (role_id, ability_id) SELECT $1, id FROM abilities WHERE name = 'admin:user:show'`, [viewerRole]);
    await t.db.query('INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)', [viewer.id, viewerRole]);
    for (const [name, type] of CUSTOM) {
      await t.http().post(FIELDS).set(adminAuth()).send({ name, type }).expect(201);
    }
    cohort = [];
    for (let i = 0; i < COHORT.length; i++) cohort.push(await registerUser(t, { name: uniqueName(`coh${i}`) }));
    for (let i = 0; i < COHORT.length; i++) {
      if (Object.keys(COHORT[i]).length) {
        const res = await t.http().put(put(cohort[i].id)).set(adminAuth()).send(COHORT[i]);
        expect(res.status).toBe(200);
      }
      await t.db.query('UPDATE users SET created_at = to_timestamp($2) WHERE id = $1', [cohort[i].id, BASE_TIME + i * 1000]);
    }
    await t.db.query(
      `UPDATE users SET openid = 'o-1', email = 'coh0@example.com', email_verified = true, sex = 1, location = '中国 四川省 成都市', city = '成都市' WHERE id = $1`,
      [cohort[0].id],
    );
    await t.db.query(`UPDATE users SET unionid = 'un-1', sex = 2 WHERE id = $1`, [cohort[1].id]);
    await t.db.query(`UPDATE users SET openid = 'o-2', language = 'en' WHERE id = $1`, [cohort[2].id]);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('routes and access (§1)', () => {
    const READS = () => [
      LIST,
      LIST.slice(0, -1),
      LIST_V20,
      LIST_V20.slice(0, -1),
      one(scratch.id),
      one(scratch.id).slice(0, -1),
      one(scratch.id, 'v2.0'),
      one(scratch.id, 'v2.0').slice(0, -1),
      ME,
      ME.slice(0, -1),
    ];
    const WRITES = () => [
      { path: put(scratch.id), body: { note: 'w' } },
      { path: put(scratch.id).slice(0, -1), body: { note: 'w' } },
      { path: put(scratch.id, 'v2.0'), body: { note: 'w' } },
      { path: put(scratch.id, 'v2.0').slice(0, -1), body: { note: 'w' } },
      { path: BULK + qs({ where: { id: scratch.id } }), body: { note: 'w' } },
      { path: BULK.slice(0, -1) + qs({ where: { id: scratch.id } }), body: { note: 'w' } },
      { path: account(scratch.id), body: { email: uniqueEmail() } },
      { path: account(scratch.id).slice(0, -1), body: { email: uniqueEmail() } },
    ];

    it('answers 401 in the operator error shape without a token or with a bad one', async () => {
      for (const path of READS()) {
        expectOperatorError(await t.http().get(path), 401);
        expectOperatorError(await t.http().get(path).set(bearer('not-a-jwt')), 401);
      }
      for (const { path, body } of WRITES()) expectOperatorError(await t.http().put(path).send(body), 401);
      for (const path of [FIELDS, `${FIELDS}/`, `${FIELDS}/score`, `${FIELDS}/score/`]) {
        const res = await t.http().get(path);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: expect.any(String) });
      }
      expect((await t.http().post(FIELDS).send({ name: 'x1', type: 'string' })).status).toBe(401);
      expect((await t.http().delete(`${FIELDS}/score`)).status).toBe(401);
    });

    it('answers 403 to a user without the abilities, and writes nothing', async () => {
      const before = await rowOf(scratch.id);
      for (const path of READS()) expectOperatorError(await get(path, normal.token), 403);
      for (const { path, body } of WRITES()) expectOperatorError(await t.http().put(path).set(bearer(normal.token)).send(body), 403);
      for (const path of [FIELDS, `${FIELDS}/score`]) expect((await get(path, normal.token)).status).toBe(403);
      expect((await t.http().post(FIELDS).set(bearer(normal.token)).send({ name: 'x1', type: 'string' })).status).toBe(403);
      expect((await t.http().delete(`${FIELDS}/score`).set(bearer(normal.token))).status).toBe(403);
      expect(await rowOf(scratch.id)).toEqual(before);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM user_fields WHERE name IN ('x1', 'score')`)).rows[0].n).toBe(1);
    });

    it("lets a user holding only 'admin:user:show' read (with and without trailing slash) but not write", async () => {
      for (const path of READS()) expect({ path, status: (await get(path, viewer.token)).status }).toEqual({ path, status: 200 });
      for (const path of [FIELDS, `${FIELDS}/`, `${FIELDS}/score`, `${FIELDS}/score/`]) expect((await get(path, viewer.token)).status).toBe(200);
      const before = await rowOf(scratch.id);
      const email = (await t.db.query('SELECT email FROM users WHERE id = $1', [scratch.id])).rows[0].email;
      for (const { path, body } of WRITES()) expectOperatorError(await t.http().put(path).set(bearer(viewer.token)).send(body), 403);
      expect((await t.http().post(FIELDS).set(bearer(viewer.token)).send({ name: 'x1', type: 'string' })).status).toBe(403);
      expect((await t.http().delete(`${FIELDS}/note`).set(bearer(viewer.token))).status).toBe(403);
      expect(await rowOf(scratch.id)).toEqual(before);
      expect((await t.db.query('SELECT email FROM users WHERE id = $1', [scratch.id])).rows[0].email).toBe(email);
    });

    it('lets an admin (founder) use every route, with and without the trailing slash', async () => {
      for (const path of READS()) expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
      for (const { path, body } of WRITES()) {
        const res = await t.http().put(path).set(adminAuth()).send(body);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
      expect((await customOf(scratch.id)).note).toBe('w');
    });

    it('answers 404 for an absent user on every id route, and for ids that are not ids', async () => {
      for (const id of [999_999_999, 'abc', '0', '-1', '1.5', "1'"]) {
        expectOperatorError(await get(one(id)), 404);
        expectOperatorError(await get(one(id, 'v2.0')), 404);
        expectOperatorError(await t.http().put(put(id)).set(adminAuth()).send({ note: 'x' }), 404);
        expectOperatorError(await t.http().put(put(id, 'v2.0')).set(adminAuth()).send({ note: 'x' }), 404);
        expectOperatorError(await t.http().put(account(id)).set(adminAuth()).send({ email: uniqueEmail() }), 404);
      }
    });

    it('does not list or show a cancelled user', async () => {
      const gone = await registerUser(t);
      await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [gone.id]);
      expectOperatorError(await get(one(gone.id)), 404);
      expect(await listIds({ id: gone.id })).toEqual([]);
      expectOperatorError(await t.http().put(put(gone.id)).set(adminAuth()).send({ note: 'x' }), 404);
      expectOperatorError(await t.http().put(account(gone.id)).set(adminAuth()).send({ email: uniqueEmail() }), 404);
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('custom-field schema /api/v2/admin/user-fields', () => {
    it('creates a field (201) and shows it in the list and by name', async () => {
      const res = await t.http().post(FIELDS).set(adminAuth()).send({ name: 'Tmp_field1', type: 'object' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ name: 'Tmp_field1', type: 'object', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
      const all = await get(FIELDS);
      expect(all.status).toBe(200);
      expect(all.body.map((f: { name: string }) => f.name)).toEqual([...CUSTOM_NAMES, 'Tmp_field1']);
      expect(all.body[0]).toEqual({ name: 'score', type: 'integer', created_at: expect.any(String) });
      const shown = await get(`${FIELDS}/Tmp_field1`);
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual(res.body);
      expect((await get(`${FIELDS}/nosuch`)).status).toBe(404);
      expect((await get(`${FIELDS}/tmp_field1`)).status).toBe(404);
      expect((await t.http().delete(`${FIELDS}/Tmp_field1`).set(adminAuth())).status).toBe(204);
    });

    it('accepts every type and the longest name (64 characters)', async () => {
      for (const type of ['string', 'integer', 'number', 'boolean', 'date', 'array', 'object']) {
        const name = `t_${type}`;
        expect((await t.http().post(FIELDS).set(adminAuth()).send({ name, type })).status).toBe(201);
        expect((await t.http().delete(`${FIELDS}/${name}`).set(adminAuth())).status).toBe(204);
      }
      const long = 'L' + 'x'.repeat(63);
      expect((await t.http().post(FIELDS).set(adminAuth()).send({ name: long, type: 'string' })).status).toBe(201);
      expect((await t.http().delete(`${FIELDS}/${long}`).set(adminAuth())).status).toBe(204);
    });

    it.each(['1abc', '_abc', 'a-b', 'a b', 'a.b', 'ab$', '$ab', 'L' + 'x'.repeat(64), 'ä', '中文', "a'b", '__proto__'])(
      'refuses the bad name %j with 422',
      async (name) => {
        const res = await t.http().post(FIELDS).set(adminAuth()).send({ name, type: 'string' });
        expect(res.status).toBe(422);
        expect(res.body).toEqual({ message: expect.any(String), errors: { name: [expect.any(String)] } });
      },
    );

    it.each([
      'nickname',
      '_email',
      'id',
      'user_id',
      'created_at',
      'updated_at',
      'gender',
      'avatar',
      'city',
      'country',
      'language',
      'openid',
      'user_group',
      '_group',
      '_phone_verified',
      'is_authorized',
      'created_by',
    ])('refuses the built-in name %s with 422', async (name) => {
      const res = await t.http().post(FIELDS).set(adminAuth()).send({ name, type: 'string' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ name: [expect.any(String)] });
    });

    it('refuses a duplicate name, a missing name and a bad type with 422', async () => {
      const duplicate = await t.http().post(FIELDS).set(adminAuth()).send({ name: 'score', type: 'string' });
      expect(duplicate.status).toBe(422);
      expect(duplicate.body.errors).toEqual({ name: [expect.any(String)] });
      expect((await t.http().post(FIELDS).set(adminAuth()).send({ type: 'string' })).status).toBe(422);
      expect((await t.http().post(FIELDS).set(adminAuth()).send({ name: 'okname' })).status).toBe(422);
      expect((await t.http().post(FIELDS).set(adminAuth()).send({ name: 'okname', type: 'json' })).status).toBe(422);
      expect((await t.http().post(FIELDS).set(adminAuth()).send({ name: 5, type: 'string' })).status).toBe(422);
      expect((await get(`${FIELDS}/okname`)).status).toBe(404);
      expect((await get(`${FIELDS}/score`)).body.type).toBe('integer');
    });

    it('deletes a field (204) and removes its values from every profile', async () => {
      await t.http().post(FIELDS).set(adminAuth()).send({ name: 'doomed', type: 'integer' }).expect(201);
      expect((await t.http().put(put(scratch.id)).set(adminAuth()).send({ doomed: 7 })).body.doomed).toBe(7);
      expect((await t.http().put(put(normal.id)).set(adminAuth()).send({ doomed: 8 })).status).toBe(200);
      const res = await t.http().delete(`${FIELDS}/doomed/`).set(adminAuth());
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await customOf(scratch.id)).not.toHaveProperty('doomed');
      expect(await customOf(normal.id)).not.toHaveProperty('doomed');
      expect((await get(one(scratch.id))).body).not.toHaveProperty('doomed');
      expectOperatorError(await list({ where: { doomed: 7 } }), 400);
      expectOperatorError(await t.http().put(put(scratch.id)).set(adminAuth()).send({ doomed: 1 }), 400);
      expect((await t.http().delete(`${FIELDS}/doomed`).set(adminAuth())).status).toBe(404);
      // A field re-created under the same name starts empty.
      await t.http().post(FIELDS).set(adminAuth()).send({ name: 'doomed', type: 'string' }).expect(201);
      expect((await get(one(scratch.id))).body.doomed).toBeNull();
      expect((await t.http().delete(`${FIELDS}/doomed`).set(adminAuth())).status).toBe(204);
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('the profile object (§2)', () => {
    it('has exactly the built-in keys and every custom field (null when unset), with Unix-second timestamps', async () => {
      const res = await get(one(cohort[0].id));
      expect(res.status).toBe(200);
      const profile = res.body;
      expect(Object.keys(profile)).toEqual([...PROFILE_KEYS, ...CUSTOM_NAMES]);
      const { rows } = await t.db.query(
        'SELECT name, phone, floor(extract(epoch FROM created_at))::int AS c, floor(extract(epoch FROM updated_at))::int AS u FROM users WHERE id = $1',
        [cohort[0].id],
      );
      expect(profile).toEqual({
        id: cohort[0].id,
        user_id: cohort[0].id,
        nickname: rows[0].name,
        _username: rows[0].name,
        gender: 1,
        avatar: null,
        country: '中国',
        province: '四川省',
        city: '成都市',
        language: 'zh_CN',
        openid: 'o-1',
        unionid: null,
        is_authorized: true,
        user_group: [],
        _email: 'coh0@example.com',
        _phone: rows[0].phone,
        _email_verified: true,
        _phone_verified: expect.any(Boolean),
        created_by: cohort[0].id,
        created_at: BASE_TIME,
        updated_at: rows[0].u,
        score: 1,
        rating: 1.5,
        title: 'Alpha',
        active: true,
        birthday: '2000-01-01T00:00:00.000Z',
        tags: ['a', 'b'],
        meta: { k: 1, color: 'red' },
        note: null,
        level: null,
        mark: null,
        counter: null,
      });
      expect(Number.isInteger(profile.updated_at)).toBe(true);
    });

    it('lists the same objects, never with passwords or tokens, with user_group as role ids', async () => {
      const res = await list({ where: { id: { $in: [admin.id, viewer.id, cohort[7].id] } }, order_by: 'id' });
      expect(res.status).toBe(200);
      expect(res.body.objects.map((o: { id: number }) => o.id)).toEqual(sortIds([admin.id, viewer.id, cohort[7].id]));
      for (const profile of res.body.objects) {
        expect(Object.keys(profile)).toEqual([...PROFILE_KEYS, ...CUSTOM_NAMES]);
        expect(JSON.stringify(profile)).not.toMatch(/password|token|secret/i);
        expect(Number.isInteger(profile.created_at)).toBe(true);
        expect(Number.isInteger(profile.updated_at)).toBe(true);
      }
      const byId = new Map(res.body.objects.map((o: { id: number }) => [o.id, o]));
      expect((byId.get(admin.id) as { user_group: number[] }).user_group).toEqual([founderRole]);
      expect((byId.get(viewer.id) as { user_group: number[] }).user_group).toEqual([viewerRole]);
      const empty = byId.get(cohort[7].id) as Record<string, unknown>;
      for (const name of CUSTOM_NAMES) expect(empty[name]).toBeNull();
      expect(empty.language).toBe('zh_CN');
      expect(empty.openid).toBeNull();
      expect(empty.country).toBeNull();
    });

    it('answers GET /userve/v1/user-profile/ with the calling operator', async () => {
      const res = await get(ME);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ avatar_link: expect.any(String), email: null, nickname: admin.name, user_id: admin.id });
      const viewerRes = await get(ME.slice(0, -1), viewer.token);
      expect(viewerRes.body).toEqual({ avatar_link: expect.any(String), email: null, nickname: viewer.name, user_id: viewer.id });
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('where (§3), exact results over every live user', () => {
    /** The custom values of a user as the cohort set them (everybody else: none). */
    const valueOf = (id: number, field: string): unknown => {
      const i = cohort.findIndex((u) => u.id === id);
      if (i < 0) return null;
      const value = COHORT[i][field];
      return value === undefined ? null : value;
    };
    const num = (field: string, test: (v: number) => boolean) => (id: number) => {
      const v = valueOf(id, field);
      return typeof v === 'number' && test(v);
    };
    const str = (field: string, test: (v: string) => boolean) => (id: number) => {
      const v = valueOf(id, field);
      return typeof v === 'string' && test(v);
    };
    const date = (field: string, test: (v: number) => boolean) => (id: number) => {
      const v = valueOf(id, field);
      return typeof v === 'string' && test(Date.parse(v));
    };
    const arr = (test: (v: unknown[]) => boolean) => (id: number) => {
      const v = valueOf(id, 'tags');
      return Array.isArray(v) && test(v);
    };
    const obj = (test: (v: Record<string, unknown>) => boolean) => (id: number) => {
      const v = valueOf(id, 'meta');
      return v !== null && typeof v === 'object' && test(v as Record<string, unknown>);
    };
    const isNull = (field: string) => (id: number) => valueOf(id, field) === null;
    const not = (p: (id: number) => boolean) => (id: number) => !p(id);
    const D = (iso: string) => Date.parse(iso);

    const CASES: Array<[string, unknown, (id: number) => boolean]> = [
      // integer
      ['bare value = $eq', { score: 3 }, num('score', (v) => v === 3)],
      ['$eq', { score: { $eq: 0 } }, num('score', (v) => v === 0)],
      ['$ne (also null)', { score: { $ne: 3 } }, (id) => valueOf(id, 'score') !== 3],
      ['$lt', { score: { $lt: 2 } }, num('score', (v) => v < 2)],
      ['$lte', { score: { $lte: 2 } }, num('score', (v) => v <= 2)],
      ['$gt', { score: { $gt: 4 } }, num('score', (v) => v > 4)],
      ['$gte', { score: { $gte: 4 } }, num('score', (v) => v >= 4)],
      ['two operators are AND', { score: { $gte: 1, $lt: 4 } }, num('score', (v) => v >= 1 && v < 4)],
      ['$in', { score: { $in: [1, 5, 99] } }, num('score', (v) => [1, 5, 99].includes(v))],
      ['$nin (also null)', { score: { $nin: [1, 5] } }, (id) => ![1, 5].includes(valueOf(id, 'score') as number)],
      ['$in [] = nothing', { score: { $in: [] } }, () => false],
      ['$nin [] = everything', { score: { $nin: [] } }, () => true],
      ['$range [start, end)', { score: { $range: [1, 4] } }, num('score', (v) => v >= 1 && v < 4)],
      ['$range with fractional bounds', { score: { $range: [1.5, 4.5] } }, num('score', (v) => v >= 1.5 && v < 4.5)],
      ['bare null = $isnull', { score: null }, isNull('score')],
      ['$isnull true', { score: { $isnull: true } }, isNull('score')],
      ['$isnull false', { score: { $isnull: false } }, not(isNull('score'))],
      ['$exists true', { score: { $exists: true } }, not(isNull('score'))],
      ['$exists false', { score: { $exists: false } }, isNull('score')],
      // number
      ['number $gt', { rating: { $gt: 1.5 } }, num('rating', (v) => v > 1.5)],
      ['number $lte 0', { rating: { $lte: 0 } }, num('rating', (v) => v <= 0)],
      ['number $eq', { rating: 2.25 }, num('rating', (v) => v === 2.25)],
      ['number $range', { rating: { $range: [0, 2.25] } }, num('rating', (v) => v >= 0 && v < 2.25)],
      ['number $in', { rating: { $in: [0, 3] } }, num('rating', (v) => [0, 3].includes(v))],
      ['number $ne', { rating: { $ne: 0 } }, (id) => valueOf(id, 'rating') !== 0],
      // string
      ['string $eq', { title: 'beta' }, str('title', (v) => v === 'beta')],
      ['string $eq unicode', { title: '中文字段' }, str('title', (v) => v === '中文字段')],
      ['string $eq quote', { title: "O'Reilly" }, str('title', (v) => v === "O'Reilly")],
      ['$contains is case-sensitive', { title: { $contains: 'lpha' } }, str('title', (v) => v.includes('lpha'))],
      ['$contains Alpha', { title: { $contains: 'Alpha' } }, str('title', (v) => v.includes('Alpha'))],
      ['$icontains', { title: { $icontains: 'ALPHA' } }, str('title', (v) => v.toLowerCase().includes('alpha'))],
      ['$contains % is literal', { title: { $contains: '%' } }, str('title', (v) => v.includes('%'))],
      ['$contains _ is literal', { title: { $contains: '_' } }, str('title', (v) => v.includes('_'))],
      ['$contains quote', { title: { $contains: "'" } }, str('title', (v) => v.includes("'"))],
      ['$regex', { title: { $regex: '^[ab]' } }, str('title', (v) => /^[ab]/.test(v))],
      ['$regex + $options i', { title: { $regex: '^b', $options: 'i' } }, str('title', (v) => /^b/i.test(v))],
      ['$regex unicode', { title: { $regex: '字段$' } }, str('title', (v) => /字段$/.test(v))],
      ['string $in', { title: { $in: ['Delta', 'beta', 'nope'] } }, str('title', (v) => ['Delta', 'beta'].includes(v))],
      ['string $nin (also null)', { title: { $nin: ['Delta'] } }, (id) => valueOf(id, 'title') !== 'Delta'],
      ['string $ne (also null)', { title: { $ne: 'Delta' } }, (id) => valueOf(id, 'title') !== 'Delta'],
      // boolean
      ['boolean true', { active: true }, (id) => valueOf(id, 'active') === true],
      ['boolean false', { active: false }, (id) => valueOf(id, 'active') === false],
      ['boolean $ne true (false and null)', { active: { $ne: true } }, (id) => valueOf(id, 'active') !== true],
      ['boolean $in', { active: { $in: [false] } }, (id) => valueOf(id, 'active') === false],
      // date
      ['date $gt', { birthday: { $gt: '2000-01-01' } }, date('birthday', (v) => v > D('2000-01-01'))],
      ['date $lte', { birthday: { $lte: '2000-01-01T00:00:00Z' } }, date('birthday', (v) => v <= D('2000-01-01'))],
      ['date $eq with an offset', { birthday: '2000-01-01T08:00:00+08:00' }, date('birthday', (v) => v === D('2000-01-01'))],
      ['date $eq another form', { birthday: '2010-06-15T04:00:00.000Z' }, date('birthday', (v) => v === D('2010-06-15T04:00:00Z'))],
      ['date $gte and $lt', { birthday: { $gte: '2000-01-01', $lt: '2020-02-29' } }, date('birthday', (v) => v >= D('2000-01-01') && v < D('2020-02-29'))],
      ['date $in', { birthday: { $in: ['2020-02-29T00:00:00Z'] } }, date('birthday', (v) => v === D('2020-02-29'))],
      // array
      ['array $in', { tags: { $in: ['a'] } }, arr((v) => v.includes('a'))],
      ['array $in keeps types', { tags: { $in: [1] } }, arr((v) => v.includes(1))],
      ['array $in string "1"', { tags: { $in: ['1'] } }, arr((v) => v.includes('1'))],
      ['array $nin (also null)', { tags: { $nin: ['a'] } }, (id) => !(valueOf(id, 'tags') as unknown[] | null)?.includes('a')],
      ['array $all', { tags: { $all: ['a', 'b'] } }, arr((v) => v.includes('a') && v.includes('b'))],
      ['array $all one', { tags: { $all: ['a'] } }, arr((v) => v.includes('a'))],
      ['array $eq', { tags: ['b'] }, arr((v) => JSON.stringify(v) === '["b"]')],
      ['array $eq []', { tags: [] }, arr((v) => v.length === 0)],
      ['array $exists', { tags: { $exists: true } }, arr(() => true)],
      ['array $ne (also null)', { tags: { $ne: ['b'] } }, (id) => JSON.stringify(valueOf(id, 'tags')) !== '["b"]'],
      // object
      ['object $has_key', { meta: { $has_key: 'k' } }, obj((v) => 'k' in v)],
      ['object $has_key other', { meta: { $has_key: 'other' } }, obj((v) => 'other' in v)],
      ['object $eq', { meta: { k: 1, color: 'red' } }, (id) => id === cohort[0].id],
      ['object $eq {}', { meta: { $eq: {} } }, obj((v) => Object.keys(v).length === 0)],
      ['object $isnull', { meta: null }, isNull('meta')],
      // and / or
      [
        '$or',
        { $or: [{ score: { $gte: 5 } }, { title: { $contains: 'lpha' } }] },
        (id) => num('score', (v) => v >= 5)(id) || str('title', (v) => v.includes('lpha'))(id),
      ],
      [
        '$and of $or',
        { $and: [{ $or: [{ active: true }, { active: false }] }, { score: { $gt: 1 } }] },
        (id) => valueOf(id, 'active') !== null && num('score', (v) => v > 1)(id),
      ],
      ['keys on one level are AND', { score: { $gt: 0 }, active: true }, (id) => num('score', (v) => v > 0)(id) && valueOf(id, 'active') === true],
      ['$or of nulls', { $or: [{ score: null }, { rating: null }] }, (id) => valueOf(id, 'score') === null || valueOf(id, 'rating') === null],
      ['empty object inside $and', { $and: [{}, { score: 2 }] }, num('score', (v) => v === 2)],
      ['empty object inside $or', { $or: [{}] }, () => true],
    ];

    it.each(CASES)('%s: %j', async (_name, where, predicate) => {
      const population = await liveIds();
      const expected = population.filter(predicate);
      expect(await listIds(where)).toEqual(expected);
    });

    it('finds the cohort users by their built-in fields', async () => {
      const all = await liveIds();
      const [u0, u1, u2] = cohort;
      expect(await listIds({ nickname: u0.name })).toEqual([u0.id]);
      expect(await listIds({ _username: u1.name })).toEqual([u1.id]);
      expect(await listIds({ nickname: { $icontains: u2.name.toUpperCase() } })).toEqual([u2.id]);
      expect(await listIds({ nickname: { $regex: '^coh[0-9]' } })).toEqual(sortIds(cohort.map((u) => u.id)));
      expect(await listIds({ nickname: { $regex: '^COH', $options: 'i' } })).toEqual(sortIds(cohort.map((u) => u.id)));
      expect(await listIds({ id: u2.id })).toEqual([u2.id]);
      expect(await listIds({ user_id: { $in: [u0.id, u2.id, 999_999] } })).toEqual(sortIds([u0.id, u2.id]));
      expect(await listIds({ created_by: u1.id })).toEqual([u1.id]);
      expect(await listIds({ id: { $gt: u2.id } })).toEqual(all.filter((id) => id > u2.id));
      expect(await listIds({ id: { $nin: [u0.id] } })).toEqual(all.filter((id) => id !== u0.id));
      expect(await listIds({ gender: 1 })).toEqual([u0.id]);
      expect(await listIds({ gender: { $in: [1, 2] } })).toEqual(sortIds([u0.id, u1.id]));
      expect(await listIds({ gender: { $ne: 0 } })).toEqual(sortIds([u0.id, u1.id]));
      expect(await listIds({ openid: 'o-1' })).toEqual([u0.id]);
      expect(await listIds({ openid: { $ne: 'o-1' } })).toEqual(all.filter((id) => id !== u0.id));
      expect(await listIds({ openid: { $nin: ['o-1'] } })).toEqual(all.filter((id) => id !== u0.id));
      expect(await listIds({ openid: null })).toEqual(all.filter((id) => id !== u0.id && id !== u2.id));
      expect(await listIds({ unionid: { $exists: true } })).toEqual([u1.id]);
      expect(await listIds({ language: 'en' })).toEqual([u2.id]);
      expect(await listIds({ language: { $ne: 'en' } })).toEqual(all.filter((id) => id !== u2.id));
      expect(await listIds({ city: '成都市' })).toEqual([u0.id]);
      expect(await listIds({ city: { $contains: '成都' } })).toEqual([u0.id]);
      expect(await listIds({ avatar: null })).toEqual(all);
      expect(await listIds({ _email: 'coh0@example.com' })).toEqual([u0.id]);
      expect(await listIds({ _email: { $icontains: 'COH0@' } })).toEqual([u0.id]);
      expect(await listIds({ _email_verified: true })).toEqual([u0.id]);
      expect(await listIds({ _email_verified: { $ne: true } })).toEqual(all.filter((id) => id !== u0.id));
      expect(await listIds({ _phone: u2.phone })).toEqual([u2.id]);
      expect(await listIds({ _phone: { $contains: u2.phone.slice(3) } })).toEqual([u2.id]);
      expect(await listIds({ _phone_verified: { $in: [true, false] } })).toEqual(all);
    });

    it('compares created_at / updated_at as Unix seconds', async () => {
      const all = await liveIds();
      const ids = (from: number, to: number) => cohort.slice(from, to).map((u) => u.id);
      expect(await listIds({ created_at: BASE_TIME + 2000 })).toEqual(ids(2, 3));
      expect(await listIds({ created_at: { $gte: BASE_TIME + 2000, $lt: BASE_TIME + 5000 } })).toEqual(ids(2, 5));
      expect(await listIds({ created_at: { $range: [BASE_TIME + 2000, BASE_TIME + 5000] } })).toEqual(ids(2, 5));
      expect(await listIds({ created_at: { $gt: BASE_TIME + 8000, $lte: BASE_TIME + 9000 } })).toEqual(ids(9, 10));
      expect(await listIds({ created_at: { $lt: BASE_TIME + 1000.5 } })).toEqual(ids(0, 2));
      expect(await listIds({ created_at: { $in: [BASE_TIME, BASE_TIME + 3000] } })).toEqual([cohort[0].id, cohort[3].id]);
      expect(await listIds({ created_at: { $nin: [BASE_TIME] } })).toEqual(all.filter((id) => id !== cohort[0].id));
      expect(await listIds({ created_at: { $gt: BASE_TIME + 100_000 } })).toEqual(all.filter((id) => !cohort.some((u) => u.id === id)));
      expect(await listIds({ updated_at: { $gt: 0 } })).toEqual(all);
      expect(await listIds({ updated_at: { $lt: 0 } })).toEqual([]);
    });

    it('finds users by role with _group / user_group $in', async () => {
      expect(await listIds({ _group: { $in: [founderRole] } })).toEqual([admin.id]);
      expect(await listIds({ user_group: { $in: [viewerRole] } })).toEqual([viewer.id]);
      expect(await listIds({ _group: { $in: [founderRole, viewerRole] } })).toEqual(sortIds([admin.id, viewer.id]));
      expect(await listIds({ _group: { $in: [] } })).toEqual([]);
      expect(await listIds({ _group: { $in: [999] } })).toEqual([]);
      expectOperatorError(await list({ where: { _group: founderRole } }), 400);
      expectOperatorError(await list({ where: { user_group: { $nin: [founderRole] } } }), 400);
    });

    it('nests $and / $or to depth 10 and refuses 11', async () => {
      const nest = (levels: number): unknown => (levels === 0 ? { score: 3 } : { $or: [{ score: 999 }, nest(levels - 1)] });
      expect(await listIds(nest(10))).toEqual([cohort[2].id]);
      expectOperatorError(await list({ where: nest(11) }), 400);
    });

    it('refuses more than 100 conditions and more than 1000 $in items', async () => {
      const conditions = (n: number) => ({ $or: Array.from({ length: n }, (_, i) => ({ score: i })) });
      expect((await list({ where: conditions(100) })).status).toBe(200);
      expectOperatorError(await list({ where: conditions(101) }), 400);
      const items = (n: number) => Array.from({ length: n }, (_, i) => i);
      expect(await listIds({ score: { $in: items(1000) } })).toEqual(
        sortIds(cohort.filter((_, i) => typeof COHORT[i].score === 'number' && (COHORT[i].score as number) >= 0).map((u) => u.id)),
      );
      expectOperatorError(await list({ where: { score: { $in: items(1001) } } }), 400);
      expectOperatorError(await list({ where: { tags: { $all: items(1001) } } }), 400);
      expectOperatorError(await list({ where: { score: { $nin: items(1001) } } }), 400);
      // 1000 strings fit in the URL; a where over 16 KiB is 400, a URL over 64 KiB is 414 (both JSON).
      expect((await list({ where: { title: { $in: Array.from({ length: 1000 }, (_, i) => `title-${i}`) } } })).status).toBe(200);
      expectOperatorError(await list({ where: { title: { $in: Array.from({ length: 1000 }, (_, i) => `a-much-longer-title-${i}`) } } }), 400);
      expectOperatorError(await list({ where: { title: { $in: Array.from({ length: 1000 }, (_, i) => `${'x'.repeat(60)}-${i}`) } } }), 414);
    });

    it.each([
      ['invalid JSON', '{"score":'],
      ['((((', '(((('],
      ['not an object', '[1,2]'],
      ['a number', '42'],
      ['a string', '"score"'],
      ['null', 'null'],
      ['unknown field', { nosuch: 1 }],
      ['unknown operator', { score: { $foo: 1 } }],
      ['unknown top-level operator', { $not: { score: 1 } }],
      ['$gt on a boolean', { active: { $gt: true } }],
      ['$contains on a number', { score: { $contains: '1' } }],
      ['$has_key on a string', { title: { $has_key: 'a' } }],
      ['$all on a string', { title: { $all: ['a'] } }],
      ['$range on a string', { title: { $range: ['a', 'b'] } }],
      ['$regex on an integer', { score: { $regex: '1' } }],
      ['a string for an integer', { score: '3' }],
      ['a string for an integer', { score: { $gt: '1.5' } }],
      ['a non-ISO date', { birthday: 'hello 2020' }],
      ['an impossible date', { birthday: '2021-02-29' }],
      ['$options with a flag a match cannot ignore (y)', { title: { $regex: 'a', $options: 'y' } }],
      ['$options without $regex', { title: { $options: 'i' } }],
      ['a 257-character pattern', { title: { $regex: 'a'.repeat(257) } }],
      ['an invalid regular expression', { title: { $regex: '(' } }],
      ['an invalid repetition', { title: { $regex: 'a{99999}' } }],
      ['country (not queryable)', { country: '中国' }],
      ['__proto__ as a field', '{"__proto__":{"polluted":1}}'],
      ['constructor as a field', '{"constructor":{"prototype":{"polluted":1}}}'],
      ['__proto__ nested', '{"$or":[{"__proto__":{"score":1}}]}'],
      ['__proto__ in an operator object', '{"score":{"$gt":1,"__proto__":{"polluted":1}}}'],
      ['$constructor operator', '{"score":{"$constructor":1}}'],
      ['a huge number', '{"rating":1e309}'],
      ['an out-of-range time', { created_at: { $gt: 1e300 } }],
      ['a string for an id', { id: '5' }],
      ['a group id out of range', { _group: { $in: [2 ** 31] } }],
      ['a NUL in a string', { nickname: 'a\u0000b' }],
      ['a NUL in a pattern', { title: { $regex: '\u0000' } }],
      ['a NUL in an array item', { tags: { $in: ['\u0000'] } }],
      ['a NUL in an object value', { meta: { k: '\u0000' } }],
    ])('answers 400 to %s', async (_name, where) => {
      const res = await list({ where });
      expectOperatorError(res, 400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('answers 200 to an empty where, where={} and a where with only whitespace', async () => {
      const all = await liveIds();
      for (const raw of ['', '{}', ' {} ', '  ']) {
        const res = await get(`${LIST}?limit=1000&where=${encodeURIComponent(raw)}`);
        expect(res.status).toBe(200);
        expect(sortIds(res.body.objects.map((o: { id: number }) => o.id))).toEqual(all);
      }
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('order_by and paging (§3)', () => {
    const cohortWhere = () => ({ id: { $in: cohort.map((u) => u.id) } });
    const scoreOf = (id: number) => {
      const v = COHORT[cohort.findIndex((u) => u.id === id)].score;
      return typeof v === 'number' ? v : null;
    };
    const orderedIds = async (order_by: string | undefined, where: unknown = cohortWhere()) => {
      const res = await list({ where, order_by, limit: 1000 });
      expect(res.status).toBe(200);
      return res.body.objects.map((o: { id: number }) => o.id) as number[];
    };

    beforeAll(async () => {
      // More users than the default page (20).
      for (let i = 0; i < 10; i++) await registerUser(t);
    }, 60_000);

    it('orders by -created_at (then id) by default', async () => {
      const res = await list({ limit: 1000 });
      const { rows } = await t.db.query('SELECT id FROM users WHERE cancelled_at IS NULL ORDER BY created_at DESC, id DESC');
      expect(res.body.objects.map((o: { id: number }) => o.id)).toEqual(rows.map((r) => Number(r.id)));
      expect(await orderedIds(undefined)).toEqual([...cohort].reverse().map((u) => u.id));
    });

    it('orders by a custom field, ascending with nulls last and id as tie-breaker', async () => {
      const ids = cohort.map((u) => u.id);
      const expected = [...ids].sort((a, b) => {
        const [x, y] = [scoreOf(a), scoreOf(b)];
        if (x === null && y === null) return a - b;
        if (x === null) return 1;
        if (y === null) return -1;
        return x - y || a - b;
      });
      expect(await orderedIds('score')).toEqual(expected);
    });

    it('orders descending with "-", nulls last', async () => {
      const got = await orderedIds('-score');
      const scores = got.map(scoreOf);
      const present = scores.filter((s) => s !== null) as number[];
      expect(present).toEqual([...present].sort((a, b) => b - a));
      expect(scores.slice(present.length).every((s) => s === null)).toBe(true);
      // The two users without a score are tied: id breaks the tie, in a fixed direction.
      const tied = got.slice(present.length);
      expect(tied).toHaveLength(2);
      expect([sortIds(tied), sortIds(tied).reverse()]).toContainEqual(tied);
    });

    it('orders by several keys', async () => {
      const got = await orderedIds('-active,score,-id', { id: { $in: cohort.slice(0, 6).map((u) => u.id) } });
      // active: true (0, 2, 5), false (1, 3), null (4) — descending puts true before false, nulls last.
      expect(got).toEqual([cohort[0], cohort[2], cohort[5], cohort[1], cohort[3], cohort[4]].map((u) => u.id));
      expect(await orderedIds('rating,-id', { id: { $in: cohort.map((u) => u.id) } })).toEqual(
        [cohort[2], cohort[5], cohort[0], cohort[1], cohort[8], cohort[3], cohort[9], cohort[7], cohort[6], cohort[4]].map((u) => u.id),
      );
      expect(await orderedIds('created_at')).toEqual(cohort.map((u) => u.id));
      expect(await orderedIds('-id')).toEqual(sortIds(cohort.map((u) => u.id)).reverse());
      expect(await orderedIds('birthday,id', { id: { $in: cohort.slice(0, 4).map((u) => u.id) } })).toEqual(
        [cohort[1], cohort[0], cohort[2], cohort[3]].map((u) => u.id),
      );
    });

    it('pages through ties without repeating or skipping anybody', async () => {
      const seen: number[] = [];
      for (let offset = 0; offset < 40; offset += 3) {
        const res = await list({ order_by: 'openid', limit: 3, offset });
        seen.push(...res.body.objects.map((o: { id: number }) => o.id));
      }
      expect(sortIds(seen)).toEqual(await liveIds());
    });

    it.each([
      'gender',
      'country',
      'province',
      'city',
      'language',
      '-gender',
      'score,city',
      'user_group',
      'is_authorized',
      'tags',
      'meta',
      'nosuch',
      '__proto__',
      ',',
    ])('refuses order_by=%s with 400', async (order_by) => {
      expectOperatorError(await list({ order_by }), 400);
    });

    it('takes limit 20 by default, 1000 at most, and offset', async () => {
      const all = await liveIds();
      expect(all.length).toBeGreaterThan(20);
      const first = await list({});
      expect(first.status).toBe(200);
      expect(first.body.objects).toHaveLength(20);
      expect(first.body.meta).toEqual({ limit: 20, offset: 0, next: expect.any(String), previous: null });
      const big = await list({ limit: 1000 });
      expect(big.body.objects).toHaveLength(all.length);
      expect(big.body.meta).toEqual({ limit: 1000, offset: 0, next: null, previous: null });
      for (const limit of ['1001', '0', '-1', 'abc', '1.5', '1e3', '99999999999']) expectOperatorError(await list({ limit }), 400);
      for (const offset of ['-1', 'abc', '1.5']) expectOperatorError(await list({ offset }), 400);
      const page = await list({ order_by: 'id', limit: 5, offset: 5 });
      expect(page.body.objects.map((o: { id: number }) => o.id)).toEqual(all.slice(5, 10));
      const beyond = await list({ offset: 100_000 });
      expect(beyond.status).toBe(200);
      expect(beyond.body.objects).toEqual([]);
      expect(beyond.body.meta.next).toBeNull();
    });

    it('counts with return_total_count=1 only', async () => {
      const all = await liveIds();
      const counted = await list({ limit: 2, return_total_count: '1' });
      expect(counted.body.meta.total_count).toBe(all.length);
      const filtered = await list({ where: { score: { $gte: 3 } }, limit: 1, return_total_count: '1' });
      expect(filtered.body.meta.total_count).toBe(COHORT.filter((v) => typeof v.score === 'number' && v.score >= 3).length);
      expect((await list({ limit: 2 })).body.meta).not.toHaveProperty('total_count');
      expect((await list({ limit: 2, return_total_count: '0' })).body.meta).not.toHaveProperty('total_count');
    });

    it('links next / previous as relative URLs that keep where and order_by; next is null on the last page', async () => {
      const where = JSON.stringify({ $or: [{ score: { $gte: 0 } }, { title: { $contains: '&=?+ %' } }] });
      const expected = (await orderedIds('-score', JSON.parse(where))) as number[];
      expect(expected.length).toBe(7);
      const seen: number[] = [];
      let url: string | null = `${LIST}${qs({ where, order_by: '-score', limit: 3 })}`;
      let pages = 0;
      while (url) {
        expect(url.startsWith('/userve/v2.2/miniapp/user_profile/?')).toBe(true);
        const res: { status: number; body: any } = await get(url);
        expect(res.status).toBe(200);
        const params = new URL(url, 'http://x').searchParams;
        expect(params.get('where')).toBe(where);
        expect(params.get('order_by')).toBe('-score');
        expect(res.body.meta.offset).toBe(pages * 3);
        if (pages === 0) {
          expect(res.body.meta.previous).toBeNull();
        } else {
          expect(res.body.meta.previous.startsWith('/userve/v2.2/miniapp/user_profile/?')).toBe(true);
          const back = new URL(res.body.meta.previous, 'http://x').searchParams;
          expect(back.get('where')).toBe(where);
          expect(back.get('order_by')).toBe('-score');
          expect(Number(back.get('offset'))).toBe(res.body.meta.offset - 3);
          expect(Number(back.get('limit'))).toBe(3);
        }
        seen.push(...res.body.objects.map((o: { id: number }) => o.id));
        url = res.body.meta.next;
        pages++;
        if (pages > 10) throw new Error('paging does not end');
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);
      // Exactly a page's worth: next is still null (it is found by fetching one row more).
      const exact = await list({ where: JSON.parse(where), order_by: '-score', limit: 7 });
      expect(exact.body.meta.next).toBeNull();
      const withoutSlash = await get(`${LIST.slice(0, -1)}${qs({ where, limit: 3 })}`);
      expect(withoutSlash.body.meta.next.startsWith('/userve/v2.2/miniapp/user_profile?')).toBe(true);
    });

    it('refuses unknown query parameters and repeated ones with 400', async () => {
      expectOperatorError(await get(`${LIST}?foo=1`), 400);
      expectOperatorError(await get(`${LIST}?nickname=${encodeURIComponent(admin.name)}`), 400);
      expectOperatorError(await get(`${LIST}?where=%7B%7D&where=%7B%7D`), 400);
      expectOperatorError(await get(`${LIST}?limit=1&limit=2`), 400);
      expectOperatorError(await get(`${LIST}?__proto__=1`), 400);
      expectOperatorError(await get(`${LIST}?constructor=1`), 400);
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('v2.0 legacy filters (§3)', () => {
    const legacyIds = async (params: Record<string, string>) => {
      const res = await get(`${LIST_V20}?limit=1000&${new URLSearchParams(params).toString()}`);
      expect(res.status).toBe(200);
      return sortIds(res.body.objects.map((o: { id: number }) => o.id));
    };

    it('filters by each old parameter', async () => {
      const all = await liveIds();
      const [u0, u1, u2] = cohort;
      expect(await legacyIds({ nickname: u1.name })).toEqual([u1.id]);
      expect(await legacyIds({ nickname__contains: u2.name.slice(2) })).toEqual([u2.id]);
      expect(await legacyIds({ nickname__contains: 'coh' })).toEqual(sortIds(cohort.map((u) => u.id)));
      expect(await legacyIds({ gender: '1' })).toEqual([u0.id]);
      expect(await legacyIds({ gender: '0' })).toEqual(all.filter((id) => id !== u0.id && id !== u1.id));
      expect(await legacyIds({ created_at__gt: String(BASE_TIME + 8000) })).toEqual(all.filter((id) => !cohort.slice(0, 9).some((u) => u.id === id)));
      expect(await legacyIds({ created_at__gte: String(BASE_TIME), created_at__lt: String(BASE_TIME + 2000) })).toEqual([u0.id, u1.id]);
      expect(await legacyIds({ created_at__lte: String(BASE_TIME + 1000) })).toEqual([u0.id, u1.id]);
      expect(await legacyIds({ openid: 'o-2' })).toEqual([u2.id]);
      expect(await legacyIds({ unionid: 'un-1' })).toEqual([u1.id]);
      expect(await legacyIds({ user_id: String(u2.id) })).toEqual([u2.id]);
      expect(await legacyIds({ group__in: `${founderRole},${viewerRole}` })).toEqual(sortIds([admin.id, viewer.id]));
      expect(await legacyIds({ group__in: String(viewerRole) })).toEqual([viewer.id]);
    });

    it('ANDs the old parameters with each other and with where', async () => {
      const [u0, u1] = cohort;
      expect(await legacyIds({ nickname__contains: 'coh', gender: '2' })).toEqual([u1.id]);
      expect(await legacyIds({ nickname__contains: 'coh', created_at__lt: String(BASE_TIME + 1500), openid: 'o-1' })).toEqual([u0.id]);
      expect(await legacyIds({ gender: '1', openid: 'o-2' })).toEqual([]);
      expect(await legacyIds({ nickname__contains: 'coh', where: JSON.stringify({ score: { $gte: 4 } }) })).toEqual(
        sortIds(cohort.filter((_, i) => typeof COHORT[i].score === 'number' && (COHORT[i].score as number) >= 4).map((u) => u.id)),
      );
      expect(await legacyIds({ user_id: String(u0.id), where: JSON.stringify({ score: 2 }) })).toEqual([]);
    });

    it('refuses bad old parameters and unknown parameters with 400', async () => {
      for (const query of [
        'gender=abc',
        'gender=1.5',
        'user_id=x',
        'created_at__gt=yesterday',
        'group__in=1,a',
        'group__in=0',
        'foo=1',
        'nickname__icontains=a',
        'created_at__between=1,2',
      ]) {
        expectOperatorError(await get(`${LIST_V20}?${query}`), 400);
      }
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('updates PUT …/user_profile/:id/ (§4)', () => {
    let target: RegisteredUser;
    const update = (body: unknown, id = target.id, version = 'v2.6') =>
      t
        .http()
        .put(put(id, version))
        .set(adminAuth())
        .send(body as object);

    beforeAll(async () => {
      target = await registerUser(t);
    });

    it('sets values in the flat form and answers the updated profile', async () => {
      const res = await update({
        score: 7,
        rating: 0.1,
        title: 'hello',
        active: false,
        birthday: '2001-02-03T04:05:06+01:00',
        tags: ['x', 1, null, { a: 1 }],
        meta: { a: { b: [1] } },
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual([...PROFILE_KEYS, ...CUSTOM_NAMES]);
      expect(res.body).toMatchObject({
        id: target.id,
        score: 7,
        rating: 0.1,
        title: 'hello',
        active: false,
        birthday: '2001-02-03T03:05:06.000Z',
        tags: ['x', 1, null, { a: 1 }],
        meta: { a: { b: [1] } },
        note: null,
      });
      expect((await get(one(target.id))).body).toEqual(res.body);
    });

    it('unsets with a flat null, a top-level $unset and the wrapped form', async () => {
      let res = await update({ title: null });
      expect(res.status).toBe(200);
      expect(res.body.title).toBeNull();
      expect(await customOf(target.id)).not.toHaveProperty('title');
      res = await update({ title: 'again', $unset: { rating: '' } });
      expect(res.body).toMatchObject({ title: 'again', rating: null });
      res = await update({ $set: { rating: 2, note: 'n' }, $unset: { title: '', meta: '' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ rating: 2, note: 'n', title: null, meta: null });
      expect(await customOf(target.id)).not.toHaveProperty('meta');
    });

    it('also updates through the v2.0 path, with and without the trailing slash', async () => {
      expect((await update({ note: 'v20' }, target.id, 'v2.0')).body.note).toBe('v20');
      const res = await t.http().put(put(target.id, 'v2.0').slice(0, -1)).set(adminAuth()).send({ note: 'noslash' });
      expect(res.body.note).toBe('noslash');
    });

    it('$incr_by counts null as 0, adds to integers and numbers', async () => {
      await update({ $unset: { level: '', rating: '' } });
      expect((await update({ level: { $incr_by: 5 } })).body.level).toBe(5);
      expect((await update({ level: { $incr_by: -7 } })).body.level).toBe(-2);
      expect((await update({ $set: { level: { $incr_by: 2 } } })).body.level).toBe(0);
      expect((await update({ rating: { $incr_by: 0.1 } })).body.rating).toBe(0.1);
      expect((await update({ rating: { $incr_by: 0.2 } })).body.rating).toBe(0.3);
      expect((await customOf(target.id)).level).toBe(0);
    });

    it('$append, $append_unique, $remove and $pop work on arrays in the database', async () => {
      await update({ $unset: { tags: '' } });
      expect((await update({ tags: { $append: ['a'] } })).body.tags).toEqual(['a']);
      expect((await update({ tags: { $append: ['b', 'a', 1] } })).body.tags).toEqual(['a', 'b', 'a', 1]);
      expect((await update({ tags: { $append_unique: ['b', 'c', 'c', 1, '1', { k: 1 }] } })).body.tags).toEqual(['a', 'b', 'a', 1, 'c', '1', { k: 1 }]);
      expect((await update({ tags: { $append_unique: [{ k: 1 }, 'a'] } })).body.tags).toEqual(['a', 'b', 'a', 1, 'c', '1', { k: 1 }]);
      expect((await update({ tags: { $remove: ['a', '1', 'zzz'] } })).body.tags).toEqual(['b', 1, 'c', { k: 1 }]);
      expect((await update({ tags: { $remove: [{ k: 1 }] } })).body.tags).toEqual(['b', 1, 'c']);
      expect((await update({ tags: { $pop: 1 } })).body.tags).toEqual(['b', 1]);
      expect((await update({ tags: { $pop: -1 } })).body.tags).toEqual([1]);
      expect((await update({ tags: { $pop: -1 } })).body.tags).toEqual([]);
      expect((await update({ tags: { $pop: 1 } })).body.tags).toEqual([]);
      await update({ $unset: { tags: '' } });
      expect((await update({ tags: { $remove: ['a'] } })).body.tags).toEqual([]);
      await update({ $unset: { tags: '' } });
      expect((await update({ tags: { $append_unique: ['x', 'x'] } })).body.tags).toEqual(['x']);
    });

    it('$update merges shallowly into an object', async () => {
      await update({ meta: { a: 1, b: { x: 1, y: 2 } } });
      expect((await update({ meta: { $update: { b: { z: 3 }, c: 'c' } } })).body.meta).toEqual({ a: 1, b: { z: 3 }, c: 'c' });
      expect((await update({ meta: { $update: {} } })).body.meta).toEqual({ a: 1, b: { z: 3 }, c: 'c' });
      await update({ $unset: { meta: '' } });
      expect((await update({ meta: { $update: { fresh: true } } })).body.meta).toEqual({ fresh: true });
    });

    it('applies several operators of one body together', async () => {
      await update({ level: 1, tags: ['a'], meta: { a: 1 } });
      const res = await update({ level: { $incr_by: 2 }, tags: { $append: ['b'] }, meta: { $update: { b: 2 } }, note: 'multi', $unset: { score: '' } });
      expect(res.body).toMatchObject({ level: 3, tags: ['a', 'b'], meta: { a: 1, b: 2 }, note: 'multi', score: null });
    });

    it.each([
      ['a string for an integer', { score: '5' }],
      ['1.5 for an integer', { score: 1.5 }],
      ['a number for a string', { title: 5 }],
      ['a string for a boolean', { active: 'yes' }],
      ['a non-ISO date', { birthday: 'tomorrow' }],
      ['an object for an array', { tags: { a: 1 } }],
      ['an array for an object', { meta: [1] }],
      ['$incr_by 1.5 on an integer', { score: { $incr_by: 1.5 } }],
      ['$incr_by on a string', { title: { $incr_by: 1 } }],
      ['$append on an object', { meta: { $append: ['a'] } }],
      ['$append with a non-array', { tags: { $append: 'a' } }],
      ['$pop 2', { tags: { $pop: 2 } }],
      ['$update on an array', { tags: { $update: { a: 1 } } }],
      ['$update with an array', { meta: { $update: [1] } }],
      ['an unknown operator', { score: { $inc: 1 } }],
      ['a built-in field', { nickname: 'hacker' }],
      ['a built-in field in $set', { $set: { id: 1 } }],
      ['created_at', { created_at: 1 }],
      ['a built-in field in $unset', { $unset: { _email: '' } }],
      ['an unknown field', { nosuch: 1 }],
      ['the same field in $set and $unset', { $set: { note: 'x' }, $unset: { note: '' } }],
      ['an unknown top-level operator', { $inc: { score: 1 } }],
      ['__proto__', JSON.parse('{"__proto__":{"score":1}}')],
      ['constructor', { constructor: { prototype: { score: 1 } } }],
      ['an empty body', {}],
      ['an array body', [{ score: 1 }]],
      ['a NUL in a string', { title: 'a\u0000b' }],
      ['a NUL in an object key', { meta: { 'a\u0000': 1 } }],
    ])('answers 400 to %s, together with good fields, and writes nothing', async (_name, bad) => {
      await update({ score: 1, title: 'before', note: 'keep', level: 1 });
      const before = await rowOf(target.id);
      // The bad part alone, after good fields and before them.
      const good = { note: 'changed', level: { $incr_by: 1 }, rating: 9 };
      const extra = Object.fromEntries(Object.entries(good).filter(([k]) => !Object.prototype.hasOwnProperty.call(bad, k)));
      const bodies = Array.isArray(bad) || Object.keys(bad).length === 0 ? [bad] : [bad, { ...extra, ...bad }, { ...bad, ...extra }];
      for (const body of bodies) {
        const res = await update(body);
        expectOperatorError(res, 400);
      }
      expect(await rowOf(target.id)).toEqual(before);
      expect(({} as Record<string, unknown>).score).toBeUndefined();
    });

    it('answers 400 to malformed JSON and writes nothing', async () => {
      const before = await rowOf(target.id);
      const res = await t.http().put(put(target.id)).set(adminAuth()).set('Content-Type', 'application/json').send('{"score":');
      expect(res.status).toBe(400);
      expect(await rowOf(target.id)).toEqual(before);
    });

    it('answers 404 for an unknown user', async () => {
      expectOperatorError(await update({ note: 'x' }, 999_999_999), 404);
    });

    it('loses no increment under 10 parallel $incr_by 1', async () => {
      await update({ counter: 100 });
      const results = await Promise.all(Array.from({ length: 10 }, () => update({ counter: { $incr_by: 1 } })));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect((await customOf(target.id)).counter).toBe(110);
      for (const r of results) expect(r.body.counter).toBeGreaterThanOrEqual(101);
      // From null, too.
      await update({ $unset: { counter: '' } });
      await Promise.all(Array.from({ length: 10 }, () => update({ counter: { $incr_by: 1 } })));
      expect((await customOf(target.id)).counter).toBe(10);
    });

    it('keeps parallel $append of different values (none lost)', async () => {
      await update({ $unset: { tags: '' } });
      await Promise.all(Array.from({ length: 10 }, (_, i) => update({ tags: { $append: [i] } })));
      expect(((await customOf(target.id)).tags as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('bulk update PUT /userve/v2.6/miniapp/user_profile/?where=… (§4)', () => {
    const bulk = (params: Record<string, unknown>, body: unknown, path = BULK) =>
      t
        .http()
        .put(path + qs(params))
        .set(adminAuth())
        .send(body as object);
    const customSnapshot = async () => (await t.db.query('SELECT id, custom, updated_at FROM users ORDER BY id')).rows;

    /** Follows `next` from the first page to the end; answers every page body. */
    async function walk(firstUrl: string, body: unknown) {
      const pages: Array<Record<string, any>> = [];
      let url: string | null = firstUrl;
      while (url) {
        const res: { status: number; body: any } = await t
          .http()
          .put(url)
          .set(adminAuth())
          .send(body as object);
        expect({ url, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ url, status: 200, body: 'ok' });
        pages.push(res.body);
        url = res.body.next;
        if (pages.length > 100) throw new Error('bulk paging does not end');
      }
      return pages;
    }
    const successIds = (pages: Array<Record<string, any>>) => pages.flatMap((p) => p.operation_result.map((r: { success: { id: number } }) => r.success.id));

    it('refuses a missing (or empty) where with 400 and writes nothing', async () => {
      const before = await customSnapshot();
      expectOperatorError(await bulk({}, { mark: 1 }), 400);
      expectOperatorError(await bulk({ limit: 5 }, { mark: 1 }), 400);
      expectOperatorError(await t.http().put(`${BULK}?where=`).set(adminAuth()).send({ mark: 1 }), 400);
      expect(await customSnapshot()).toEqual(before);
    });

    it('refuses a bad where, a bad body, bad limits and unknown parameters with 400 and writes nothing', async () => {
      const before = await customSnapshot();
      for (const [params, body] of [
        [{ where: '{' }, { mark: 1 }],
        [{ where: { nosuch: 1 } }, { mark: 1 }],
        [{ where: {} }, { nickname: 'x' }],
        [{ where: {} }, { mark: 1, nosuch: 2 }],
        [{ where: {} }, { mark: 1.5 }],
        [{ where: {} }, { mark: 1, title: 5 }],
        [{ where: {} }, {}],
        [{ where: {} }, { $set: { mark: 1 }, $unset: { mark: '' } }],
        [{ where: {}, limit: 1001 }, { mark: 1 }],
        [{ where: {}, limit: 0 }, { mark: 1 }],
        [{ where: {}, offset: -1 }, { mark: 1 }],
        [{ where: {}, order_by: 'id' }, { mark: 1 }],
        [{ where: {}, foo: 1 }, { mark: 1 }],
      ] as Array<[Record<string, unknown>, unknown]>) {
        expectOperatorError(await bulk(params, body), 400);
      }
      expect(await customSnapshot()).toEqual(before);
    });

    it('updates one page and reports operation_result, succeed, total_count, offset, limit, next', async () => {
      const ids = cohort.slice(0, 5).map((u) => u.id);
      const res = await bulk({ where: { id: { $in: ids } }, limit: 3, return_total_count: 1 }, { note: 'bulk', level: { $incr_by: 0 } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['limit', 'next', 'offset', 'operation_result', 'succeed', 'total_count']);
      expect(res.body).toMatchObject({ succeed: 3, total_count: 5, offset: 0, limit: 3, next: expect.any(String) });
      expect(res.body.operation_result).toEqual(
        sortIds(ids)
          .slice(0, 3)
          .map((id) => ({ success: { id, updated_at: expect.any(Number) } })),
      );
      for (const r of res.body.operation_result) expect(Math.abs(r.success.updated_at - Date.now() / 1000)).toBeLessThan(60);
      expect(res.body.next.startsWith('/userve/v2.6/miniapp/user_profile/?')).toBe(true);
      for (const id of sortIds(ids).slice(0, 3)) expect((await customOf(id)).note).toBe('bulk');
      for (const id of sortIds(ids).slice(3)) expect((await customOf(id)).note).toBeUndefined();
      const rest = await t.http().put(res.body.next).set(adminAuth()).send({ note: 'bulk' });
      expect(rest.status).toBe(200);
      expect(rest.body).toMatchObject({ succeed: 2, limit: 3, next: null });
      expect(rest.body).not.toHaveProperty('total_count');
      expect(rest.body.operation_result.map((r: { success: { id: number } }) => r.success.id)).toEqual(sortIds(ids).slice(3));
      for (const id of ids) expect((await customOf(id)).note).toBe('bulk');
      // The profiles of the other users are untouched.
      expect((await customOf(cohort[5].id)).note).toBeUndefined();
    });

    it('answers an empty page when nothing matches', async () => {
      const res = await bulk({ where: { score: 12345 } }, { mark: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ operation_result: [], succeed: 0, next: null, offset: 0, limit: 20 });
    });

    it('updates everybody with where={}, page by page, each user exactly once', async () => {
      const all = await liveIds();
      expect(all.length).toBeGreaterThan(22);
      const pages = await walk(`${BULK}${qs({ where: {}, limit: 2 })}`, { mark: { $incr_by: 1 } });
      expect(pages.length).toBe(Math.ceil(all.length / 2) + (all.length % 2 === 0 ? 1 : 0));
      expect(successIds(pages)).toEqual(all);
      for (const page of pages) expect(page.succeed).toBe(page.operation_result.length);
      const { rows } = await t.db.query(`SELECT id, custom -> 'mark' AS mark FROM users WHERE cancelled_at IS NULL ORDER BY id`);
      expect(rows.map((r) => r.mark)).toEqual(all.map(() => 1));
    });

    it('pages over users whose match changes with the update: every match once, nobody else', async () => {
      // level = i for the cohort; everybody else has no level (null never matches $lt).
      for (let i = 0; i < cohort.length; i++) {
        expect((await t.http().put(put(cohort[i].id)).set(adminAuth()).send({ level: i })).status).toBe(200);
      }
      // Everybody else: level 50 (never matches) or none (null never matches $lt).
      const others = { id: { $nin: cohort.map((u) => u.id) }, level: { $exists: true } };
      const set50 = await bulk({ where: others, limit: 1000 }, { level: 50 });
      expect(set50.status).toBe(200);
      const untouched = new Map<number, unknown>(set50.body.operation_result.map((r: { success: { id: number } }) => [r.success.id, 50]));
      expect(untouched.size).toBeGreaterThan(0);
      const pages = await walk(`${BULK}${qs({ where: { level: { $lt: 5 } }, limit: 2 })}`, { level: { $incr_by: 10 } });
      const matched = cohort.slice(0, 5).map((u) => u.id);
      expect(successIds(pages)).toEqual(sortIds(matched));
      for (let i = 0; i < cohort.length; i++) expect((await customOf(cohort[i].id)).level).toBe(i < 5 ? i + 10 : i);
      for (const [id, level] of untouched) expect((await customOf(id)).level).toBe(level);
    });

    it('follows next links over many pages (deeper than the where nesting limit)', async () => {
      const all = await liveIds();
      const pages = await walk(`${BULK}${qs({ where: { mark: { $gte: 1 } }, limit: 1, return_total_count: 1 })}`, { mark: { $incr_by: 1 } });
      expect(successIds(pages)).toEqual(all);
      expect(pages[0].total_count).toBe(all.length);
      const { rows } = await t.db.query(`SELECT custom -> 'mark' AS mark FROM users WHERE cancelled_at IS NULL`);
      expect(rows.every((r) => r.mark === 2)).toBe(true);
    });

    it('treats an update that fails for one field as a failure of the whole page', async () => {
      const before = await customSnapshot();
      expectOperatorError(await bulk({ where: {} }, { mark: 3, tags: { $pop: 5 } }), 400);
      expect(await customSnapshot()).toEqual(before);
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('account PUT /userve/v2.2/miniapp/user/account/:id/ (§5)', () => {
    const change = (id: number, body: unknown) =>
      t
        .http()
        .put(account(id))
        .set(adminAuth())
        .send(body as object);
    const tokenWorks = async (token: string) => (await t.http().get('/api/v2/user').set(bearer(token))).status;
    const accountRow = async (id: number) =>
      (await t.db.query('SELECT name, email, phone, email_verified, phone_verified, password FROM users WHERE id = $1', [id])).rows[0];

    it('changes the username, answers the login data, and kills the tokens', async () => {
      const user = await registerUser(t);
      expect(await tokenWorks(user.token)).toBe(200);
      const name = uniqueName('acc');
      const res = await change(user.id, { username: name });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ email: null, email_verified: false, username: name, phone: user.phone, phone_verified: expect.any(Boolean) });
      expect(Object.keys(res.body)).toEqual(['email', 'email_verified', 'username', 'phone', 'phone_verified']);
      expect(await tokenWorks(user.token)).toBe(401);
      const login = await t.http().post('/api/v2/auth/login').send({ login: name, password: user.password });
      expect(login.status).toBe(200);
      expect(await tokenWorks(login.body.access_token)).toBe(200);
    });

    it('sets an e-mail unverified, and a changed phone unverified', async () => {
      const user = await registerUser(t);
      await t.db.query('UPDATE users SET phone_verified = true, email = $2, email_verified = true WHERE id = $1', [user.id, uniqueEmail()]);
      const email = uniqueEmail();
      let res = await change(user.id, { email });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email, email_verified: false, phone: user.phone, phone_verified: true });
      expect(await tokenWorks(user.token)).toBe(401);
      const phone = uniquePhone();
      res = await change(user.id, { phone });
      expect(res.body).toMatchObject({ phone, phone_verified: false, email, email_verified: false });
      const row = await accountRow(user.id);
      expect(row).toMatchObject({ email, phone, email_verified: false, phone_verified: false });
      const login = await t.http().post('/api/v2/auth/login').send({ login: phone, password: user.password });
      expect(login.status).toBe(200);
    });

    it('changes the password: old tokens die and the new password logs in', async () => {
      const user = await registerUser(t);
      const res = await change(user.id, { new_password: 'brand-new-pw' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ email: null, email_verified: false, username: user.name, phone: user.phone, phone_verified: expect.any(Boolean) });
      expect(await tokenWorks(user.token)).toBe(401);
      expect((await t.http().post('/api/v2/auth/login').send({ login: user.name, password: user.password })).status).not.toBe(200);
      const login = await t.http().post('/api/v2/auth/login').send({ login: user.name, password: 'brand-new-pw' });
      expect(login.status).toBe(200);
      expect((await accountRow(user.id)).password).not.toContain('brand-new-pw');
    });

    it('changes several values at once', async () => {
      const user = await registerUser(t);
      const [name, email, phone] = [uniqueName('all'), uniqueEmail(), uniquePhone()];
      const res = await change(user.id, { username: name, email, phone, new_password: 'another-pw' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ email, email_verified: false, username: name, phone, phone_verified: false });
      expect((await t.http().post('/api/v2/auth/login').send({ login: email, password: 'another-pw' })).status).toBe(200);
    });

    it('clears e-mail and phone with null, but never the username', async () => {
      const user = await registerUser(t);
      await change(user.id, { email: uniqueEmail() });
      const res = await change(user.id, { email: null, phone: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email: null, phone: null, username: user.name });
      expect(await accountRow(user.id)).toMatchObject({ email: null, phone: null });
      const before = await accountRow(user.id);
      expectOperatorError(await change(user.id, { username: null }), 400);
      expectOperatorError(await change(user.id, { username: '' }), 400);
      expect(await accountRow(user.id)).toEqual(before);
    });

    it('keeps the tokens when nothing changes', async () => {
      const user = await registerUser(t);
      const res = await change(user.id, { username: user.name, phone: user.phone });
      expect(res.status).toBe(200);
      expect(await tokenWorks(user.token)).toBe(200);
    });

    it.each([
      ['an invalid username', { username: '1abc' }],
      ['a too short username', { username: 'a' }],
      ['a username with a space', { username: 'ab cd' }],
      ['a numeric username', { username: 12345 }],
      ['an invalid e-mail', { email: 'not-an-email' }],
      ['an e-mail of a wrong type', { email: ['a@b.c'] }],
      ['an invalid phone', { phone: '12345' }],
      ['a phone of a wrong type', { phone: 13900000000 }],
      ['a too short password', { new_password: '123' }],
      ['a too long password', { new_password: 'x'.repeat(65) }],
      ['a password of a wrong type', { new_password: 123456 }],
      ['a null password', { new_password: null }],
      ['an unknown field', { nickname: 'x' }],
      ['an unknown field next to a good one', { email: 'good@example.com', is_admin: true }],
      ['__proto__', JSON.parse('{"__proto__":{"username":"x"}}')],
      ['an array body', ['username']],
    ])('answers 400 to %s and changes nothing', async (_name, body) => {
      const user = await registerUser(t);
      const before = await accountRow(user.id);
      expectOperatorError(await change(user.id, body), 400);
      expect(await accountRow(user.id)).toEqual(before);
      expect(await tokenWorks(user.token)).toBe(200);
    });

    it('answers 400 to values taken by another user (username case-insensitively) and changes nothing', async () => {
      const [a, b] = [await registerUser(t), await registerUser(t)];
      const email = uniqueEmail();
      await change(a.id, { email });
      const before = await accountRow(b.id);
      for (const body of [
        { username: a.name },
        { username: a.name.toUpperCase() },
        { email },
        { email: email.toUpperCase() },
        { phone: a.phone },
        { username: uniqueName('ok'), phone: a.phone },
      ]) {
        expectOperatorError(await change(b.id, body), 400);
      }
      expect(await accountRow(b.id)).toEqual(before);
      expect(await tokenWorks(b.token)).toBe(200);
    });

    it('answers 400 to look-alikes of a reserved or taken username (confusable skeleton) and stores the name NFKC', async () => {
      const [a, b] = [await registerUser(t, { name: uniqueName('pa') }), await registerUser(t)];
      const before = await accountRow(b.id);
      for (const username of ['ａｄｍｉｎ', '\u0430dmin', fullwidth(a.name), a.name.replace('a', '\u0430')]) {
        expectOperatorError(await change(b.id, { username }), 400);
      }
      expect(await accountRow(b.id)).toEqual(before);
      const fresh = uniqueName('nf');
      expect((await change(b.id, { username: fullwidth(fresh) })).body).toMatchObject({ username: fresh });
    });

    it('answers 400 when a password-less user would be left without phone and e-mail (users_sign_in_check)', async () => {
      const user = await registerUser(t);
      await t.db.query('UPDATE users SET password = NULL WHERE id = $1', [user.id]);
      expectOperatorError(await change(user.id, { phone: null }), 400);
      expect((await accountRow(user.id)).phone).toBe(user.phone);
    });

    it('answers 404 for an unknown user', async () => {
      expectOperatorError(await change(999_999_999, { email: uniqueEmail() }), 404);
    });
  });

  // ------------------------------------------------------------------------------------------------------------------
  describe('fuzz: bad input never answers 5xx (quality §3)', () => {
    /** A small deterministic PRNG, so a failure can be replayed. */
    function prng(seed: number) {
      return () => {
        seed |= 0;
        seed = (seed + 0x6d2b79f5) | 0;
        let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
      };
    }
    const random = prng(20240611);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const FUZZ_FIELDS = [
      ...CUSTOM_NAMES,
      'id',
      'user_id',
      'nickname',
      '_email',
      'created_at',
      'updated_at',
      'gender',
      'country',
      'city',
      'user_group',
      '_group',
      'avatar',
      'openid',
      'nosuch',
      '__proto__',
      'constructor',
      'prototype',
      '',
      ' ',
      "a'; DROP TABLE users; --",
      '中文',
      '$and',
      '$or',
      '$where',
    ];
    const FUZZ_OPS = [
      '$eq',
      '$ne',
      '$lt',
      '$lte',
      '$gt',
      '$gte',
      '$contains',
      '$icontains',
      '$regex',
      '$options',
      '$in',
      '$nin',
      '$all',
      '$range',
      '$isnull',
      '$exists',
      '$has_key',
      '$and',
      '$or',
      '$not',
      '$where',
      '$__proto__',
      '__proto__',
      'constructor',
      '$',
      '$$',
    ];
    const STRINGS = [
      '',
      'a',
      '((((',
      '))))',
      '[',
      '[[:alpha:]',
      '\\',
      '\\1',
      '(?',
      '(?i)a',
      '*',
      '+',
      'a**',
      'a{1000000}',
      'a{2,1}',
      '(a+)+$',
      '(a|a)*b',
      '.*.*.*.*.*=',
      '^$',
      "'",
      "''",
      '"',
      '%',
      '_',
      '%_%',
      ';',
      '--',
      '/*',
      "' OR 1=1 --",
      "'); DROP TABLE users; --",
      '$1',
      '$$',
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff',
      '🙂',
      '中文字段',
      'é',
      '\u202e',
      '\n',
      '\t',
      'x'.repeat(300),
      '1',
      '1e309',
      'NaN',
      'true',
      'null',
      '2020-01-01',
      '2020-02-30',
      '0000-01-01',
      '9999-12-31T23:59:59Z',
    ];
    const NUMBERS = [
      '0',
      '-0',
      '1',
      '-1',
      '1.5',
      '1e309',
      '-1e309',
      '1e308',
      '5e-324',
      '9007199254740993',
      '123456789012345678901234567890',
      '2147483648',
      '1e15',
      '1e20',
      '0.1',
      '-2147483649',
    ];
    function scalar(): string {
      switch (Math.floor(random() * 6)) {
        case 0:
          return pick(NUMBERS);
        case 1:
          return JSON.stringify(pick(STRINGS));
        case 2:
          return pick(['true', 'false', 'null']);
        case 3:
          return String(Math.floor(random() * 2 ** 31) * (random() < 0.5 ? -1 : 1));
        default:
          return JSON.stringify(pick(STRINGS) + pick(STRINGS));
      }
    }
    function value(depth: number): string {
      const r = random();
      if (depth > 4 || r < 0.5) return scalar();
      if (r < 0.7) return `[${Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1)).join(',')}]`;
      if (r < 0.85) return operators(depth + 1);
      return where(depth + 1);
    }
    function operators(depth: number): string {
      const n = 1 + Math.floor(random() * 3);
      return `{${Array.from({ length: n }, () => `${JSON.stringify(pick(FUZZ_OPS))}:${value(depth + 1)}`).join(',')}}`;
    }
    function where(depth = 0): string {
      const n = Math.floor(random() * 4);
      const parts = Array.from({ length: n }, () => {
        const r = random();
        if (r < 0.15 && depth < 12)
          return `${JSON.stringify(pick(['$and', '$or']))}:[${Array.from({ length: 1 + Math.floor(random() * 3) }, () => where(depth + 1)).join(',')}]`;
        const field = JSON.stringify(pick(FUZZ_FIELDS));
        return `${field}:${random() < 0.5 ? operators(depth) : value(depth + 1)}`;
      });
      return `{${parts.join(',')}}`;
    }
    function mutate(text: string): string {
      const r = random();
      if (r < 0.1) return text.slice(0, Math.floor(random() * text.length));
      if (r < 0.2) {
        const at = Math.floor(random() * text.length);
        return text.slice(0, at) + pick(['{', '}', '[', ']', ',', ':', '"', '\\', '((((', 'ü', '\u0000', '1e309']) + text.slice(at);
      }
      if (r < 0.25) return pick(['((((', '[', '"', 'null', '[]', '1', 'true', '{"":1}', '{"$and":[]}', '{"$or":[{}]}', '{{}}', '%', ' ']);
      return text;
    }
    /** The query string of one request: mostly a URL-encoded where, sometimes raw percent-junk (invalid UTF-8). */
    function queryOf(text: string): string {
      const encoded = encodeURIComponent(text);
      const r = random();
      if (r < 0.08) return `where=${encoded}${pick(['%C3%28', '%FF', '%E2%82', '%', '%zz', '%C0%AF', '%ED%A0%80', '%F4%90%80%80'])}`;
      if (r < 0.12)
        return `where=${pick(['%C3%28', '%7B%22nickname%22%3A%22%C3%28%22%7D', '%7B%22nickname%22%3A%22%FF%FE%22%7D', '%7B%22title%22%3A%7B%22%24regex%22%3A%22%C3%28%22%7D%7D', '%%%', '%7B', '%7B%22score%22%3A1%7D%00'])}`;
      if (r < 0.16)
        return `where=${encoded}&order_by=${encodeURIComponent(pick(['score', '-title', 'gender', '((((', "'", '-', '', 'id,id,id', '__proto__']))}`;
      if (r < 0.2)
        return `where=${encoded}&limit=${pick(['0', '1', '1000', '1001', '-1', '1e3', 'abc', '%00', ''])}&offset=${pick(['0', '-1', '99999999999', 'x', ''])}`;
      return `where=${encoded}`;
    }

    const corpus: string[] = [];
    for (let i = 0; i < 400; i++) corpus.push(queryOf(mutate(where())));

    it('answers 200 or 400 (never 5xx) to 400 generated where strings on the list routes', async () => {
      const statuses = new Map<number, number>();
      const failures: Array<{ query: string; status: number; body: unknown }> = [];
      for (let i = 0; i < corpus.length; i += 8) {
        const batch = corpus.slice(i, i + 8);
        const results = await Promise.all(batch.map((query, j) => get(`${(i + j) % 5 === 0 ? LIST_V20 : LIST}?${query}`)));
        results.forEach((res, j) => {
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== 200 && res.status !== 400) failures.push({ query: batch[j], status: res.status, body: res.body });
          else if (res.status === 400) expect(res.body).toEqual({ status: 'error', error_msg: expect.any(String) });
        });
      }
      expect(failures).toEqual([]);
      // The corpus is not trivially rejected: some of it is valid.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('answers 400 (never 5xx) and writes nothing for generated wheres on the bulk route with a bad body', async () => {
      const before = (await t.db.query('SELECT id, custom, updated_at FROM users ORDER BY id')).rows;
      const failures: Array<{ query: string; status: number }> = [];
      for (let i = 0; i < 120; i += 8) {
        const batch = corpus.slice(i, i + 8);
        const results = await Promise.all(batch.map((query) => t.http().put(`${BULK}?${query}`).set(adminAuth()).send({ mark: 1, nosuch: 1 })));
        results.forEach((res, j) => {
          if (res.status !== 400) failures.push({ query: batch[j], status: res.status });
        });
      }
      expect(failures).toEqual([]);
      expect((await t.db.query('SELECT id, custom, updated_at FROM users ORDER BY id')).rows).toEqual(before);
    });

    it('answers 200 or 400 (never 5xx) to generated update bodies, and a 400 writes nothing', async () => {
      const target = await registerUser(t);
      const UPDATE_OPS = ['$incr_by', '$append', '$append_unique', '$remove', '$pop', '$update', '$set', '$unset', '$inc', '__proto__', '$'];
      const failures: Array<{ body: string; status: number; body2?: unknown }> = [];
      let accepted = 0;
      for (let i = 0; i < 150; i++) {
        const n = 1 + Math.floor(random() * 3);
        const body = `{${Array.from({ length: n }, () => {
          const key =
            random() < 0.2 ? pick(['$set', '$unset']) : pick([...CUSTOM_NAMES, ...CUSTOM_NAMES, 'nickname', 'id', 'nosuch', '__proto__', 'constructor']);
          const r = random();
          const v = r < 0.4 ? `{${JSON.stringify(pick(UPDATE_OPS))}:${value(2)}}` : r < 0.6 ? `{${JSON.stringify(pick(CUSTOM_NAMES))}:${value(2)}}` : value(1);
          return `${JSON.stringify(key)}:${v}`;
        }).join(',')}}`;
        const before = await rowOf(target.id);
        const res = await t.http().put(put(target.id)).set(adminAuth()).set('Content-Type', 'application/json').send(body);
        if (res.status === 200) accepted++;
        else if (res.status === 400) expect(await rowOf(target.id)).toEqual(before);
        else failures.push({ body, status: res.status, body2: res.body });
      }
      expect(failures).toEqual([]);
      expect(accepted).toBeGreaterThan(0);
    });
  });
});
