import { bearer, registerUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/**
 * The location picker (thinksns-compat §4) as the H5 client reads it: `GET /locations/search?name=` (Location.vue and
 * chooseLocation.vue walk `item.tree` → `.parent` joining `.name`), `GET /locations/hots` (a list of names it sends,
 * spaces removed, to `/around-amap/geo`).
 */

interface Tree {
  id: number;
  name: string;
  pid: number;
  extends: string;
  parent: Tree | null;
}

/** What the client shows for a match: `中国，四川省，成都市`. */
function label(tree: Tree | null): string {
  const names: string[] = [];
  for (let node = tree; node; node = node.parent) names.unshift(node.name);
  return names.join('，');
}

describe('locations: /api/v2/locations/search and /hots', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a city with its parent chain up to 中国, ids being GB/T 2260 codes, and no items below a province', async () => {
    const res = await t.http().get('/api/v2/locations/search').query({ name: '成都' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        items: null,
        tree: {
          id: 510100,
          name: '成都市',
          pid: 510000,
          extends: '',
          parent: { id: 510000, name: '四川省', pid: 1, extends: '', parent: { id: 1, name: '中国', pid: 0, extends: '', parent: null } },
        },
      },
    ]);
    expect(res.body.map((m: { tree: Tree }) => label(m.tree))).toEqual(['中国，四川省，成都市']);
  });

  it('answers a province with its cities as items, larger divisions first, at most 5 matches', async () => {
    const province = await t.http().get('/api/v2/locations/search?name=%E5%9B%9B%E5%B7%9D'); // 四川, as the client's template string sends it
    expect(province.status).toBe(200);
    expect(province.body[0].tree).toMatchObject({ id: 510000, name: '四川省', pid: 1 });
    expect(province.body[0].items).toEqual(expect.arrayContaining([{ id: 510100, name: '成都市', pid: 510000, extends: '' }]));
    expect(province.body[0].items.length).toBeGreaterThan(10);

    const many = await t.http().get('/api/v2/locations/search').query({ name: '区' });
    expect(many.body).toHaveLength(5);
    expect(many.body.every((m: { tree: Tree }) => m.tree.name.includes('区'))).toBe(true);

    const district = await t.http().get('/api/v2/locations/search').query({ name: '东城区' });
    expect(district.body.map((m: { tree: Tree }) => label(m.tree))).toContain('中国，北京市，东城区');
    expect(district.body.every((m: { items: unknown }) => m.items === null)).toBe(true);
  });

  it('answers [] when nothing matches, 422 必须输入搜索关键词 without a keyword, for guests and users alike', async () => {
    const user = await registerUser(t);
    expect((await t.http().get('/api/v2/locations/search').query({ name: '不存在的地方' })).body).toEqual([]);
    expect((await t.http().get('/api/v2/locations/search').query({ name: '成都' }).set(bearer(user.token))).status).toBe(200);
    for (const query of ['', '?name=', '?name=%20%20']) {
      const res = await t.http().get(`/api/v2/locations/search${query}`);
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('必须输入搜索关键词');
    }
    expect(
      (
        await t
          .http()
          .get('/api/v2/locations/search')
          .query({ name: 'x'.repeat(33) })
      ).status,
    ).toBe(422);
  });

  it('hots: the cities with the most live users, named as divisions (province and city)', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => registerUser(t)));
    const locations = ['四川省 成都市', '四川省 成都市', '四川省 成都市', '北京市 东城区', '北京市 朝阳区', '火星 某城'];
    await Promise.all(users.map((u, i) => t.http().patch('/api/v2/user').set(bearer(u.token)).send({ location: locations[i] }).expect(204)));
    // a disabled user does not count
    const disabled = await registerUser(t);
    await t.http().patch('/api/v2/user').set(bearer(disabled.token)).send({ location: '上海市 黄浦区' }).expect(204);
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);

    const res = await t.http().get('/api/v2/locations/hots');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(['四川省 成都市', '北京市', '某城']);
  });

  it('hots: an operator-pinned list (LOCATION_HOTS) is answered as it is', async () => {
    const pinned = await createTestApp({ env: { LOCATION_HOTS: '北京市, 上海市,四川省 成都市' } });
    try {
      const res = await pinned.http().get('/api/v2/locations/hots');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(['北京市', '上海市', '四川省 成都市']);
    } finally {
      await pinned.close();
    }
  });
});
