import { SqlParams } from '../database/sql-params';
import { compileProfileUpdate, FieldUpdate, parseProfileUpdate } from './profile-update';
import { fieldSchema } from './where/fields';
import { QueryLanguageError } from './where/where-parser';

const EVIL_FIELD = "a'; DROP TABLE users; --";
const schema = fieldSchema([
  { name: 'score', type: 'integer' },
  { name: 'rating', type: 'number' },
  { name: 'title', type: 'string' },
  { name: 'active', type: 'boolean' },
  { name: 'birthday', type: 'date' },
  { name: 'tags', type: 'array' },
  { name: 'meta', type: 'object' },
  { name: EVIL_FIELD, type: 'string' },
]);

const parse = (body: unknown) => parseProfileUpdate(typeof body === 'string' ? JSON.parse(body) : body, schema);
/** `[name, op, value]` per update, in order. */
const summary = (updates: FieldUpdate[]) => updates.map((u) => [u.field.name, u.op, ...('value' in u ? [u.value] : [])]);
const rejects = (body: unknown, message?: RegExp) => {
  expect(() => parse(body)).toThrow(QueryLanguageError);
  if (message) expect(() => parse(body)).toThrow(message);
};

describe('parseProfileUpdate (operator-api §4)', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe('body forms', () => {
    it('reads the flat form with plain values and atomic operators', () => {
      expect(summary(parse({ title: 'a', score: { $incr_by: 2 }, tags: ['x'], meta: { k: 1 } }))).toEqual([
        ['title', 'set', 'a'],
        ['score', 'incr_by', 2],
        ['tags', 'set', ['x']],
        ['meta', 'set', { k: 1 }],
      ]);
    });

    it('reads the flat form plus a top-level $unset', () => {
      expect(summary(parse({ title: 'a', $unset: { score: '', rating: 1 } }))).toEqual([
        ['title', 'set', 'a'],
        ['score', 'unset'],
        ['rating', 'unset'],
      ]);
    });

    it('reads the wrapped form {$set, $unset}, with atomic operators inside $set', () => {
      expect(summary(parse({ $set: { title: 'a', score: { $incr_by: -1 } }, $unset: { meta: '' } }))).toEqual([
        ['title', 'set', 'a'],
        ['score', 'incr_by', -1],
        ['meta', 'unset'],
      ]);
      expect(summary(parse({ $set: { active: true } }))).toEqual([['active', 'set', true]]);
      expect(summary(parse({ $unset: { active: '' } }))).toEqual([['active', 'unset']]);
    });

    it('reads null as unset', () => {
      expect(summary(parse({ title: null, $set: { score: null } }))).toEqual([
        ['title', 'unset'],
        ['score', 'unset'],
      ]);
    });

    it('rejects a body that is not a non-empty object', () => {
      for (const body of [null, undefined, 1, '"x"', true, [], [{ title: 'a' }], {}]) rejects(body, /non-empty JSON object/);
    });

    it('rejects $set / $unset that are not objects and unknown top-level operators', () => {
      rejects({ $set: ['title'] }, /\$set takes an object/);
      rejects({ $set: 'title' }, /\$set takes an object/);
      rejects({ $unset: ['title'] }, /\$unset takes an object/);
      rejects({ $unset: 'title' }, /\$unset takes an object/);
      rejects({ $inc: { score: 1 } }, /unknown operator \$inc/);
      rejects({ $setOnInsert: { title: 'a' } }, /unknown operator/);
    });

    it('rejects the same field in $set and $unset (and in the flat form and $unset)', () => {
      rejects({ $set: { title: 'a' }, $unset: { title: '' } }, /title is updated twice/);
      rejects({ title: 'a', $unset: { title: '' } }, /updated twice/);
      rejects({ score: 1, $set: { score: 2 } }, /updated twice/);
      rejects({ $unset: { score: '' }, $set: { score: { $incr_by: 1 } } }, /updated twice/);
    });
  });

  describe('fields', () => {
    it.each([
      'id',
      'user_id',
      'nickname',
      '_username',
      'gender',
      'avatar',
      'city',
      'language',
      'openid',
      'unionid',
      '_email',
      '_phone',
      '_email_verified',
      'created_by',
      'created_at',
      'updated_at',
      'user_group',
      'is_authorized',
    ])('rejects the built-in field %s in every form', (name) => {
      rejects({ [name]: 1 }, new RegExp(`${name} is a built-in field`));
      rejects({ $set: { [name]: 'x' } }, /built-in/);
      rejects({ $unset: { [name]: '' } }, /built-in/);
      rejects({ [name]: { $incr_by: 1 } }, /built-in/);
    });

    it('rejects unknown fields in every form', () => {
      rejects({ nosuch: 1 }, /unknown field nosuch/);
      rejects({ $set: { nosuch: 1 } }, /unknown field nosuch/);
      rejects({ $unset: { nosuch: '' } }, /unknown field nosuch/);
      rejects({ Title: 'a' }, /unknown field Title/);
    });

    it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])('rejects %s as a field name without polluting', (key) => {
      rejects(`{"${key}":{"polluted":1}}`, /unknown field/);
      rejects(`{"$set":{"${key}":{"polluted":1}}}`, /unknown field/);
      rejects(`{"$unset":{"${key}":""}}`, /unknown field/);
      rejects(`{"title":"a","${key}":1}`, /unknown field/);
      rejects(`{"score":{"$${key}":1}}`, /unknown operator/);
      rejects(`{"$${key}":{"title":"a"}}`, /unknown operator/);
    });

    it('binds an odd custom field name and its value instead of writing them into SQL', () => {
      const params = new SqlParams();
      const sql = compileProfileUpdate(parse({ [EVIL_FIELD]: "'; DELETE FROM users; --" }), params);
      expect(sql).toBe('jsonb_set(u.custom, ARRAY[$1::text], $2::jsonb, true)');
      expect(params.values).toEqual([EVIL_FIELD, JSON.stringify("'; DELETE FROM users; --")]);
    });
  });

  describe('values store as sent (operator-api §6)', () => {
    it('keeps strings exactly, up to 64 Ki characters', () => {
      const long = ` ${'x'.repeat(65_534)} `;
      expect(summary(parse({ title: long }))).toEqual([['title', 'set', long]]);
      expect(summary(parse({ title: '' }))).toEqual([['title', 'set', '']]);
      rejects({ title: long + 'x' }, /too long/);
    });

    it.each([
      ['an array item', '{"tags":[1, 1e400]}'],
      ['an object value', '{"meta":{"a":{"b":[-1e999]}}}'],
      ['$append', '{"tags":{"$append":[1e400]}}'],
      ['$append_unique', '{"$set":{"tags":{"$append_unique":[1e400]}}}'],
      ['$remove', '{"tags":{"$remove":[1e400]}}'],
      ['$update', '{"meta":{"$update":{"x":1e400}}}'],
    ])('refuses a number beyond double range in %s (JSON would store it as null)', (_name, body) => {
      rejects(body, /out of range/);
    });
  });

  describe('plain values must match the field type', () => {
    it('accepts values of the type, normalising dates', () => {
      expect(summary(parse({ score: -3, rating: 0.25, title: '中文', active: false, birthday: '2020-01-02T08:00:00+08:00', tags: [], meta: {} }))).toEqual([
        ['score', 'set', -3],
        ['rating', 'set', 0.25],
        ['title', 'set', '中文'],
        ['active', 'set', false],
        ['birthday', 'set', '2020-01-02T00:00:00.000Z'],
        ['tags', 'set', []],
        ['meta', 'set', {}],
      ]);
    });

    it.each([
      ['score', '5'],
      ['score', 1.5],
      ['score', 2 ** 53],
      ['score', true],
      ['rating', '1.5'],
      ['title', 5],
      ['title', ['a']],
      ['active', 'true'],
      ['active', 0],
      ['birthday', 'yesterday'],
      ['birthday', '2020/01/02'],
      ['birthday', 1577923200],
      ['tags', 'a'],
      ['tags', { 0: 'a' }],
      ['meta', ['a']],
      ['meta', 'a'],
    ])('rejects %s = %j', (name, value) => {
      rejects({ [name]: value });
      rejects({ $set: { [name]: value } });
    });

    it('rejects 1e309 (Infinity) for a number field', () => {
      rejects('{"rating":1e309}', /not of type number/);
    });
  });

  describe('atomic operators', () => {
    it('accepts $incr_by on integer and number fields with a value of that type', () => {
      expect(summary(parse({ score: { $incr_by: 5 } }))).toEqual([['score', 'incr_by', 5]]);
      expect(summary(parse({ rating: { $incr_by: -0.5 } }))).toEqual([['rating', 'incr_by', -0.5]]);
      rejects({ score: { $incr_by: 1.5 } }, /not of type integer/);
      rejects({ score: { $incr_by: '1' } }, /not of type integer/);
      rejects({ rating: { $incr_by: '1' } }, /not of type number/);
      rejects({ rating: { $incr_by: null } }, /not of type number/);
      rejects('{"rating":{"$incr_by":1e309}}', /not of type number/);
      for (const name of ['title', 'active', 'birthday', 'tags', 'meta']) rejects({ [name]: { $incr_by: 1 } }, /\$incr_by does not apply/);
    });

    it.each(['$append', '$append_unique', '$remove'])('accepts %s on array fields with an array value only', (op) => {
      expect(summary(parse({ tags: { [op]: ['a', 1, { k: 1 }] } }))).toEqual([['tags', op.slice(1), ['a', 1, { k: 1 }]]]);
      rejects({ tags: { [op]: 'a' } }, /takes an array/);
      rejects({ tags: { [op]: { a: 1 } } }, /takes an array/);
      rejects({ tags: { [op]: null } }, /takes an array/);
      for (const name of ['score', 'rating', 'title', 'active', 'birthday', 'meta']) rejects({ [name]: { [op]: ['a'] } }, /does not apply/);
    });

    it('accepts $pop 1 and -1 on array fields only', () => {
      expect(summary(parse({ tags: { $pop: 1 } }))).toEqual([['tags', 'pop', 1]]);
      expect(summary(parse({ tags: { $pop: -1 } }))).toEqual([['tags', 'pop', -1]]);
      for (const value of [0, 2, -2, '1', true, null, [1], 1.0000001]) rejects({ tags: { $pop: value } }, /\$pop takes 1 \(last\) or -1 \(first\)/);
      rejects({ score: { $pop: 1 } }, /\$pop does not apply/);
      rejects({ meta: { $pop: 1 } }, /\$pop does not apply/);
    });

    it('accepts $update on object fields with an object value only', () => {
      expect(summary(parse({ meta: { $update: { a: 1, b: { c: 2 } } } }))).toEqual([['meta', 'update', { a: 1, b: { c: 2 } }]]);
      rejects({ meta: { $update: [1] } }, /\$update takes an object/);
      rejects({ meta: { $update: 'a' } }, /\$update takes an object/);
      rejects({ meta: { $update: null } }, /\$update takes an object/);
      rejects({ tags: { $update: { a: 1 } } }, /\$update does not apply/);
      rejects({ title: { $update: { a: 1 } } }, /\$update does not apply/);
    });

    it('rejects unknown atomic operators', () => {
      rejects({ score: { $inc: 1 } }, /unknown operator \$inc/);
      rejects({ tags: { $push: ['a'] } }, /unknown operator \$push/);
      rejects({ meta: { $set: { a: 1 } } }, /unknown operator \$set/);
    });

    it('reads an object with several $ keys as a plain value (refused for a scalar field)', () => {
      rejects({ score: { $incr_by: 1, $pop: 1 } }, /not of type integer/);
    });
  });

  describe('all or nothing', () => {
    it('rejects the whole body when one field is bad, whatever its position', () => {
      rejects({ title: 'ok', score: 1.5, active: true });
      rejects({ title: 'ok', nosuch: 1 });
      rejects({ $set: { title: 'ok', tags: { $pop: 3 } } });
      rejects({ $set: { title: 'ok' }, $unset: { nickname: '' } });
      rejects({ score: { $incr_by: 1 }, meta: { $update: [] } });
    });
  });
});

describe('compileProfileUpdate (operator-api §4)', () => {
  const compile = (body: unknown) => {
    const params = new SqlParams();
    return { sql: compileProfileUpdate(parse(body), params), values: params.values };
  };
  const CURRENT_ARRAY = (n: number) => `coalesce(CASE WHEN jsonb_typeof(u.custom -> $${n}::text) = 'array' THEN u.custom -> $${n}::text END, '[]'::jsonb)`;

  it('sets a value as bound JSON', () => {
    expect(compile({ title: 'a' })).toEqual({ sql: 'jsonb_set(u.custom, ARRAY[$1::text], $2::jsonb, true)', values: ['title', '"a"'] });
  });

  it('removes an unset key', () => {
    expect(compile({ $unset: { title: '' } })).toEqual({ sql: '(u.custom - $1::text)', values: ['title'] });
  });

  it('increments inside the database, counting null as 0', () => {
    const { sql, values } = compile({ score: { $incr_by: 3 } });
    expect(sql).toBe(
      "jsonb_set(u.custom, ARRAY[$1::text], to_jsonb(coalesce((CASE WHEN jsonb_typeof(u.custom -> $2::text) = 'number' THEN (u.custom ->> $2::text)::numeric END), 0) + $3::numeric), true)",
    );
    expect(values).toEqual(['score', 'score', 3]);
  });

  it('appends, pops and merges from the current value in the database', () => {
    expect(compile({ tags: { $append: ['a'] } })).toEqual({
      sql: `jsonb_set(u.custom, ARRAY[$1::text], ${CURRENT_ARRAY(1)} || $2::jsonb, true)`,
      values: ['tags', '["a"]'],
    });
    expect(compile({ tags: { $pop: 1 } }).sql).toBe(`jsonb_set(u.custom, ARRAY[$1::text], ${CURRENT_ARRAY(1)} - -1, true)`);
    expect(compile({ tags: { $pop: -1 } }).sql).toBe(`jsonb_set(u.custom, ARRAY[$1::text], ${CURRENT_ARRAY(1)} - 0, true)`);
    expect(compile({ meta: { $update: { a: 1 } } })).toEqual({
      sql: "jsonb_set(u.custom, ARRAY[$1::text], coalesce(CASE WHEN jsonb_typeof(u.custom -> $1::text) = 'object' THEN u.custom -> $1::text END, '{}'::jsonb) || $2::jsonb, true)",
      values: ['meta', '{"a":1}'],
    });
  });

  it('chains several updates into one expression and binds every value', () => {
    const evil = "'); DROP TABLE users; --";
    const { sql, values } = compile({ title: evil, tags: { $append_unique: [evil] }, meta: { $update: { [evil]: evil } }, $unset: { score: '' } });
    expect(sql).not.toContain(evil);
    expect(sql).not.toContain('DROP');
    const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(values.map((_, i) => i + 1));
    expect(values).toContain(JSON.stringify(evil));
    expect(values).toContain(JSON.stringify([evil]));
  });
});
