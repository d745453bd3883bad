import { bearer, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * People nearby (thinksns-compat §4) on the `around-amap` routes. The H5 client (src/api/user.js findNearbyUser) sends
 * `GET around-amap?limit=10&longitude=…&latitude=…[&page=n]` and reads the records' `user_id` (compared with `===` to
 * user ids, so a number); the apps POST / PATCH / DELETE the caller's position with `latitude`, `longitude`.
 */

// Tianfu Square, Chengdu; a point ~1 km north of it is 0.009° of latitude away.
const CENTRE = { latitude: 30.657, longitude: 104.066 };
const north = (metres: number) => ({ latitude: CENTRE.latitude + metres / 111_195, longitude: CENTRE.longitude });

interface AmapRecord {
  _id: string;
  _location: string;
  _name: string;
  _distance: string;
  _createtime: string;
  _updatetime: string;
  user_id: number;
}

describe('people nearby: /api/v2/around-amap', () => {
  let t: TestApp;
  let me: RegisteredUser;
  let near: RegisteredUser;
  let far: RegisteredUser;
  let outside: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    [me, near, far, outside] = await Promise.all([registerUser(t), registerUser(t), registerUser(t), registerUser(t)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const place = (user: RegisteredUser, position: object, method: 'post' | 'patch' = 'post') =>
    t.http()[method]('/api/v2/around-amap').set(bearer(user.token)).send(position);
  const around = (query: Record<string, string | number>, token?: string) => {
    const req = t.http().get('/api/v2/around-amap').query(query);
    if (token) req.set(bearer(token));
    return req;
  };
  const clientQuery = (page = 0) => ({ limit: 10, longitude: CENTRE.longitude, latitude: CENTRE.latitude, ...(page > 0 ? { page } : {}) });

  it("POST sets the caller's position (201 {message, _id}), PATCH moves it (201), only signed in", async () => {
    const created = await place(me, CENTRE);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ message: '位置创建成功', _id: String(me.id) });
    const moved = await place(me, { latitude: String(CENTRE.latitude), longitude: String(CENTRE.longitude) }, 'patch');
    expect(moved.status).toBe(201);
    expect(moved.body).toEqual({ message: '位置更新成功' });
    expect((await t.http().post('/api/v2/around-amap').send(CENTRE)).status).toBe(401);
    expect((await t.http().delete('/api/v2/around-amap')).status).toBe(401);
  });

  it('refuses missing or impossible coordinates with 422 and writes nothing', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM user_positions')).rows[0].n;
    const cases: Array<[object, string, string]> = [
      [{ longitude: 104 }, 'latitude', '请传递GPS纬度坐标'],
      [{ latitude: 30 }, 'longitude', '请传递GPS经度坐标'],
      [{ latitude: 91, longitude: 104 }, 'latitude', ''],
      [{ latitude: 30, longitude: -181 }, 'longitude', ''],
      [{ latitude: 'north', longitude: 104 }, 'latitude', '请传递GPS纬度坐标'],
    ];
    for (const [body, field, message] of cases) {
      const res = await place(outside, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
      if (message) expect(res.body.message).toBe(message);
    }
    expect((await t.db.query('SELECT count(*)::int AS n FROM user_positions')).rows[0].n).toBe(before);
  });

  it('keeps positions rounded to ~100 m (3 decimals) and answers AMap records nearest first, without the caller', async () => {
    await place(me, CENTRE).expect(201);
    await place(near, { latitude: 30.6614449, longitude: 104.0660001 }).expect(201); // ~500 m north
    await place(far, north(2400)).expect(201);
    await place(outside, north(3600)).expect(201);

    const { rows } = await t.db.query('SELECT latitude, longitude FROM user_positions WHERE user_id = $1', [near.id]);
    expect(rows[0]).toEqual({ latitude: 30.661, longitude: 104.066 });

    const res = await around(clientQuery(), me.token);
    expect(res.status).toBe(200);
    const records = res.body as AmapRecord[];
    expect(records.map((r) => r.user_id)).toEqual([near.id, far.id]);
    expect(records[0]).toEqual({
      _id: String(near.id),
      _location: '104.066,30.661',
      _name: near.name,
      _address: '',
      _province: '',
      _city: '',
      _district: '',
      _createtime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      _updatetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      _distance: '440',
      _image: [],
      user_id: near.id,
    });
    for (const record of records) {
      expect(Number(record._distance) % 10).toBe(0);
      expect(record._location).toMatch(/^\d+\.\d{3},\d+\.\d{3}$/);
    }
    expect(records.some((r) => r.user_id === me.id)).toBe(false);
  });

  it('a guest sees everyone in range (nobody to leave out); a wider radius reaches further, capped at 50 km', async () => {
    const guest = await around(clientQuery());
    expect(guest.status).toBe(200);
    expect(guest.body.map((r: AmapRecord) => r.user_id)).toEqual([me.id, near.id, far.id]);

    const wide = await around({ ...clientQuery(), radius: 5000 }, me.token);
    expect(wide.body.map((r: AmapRecord) => r.user_id)).toEqual([near.id, far.id, outside.id]);

    const capped = await around({ ...clientQuery(), radius: 10_000_000 }, me.token);
    expect(capped.status).toBe(200);
    const farAway = await registerUser(t);
    await place(farAway, north(60_000)).expect(201);
    const stillCapped = await around({ ...clientQuery(), radius: 10_000_000 }, me.token);
    expect(stillCapped.body.map((r: AmapRecord) => r.user_id)).not.toContain(farAway.id);
    const narrow = await around({ ...clientQuery(), radius: 100 }, me.token);
    expect(narrow.body).toEqual([]);
  });

  it("pages by `page` and `limit` (the client's page=2 follows page 1)", async () => {
    const one = await around({ ...clientQuery(), radius: 5000, limit: 2 }, me.token);
    const two = await around({ ...clientQuery(2), radius: 5000, limit: 2 }, me.token);
    expect(one.body.map((r: AmapRecord) => r.user_id)).toEqual([near.id, far.id]);
    expect(two.body.map((r: AmapRecord) => r.user_id)).toEqual([outside.id]);
    const bad: Array<Record<string, string | number>> = [{ page: 0 }, { page: 101 }, { limit: 0 }, { radius: 0 }, { radius: 'far' }];
    for (const query of bad) {
      expect((await around({ ...clientQuery(), ...query }, me.token)).status).toBe(422);
    }
    expect((await around({ longitude: 104 }, me.token)).status).toBe(422);
  });

  it('leaves out disabled and cancelled users, and users who removed their position (DELETE → 204)', async () => {
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [far.id]);
    const cancelled = await registerUser(t);
    await place(cancelled, north(100)).expect(201);
    await t.db.query('UPDATE users SET cancelled_at = now() WHERE id = $1', [cancelled.id]);
    const removed = await t.http().delete('/api/v2/around-amap').set(bearer(outside.token));
    expect(removed.status).toBe(204);
    expect((await t.db.query('SELECT 1 FROM user_positions WHERE user_id = $1', [outside.id])).rowCount).toBe(0);
    const res = await around({ ...clientQuery(), radius: 5000 }, me.token);
    expect(res.body.map((r: AmapRecord) => r.user_id)).toEqual([near.id]);
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [far.id]);
  });

  it('GET /around-amap/geo answers 404: the shipped divisions have no coordinates', async () => {
    const res = await t.http().get('/api/v2/around-amap/geo?address=%E5%9B%9B%E5%B7%9D%E7%9C%81%E6%88%90%E9%83%BD%E5%B8%82');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: '内容不存在' });
  });
});
