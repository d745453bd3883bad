import { fieldSchema } from './fields';
import { Condition, LIMITS, parseWhere, QueryLanguageError } from './where-parser';

/** One custom field of every type, next to the built-ins. */
const schema = fieldSchema([
  { name: 'score', type: 'integer' },
  { name: 'rating', type: 'number' },
  { name: 'title', type: 'string' },
  { name: 'active', type: 'boolean' },
  { name: 'birthday', type: 'date' },
  { name: 'tags', type: 'array' },
  { name: 'meta', type: 'object' },
]);

const parse = (where: unknown) => parseWhere(typeof where === 'string' ? where : JSON.stringify(where), schema);
const rejects = (where: unknown, message?: RegExp) => {
  expect(() => parse(where)).toThrow(QueryLanguageError);
  if (message) expect(() => parse(where)).toThrow(message);
};
/** The single comparison a where compiles to (no and / or around it). */
const only = (where: unknown) => {
  const condition = parse(where) as Extract<Condition, { kind: 'compare' }>;
  expect(condition.kind).toBe('compare');
  return { field: condition.field.name, op: condition.op, value: condition.value };
};
const nest = (levels: number, inner: unknown = { score: 1 }): unknown => (levels === 0 ? inner : { $and: [nest(levels - 1, inner)] });

describe('parseWhere (operator-api §3)', () => {
  afterEach(() => {
    // No where may ever reach Object.prototype.
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe('empty and malformed input', () => {
    it('treats absent, empty and {} as "everything" (null)', () => {
      expect(parseWhere(undefined, schema)).toBeNull();
      expect(parseWhere(null, schema)).toBeNull();
      expect(parseWhere('', schema)).toBeNull();
      expect(parseWhere('{}', schema)).toBeNull();
      expect(parseWhere(' { } ', schema)).toBeNull();
    });

    it.each(['{', '{"score":}', "{'score':1}", '((((', 'score=1', '{"score":1}}', 'NaN', '{"score":NaN}', '{"score":Infinity}'])(
      'rejects invalid JSON %s',
      (raw) => rejects(raw, /not valid JSON/),
    );

    it.each(['[]', '[{"score":1}]', '1', '"score"', 'true', 'null'])('rejects the non-object %s', (raw) => rejects(raw));

    it('rejects a where larger than 16 KiB (counted in bytes) and accepts one just within', () => {
      // 3-byte characters: the byte limit bites before the 10,000-character string limit.
      const build = (target: number) => {
        const base = JSON.stringify({ $or: [{ title: '中'.repeat(3000) }, { title: '' }] });
        return JSON.stringify({ $or: [{ title: '中'.repeat(3000) }, { title: 'x'.repeat(target - Buffer.byteLength(base)) }] });
      };
      const exact = build(LIMITS.whereBytes);
      expect(Buffer.byteLength(exact)).toBe(LIMITS.whereBytes);
      expect(parse(exact)).not.toBeNull();
      const over = build(LIMITS.whereBytes + 1);
      expect(Buffer.byteLength(over)).toBe(LIMITS.whereBytes + 1);
      rejects(over, /longer than 16384 bytes/);
    });
  });

  describe('fields', () => {
    it('rejects an unknown field, at the top and nested', () => {
      rejects({ nosuch: 1 }, /unknown field nosuch/);
      rejects({ $or: [{ score: 1 }, { nosuch: 1 }] }, /unknown field nosuch/);
      rejects({ Score: 1 }, /unknown field Score/);
    });

    it('rejects built-ins that cannot be queried (country, province, is_authorized)', () => {
      rejects({ country: 'CN' }, /cannot be queried/);
      rejects({ province: 'x' }, /cannot be queried/);
      rejects({ is_authorized: true }, /cannot be queried/);
    });

    it('accepts every queryable built-in field', () => {
      expect(only({ id: 1 })).toMatchObject({ field: 'id', op: '$eq', value: 1 });
      expect(only({ user_id: 1 })).toMatchObject({ field: 'user_id' });
      expect(only({ created_by: 1 })).toMatchObject({ field: 'created_by' });
      expect(only({ nickname: 'a' })).toMatchObject({ field: 'nickname', value: 'a' });
      expect(only({ _username: 'a' })).toMatchObject({ field: '_username' });
      expect(only({ gender: 1 })).toMatchObject({ field: 'gender', value: 1 });
      expect(only({ avatar: { $isnull: true } })).toMatchObject({ field: 'avatar', op: '$isnull', value: true });
      expect(only({ city: '成都' })).toMatchObject({ field: 'city' });
      expect(only({ language: 'zh_CN' })).toMatchObject({ field: 'language' });
      expect(only({ openid: 'o' })).toMatchObject({ field: 'openid' });
      expect(only({ unionid: 'u' })).toMatchObject({ field: 'unionid' });
      expect(only({ _email: 'a@b.c' })).toMatchObject({ field: '_email' });
      expect(only({ _phone: '13900000000' })).toMatchObject({ field: '_phone' });
      expect(only({ _email_verified: false })).toMatchObject({ field: '_email_verified', value: false });
      expect(only({ _phone_verified: true })).toMatchObject({ field: '_phone_verified', value: true });
      expect(only({ created_at: { $gte: 1 } })).toMatchObject({ field: 'created_at', op: '$gte', value: 1 });
      expect(only({ updated_at: { $lt: 2 } })).toMatchObject({ field: 'updated_at', op: '$lt', value: 2 });
      expect(only({ _group: { $in: [1, 2] } })).toMatchObject({ field: '_group', op: '$in', value: [1, 2] });
      expect(only({ user_group: { $in: [3] } })).toMatchObject({ field: 'user_group', op: '$in', value: [3] });
    });
  });

  describe('operators', () => {
    it('reads a bare value as $eq and a bare null as $isnull', () => {
      expect(only({ score: 5 })).toEqual({ field: 'score', op: '$eq', value: 5 });
      expect(only({ title: 'x' })).toMatchObject({ op: '$eq', value: 'x' });
      expect(only({ active: false })).toMatchObject({ op: '$eq', value: false });
      expect(only({ score: null })).toMatchObject({ op: '$isnull', value: true });
    });

    it('reads a bare array / object as $eq on array / object fields (stored as JSON text)', () => {
      expect(only({ tags: ['a', 1] })).toMatchObject({ field: 'tags', op: '$eq', value: '["a",1]' });
      expect(only({ meta: { a: 1 } })).toMatchObject({ field: 'meta', op: '$eq', value: '{"a":1}' });
      expect(only({ meta: { $eq: { b: [1] } } })).toMatchObject({ op: '$eq', value: '{"b":[1]}' });
      expect(only({ tags: { $ne: [] } })).toMatchObject({ op: '$ne', value: '[]' });
      rejects({ tags: { $eq: 'a' } }, /array is expected/);
      rejects({ meta: { $ne: [1] } }, /object is expected/);
    });

    it.each([
      ['$eq', 5],
      ['$ne', 5],
      ['$lt', 5],
      ['$lte', 5],
      ['$gt', 5],
      ['$gte', 5],
    ])('accepts %s on an integer field', (op, value) => {
      expect(only({ score: { [op]: value } })).toMatchObject({ field: 'score', op, value });
    });

    it.each(['$lt', '$lte', '$gt', '$gte'])('accepts %s on number, string, date and unix fields', (op) => {
      expect(only({ rating: { [op]: 1.5 } })).toMatchObject({ op, value: 1.5 });
      expect(only({ title: { [op]: 'm' } })).toMatchObject({ op, value: 'm' });
      expect(only({ birthday: { [op]: '2020-01-02' } })).toMatchObject({ op, value: '2020-01-02T00:00:00.000Z' });
      expect(only({ created_at: { [op]: 1600000000.5 } })).toMatchObject({ op, value: 1600000000.5 });
    });

    it('ANDs several operators on one field', () => {
      const condition = parse({ created_at: { $gte: 1, $lt: 9 } });
      expect(condition).toMatchObject({
        kind: 'and',
        children: [
          { kind: 'compare', op: '$gte', value: 1 },
          { kind: 'compare', op: '$lt', value: 9 },
        ],
      });
    });

    it('ANDs several keys on one level', () => {
      expect(parse({ score: 1, title: 'a' })).toMatchObject({
        kind: 'and',
        children: [
          { kind: 'compare', op: '$eq', value: 1 },
          { kind: 'compare', op: '$eq', value: 'a' },
        ],
      });
    });

    it('accepts $contains / $icontains on strings only', () => {
      expect(only({ title: { $contains: '%_\\' } })).toMatchObject({ op: '$contains', value: '%_\\' });
      expect(only({ nickname: { $icontains: 'AbC' } })).toMatchObject({ op: '$icontains', value: 'AbC' });
      rejects({ score: { $contains: 1 } }, /\$contains does not apply to score/);
      rejects({ score: { $contains: '1' } }, /does not apply/);
      rejects({ rating: { $icontains: 'a' } }, /does not apply/);
      rejects({ tags: { $contains: 'a' } }, /does not apply/);
      rejects({ birthday: { $contains: '2020' } }, /does not apply/);
      rejects({ title: { $contains: 1 } }, /not of type string/);
    });

    it('translates $regex with the JavaScript flags of $options (operator-api §6)', () => {
      expect(only({ title: { $regex: '^a.*b$' } })).toMatchObject({ op: '$regex', value: '(?cs)^a[^\\n\\r\\u2028\\u2029]*b$' });
      expect(only({ nickname: { $regex: '^A', $options: 'i' } })).toMatchObject({ op: '$regex', value: '(?is)^A' });
      expect(only({ nickname: { $regex: 'A\\d', $options: 'gim' } })).toMatchObject({ op: '$regex', value: '(?iw)A[0-9]' });
      expect(only({ nickname: { $regex: 'a', $options: '' } })).toMatchObject({ op: '$regex', value: '(?cs)a' });
      rejects({ title: { $regex: 'a', $options: 'x' } }, /\$options: the flag\(s\) x/);
      rejects({ title: { $regex: 'a', $options: 'y' } }, /\$options/);
      rejects({ title: { $regex: 'a', $options: 'I' } }, /\$options/);
      rejects({ title: { $regex: 'a', $options: 'ii' } }, /not a valid JavaScript regular expression/);
      rejects({ title: { $regex: 'a', $options: 1 } }, /\$options/);
      rejects({ title: { $regex: '(?<n>a)' } }, /named group/);
      rejects({ title: { $options: 'i' } }, /\$options/);
      rejects({ title: { $contains: 'a', $options: 'i' } }, /\$options/);
    });

    it('limits a $regex pattern to 256 characters and to strings', () => {
      expect(only({ title: { $regex: 'a'.repeat(256) } })).toMatchObject({ op: '$regex' });
      rejects({ title: { $regex: 'a'.repeat(257) } }, /256/);
      rejects({ title: { $regex: 1 } }, /pattern/);
      rejects({ title: { $regex: ['a'] } }, /pattern/);
      rejects({ score: { $regex: '1' } }, /does not apply/);
      rejects({ tags: { $regex: 'a' } }, /does not apply/);
    });

    it('accepts $in / $nin with typed items, up to 1000 of them', () => {
      expect(only({ score: { $in: [1, 2, 3] } })).toMatchObject({ op: '$in', value: [1, 2, 3] });
      expect(only({ title: { $nin: ['a'] } })).toMatchObject({ op: '$nin', value: ['a'] });
      expect(only({ score: { $in: [] } })).toMatchObject({ op: '$in', value: [] });
      expect(only({ score: { $nin: [] } })).toMatchObject({ op: '$nin', value: [] });
      expect(only({ birthday: { $in: ['2020-01-02T03:04:05Z'] } })).toMatchObject({ value: ['2020-01-02T03:04:05.000Z'] });
      const thousand = Array.from({ length: 1000 }, (_, i) => i);
      expect(only({ score: { $in: thousand } }).value).toHaveLength(1000);
      expect(only({ score: { $nin: thousand } }).value).toHaveLength(1000);
      rejects({ score: { $in: [...thousand, 1000] } }, /at most 1000 items/);
      rejects({ score: { $nin: [...thousand, 1000] } }, /at most 1000 items/);
      rejects({ score: { $in: 1 } }, /takes an array/);
      rejects({ score: { $in: [1, '2'] } }, /not of type integer/);
      expect(only({ score: { $nin: [1.5] } })).toMatchObject({ op: '$nin', value: [1.5] });
      rejects({ score: { $in: [null] } }, /not of type integer/);
    });

    it('matches $in / $nin / $all items of array fields as JSON scalars', () => {
      expect(only({ tags: { $in: ['a', 1, true, null] } })).toMatchObject({ op: '$in', value: ['"a"', '1', 'true', 'null'] });
      expect(only({ tags: { $nin: ['a'] } })).toMatchObject({ op: '$nin', value: ['"a"'] });
      expect(only({ tags: { $all: ['a', 2] } })).toMatchObject({ op: '$all', value: ['"a"', '2'] });
      rejects({ tags: { $in: [['a']] } }, /array items/);
      rejects({ tags: { $all: [{ a: 1 }] } }, /array items/);
      const thousand = Array.from({ length: 1000 }, (_, i) => `t${i}`);
      expect(only({ tags: { $all: thousand } }).value).toHaveLength(1000);
      rejects({ tags: { $all: [...thousand, 'x'] } }, /at most 1000 items/);
      rejects({ tags: { $all: 'a' } }, /takes an array/);
    });

    it('accepts $all on arrays only', () => {
      rejects({ title: { $all: ['a'] } }, /\$all does not apply to title/);
      rejects({ score: { $all: [1] } }, /does not apply/);
      rejects({ meta: { $all: ['a'] } }, /does not apply/);
    });

    it('accepts $range [start, end) on numbers and times only', () => {
      expect(only({ score: { $range: [1, 5] } })).toMatchObject({ op: '$range', value: [1, 5] });
      expect(only({ rating: { $range: [0.5, 1.5] } })).toMatchObject({ value: [0.5, 1.5] });
      expect(only({ created_at: { $range: [100, 200] } })).toMatchObject({ value: [100, 200] });
      rejects({ title: { $range: ['a', 'b'] } }, /\$range does not apply to title/);
      rejects({ birthday: { $range: ['2020-01-01', '2021-01-01'] } }, /does not apply/);
      rejects({ active: { $range: [0, 1] } }, /does not apply/);
      rejects({ score: { $range: [1] } }, /\[start, end\]/);
      rejects({ score: { $range: [1, 2, 3] } }, /\[start, end\]/);
      rejects({ score: { $range: 1 } }, /\[start, end\]/);
      rejects({ score: { $range: ['1', '2'] } }, /not of type/);
      rejects({ score: { $range: [null, 2] } }, /not of type/);
    });

    it('accepts $isnull / $exists with true or false, on every field type', () => {
      for (const field of ['score', 'rating', 'title', 'active', 'birthday', 'tags', 'meta', 'openid', 'created_at']) {
        expect(only({ [field]: { $isnull: true } })).toMatchObject({ op: '$isnull', value: true });
        expect(only({ [field]: { $isnull: false } })).toMatchObject({ op: '$isnull', value: false });
        expect(only({ [field]: { $exists: true } })).toMatchObject({ op: '$exists', value: true });
        expect(only({ [field]: { $exists: false } })).toMatchObject({ op: '$exists', value: false });
      }
      rejects({ score: { $isnull: 1 } }, /true or false/);
      rejects({ score: { $exists: 'yes' } }, /true or false/);
      rejects({ score: { $exists: null } }, /true or false/);
    });

    it('accepts $has_key on object fields only, with a key name', () => {
      expect(only({ meta: { $has_key: 'a' } })).toMatchObject({ op: '$has_key', value: 'a' });
      rejects({ title: { $has_key: 'a' } }, /\$has_key does not apply to title/);
      rejects({ tags: { $has_key: 'a' } }, /does not apply/);
      rejects({ meta: { $has_key: 1 } }, /key name/);
      rejects({ meta: { $has_key: 'k'.repeat(257) } }, /key name/);
    });

    it('rejects operators that make no sense for the type', () => {
      rejects({ active: { $gt: true } }, /\$gt does not apply to active \(boolean\)/);
      rejects({ active: { $lte: false } }, /does not apply/);
      rejects({ _email_verified: { $lt: true } }, /does not apply/);
      rejects({ tags: { $gt: [] } }, /does not apply/);
      rejects({ meta: { $lt: {} } }, /does not apply/);
      rejects({ meta: { $in: [{}] } }, /does not apply/);
      rejects({ meta: { $nin: [] } }, /does not apply/);
      rejects({ active: { $range: [0, 1] } }, /does not apply/);
      rejects({ score: { $has_key: 'a' } }, /does not apply/);
    });

    it('only accepts $in on user_group / _group', () => {
      rejects({ _group: 1 }, /does not apply|\$in only/);
      rejects({ _group: { $eq: 1 } }, /does not apply|\$in only/);
      rejects({ _group: { $nin: [1] } }, /does not apply|\$in only/);
      rejects({ _group: { $all: [1] } }, /does not apply|\$in only/);
      rejects({ user_group: { $isnull: true } }, /does not apply|\$in only/);
      rejects({ user_group: { $exists: true } }, /does not apply|\$in only/);
      rejects({ user_group: { $gt: 1 } }, /does not apply|\$in only/);
      rejects({ _group: { $in: [0] } }, /not of type group/);
      rejects({ _group: { $in: [2_147_483_648] } }, /not of type group/);
      rejects({ _group: { $in: ['1'] } }, /not of type group/);
    });

    it('rejects unknown operators, at field level and at the top', () => {
      rejects({ score: { $foo: 1 } }, /unknown operator \$foo/);
      rejects({ score: { $gt: 1, $between: [1, 2] } }, /unknown operator \$between/);
      rejects({ $not: { score: 1 } }, /unknown operator \$not/);
      rejects({ $nor: [{ score: 1 }] }, /unknown operator \$nor/);
      rejects({ score: { $EQ: 1 } }, /unknown operator/);
    });

    it('reads an object mixing operators and plain keys as a value (rejected for a scalar field)', () => {
      rejects({ score: { $gt: 1, x: 2 } }, /not of type integer/);
      rejects({ score: {} }, /not of type integer/);
    });
  });

  describe('value types', () => {
    it('rejects a string for an integer or number field', () => {
      rejects({ score: '5' }, /not of type integer/);
      rejects({ score: { $gt: '5' } }, /not of type integer/);
      rejects({ rating: '1.5' }, /not of type number/);
      rejects({ created_at: { $gte: '2020-01-01' } }, /not of type unix/);
    });

    it('compares integer fields with any finite number (operator-api §6: score > 9.5 is valid)', () => {
      expect(only({ score: 1.5 })).toMatchObject({ op: '$eq', value: 1.5 });
      expect(only({ score: { $gt: 9.5 } })).toMatchObject({ op: '$gt', value: 9.5 });
      expect(only({ id: 2 ** 53 })).toMatchObject({ value: 2 ** 53 });
      expect(only({ score: 1e20 })).toMatchObject({ value: 1e20 });
      expect(only({ score: -(2 ** 53 - 1) })).toMatchObject({ value: -(2 ** 53 - 1) });
      rejects('{"score":{"$lt":1e309}}', /not of type integer/);
    });

    it('reads $eq null as "is null" and $ne null as "is not null" (the SDK\'s compare(f, "=", null))', () => {
      expect(only({ score: { $eq: null } })).toMatchObject({ op: '$isnull', value: true });
      expect(only({ title: { $ne: null } })).toMatchObject({ op: '$isnull', value: false });
      expect(only({ tags: { $eq: null } })).toMatchObject({ op: '$isnull', value: true });
      expect(only({ created_at: { $ne: null } })).toMatchObject({ op: '$isnull', value: false });
    });

    it('rejects non-finite numbers (1e309 parses to Infinity)', () => {
      rejects('{"rating":1e309}', /not of type number/);
      rejects('{"rating":{"$gt":-1e309}}', /not of type number/);
      rejects('{"created_at":{"$lt":1e309}}', /not of type unix/);
    });

    it('rejects a non-boolean for a boolean field and a non-string for a string field', () => {
      rejects({ active: 1 }, /not of type boolean/);
      rejects({ active: 'true' }, /not of type boolean/);
      rejects({ title: 1 }, /not of type string/);
      rejects({ nickname: ['a'] }, /not of type string/);
      rejects({ title: 'x'.repeat(LIMITS.stringLength + 1) }, /not of type string/);
    });

    it('normalises ISO 8601 dates to UTC and rejects anything else', () => {
      expect(only({ birthday: '2020-01-02' })).toMatchObject({ value: '2020-01-02T00:00:00.000Z' });
      expect(only({ birthday: '2020-01-02T03:04:05Z' })).toMatchObject({ value: '2020-01-02T03:04:05.000Z' });
      expect(only({ birthday: '2020-01-02T03:04:05.123+08:00' })).toMatchObject({ value: '2020-01-01T19:04:05.123Z' });
      const accepted = ['not a date', 'hello 2020', '1', '12', '2020/01/02', 'Jan 2 2020', '2020-13-01', '2020-02-30', '2020-01-02T25:00:00Z', ''].filter(
        (bad) => {
          try {
            parse({ birthday: bad });
            return true;
          } catch (error) {
            expect(String(error)).toMatch(/not of type date/);
            return false;
          }
        },
      );
      expect(accepted).toEqual([]);
      rejects({ birthday: 20200102 }, /not of type date/);
      rejects({ birthday: { $gt: 'yesterday' } }, /not of type date/);
    });
  });

  describe('nesting and limits', () => {
    it('nests $and / $or to depth 10 and rejects depth 11', () => {
      expect(parse(nest(10))).not.toBeNull();
      rejects(nest(11), /deeper than 10/);
      const orNest = (levels: number): unknown => (levels === 0 ? { score: 1 } : { $or: [{ title: 'a' }, orNest(levels - 1)] });
      expect(parse(orNest(10))).not.toBeNull();
      rejects(orNest(11), /deeper than 10/);
    });

    it('builds and / or trees', () => {
      expect(parse({ $or: [{ score: 1 }, { $and: [{ title: 'a' }, { active: true }] }] })).toMatchObject({
        kind: 'or',
        children: [
          { kind: 'compare', op: '$eq', value: 1 },
          {
            kind: 'and',
            children: [
              { kind: 'compare', value: 'a' },
              { kind: 'compare', value: true },
            ],
          },
        ],
      });
    });

    it('rejects $and / $or that are not non-empty arrays of objects', () => {
      rejects({ $and: [] }, /non-empty array/);
      rejects({ $or: {} }, /non-empty array/);
      rejects({ $or: { score: 1 } }, /non-empty array/);
      rejects({ $and: [1] }, /JSON object/);
      rejects({ $or: [null] }, /JSON object/);
      rejects({ $or: [[{ score: 1 }]] }, /JSON object/);
      rejects({ score: { $and: [{ $gt: 1 }] } }, /unknown operator \$and/);
    });

    it('allows 100 conditions and rejects 101', () => {
      const conditions = (n: number) => ({ $or: Array.from({ length: n }, (_, i) => ({ score: i })) });
      expect(parse(conditions(100))).not.toBeNull();
      rejects(conditions(101), /more than 100 conditions/);
      // Counted across the tree, including several operators on one field.
      const spread = { $and: [conditions(50), { $or: Array.from({ length: 50 }, () => ({ score: { $gt: 1, $lt: 9 } })) }] };
      rejects(spread, /more than 100 conditions/);
    });
  });

  describe('__proto__ and constructor', () => {
    const keys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

    it.each(keys)('rejects %s as a field name (top level and nested)', (key) => {
      rejects(`{"${key}":{"polluted":1}}`, new RegExp(`unknown field ${key}`));
      rejects(`{"${key}":1}`, /unknown field/);
      rejects(`{"score":1,"${key}":{"$gt":1}}`, /unknown field/);
      rejects(`{"$and":[{"${key}":{"polluted":true}}]}`, /unknown field/);
      rejects(`{"$or":[{"score":1},{"$and":[{"${key}":{"$eq":1}}]}]}`, /unknown field/);
    });

    it.each(keys)('rejects %s (also $-prefixed) inside operator objects', (key) => {
      rejects(`{"score":{"$${key}":1}}`, /unknown operator/);
      rejects(`{"score":{"$gt":1,"$${key}":{"polluted":1}}}`, /unknown operator/);
      // A plain key among operators makes the object a value, which an integer field refuses.
      rejects(`{"score":{"$gt":1,"${key}":{"polluted":1}}}`);
      rejects(`{"score":{"${key}":{"polluted":1}}}`);
      rejects(`{"$${key}":{"polluted":1}}`, /unknown operator/);
    });

    it('never lets a parsed where reach Object.prototype', () => {
      for (const raw of [
        '{"__proto__":{"polluted":1}}',
        '{"$and":[{"__proto__":{"polluted":1}}]}',
        '{"meta":{"__proto__":{"polluted":1}}}',
        '{"meta":{"$eq":{"__proto__":{"polluted":1}}}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
      ]) {
        try {
          parse(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(QueryLanguageError);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    });
  });
});
