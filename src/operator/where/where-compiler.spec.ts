import { SqlParams } from '../../database/sql-params';
import { fieldSchema } from './fields';
import { compileOrderBy } from './order-by';
import { compileWhere } from './where-compiler';
import { parseWhere, QueryLanguageError } from './where-parser';

const EVIL_FIELD = "a'; DROP TABLE users; --";
const schema = fieldSchema([
  { name: 'score', type: 'integer' },
  { name: 'rating', type: 'number' },
  { name: 'title', type: 'string' },
  { name: 'active', type: 'boolean' },
  { name: 'birthday', type: 'date' },
  { name: 'tags', type: 'array' },
  { name: 'meta', type: 'object' },
  // Names the API refuses at creation; the compiler must still never put them into SQL.
  { name: EVIL_FIELD, type: 'string' },
  { name: 'x"y', type: 'integer' },
  { name: 'x) OR (1=1', type: 'string' },
]);

function compile(where: unknown) {
  const params = new SqlParams();
  const sql = compileWhere(parseWhere(typeof where === 'string' ? where : JSON.stringify(where), schema), params);
  return { sql, values: params.values };
}

/** Every `$n` in the SQL refers to a bound value, and every bound value is referred to. */
function expectPlaceholdersMatch(sql: string, values: unknown[]) {
  const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  expect([...used].sort((a, b) => a - b)).toEqual(values.map((_, i) => i + 1));
}

const CUSTOM_INT = (n: number) => `(CASE WHEN jsonb_typeof(u.custom -> $${n}::text) = 'number' THEN (u.custom ->> $${n}::text)::numeric END)`;
const CUSTOM_TEXT = (n: number) => `(CASE WHEN jsonb_typeof(u.custom -> $${n}::text) = 'string' THEN u.custom ->> $${n}::text END)`;
const CUSTOM_JSON = (n: number) => `(CASE WHEN jsonb_typeof(u.custom -> $${n}::text) <> 'null' THEN u.custom -> $${n}::text END)`;

describe('compileWhere (operator-api §3)', () => {
  it('compiles "everything" to TRUE', () => {
    expect(compileWhere(null, new SqlParams())).toBe('TRUE');
    expect(compile({})).toEqual({ sql: 'TRUE', values: [] });
  });

  it('compiles an empty object inside $and / $or to TRUE, never to "()"', () => {
    expect(compile({ $and: [{}] }).sql).not.toContain('()');
    expect(compile({ $and: [{}, { score: 1 }] })).toEqual({ sql: `(TRUE AND ${CUSTOM_INT(1)} = $2::bigint)`, values: ['score', 1] });
    expect(compile({ $or: [{}] }).sql).toMatch(/^\(*TRUE\)*$/);
  });

  describe('comparisons', () => {
    it('reads custom values only where the stored JSON has the right type (never a failing cast)', () => {
      expect(compile({ score: 5 })).toEqual({ sql: `${CUSTOM_INT(1)} = $2::bigint`, values: ['score', 5] });
      expect(compile({ rating: 1.5 })).toEqual({ sql: `${CUSTOM_INT(1)} = $2::numeric`, values: ['rating', 1.5] });
      expect(compile({ title: 'a' })).toEqual({ sql: `${CUSTOM_TEXT(1)} = $2::text`, values: ['title', 'a'] });
      expect(compile({ birthday: '2020-01-02' })).toEqual({ sql: `${CUSTOM_TEXT(1)} = $2::text`, values: ['birthday', '2020-01-02T00:00:00.000Z'] });
      expect(compile({ active: true })).toEqual({
        sql: `(CASE WHEN jsonb_typeof(u.custom -> $1::text) = 'boolean' THEN (u.custom ->> $1::text)::boolean END) = $2::boolean`,
        values: ['active', true],
      });
      expect(compile({ tags: ['a'] })).toEqual({ sql: `${CUSTOM_JSON(1)} = $2::jsonb`, values: ['tags', '["a"]'] });
      expect(compile({ meta: { k: 1 } })).toEqual({ sql: `${CUSTOM_JSON(1)} = $2::jsonb`, values: ['meta', '{"k":1}'] });
    });

    it('uses the column of a built-in field', () => {
      expect(compile({ id: 7 })).toEqual({ sql: 'u.id = $1::bigint', values: [7] });
      expect(compile({ nickname: 'bob' })).toEqual({ sql: 'u.name = $1::text', values: ['bob'] });
      expect(compile({ gender: 2 })).toEqual({ sql: 'u.sex::int = $1::bigint', values: [2] });
      expect(compile({ _email_verified: true })).toEqual({ sql: 'u.email_verified = $1::boolean', values: [true] });
      expect(compile({ created_at: { $gte: 1600000000 } })).toEqual({ sql: 'u.created_at >= to_timestamp($1::double precision)', values: [1600000000] });
    });

    it.each([
      ['$eq', '='],
      ['$lt', '<'],
      ['$lte', '<='],
      ['$gt', '>'],
      ['$gte', '>='],
    ])('compiles %s to %s', (op, sqlOp) => {
      expect(compile({ score: { [op]: 3 } })).toEqual({ sql: `${CUSTOM_INT(1)} ${sqlOp} $2::bigint`, values: ['score', 3] });
    });

    it('compares integer fields with fractions as numeric (score > 9.5), keeping bigint for whole numbers', () => {
      expect(compile({ score: { $gt: 9.5 } })).toEqual({ sql: `${CUSTOM_INT(1)} > $2::numeric`, values: ['score', 9.5] });
      expect(compile({ id: { $lte: 2.5 } })).toEqual({ sql: 'u.id <= $1::numeric', values: [2.5] });
      expect(compile({ id: 7 })).toEqual({ sql: 'u.id = $1::bigint', values: [7] });
      expect(compile({ score: { $in: [1, 2.5] } })).toEqual({ sql: `${CUSTOM_INT(1)} = ANY($2::numeric[])`, values: ['score', [1, 2.5]] });
    });

    it.each([
      // Shown times are floor(epoch) seconds: a condition on the shown value t becomes a range on the column.
      ['$gt', 3, 'u.updated_at >= to_timestamp($1::double precision)', [4]],
      ['$gt', 3.5, 'u.updated_at >= to_timestamp($1::double precision)', [4]],
      ['$gte', 3, 'u.updated_at >= to_timestamp($1::double precision)', [3]],
      ['$gte', 3.5, 'u.updated_at >= to_timestamp($1::double precision)', [4]],
      ['$lt', 3, 'u.updated_at < to_timestamp($1::double precision)', [3]],
      ['$lt', 3.5, 'u.updated_at < to_timestamp($1::double precision)', [4]],
      ['$lte', 3, 'u.updated_at < to_timestamp($1::double precision)', [4]],
      ['$eq', 3, '(u.updated_at >= to_timestamp($1::double precision) AND u.updated_at < to_timestamp($2::double precision))', [3, 4]],
      ['$eq', 3.5, 'FALSE', []],
      ['$ne', 3, '(u.updated_at < to_timestamp($1::double precision) OR u.updated_at >= to_timestamp($2::double precision))', [3, 4]],
      ['$range', [3, 5], '(u.updated_at >= to_timestamp($1::double precision) AND u.updated_at < to_timestamp($2::double precision))', [3, 5]],
    ])('compiles updated_at %s %j at second precision', (op, value, sql, values) => {
      expect(compile({ updated_at: { [op as string]: value } })).toEqual({ sql, values });
    });

    it('compiles $ne to IS DISTINCT FROM, so null values match too', () => {
      expect(compile({ score: { $ne: 3 } })).toEqual({ sql: `${CUSTOM_INT(1)} IS DISTINCT FROM $2::bigint`, values: ['score', 3] });
      expect(compile({ openid: { $ne: 'x' } })).toEqual({ sql: 'u.openid IS DISTINCT FROM $1::text', values: ['x'] });
    });

    it('compiles $contains / $icontains to LIKE / ILIKE with %, _ and \\ escaped, as a bound value', () => {
      expect(compile({ title: { $contains: 'a%b_c\\' } })).toEqual({ sql: `${CUSTOM_TEXT(1)} LIKE $2`, values: ['title', '%a\\%b\\_c\\\\%'] });
      expect(compile({ nickname: { $icontains: 'Bo' } })).toEqual({ sql: 'u.name ILIKE $1', values: ['%Bo%'] });
    });

    it('compiles $regex to ~ with the translated pattern (flags as embedded options)', () => {
      expect(compile({ nickname: { $regex: '^a(b|c)+$' } })).toEqual({ sql: 'u.name ~ $1', values: ['(?cs)^a(b|c)+$'] });
      expect(compile({ nickname: { $regex: '^a', $options: 'i' } })).toEqual({ sql: 'u.name ~ $1', values: ['(?is)^a'] });
    });

    it('compiles $in / $nin to = ANY(array), with $nin matching nulls', () => {
      expect(compile({ score: { $in: [1, 2] } })).toEqual({ sql: `${CUSTOM_INT(1)} = ANY($2::bigint[])`, values: ['score', [1, 2]] });
      expect(compile({ score: { $nin: [1, 2] } })).toEqual({
        sql: `(${CUSTOM_INT(1)} IS NULL OR NOT (${CUSTOM_INT(1)} = ANY($2::bigint[])))`,
        values: ['score', [1, 2]],
      });
      expect(compile({ _email: { $nin: ['a@b.c'] } })).toEqual({ sql: '(u.email IS NULL OR NOT (u.email = ANY($1::text[])))', values: [['a@b.c']] });
      expect(compile({ created_at: { $in: [1, 2] } }).sql).toBe('floor(extract(epoch FROM u.created_at)) = ANY($1::double precision[])');
    });

    it('compiles $in: [] to FALSE and $nin: [] to TRUE', () => {
      // No parameter is bound either: PostgreSQL refuses a parameter that the SQL does not use (its type is unknown).
      expect(compile({ score: { $in: [] } })).toEqual({ sql: 'FALSE', values: [] });
      expect(compile({ score: { $nin: [] } })).toEqual({ sql: 'TRUE', values: [] });
      expect(compile({ $or: [{ score: { $in: [] } }, { title: 'a' }] })).toEqual({ sql: `(FALSE OR ${CUSTOM_TEXT(1)} = $2::text)`, values: ['title', 'a'] });
      expect(compile({ tags: { $in: [] } }).sql).toBe('FALSE');
      expect(compile({ tags: { $nin: [] } }).sql).toBe('TRUE');
      expect(compile({ _group: { $in: [] } })).toEqual({ sql: 'FALSE', values: [] });
      expect(compile({ openid: { $nin: [] } })).toEqual({ sql: 'TRUE', values: [] });
    });

    it('compiles $in / $nin / $all on array fields to element tests with bound JSON items', () => {
      expect(compile({ tags: { $in: ['a', 1] } })).toEqual({
        sql: `EXISTS (SELECT 1 FROM jsonb_array_elements(${CUSTOM_JSON(1)}) e WHERE e = ANY($2::jsonb[]))`,
        values: ['tags', ['"a"', '1']],
      });
      expect(compile({ tags: { $nin: ['a'] } })).toEqual({
        sql: `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(${CUSTOM_JSON(1)}, '[]')) e WHERE e = ANY($2::jsonb[]))`,
        values: ['tags', ['"a"']],
      });
      expect(compile({ tags: { $all: ['a', 2, null] } })).toEqual({ sql: `${CUSTOM_JSON(1)} @> $2::jsonb`, values: ['tags', '["a",2,null]'] });
    });

    it('compiles $range [start, end) to >= start AND < end', () => {
      expect(compile({ rating: { $range: [1, 5] } })).toEqual({
        sql: `(${CUSTOM_INT(1)} >= $2::numeric AND ${CUSTOM_INT(1)} < $3::numeric)`,
        values: ['rating', 1, 5],
      });
      expect(compile({ created_at: { $range: [10, 20] } })).toEqual({
        sql: '(u.created_at >= to_timestamp($1::double precision) AND u.created_at < to_timestamp($2::double precision))',
        values: [10, 20],
      });
      // Bounds of an integer field may be fractions ("numbers"): they must not be cast to bigint.
      const { sql, values } = compile({ score: { $range: [1.5, 3] } });
      expect(sql).toMatch(/>= \$2::\w+ AND .* < \$3::\w+\)$/);
      expect(sql).not.toMatch(/::bigint/);
      expect(values).toEqual(['score', 1.5, 3]);
    });

    it('compiles $isnull and $exists', () => {
      expect(compile({ score: { $isnull: true } }).sql).toBe(`${CUSTOM_INT(1)} IS NULL`);
      expect(compile({ score: { $isnull: false } }).sql).toBe(`${CUSTOM_INT(1)} IS NOT NULL`);
      expect(compile({ tags: { $exists: true } }).sql).toBe(`${CUSTOM_JSON(1)} IS NOT NULL`);
      expect(compile({ tags: { $exists: false } }).sql).toBe(`${CUSTOM_JSON(1)} IS NULL`);
      expect(compile({ openid: null }).sql).toBe('u.openid IS NULL');
    });

    it('compiles $has_key to the jsonb ? operator with a bound key', () => {
      expect(compile({ meta: { $has_key: "k'" } })).toEqual({
        sql: `(jsonb_typeof(${CUSTOM_JSON(1)}) = 'object' AND ${CUSTOM_JSON(1)} ? $2)`,
        values: ['meta', "k'"],
      });
    });

    it('compiles _group / user_group $in to a user_roles lookup', () => {
      expect(compile({ _group: { $in: [1, 2] } })).toEqual({
        sql: 'EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_id = ANY($1::int[]))',
        values: [[1, 2]],
      });
    });
  });

  describe('trees', () => {
    it('parenthesises and / or and numbers the placeholders in order', () => {
      const { sql, values } = compile({ $or: [{ score: { $gte: 1, $lt: 9 } }, { $and: [{ nickname: 'a' }, { active: true }] }] });
      expect(sql).toBe(
        `((${CUSTOM_INT(1)} >= $2::bigint AND ${CUSTOM_INT(3)} < $4::bigint) OR (u.name = $5::text AND ` +
          `(CASE WHEN jsonb_typeof(u.custom -> $6::text) = 'boolean' THEN (u.custom ->> $6::text)::boolean END) = $7::boolean))`,
      );
      expect(values).toEqual(['score', 1, 'score', 9, 'a', 'active', true]);
    });

    it('compiles depth-10 nesting', () => {
      let where: unknown = { score: 1 };
      for (let i = 0; i < 10; i++) where = { $and: [where, { title: `t${i}` }] };
      const { sql, values } = compile(where);
      expectPlaceholdersMatch(sql, values);
      expect(values).toHaveLength(22);
    });
  });

  describe('no request text in the SQL', () => {
    const EVIL = [
      "'; DROP TABLE users; --",
      "' OR '1'='1",
      'a") OR TRUE --',
      '$1 OR $2',
      '$$ SELECT pg_sleep(10) $$',
      '\\x00\\',
      '/* comment */',
      '中文 🙂',
      '%_%',
      ')))((((',
    ];

    it.each(EVIL)('binds the value %s instead of writing it into SQL', (evil) => {
      const asPattern = evil.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const wheres: unknown[] = [
        { nickname: evil },
        { title: { $ne: evil } },
        { title: { $contains: evil } },
        { _email: { $icontains: evil } },
        { title: { $regex: asPattern, $options: 'i' } },
        { title: { $in: [evil, 'x'] } },
        { title: { $nin: [evil] } },
        { tags: { $all: [evil] } },
        { tags: { $in: [evil] } },
        { tags: [evil] },
        { meta: { $has_key: evil } },
        { meta: { k: evil, [`k${evil}`]: 1 } },
        { $or: [{ openid: evil }, { unionid: { $gte: evil } }] },
      ];
      for (const where of wheres) {
        const { sql, values } = compile(where);
        expect(sql).not.toContain(evil);
        expectPlaceholdersMatch(sql, values);
        // The SQL depends on the shape of the where only, never on the values in it; the values carry the text.
        const json = JSON.stringify(where);
        const benign = compile(JSON.parse([asPattern, evil].reduce((text, bad) => text.split(JSON.stringify(bad).slice(1, -1)).join('benign'), json)));
        expect(benign.sql).toBe(sql);
        expect(benign.values).not.toEqual(values);
      }
    });

    it.each([
      [EVIL_FIELD, 'v'],
      ['x"y', 1],
      ['x) OR (1=1', 'v'],
    ])('binds the odd custom field name %s as a parameter', (name, value) => {
      const twin = typeof value === 'number' ? 'score' : 'title';
      const build = (field: string) => ({ [field]: value, $or: [{ [field]: { $isnull: true } }, { [field]: { $gt: value } }] });
      const odd = compile(build(name));
      const plain = compile(build(twin));
      // Same SQL as for an ordinary name: the name only travels as a bound value.
      expect(odd.sql).toBe(plain.sql);
      expect(odd.values).toEqual(plain.values.map((v) => (v === twin ? name : v)));
      expect(odd.values.filter((v) => v === name)).toHaveLength(3);
    });

    it('keeps numbers, booleans and dates as typed parameters', () => {
      const { sql, values } = compile({ score: { $in: [1, 2] }, rating: { $gt: 1e308 }, active: false, birthday: { $lt: '2020-01-02T00:00:00+08:00' } });
      expect(sql).not.toMatch(/1e\+?308|false|2020/);
      expect(values).toEqual(['score', [1, 2], 'rating', 1e308, 'active', false, 'birthday', '2020-01-01T16:00:00.000Z']);
    });
  });
});

describe('compileOrderBy (operator-api §3)', () => {
  const order = (raw?: string) => {
    const params = new SqlParams();
    return { sql: compileOrderBy(raw, schema, params), values: params.values };
  };

  it('defaults to -created_at with id as tie-breaker, in the order of the users_created_idx index', () => {
    expect(order(undefined)).toEqual({ sql: 'u.created_at DESC, u.id DESC', values: [] });
  });

  it('puts nulls last only for columns that can hold them (NOT NULL ones keep their index order)', () => {
    expect(order('-updated_at,nickname').sql).toBe('u.updated_at DESC, u.name ASC, u.id DESC');
    expect(order('-_email,openid').sql).toBe('u.email DESC NULLS LAST, u.openid ASC NULLS LAST, u.id DESC');
  });

  it('takes several keys, "-" for descending, custom fields by bound name, id last', () => {
    expect(order('score,-nickname')).toEqual({ sql: `${CUSTOM_INT(1)} ASC NULLS LAST, u.name DESC, u.id ASC`, values: ['score'] });
    expect(order('-title')).toEqual({ sql: `${CUSTOM_TEXT(1)} DESC NULLS LAST, u.id DESC`, values: ['title'] });
    expect(order(`${EVIL_FIELD}`).sql).not.toContain(EVIL_FIELD);
  });

  it('does not add id twice when it is one of the keys', () => {
    expect(order('-id').sql).toBe('u.id DESC');
    expect(order('score,user_id').sql).toBe(`${CUSTOM_INT(1)} ASC NULLS LAST, u.id ASC`);
  });

  it.each(['gender', 'country', 'province', 'city', 'language', 'is_authorized', 'user_group', '_group', 'tags', 'meta', '-gender'])(
    'refuses to sort by %s',
    (key) => {
      expect(() => order(key)).toThrow(QueryLanguageError);
      expect(() => order(`id,${key}`)).toThrow(/not sortable/);
    },
  );

  it('refuses unknown fields, empty lists and more than 10 keys', () => {
    expect(() => order('nosuch')).toThrow(/unknown field nosuch/);
    expect(() => order('__proto__')).toThrow(/unknown field/);
    expect(() => order('constructor')).toThrow(/unknown field/);
    expect(() => order('--id')).toThrow(/unknown field/);
    expect(() => order(',')).toThrow(/1 to 10/);
    expect(() => order(Array(11).fill('id').join(','))).toThrow(/1 to 10/);
  });
});
