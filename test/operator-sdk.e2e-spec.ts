import { bearer, makeFounder, RegisteredUser, registerUser, uniqueName } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { translateJsRegex } from '../src/operator/where/js-regex';
import { loadMinappSdk, MinappSdk, SdkResponse } from './support/minapp-sdk';

/**
 * operator-api §6: what the vendor's SDK (minapp-sdk 3.x) sends for user profiles, driven through the SDK's own
 * builders (Query, TableObject('_userprofile') records, User, UserRecord) and request hook, over HTTP against the real
 * app and PostgreSQL. Every write is read back through the API (list and detail) and from the database.
 */

const FIELDS = '/api/v2/admin/user-fields';
const CUSTOM = [
  ['title', 'string'],
  ['tags', 'array'],
  ['meta', 'object'],
  ['score', 'integer'],
  ['rating', 'number'],
] as const;

/** Strings that a trimming or normalising layer would change. */
const AWKWARD: Array<[string, string]> = [
  ['empty', ''],
  ['one space', ' '],
  ['leading and trailing spaces', '  y  '],
  ['tabs', '\tx\t'],
  ['CRLF', 'line\r\nnext\r\n'],
  ['a lone newline', '\n'],
  ['ideographic space', '\u3000全角\u3000'],
  ['full-width letters', 'ＡＢＣ１２３'],
  ['CJK', '中文字段'],
  ['emoji', '😀🎉'],
  ['zero-width joiner sequence', '👨\u200d👩\u200d👧'],
  ['zero-width space and BOM', '\u200bx\ufeff'],
  ['combining mark (not NFC)', 'e\u0301'],
  ['RTL marks', '\u200fשלום\u200e'],
  ['no-break spaces', '\u00a0x\u00a0'],
  ['LIKE wildcards', '%_'],
  ['backslashes', '\\ \\\\'],
  ['quotes', `"'\``],
  ['very long', ' '.repeat(3) + 'x'.repeat(20_000) + ' '.repeat(3)],
];

describe('operator API with the minapp SDK (operator-api §6)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let sdk: MinappSdk;
  let BaaS: MinappSdk['BaaS'];
  const users: RegisteredUser[] = [];
  const table = () => new BaaS.TableObject('_userprofile');
  const customOf = async (id: number) => (await t.db.query('SELECT custom FROM users WHERE id = $1', [id])).rows[0].custom;
  const lastSent = () => sdk.sent[sdk.sent.length - 1];
  /** A fresh user to write to, so that tests do not depend on each other's values. */
  const freshUser = async () => {
    const user = await registerUser(t, { name: uniqueName('sdk') });
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerUser(t);
    await makeFounder(t, admin.id);
    for (const [name, type] of CUSTOM) await t.http().post(FIELDS).set(bearer(admin.token)).send({ name, type }).expect(201);
    sdk = loadMinappSdk(t, () => admin.token);
    BaaS = sdk.BaaS;
  });

  afterAll(async () => {
    await t.close();
  });

  /** The profile of `id` as the SDK reads it back: list (User.find with where id) and detail (User.get), which must agree. */
  async function readBack(id: number): Promise<Record<string, unknown>> {
    const query = new BaaS.Query();
    query.compare('id', '=', id);
    const listed: SdkResponse = await new BaaS.User().setQuery(query).find();
    const detail: SdkResponse = await new BaaS.User().get(id);
    expect([listed.status, detail.status]).toEqual([200, 200]);
    expect(listed.data.objects).toHaveLength(1);
    expect(listed.data.objects[0]).toEqual(detail.data);
    return detail.data;
  }

  describe('values are stored exactly as sent', () => {
    /** Every write form the SDK has for string-holding fields; each answers the values it wrote. */
    const WRITES: Array<[string, (id: number, value: string) => Promise<SdkResponse>, (value: string) => Record<string, unknown>]> = [
      [
        'UserRecord.set().update() (flat body)',
        (id, value) => {
          sdk.actAs(id);
          return new BaaS.User()
            .getWithoutData(id)
            .set({ title: value, tags: [value], meta: { [value]: value } })
            .update();
        },
        (value) => ({ title: value, tags: [value], meta: { [value]: value } }),
      ],
      [
        'TableRecord.set().update() ($set / $unset)',
        (id, value) =>
          table()
            .getWithoutData(id)
            .set('title', value)
            .set('tags', [value, value])
            .set('meta', { k: value, nested: { v: [value] } })
            .update(),
        (value) => ({ title: value, tags: [value, value], meta: { k: value, nested: { v: [value] } } }),
      ],
      [
        'TableRecord.append / uAppend / patchObject ($append, $append_unique, $update)',
        async (id, value) => {
          await table()
            .getWithoutData(id)
            .set({ tags: ['start'], meta: { keep: 1 } })
            .update();
          await table().getWithoutData(id).append('tags', value).update();
          await table().getWithoutData(id).uAppend('tags', [value, 'start', 'end']).update();
          return table()
            .getWithoutData(id)
            .patchObject('meta', { [value]: value, list: [value] })
            .update();
        },
        (value) => ({ tags: ['start', value, 'end'], meta: { keep: 1, [value]: value, list: [value] } }),
      ],
      [
        'bulk TableRecord via a Query ($set on every matching user)',
        (id, value) => {
          const query = new BaaS.Query();
          query.compare('id', '=', id);
          return table()
            .getWithoutData(query)
            .set('title', value)
            .set('tags', [value])
            .set('meta', { [value]: [value] })
            .update();
        },
        (value) => ({ title: value, tags: [value], meta: { [value]: [value] } }),
      ],
    ];

    it.each(WRITES.flatMap(([form, write, expected]) => AWKWARD.map(([name, value]) => [form, name, value, write, expected] as const)))(
      '%s keeps %s byte-identical (API and database)',
      async (_form, _name, value, write, expected) => {
        const user = await freshUser();
        const res = await write(user.id, value);
        expect({ status: res.status, body: res.status === 200 ? 'ok' : res.data }).toEqual({ status: 200, body: 'ok' });
        const want = expected(value);
        const profile = await readBack(user.id);
        const stored = await customOf(user.id);
        for (const [field, wanted] of Object.entries(want)) {
          // toStrictEqual compares every string (keys too) exactly and arrays in order. Object keys come back in
          // PostgreSQL jsonb's order (shorter keys first), which JSON does not give a meaning.
          expect(profile[field]).toStrictEqual(wanted);
          expect(stored[field]).toStrictEqual(wanted);
        }
      },
    );

    it('remove / pop / shift / unset / incrementBy act on the exact values sent (remove(" y ") leaves "y")', async () => {
      const user = await freshUser();
      const record = () => table().getWithoutData(user.id);
      expect(
        (
          await record()
            .set({ tags: [' y ', 'y', '', ' ', 'last'], title: ' t ', score: 1 })
            .update()
        ).status,
      ).toBe(200);
      await record().remove('tags', [' y ', '']).update();
      expect((await readBack(user.id)).tags).toStrictEqual(['y', ' ', 'last']);
      await record().pop('tags').update();
      await record().shift('tags').update();
      expect((await readBack(user.id)).tags).toStrictEqual([' ']);
      await record().incrementBy('score', 41).unset('title').update();
      expect(lastSent().body).toEqual({ $set: { score: { $incr_by: 41 } }, $unset: { title: '' } });
      const profile = await readBack(user.id);
      expect([profile.score, profile.title]).toEqual([42, null]);
      expect(await customOf(user.id)).toStrictEqual({ tags: [' '], score: 42 });
    });

    it('keeps "" as "", never null, in the bulk answer and the read-back', async () => {
      const user = await freshUser();
      const query = new BaaS.Query();
      query.compare('id', '=', user.id);
      const res = await table().getWithoutData(query).set({ title: '' }).update({ withCount: true });
      expect(res.data).toMatchObject({ succeed: 1, total_count: 1, next: null });
      expect((await readBack(user.id)).title).toBe('');
      // …and the string is findable as "" (not as null).
      const isEmpty = new BaaS.Query();
      isEmpty.compare('title', '=', '');
      isEmpty.compare('id', '=', user.id);
      expect((await new BaaS.User().setQuery(isEmpty).find()).data.objects.map((o: { id: number }) => o.id)).toEqual([user.id]);
    });

    it.each([
      ['a NUL in a value', '{"title":"a\\u0000b"}'],
      ['a NUL in an array item', '{"$set":{"tags":[" ","\\u0000"]}}'],
      ['a NUL in an object key', '{"meta":{"\\u0000":1}}'],
      ['a lone surrogate in a value', '{"title":"\\ud800"}'],
      ['a lone surrogate inside $append', '{"tags":{"$append":["\\udc00 "]}}'],
    ])('still refuses %s with 400 and writes nothing', async (_name, raw) => {
      const user = await freshUser();
      const before = await customOf(user.id);
      const res = await t
        .http()
        .put(`/userve/v2.6/miniapp/user_profile/${user.id}/`)
        .set(bearer(admin.token))
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
      expect(await customOf(user.id)).toEqual(before);
    });

    it('leaves the mobile input rule (trim, "" → null) on other routes', async () => {
      const res = await t.http().post(FIELDS).set(bearer(admin.token)).send({ name: '  trimmedfield  ', type: 'string' });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('trimmedfield');
      await t.http().delete(`${FIELDS}/trimmedfield`).set(bearer(admin.token)).expect(204);
    });
  });

  describe('select() and expand()', () => {
    let user: RegisteredUser;
    beforeAll(async () => {
      user = await freshUser();
      await table().getWithoutData(user.id).set({ title: 'kept', score: 3 }).update();
    });

    it('select([a, b]) on find and get returns only those fields plus id', async () => {
      const query = new BaaS.Query();
      query.compare('id', '=', user.id);
      const listed = await new BaaS.User().setQuery(query).select(['title', 'nickname']).find();
      expect(lastSent().url).toContain('keys=title%2Cnickname');
      expect(listed.data.objects).toEqual([{ id: user.id, nickname: user.name, title: 'kept' }]);
      const detail = await new BaaS.User().select(['score']).get(user.id);
      expect(lastSent().url).toMatch(/\?keys=score$/);
      expect(detail.data).toEqual({ id: user.id, score: 3 });
      const record = await table().select('title').get(user.id);
      expect(record.data).toEqual({ id: user.id, title: 'kept' });
    });

    it('select(["-a", "-b"]) leaves those fields out', async () => {
      const full = (await new BaaS.User().get(user.id)).data;
      const detail = await new BaaS.User().select(['-title', '-_email']).get(user.id);
      const { title, _email, ...rest } = full;
      expect([title, _email]).toEqual(['kept', null]);
      expect(detail.data).toEqual(rest);
      const query = new BaaS.Query();
      query.compare('id', '=', user.id);
      expect((await new BaaS.User().setQuery(query).select('-score').find()).data.objects[0]).not.toHaveProperty('score');
    });

    it.each([
      ['an unknown field', 'nosuch'],
      ['an unknown excluded field', '-nosuch'],
      ['kept and excluded fields mixed', 'title,-score'],
      ['an empty name', 'title,'],
    ])('answers 400 to keys with %s', async (_name, keys) => {
      for (const res of [await new BaaS.User().select(keys).get(user.id), await new BaaS.User().select(keys).find()]) {
        expect(res.status).toBe(400);
        expect(res.data).toEqual({ status: 'error', error_msg: expect.stringContaining('keys') });
      }
    });

    it('expand("created_by") shows {id, nickname, avatar} in place of the id; other expands are 400', async () => {
      const detail = await new BaaS.User().expand('created_by').get(user.id);
      expect(lastSent().url).toMatch(/\?expand=created_by$/);
      expect(detail.data.created_by).toEqual({ id: user.id, nickname: user.name, avatar: null });
      const query = new BaaS.Query();
      query.compare('id', '=', user.id);
      const listed = await new BaaS.User().setQuery(query).expand(['created_by']).select(['created_by']).find();
      expect(listed.data.objects).toEqual([{ id: user.id, created_by: { id: user.id, nickname: user.name, avatar: null } }]);
      const refused = await new BaaS.User().expand('user_group').get(user.id);
      expect(refused.status).toBe(400);
      // Without expand, created_by stays the id.
      expect((await new BaaS.User().get(user.id)).data.created_by).toBe(user.id);
    });

    it('update({expand}) answers the expanded profile; enable_trigger (as the SDK sends it) is accepted on both PUTs', async () => {
      const res = await table()
        .getWithoutData(user.id)
        .set('title', 'again')
        .update({ expand: ['created_by'] });
      expect(lastSent().url).toMatch(/\?enable_trigger=1&expand=created_by$/);
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ id: user.id, title: 'again', created_by: { id: user.id, nickname: user.name, avatar: null } });
      const off = await table().getWithoutData(user.id).set('title', 'off').update({ enableTrigger: false });
      expect(lastSent().url).toMatch(/\?enable_trigger=0&expand=$/);
      expect(off.status).toBe(200);
      const query = new BaaS.Query();
      query.compare('id', '=', user.id);
      const bulk = await table().getWithoutData(query).set('title', 'bulk').update({ enableTrigger: true });
      expect(lastSent().url).toContain('enable_trigger=1');
      expect(bulk.status).toBe(200);
      expect((await customOf(user.id)).title).toBe('bulk');
      const bad = await t.http().put(`/userve/v2.6/miniapp/user_profile/${user.id}/?enable_trigger=maybe`).set(bearer(admin.token)).send({ title: 'x' });
      expect(bad.status).toBe(400);
    });
  });

  describe('queries as the SDK builds them', () => {
    const TITLES = ['foo bar', 'foobar', 'Foo', 'a\nb', 'a\r\nb', 'line1\nfoo', 'x.y', 'xzy', '中文 foo', 'ab', 'AB', '😀', 'tab\there', ''];
    let ids: number[];
    const titleOf = new Map<number, string>();
    beforeAll(async () => {
      ids = [];
      for (const title of TITLES) {
        const user = await freshUser();
        await table().getWithoutData(user.id).set({ title }).update();
        ids.push(user.id);
        titleOf.set(user.id, title);
      }
    });
    const cohort = () => {
      const query = new BaaS.Query();
      query.in('id', ids);
      return query;
    };
    async function findIds(query: unknown): Promise<number[]> {
      const res = await new BaaS.User().setQuery(BaaS.Query.and(cohort(), query)).limit(1000).find();
      expect({ status: res.status, body: res.status === 200 ? 'ok' : res.data }).toEqual({ status: 200, body: 'ok' });
      return res.data.objects.map((o: { id: number }) => o.id).sort((a: number, b: number) => a - b);
    }

    it.each([
      /^a.b$/,
      /^a.b$/s,
      /^b$/m,
      /^a$/m,
      /foo$/,
      /\bfoo\b/,
      /\Bfoo/,
      /^foo/i,
      /^foo/gi,
      /x.y/,
      /x\.y/,
      /[\s\S]b$/,
      /^.$/u,
      /\b中/,
      /\B中/,
      /文\b/,
      /\w+\s\w+/,
      /\d/,
      /^\S+$/,
      /^$/,
      /^(?:ab|AB)$/,
      /[^a-z]/,
      /\t/,
      /[[:alpha:]]/,
      /a\r?\n/,
      /\u4e2d/,
      /\x41/i,
      /(o)\1/,
    ])('matches(%s) selects exactly what the JavaScript RegExp selects', async (re) => {
      const query = new BaaS.Query();
      query.matches('title', re);
      const expected = ids.filter((id) => new RegExp(re.source, re.flags.replace('g', '')).test(titleOf.get(id)!));
      expect(await findIds(query)).toEqual(expected.sort((a, b) => a - b));
    });

    it('translates a seeded random corpus of JS patterns so that PostgreSQL agrees with RegExp.test on every input', async () => {
      // Not over HTTP: thousands of (pattern, input) pairs checked against the real PostgreSQL in one query per pattern.
      const atoms = [
        'a',
        'b',
        '.',
        '\\b',
        '\\B',
        '\\d',
        '\\w',
        '\\s',
        '\\S',
        '\\D',
        '\\W',
        '^',
        '$',
        '[ab]',
        '[^a]',
        '[\\s\\S]',
        '[^]',
        '(a)',
        '(?:b)',
        '(?=a)',
        '(?!b)',
        '(?<=a)',
        '(?<!b)',
        '\\1',
        '|',
        '*',
        '+',
        '?',
        '{2}',
        '{1,}',
        '\\n',
        '\\r',
        '\\t',
        '\\x41',
        '\\u4e2d',
        '中',
        '\\.',
        '\\\\',
        '-',
        '[a-c]',
        '[\\w-]',
        '[.]',
        '{',
        '}',
        ']',
        '\\c',
        '\\k',
        '\\a',
        '\\y',
        '[[:alpha:]]',
        ' ',
      ];
      const inputs = ['', 'a', 'ab', 'ba', 'a\nb', 'a\r\nb', '中文', 'A1_', ' a ', 'aab', 'é', '.', '\\', '-', ']', 'x{2}', 'a\tb', 'foo bar', 'c'];
      let seed = 11;
      const random = (n: number) => {
        seed = (Math.imul(seed, 48271) >>> 0) % 2147483647;
        return seed % n;
      };
      let compared = 0;
      for (let i = 0; i < 400; i++) {
        let source = '';
        for (let j = 1 + random(6); j > 0; j--) source += atoms[random(atoms.length)];
        const flags = ['', 'i', 'm', 's', 'u', 'ms', 'im', 'su'][random(8)];
        let re: RegExp;
        let translated: string;
        try {
          re = new RegExp(source, flags);
          translated = translateJsRegex(source, flags);
        } catch {
          continue; // not valid JS, or refused with a QueryLanguageError (400): covered above
        }
        let matches: boolean[];
        try {
          const { rows } = await t.db.query('SELECT array_agg(x ~ $2 ORDER BY n) AS m FROM unnest($1::text[]) WITH ORDINALITY AS i(x, n)', [
            inputs,
            translated,
          ]);
          matches = rows[0].m;
        } catch (error) {
          // PostgreSQL refuses a quantified lookaround (`(?=a)*`, legal in JS without u): a 400 through the API.
          expect(String(error)).toMatch(/quantifier operand invalid/);
          continue;
        }
        expect({ source, flags, matches }).toEqual({ source, flags, matches: inputs.map((input) => re.test(input)) });
        compared++;
      }
      expect(compared).toBeGreaterThan(150);
    });

    it.each([
      [/a/y, /flag\(s\) y/],
      [/(?<word>a)/, /named group/],
      [/\p{L}/u, /Unicode property escape/],
      // eslint-disable-next-line no-useless-backreference -- the untranslatable input under test
      [/(a)|\1/, /back-reference/],
    ])('matches(%s) answers 400 naming what cannot be translated', async (re, message) => {
      const query = new BaaS.Query();
      query.matches('title', re);
      const res = await new BaaS.User().setQuery(query).find();
      expect(res.status).toBe(400);
      expect(res.data.error_msg).toMatch(message);
    });

    it('geo queries (include, within, withinCircle, withinRegion) and geo writes answer a clear 400', async () => {
      const point = new BaaS.GeoPoint(10, 20);
      const polygon = new BaaS.GeoPolygon([
        [0, 0],
        [0, 1],
        [1, 1],
        [0, 0],
      ]);
      const queries = [
        (q: any) => q.include('meta', point),
        (q: any) => q.within('meta', polygon),
        (q: any) => q.withinCircle('meta', point, 5),
        (q: any) => q.withinRegion('meta', point, 5, 1),
      ];
      for (const build of queries) {
        const query = new BaaS.Query();
        build(query);
        const res = await new BaaS.User().setQuery(query).find();
        expect(res.status).toBe(400);
        expect(res.data.error_msg).toMatch(/geo queries are not supported/);
      }
      const user = await freshUser();
      const before = await customOf(user.id);
      const write = await table().getWithoutData(user.id).set('title', point).update();
      expect(write.status).toBe(400);
      expect(await customOf(user.id)).toEqual(before);
    });

    it('contains, in, notIn, isNull / isNotNull, exists, compare with null, and / or, orderBy, limit / offset, count', async () => {
      const contains = new BaaS.Query();
      contains.contains('title', 'foo');
      expect(await findIds(contains)).toEqual(ids.filter((id) => titleOf.get(id)!.includes('foo')));
      const inList = new BaaS.Query();
      inList.in('title', ['ab', 'AB', 'nope']);
      expect(await findIds(inList)).toEqual(ids.filter((id) => ['ab', 'AB'].includes(titleOf.get(id)!)));
      const notIn = new BaaS.Query();
      notIn.notIn('title', ['ab']);
      expect(await findIds(notIn)).toEqual(ids.filter((id) => titleOf.get(id) !== 'ab'));
      const either = BaaS.Query.or(inList, contains);
      expect(await findIds(either)).toEqual(ids.filter((id) => ['ab', 'AB'].includes(titleOf.get(id)!) || titleOf.get(id)!.includes('foo')));
      const nullScore = new BaaS.Query();
      nullScore.isNull('score');
      expect(await findIds(nullScore)).toEqual(ids);
      const eqNull = new BaaS.Query();
      eqNull.compare('score', '=', null);
      expect(await findIds(eqNull)).toEqual(ids);
      expect(decodeURIComponent(lastSent().url)).toContain('{"score":{"$eq":null}}');
      const neNull = new BaaS.Query();
      neNull.compare('title', '!=', null);
      expect(await findIds(neNull)).toEqual(ids);
      expect(decodeURIComponent(lastSent().url)).toContain('{"title":{"$ne":null}}');
      const notNull = new BaaS.Query();
      notNull.isNotNull('score');
      expect(await findIds(notNull)).toEqual([]);
      const exists = new BaaS.Query();
      exists.exists(['title']);
      expect(await findIds(exists)).toEqual(ids);
      const notExists = new BaaS.Query();
      notExists.notExists('score');
      expect(await findIds(notExists)).toEqual(ids);
      const withTags = new BaaS.Query();
      withTags.arrayContains('tags', ['t1', ' t2 ']);
      const hasKey = new BaaS.Query();
      hasKey.hasKey('meta', ' k ');
      const tagged = ids[0];
      await table()
        .getWithoutData(tagged)
        .set({ tags: [' t2 ', 'x', 't1'], meta: { ' k ': null } })
        .update();
      await table()
        .getWithoutData(ids[1])
        .set({ tags: ['t2', 't1'], meta: { k: 1 } })
        .update();
      expect(await findIds(withTags)).toEqual([tagged]);
      expect(await findIds(hasKey)).toEqual([tagged]);
      const page = await new BaaS.User().setQuery(cohort()).orderBy(['-id']).limit(3).offset(2).find({ withCount: true });
      expect(page.data.objects.map((o: { id: number }) => o.id)).toEqual([...ids].sort((a, b) => b - a).slice(2, 5));
      expect(page.data.meta).toMatchObject({ limit: 3, offset: 2, total_count: ids.length });
      expect(await new BaaS.User().setQuery(cohort()).count()).toBe(ids.length);
    });
  });

  describe('numbers and times', () => {
    it('compare(score, ">", 9.5) on an integer field matches 10 and up; "=" 9.5 matches nothing', async () => {
      const scores = [9, 10, 11, -3];
      const byScore = new Map<number, number>();
      for (const score of scores) {
        const user = await freshUser();
        await table().getWithoutData(user.id).set('score', score).update();
        byScore.set(user.id, score);
      }
      const ids = [...byScore.keys()];
      const find = async (op: string, value: number) => {
        const query = new BaaS.Query();
        query.compare('score', op, value);
        query.in('id', ids);
        const res = await new BaaS.User().setQuery(query).find();
        expect(res.status).toBe(200);
        return res.data.objects.map((o: { id: number }) => byScore.get(o.id)).sort((a: number, b: number) => a - b);
      };
      expect(await find('>', 9.5)).toEqual([10, 11]);
      expect(await find('<=', 9.5)).toEqual([-3, 9]);
      expect(await find('=', 9.5)).toEqual([]);
      expect(await find('!=', 9.5)).toEqual([-3, 9, 10, 11]);
      expect(await find('>=', -3.5)).toEqual([-3, 9, 10, 11]);
      // Writing a fraction into an integer field stays a 400.
      expect((await table().getWithoutData(ids[0]).set('score', 9.5).update()).status).toBe(400);
    });

    it('compares created_at / updated_at at the whole seconds they are shown with', async () => {
      const user = await freshUser();
      const shown = 1_700_000_000;
      await t.db.query(`UPDATE users SET created_at = to_timestamp($2), updated_at = to_timestamp($2) WHERE id = $1`, [user.id, shown + 0.75]);
      expect((await readBack(user.id)).created_at).toBe(shown);
      const find = async (field: string, op: string, value: number) => {
        const query = new BaaS.Query();
        query.compare(field, op, value);
        query.compare('id', '=', user.id);
        const res = await new BaaS.User().setQuery(query).find();
        expect(res.status).toBe(200);
        return res.data.objects.length === 1;
      };
      for (const field of ['created_at', 'updated_at']) {
        expect(await find(field, '>', shown)).toBe(false);
        expect(await find(field, '>=', shown)).toBe(true);
        expect(await find(field, '=', shown)).toBe(true);
        expect(await find(field, '!=', shown)).toBe(false);
        expect(await find(field, '<=', shown)).toBe(true);
        expect(await find(field, '<', shown)).toBe(false);
        expect(await find(field, '<', shown + 1)).toBe(true);
        expect(await find(field, '>', shown - 1)).toBe(true);
        expect(await find(field, '>', shown - 0.5)).toBe(true);
        expect(await find(field, '<', shown + 0.5)).toBe(true);
      }
      const legacy = await t.http().get(`/userve/v2.0/miniapp/user_profile/?user_id=${user.id}&created_at__gt=${shown}`).set(bearer(admin.token));
      expect(legacy.body.objects).toEqual([]);
      const range = await t
        .http()
        .get(`/userve/v2.2/miniapp/user_profile/?where=${encodeURIComponent(JSON.stringify({ id: user.id, created_at: { $range: [shown, shown + 1] } }))}`)
        .set(bearer(admin.token));
      expect(range.body.objects.map((o: { id: number }) => o.id)).toEqual([user.id]);
    });
  });

  describe('bulk update (TableRecord via a Query)', () => {
    async function cohortOf(size: number): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 0; i < size; i++) ids.push((await freshUser()).id);
      return ids;
    }

    it('next is null after the last page, also when the last page is full', async () => {
      const ids = await cohortOf(4);
      const query = new BaaS.Query();
      query.in('id', ids);
      const first = await table().limit(2).getWithoutData(query).set('title', 'paged').update({ withCount: true });
      expect(lastSent().url).toMatch(/limit=2&offset=0&where=.*&enable_trigger=1&return_total_count=1$/);
      expect(first.data).toMatchObject({ succeed: 2, total_count: 4, next: expect.any(String) });
      const second = await t.http().put(first.data.next).set(bearer(admin.token)).send({ title: 'paged' });
      expect(second.body).toMatchObject({ succeed: 2, next: null });
      expect([...first.data.operation_result, ...second.body.operation_result].map((r: { success: { id: number } }) => r.success.id)).toEqual(ids);
      const exact = await table().limit(4).getWithoutData(query).set('title', 'once').update();
      expect(exact.data).toMatchObject({ succeed: 4, next: null });
    });

    it('re-checks where as it writes: a user that stopped matching meanwhile is not updated (issue 10 item 18)', async () => {
      const [stays, leaves] = await cohortOf(2);
      for (const id of [stays, leaves]) await table().getWithoutData(id).set({ title: 'target', score: 1 }).update();
      // Another writer holds the row of `leaves` and changes it so that it no longer matches; the bulk update reads its
      // page (both users still match in the committed data), then waits on that row lock.
      const other = await t.db.connect();
      try {
        await other.query('BEGIN');
        await other.query(`UPDATE users SET custom = custom || '{"title":"moved"}' WHERE id = $1`, [leaves]);
        const query = new BaaS.Query();
        query.compare('title', '=', 'target');
        query.in('id', [stays, leaves]);
        const pending = table().getWithoutData(query).incrementBy('score', 10).update();
        await waitFor(async () => {
          const { rows } = await t.db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE users u SET custom%'`,
          );
          return rows[0].n === 1;
        });
        await other.query('COMMIT');
        const res: SdkResponse = await pending;
        expect(res.status).toBe(200);
        expect(res.data.succeed).toBe(1);
        expect(res.data.operation_result).toEqual([
          { success: { id: stays, updated_at: expect.any(Number) } },
          { error: { err_msg: 'the user no longer matches where', code: 409 } },
        ]);
      } finally {
        other.release();
      }
      expect(await customOf(stays)).toMatchObject({ title: 'target', score: 11 });
      expect(await customOf(leaves)).toMatchObject({ title: 'moved', score: 1 });
    });

    it('parallel bulk updates that move users out of where update each user once', async () => {
      const ids = await cohortOf(10);
      for (const id of ids) await table().getWithoutData(id).set('score', 1).update();
      const bump = () => {
        const query = new BaaS.Query();
        query.compare('score', '=', 1);
        query.in('id', ids);
        return table().limit(100).getWithoutData(query).incrementBy('score', 1).update();
      };
      const results: SdkResponse[] = await Promise.all(Array.from({ length: 6 }, bump));
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
      expect(results.reduce((sum, r) => sum + r.data.succeed, 0)).toBe(10);
      const { rows } = await t.db.query(`SELECT (custom->>'score')::int AS score FROM users WHERE id = ANY($1::bigint[])`, [ids]);
      expect(rows.map((r) => r.score)).toEqual(Array(10).fill(2));
    });

    it('refuses a missing or blank where', async () => {
      for (const where of ['', '%20']) {
        const res = await t.http().put(`/userve/v2.6/miniapp/user_profile/?where=${where}`).set(bearer(admin.token)).send({ title: 'x' });
        expect(res.status).toBe(400);
      }
    });
  });

  describe("account: the SDK's password change", () => {
    it('updatePassword sends {password, new_password}: the old password must match, then the new one logs in', async () => {
      const user = await freshUser();
      sdk.actAs(user.id);
      // The SDK's CurrentUser (what BaaS.auth.getCurrentUser() resolves to), for the user the hook acts on.
      const current = () => new BaaS.User().getCurrentUserWithoutData().constructor.initCurrentUser({ id: user.id });
      const hashBefore = (await t.db.query('SELECT password FROM users WHERE id = $1', [user.id])).rows[0].password;
      await current().updatePassword({ password: 'not-the-password', newPassword: 'brand-new-1' });
      expect(lastSent()).toMatchObject({
        method: 'PUT',
        url: `/userve/v2.2/miniapp/user/account/${user.id}/`,
        body: { password: 'not-the-password', new_password: 'brand-new-1' },
        status: 400,
      });
      expect((await t.db.query('SELECT password FROM users WHERE id = $1', [user.id])).rows[0].password).toBe(hashBefore);
      await current().updatePassword({ password: user.password, newPassword: 'brand-new-1' });
      expect(lastSent().status).toBe(200);
      const login = await t.http().post('/api/v2/auth/login').send({ login: user.name, password: 'brand-new-1' });
      expect(login.status).toBe(200);
      const alone = await t.http().put(`/userve/v2.2/miniapp/user/account/${user.id}/`).set(bearer(admin.token)).send({ password: 'brand-new-1' });
      expect(alone.status).toBe(400);
    });
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}
