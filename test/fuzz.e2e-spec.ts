import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { isResidentIdNumber } from '../src/common/validation/resident-id';
import { bearer, makeFounder, registerUser, RegisteredUser, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { png } from './support/images';

/**
 * quality.md §3 "Bad input never answers 5xx": every operation of the OpenAPI document gets a corpus of malformed
 * inputs (path, query, body, headers) as a guest, a user and an admin. No answer may be 5xx (or a dropped
 * connection / a hang), every answer is JSON, and a request that was rejected (4xx) changes nothing in the database.
 *
 * Requests go over a real socket (node:http), so paths, bodies and headers are sent byte for byte as written here
 * (no client-side URL normalisation, raw numbers such as 1e309 in the JSON text, invalid UTF-8 bytes).
 */

type Persona = 'guest' | 'user' | 'admin';
const PERSONAS: Persona[] = ['guest', 'user', 'admin'];

interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/v2/users/{user} */
  path: string;
  params: Array<{ in: string; name: string }>;
  /** property names of the requestBody schema (components.schemas) */
  schemaFields: string[];
  hasBody: boolean;
}

interface Probe {
  persona: Persona;
  method: string;
  /** the raw request target (path + query), sent as is */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string;
  /** what is wrong with this request, for the failure list */
  input: string;
}

interface Outcome {
  probe: Probe;
  status: number;
  contentType: string;
  body: string;
  requestId?: string;
  error?: string;
}

const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------- corpora

/** Path segments (already URL-encoded where needed: they go into the request line as they are). */
const PATH_VALUES: string[] = [
  '0',
  '-1',
  '1abc',
  "'",
  '%27%20OR%201=1',
  '99999999999999999999',
  '1e309',
  'NaN',
  '1.5',
  '-0',
  '%201',
  '1%0A',
  '..%2F..%2Fetc%2Fpasswd',
  'public:../../etc/passwd',
  'a'.repeat(1000),
  '%00',
  '%C3%28',
  '__proto__',
  'constructor',
  encodeURIComponent('中文😀\u202e'),
  '%E4%B8%AD',
  '%',
  '%%32%65',
  '$%7B7*7%7D',
  '[]',
  '%7B%7D',
];
/** Extra values for the storage wildcard (`GET /api/v2/storage/*`): raw traversal, no encoding. */
const STORAGE_PATH_VALUES = [
  '../../../../etc/passwd',
  'public:2024/01/01/../../../../etc/passwd',
  'public:',
  'private:x',
  'public:2024/01/01/' + 'a'.repeat(32) + '.png%00.txt',
];

const DEEP_OBJECT = '{"a":'.repeat(50) + '1' + '}'.repeat(50);
const DEEP_ARRAY = '['.repeat(50) + '1' + ']'.repeat(50);
const STRING_100K = JSON.stringify('x'.repeat(100_000));

/** Field values as JSON text (so that 1e309, -0 and 2^63 reach the server exactly as written). `undefined` = absent. */
const FIELD_VALUES: Array<[string, string | undefined]> = [
  ['absent', undefined],
  ['null', 'null'],
  ['0', '0'],
  ['-1', '-1'],
  ['1.5', '1.5'],
  ['-0', '-0'],
  ['2^63', '9223372036854775808'],
  ['1e309', '1e309'],
  ['-1e309', '-1e309'],
  ['true', 'true'],
  ['false', 'false'],
  ['[]', '[]'],
  ['[1,"a",null]', '[1,"a",null]'],
  ['{}', '{}'],
  ['{"$gt":""}', '{"$gt":""}'],
  ['100k string', STRING_100K],
  ['NUL in string', '"a\\u0000b"'],
  ['SQL', JSON.stringify("' OR 1=1 --")],
  ['((((', '"(((("'],
  ['regex', JSON.stringify('.*{1000000}')],
  ['backslash', JSON.stringify('\\')],
  ['unicode', JSON.stringify('𝕏😀ñ中文\u202e\ufeff')],
  ['lone surrogate', '"\\ud800"'],
  ['whitespace', '"   "'],
  ['"NaN"', '"NaN"'],
  ['"1e309"', '"1e309"'],
  ['"99999999999999999999"', '"99999999999999999999"'],
  ['50-level object', DEEP_OBJECT],
  ['50-level array', DEEP_ARRAY],
  ['"__proto__"', '"__proto__"'],
];
/** The smaller field corpus for a second persona on the same operation. */
const FIELD_VALUES_SHORT = FIELD_VALUES.filter((_, i) => i % 3 === 0);

const JSON_TYPE = 'application/json';
const invalidUtf8 = (prefix: string, suffix: string) => Buffer.concat([Buffer.from(prefix), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(suffix)]);

/** Whole bodies that are wrong as a whole. */
const BODIES: Array<{ input: string; body: string | Buffer; contentType?: string }> = [
  { input: 'missing fields {}', body: '{}' },
  { input: 'body null', body: 'null' },
  { input: 'body []', body: '[]' },
  { input: 'body [{}]', body: '[{}]' },
  { input: 'body "x"', body: '"x"' },
  { input: 'body 123', body: '123' },
  { input: 'body true', body: 'true' },
  { input: 'body 1e309', body: '1e309' },
  { input: '50-level object', body: DEEP_OBJECT },
  { input: '50-level array', body: DEEP_ARRAY },
  { input: '2000-level array', body: '['.repeat(2000) + ']'.repeat(2000) },
  { input: '__proto__ key', body: '{"__proto__":{"isAdmin":true,"id":1,"user_id":1,"amount":1,"admin":true}}' },
  { input: 'constructor.prototype key', body: '{"constructor":{"prototype":{"isAdmin":true,"amount":1}}}' },
  { input: '__proto__ null', body: '{"__proto__":null,"prototype":{"x":1}}' },
  { input: 'malformed {', body: '{' },
  { input: "malformed {'a':1}", body: "{'a':1}" },
  { input: 'malformed trailing }', body: '{"a":1}}' },
  { input: 'malformed NaN literal', body: '{"a":NaN}' },
  { input: 'bare NUL', body: '\u0000' },
  { input: 'empty body as JSON', body: '' },
  { input: 'invalid UTF-8 in a string', body: invalidUtf8('{"name":"', '","password":"x"}') },
  { input: 'invalid UTF-8 bytes only', body: Buffer.from([0xff, 0xfe, 0xfd, 0xc3, 0x28]) },
  { input: 'UTF-16 body', body: Buffer.from('\ufeff{"a":1}', 'utf16le') },
  { input: 'text/plain', body: 'hello', contentType: 'text/plain' },
  { input: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', contentType: 'application/xml' },
  { input: 'multipart without boundary', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n', contentType: 'multipart/form-data' },
  { input: 'multipart with a broken body', body: '--x\r\nbroken', contentType: 'multipart/form-data; boundary=x' },
  { input: 'urlencoded form', body: 'a=1&b[c]=2&__proto__[x]=1', contentType: 'application/x-www-form-urlencoded' },
  { input: 'JSON with charset latin1', body: '{"a":"\xe9"}', contentType: 'application/json; charset=latin1' },
  { input: 'bogus content type', body: '{}', contentType: 'application/json; ;;=' },
  { input: 'content type */*', body: '{}', contentType: '*/*' },
  { input: '1.1 MiB JSON', body: JSON.stringify({ x: 'x'.repeat(1_150_000) }) },
];
/** For GET routes: a few bodies only (they should be ignored or refused, never crash). */
const GET_BODIES = BODIES.filter((b) => ['malformed {', 'invalid UTF-8 bytes only', '__proto__ key', 'text/plain'].includes(b.input));

/** Query values (URL-encoded). */
const QUERY_VALUES: string[] = [
  '',
  '0',
  '-1',
  '1.5',
  '1e309',
  'NaN',
  '99999999999999999999',
  '-0',
  '%27%20OR%201%3D1%20--',
  '((((',
  '.*%7B1000000%7D',
  '%5C',
  '%00',
  '%C3%28',
  '__proto__',
  encodeURIComponent('中文😀'),
  'x'.repeat(2000),
  '%5B%5D',
  'true',
  '1,2,3',
  '%7B%22%24gt%22%3A%22%22%7D',
  '+',
  '%0A',
];
const GENERIC_QUERY_NAMES = [
  'limit',
  'offset',
  'since',
  'after',
  'id',
  'name',
  'where',
  'order_by',
  'days',
  'city',
  'state',
  'type',
  'action',
  'token',
  'following',
  'follower',
  'order',
  'fetch_by',
  'active',
  'return_total_count',
  'page',
  '__proto__',
];
const GENERIC_QUERY_VALUES = ['%27%20OR%201%3D1', '-1', '%C3%28', 'y'.repeat(300)];

/** `where` values for the operator listing and bulk update (JSON, then URL-encoded). */
const WHERE_JUNK: string[] = [
  '{',
  '[]',
  'null',
  '1',
  '"x"',
  'true',
  '{"$or":[]}',
  '{"$and":{}}',
  '{"$or":"x"}',
  '{"id":{"$gt":"x"}}',
  '{"id":{"$gt":1e309}}',
  '{"id":1e309}',
  '{"id":99999999999999999999}',
  '{"id":-0}',
  '{"id":1.5}',
  '{"id":{"$in":[1,"a",null,{}]}}',
  '{"id":{"$in":"x"}}',
  '{"id":{"$nin":{}}}',
  '{"id":{"$range":[1e309,"x"]}}',
  '{"id":{"$range":[]}}',
  '{"id":{"$isnull":"yes"}}',
  '{"id":{"$exists":1}}',
  '{"$unknown":1}',
  '{"id":{"$foo":1}}',
  '{"nickname":{"$regex":"(((("}}',
  '{"nickname":{"$regex":".*{1000000}"}}',
  '{"nickname":{"$regex":"(a+)+$","$options":"x"}}',
  '{"nickname":{"$regex":"\\\\"}}',
  '{"nickname":{"$regex":"a{1,100000}"}}',
  '{"nickname":{"$regex":"[[:foo:]]"}}',
  '{"nickname":{"$regex":"(?<x>a)\\\\k<y>"}}',
  '{"nickname":{"$regex":"\\u0000"}}',
  '{"nickname":"a\\u0000b"}',
  '{"nickname":{"$contains":1}}',
  '{"nickname":{"$icontains":"%_\\\\"}}',
  '{"_phone":{"$contains":"\' OR 1=1 --"}}',
  '{"__proto__":{"id":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"toString":1}',
  '{"hasOwnProperty":{"$eq":1}}',
  '{"id":{"__proto__":{"$eq":1}}}',
  '{"fz_obj":{"$has_key":1}}',
  '{"fz_obj":{"$has_key":"a\\u0000"}}',
  '{"fz_num":{"$gt":"x"}}',
  '{"fz_num":{"$gt":1e309}}',
  '{"fz_tags":{"$all":[[],{}]}}',
  '{"fz_flag":{"$gt":true}}',
  '{"fz_day":{"$lt":"not a date"}}',
  '{"fz_day":{"$gt":"99999-99-99"}}',
  '{"created_at":{"$gte":"x"}}',
  '{"created_at":{"$gte":1e20}}',
  '{"created_at":{"$lt":-1e20}}',
  '{"user_group":{"$in":["x"]}}',
  '{"user_group":{"$eq":1}}',
  '{"_group":{"$in":[1e309]}}',
  '{"gender":{"$regex":"x"}}',
  '{"id":{"$in":[' + Array.from({ length: 1001 }, (_, i) => i).join(',') + ']}}',
  '{"$and":[' + Array.from({ length: 101 }, (_, i) => `{"id":${i}}`).join(',') + ']}',
  '{"$and":['.repeat(50) + '{}' + ']}'.repeat(50),
  '{"$or":[{"$and":['.repeat(11) + '{}' + ']}]}'.repeat(11),
  JSON.stringify({ nickname: 'x'.repeat(5000) }),
  JSON.stringify({ nickname: { $in: Array.from({ length: 1000 }, () => 'x'.repeat(20)) } }),
];
const ORDER_BY_JUNK = [
  'gender',
  '-',
  '--id',
  'id,',
  ',',
  ',,,',
  'nickname;DROP TABLE users',
  '__proto__',
  'constructor',
  'fz_obj',
  'fz_tags',
  '-created_at,-created_at',
  'x'.repeat(300),
  '%00',
  '%C3%28',
  'id%20desc',
  '+id',
  'fz_num,-fz_num',
  'user_group',
];
const LEGACY_FILTERS = ['nickname', 'nickname__contains', 'gender', 'created_at__gt', 'created_at__lte', 'openid', 'unionid', 'user_id', 'group__in'];

/** Request headers with junk values on the money routes. */
const IDEMPOTENCY_KEYS = ['', ' ', 'a'.repeat(300), 'a'.repeat(8000), "' OR 1=1 --", '((((', '\xe9\xe8', '__proto__', '%00', '\t', '..', '1e309'];

// ---------------------------------------------------------------- helpers

/** A tiny promise pool: at most `size` calls in flight. */
async function pool<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

const RAW = '\u0001raw:';
/** JSON text from a plain value in which `RAW<json text>` strings are spliced in verbatim. */
function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:((?:[^"\\]|\\.)*)"/g, (_, inner: string) => JSON.parse(`"${inner}"`));
}

/** A copy of `base` with the (dotted) field set to raw JSON text, or removed when `text` is undefined. */
function withField(base: Record<string, unknown>, field: string, text: string | undefined): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const parts = field.split('.');
  let node = copy;
  // Own properties only (defineProperty): a `__proto__` segment must become a key of the body, not the prototype.
  const own = (object: Record<string, unknown>, key: string) => (Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined);
  const set = (object: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  for (const part of parts.slice(0, -1)) {
    const child = own(node, part);
    if (typeof child !== 'object' || child === null || Array.isArray(child)) set(node, part, {});
    node = own(node, part) as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (text === undefined) delete node[last];
  else set(node, last, RAW + text);
  return copy;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** An HS256 JWT with arbitrary claims (raw JSON text), signed with `secret`. */
function jwt(claimsJson: string, secret: string, header = '{"alg":"HS256","typ":"JWT"}'): string {
  const unsigned = `${base64url(header)}.${base64url(claimsJson)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const shorten = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…(${text.length})` : text);

// ---------------------------------------------------------------- the sweep

describe('fuzz sweep: bad input never answers 5xx (quality.md §3)', () => {
  let t: TestApp;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  let user: RegisteredUser;
  let admin: RegisteredUser;
  let target: RegisteredUser;
  const tokens: Record<Persona, string | null> = { guest: null, user: null, admin: null };
  const addressOf: Record<Persona, string> = { guest: '', user: '', admin: '' };
  const nodeOf: Record<Persona, string> = { guest: '', user: '', admin: '' };
  let residentId = '';
  let tagId = '';
  let tagCategoryId = '';
  const fileIdOf: Record<Persona, number> = { guest: 0, user: 0, admin: 0 };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;

    user = await registerUser(t);
    admin = await registerUser(t);
    target = await registerUser(t);
    await makeFounder(t, admin.id);
    tokens.user = user.token;
    tokens.admin = admin.token;

    for (const check of '0123456789X') {
      if (isResidentIdNumber(`11010519491231002${check}`)) residentId = `11010519491231002${check}`;
    }
    expect(residentId).not.toBe('');

    const upload = async (token: string) => {
      const res = await t.http().post('/api/v2/storage').set(bearer(token)).attach('file', png(3, 2), { filename: 'a.png', contentType: 'image/png' });
      expect(res.status).toBe(201);
      return res.body.node as string;
    };
    nodeOf.user = await upload(user.token);
    nodeOf.admin = await upload(admin.token);
    nodeOf.guest = nodeOf.user;
    for (const persona of ['user', 'admin'] as const) {
      const { rows } = await t.db.query('SELECT id FROM files WHERE node = $1', [nodeOf[persona]]);
      fileIdOf[persona] = Number(rows[0].id);
    }
    fileIdOf.guest = fileIdOf.user;

    const category = await t.http().post('/api/v2/admin/tags/categories').set(bearer(admin.token)).send({ name: 'fuzz' });
    expect(category.status).toBe(201);
    tagCategoryId = String(category.body.id);
    const tag = await t.http().post('/api/v2/admin/tags').set(bearer(admin.token)).send({ name: 'fuzz', category: category.body.id });
    expect(tag.status).toBe(201);
    tagId = String(tag.body.id);

    const address = async (token: string) => {
      const res = await t.http().post('/api/v2/user/addresses').set(bearer(token)).send(addressBody());
      expect(res.status).toBe(201);
      return String(res.body.id);
    };
    addressOf.user = await address(user.token);
    addressOf.admin = await address(admin.token);
    addressOf.guest = addressOf.user;

    for (const [name, type] of [
      ['fz_num', 'integer'],
      ['fz_real', 'number'],
      ['fz_tags', 'array'],
      ['fz_obj', 'object'],
      ['fz_text', 'string'],
      ['fz_flag', 'boolean'],
      ['fz_day', 'date'],
    ]) {
      const res = await t.http().post('/api/v2/admin/user-fields').set(bearer(admin.token)).send({ name, type });
      expect(res.status).toBe(201);
    }

    // Money to move (so that transfers and rewards run to the end), and a verification to review.
    for (const kind of ['currency', 'wallet']) {
      const res = await t.http().post(`/api/v2/admin/${kind}/${user.id}`).set(bearer(admin.token)).send({ amount: 100_000, title: 'fuzz' });
      expect(res.status).toBeLessThan(300);
    }
    const targetNode = await upload(target.token);
    const verification = await t
      .http()
      .post('/api/v2/user/verification')
      .set(bearer(target.token))
      .send({
        type: 'user',
        data: { id_card: { front: targetNode, rear: targetNode, number: residentId }, real_name: '张三', phone_number: target.phone },
      });
    expect(verification.status).toBeLessThan(300);
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    await t?.close();
  });

  function addressBody() {
    return {
      name: '张三',
      phone: '13800138000',
      detail: '某某路 1 号',
      is_default: false,
      alias: '家',
      province: '北京',
      city: '北京市',
      county: '东城区',
      postcode: '100000',
    };
  }

  /** A body that would be accepted (or rejected only late, deep in the service), per operation and persona. */
  function baseBody(op: Operation, persona: Persona): Record<string, unknown> {
    const self = persona === 'admin' ? admin : user;
    const key = `${op.method} ${op.path}`;
    switch (key) {
      case 'POST /api/v2/users':
        return { name: uniqueName('f'), phone: uniquePhone(), verifiable_type: 'sms', verifiable_code: '000000', password: 'secret-123' };
      case 'POST /api/v2/auth/login':
        return { login: self.phone, password: 'wrong-password' };
      case 'POST /api/v2/verifycodes/register':
        return { phone: uniquePhone() };
      case 'POST /api/v2/verifycodes':
        return { phone: self.phone };
      case 'PUT /api/v2/admin/users/{user}/vip':
        return { level: 1, name: 'gold', end_time: '2030-01-01T00:00:00Z' };
      case 'PATCH /api/v2/user':
        return { bio: 'fuzz', sex: 1, location: '北京 北京市' };
      case 'PUT /api/v2/user':
        return { phone: uniquePhone(), verifiable_code: '000000' };
      case 'PUT /api/v2/user/password':
        // The same password again: should a mutation be accepted, the persona can still log in.
        return { old_password: 'wrong-password', password: self.password, password_confirmation: self.password };
      case 'PUT /api/v2/user/retrieve-password':
        return { verifiable_type: 'sms', phone: self.phone, verifiable_code: '000000', password: self.password };
      case 'DELETE /api/v2/user/phone':
      case 'DELETE /api/v2/user/email':
        return { password: 'wrong-password', verifiable_code: '000000' };
      case 'DELETE /api/v2/user':
        return { password: 'wrong-password' };
      case 'POST /api/v2/user/verification':
        return {
          type: 'user',
          data: { id_card: { front: nodeOf[persona], rear: nodeOf[persona], number: residentId }, real_name: '李四', phone_number: self.phone },
        };
      case 'PATCH /api/v2/user/verification':
      case 'PUT /api/v2/user/verification':
        return { data: { real_name: '王五', id_card: { number: residentId } } };
      case 'POST /api/v2/user/certification':
      case 'PATCH /api/v2/user/certification':
        return { type: 'user', name: '李四', number: residentId, phone: self.phone, desc: 'fuzz', files: [fileIdOf[persona], fileIdOf[persona]] };
      case 'POST /api/v2/user/find-by-phone':
        return { phones: [target.phone, uniquePhone()] };
      case 'POST /api/v2/admin/tags/categories':
      case 'PATCH /api/v2/admin/tags/categories/{category}':
        return { name: uniqueName('c'), weight: 1 };
      case 'POST /api/v2/admin/tags':
      case 'PATCH /api/v2/admin/tags/{tag}':
        return { name: uniqueName('t'), category: Number(tagCategoryId), weight: 1 };
      case 'PATCH /api/v2/admin/verifications/{user}/approve':
        return { slogan: 'ok' };
      case 'PATCH /api/v2/admin/verifications/{user}/reject':
        return { reason: 'blurred' };
      case 'POST /api/v2/user/addresses':
      case 'PUT /api/v2/user/addresses/{id}':
      case 'PATCH /api/v2/user/addresses/{id}':
        return addressBody();
      case 'POST /api/v2/user/{target}/new-rewards':
      case 'POST /api/v2/plus-pay/transform':
        return { amount: 1 };
      case 'POST /api/v2/plus-pay/transfer':
        return { user: target.id, amount: 1 };
      case 'POST /api/v2/admin/currency/{user}':
      case 'POST /api/v2/admin/wallet/{user}':
        return { amount: 1, title: 'fuzz', body: 'fuzz' };
      case 'POST /api/v2/admin/user-fields':
        return { name: 'fz_new', type: 'string' };
      case 'PUT /userve/v2.6/miniapp/user_profile/{id}':
      case 'PUT /userve/v2.0/miniapp/user_profile/{id}':
      case 'PUT /userve/v2.6/miniapp/user_profile':
        return { fz_num: { $incr_by: 1 }, fz_text: 'a', fz_tags: { $append: ['x'] }, fz_obj: { $update: { k: 1 } } };
      case 'PUT /userve/v2.2/miniapp/user/account/{id}':
        return { email: 'fuzz-target@example.com' };
      default:
        return {};
    }
  }

  /** Field names the DTOs / services really read, beyond the OpenAPI schema (or where the route has none). */
  function extraFields(op: Operation): string[] {
    const key = `${op.method} ${op.path}`;
    if (key.startsWith('PUT /userve/') && key.includes('user_profile')) {
      return [
        'fz_num',
        'fz_real',
        'fz_tags',
        'fz_obj',
        'fz_text',
        'fz_flag',
        'fz_day',
        '$set',
        '$unset',
        '$set.fz_num',
        '$unset.fz_text',
        'fz_num.$incr_by',
        'fz_tags.$append',
        'fz_tags.$append_unique',
        'fz_tags.$remove',
        'fz_tags.$pop',
        'fz_obj.$update',
        'nickname',
        'id',
        'no_such_field',
        '__proto__.x',
      ];
    }
    if (key === 'PUT /userve/v2.2/miniapp/user/account/{id}') return ['username', 'email', 'phone', 'new_password'];
    if (key === 'POST /api/v2/admin/currency/{user}' || key === 'POST /api/v2/admin/wallet/{user}') return ['amount'];
    if (key === 'POST /api/v2/user/verification') {
      return [
        'data.id_card',
        'data.id_card.front',
        'data.id_card.rear',
        'data.id_card.number',
        'data.real_name',
        'data.phone_number',
        'data.desc',
        'data.org',
        'data.person.number',
        'data.org.name',
      ];
    }
    if (key === 'PATCH /api/v2/user/verification' || key === 'PUT /api/v2/user/verification') {
      return ['data.id_card.number', 'data.id_card.front', 'data.real_name', 'data.phone_number', 'data.org.address'];
    }
    return [];
  }

  /** The path with every placeholder filled: valid values, except `junk` for the placeholder `junkParam`. */
  function fillPath(op: Operation, persona: Persona, junkParam?: string, junk?: string): string {
    return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === junkParam ? junk! : validValues(op, name, persona)[0]));
  }

  /** One valid value per parameter kind: an existing user, the caller's address, a real file, an existing field. */
  function validValues(op: Operation, name: string, persona: Persona): string[] {
    if (name === 'user' || name === 'target') {
      return op.method === 'GET' && op.path === '/api/v2/users/{user}' ? [String(target.id), encodeURIComponent(target.name)] : [String(target.id)];
    }
    if (name === 'id') return op.path.includes('/addresses/') ? [addressOf[persona]] : [String(target.id)];
    if (name === 'name') return ['fz_text'];
    if (name === 'path' || name === '*') return [nodeOf[persona]];
    if (name === 'tag') return [tagId];
    if (name === 'category') return [tagCategoryId];
    if (name === 'md5') return ['0123456789abcdef0123456789abcdef'];
    if (name === 'task') return ['1'];
    throw new Error(`no valid value for {${name}} in ${op.path}`);
  }

  let requestCounter = 0;
  const authHeaders = (persona: Persona): Record<string, string> => (tokens[persona] ? bearer(tokens[persona]!) : {});

  function send(probe: Probe): Promise<Outcome> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = {
        accept: 'application/json',
        'x-request-id': `fuzz-${++requestCounter}`,
        ...authHeaders(probe.persona),
        ...probe.headers,
      };
      if (probe.body !== undefined) {
        headers['content-type'] = probe.contentType ?? JSON_TYPE;
        headers['content-length'] = Buffer.byteLength(probe.body);
      }
      let settled = false;
      const done = (outcome: Omit<Outcome, 'probe'>) => {
        if (!settled) resolve({ probe, requestId: String(headers['x-request-id']), ...outcome });
        settled = true;
      };
      let req;
      try {
        req = httpRequest({ host: '127.0.0.1', port, method: probe.method, path: probe.url, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (error) => done({ status: res.statusCode ?? 0, contentType: '', body: '', error: error.message }));
        });
      } catch (error) {
        // The client refused to send it (e.g. a character Node does not allow in a header): not a server answer.
        done({ status: -1, contentType: '', body: '', error: (error as Error).message });
        return;
      }
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', (error) => done({ status: 0, contentType: '', body: '', error: error.message }));
      req.end(probe.body);
    });
  }

  /** Everything the sweep sends to one operation. */
  function probesFor(op: Operation, gated: Record<Persona, boolean>): Probe[] {
    const probes: Probe[] = [];
    const isGet = op.method === 'GET';
    const queryParams = op.params.filter((p) => p.in === 'query').map((p) => p.name);
    const isOperatorQuery = op.path.startsWith('/userve/') && !op.path.includes('{') && !op.path.startsWith('/userve/v1/');
    const isMoney = op.params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
    const fields = [...new Set([...op.schemaFields, ...extraFields(op)])];
    const bodyFor = (persona: Persona) => (op.hasBody || !isGet ? toJsonText(baseBody(op, persona)) : undefined);
    const pathPlaceholders = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

    // Personas that get through authentication / authorisation get the deep corpus; the first one the full field corpus.
    const deep = PERSONAS.filter((p) => !gated[p]);
    for (const persona of PERSONAS) {
      const add = (probe: Omit<Probe, 'persona' | 'method'>) => probes.push({ persona, method: op.method, ...probe });
      const path = fillPath(op, persona);
      const body = bodyFor(persona);
      const isDeep = deep.includes(persona);
      const fieldValues = persona === deep[0] ? FIELD_VALUES : FIELD_VALUES_SHORT;

      // The valid request itself, then path parameters from the corpus.
      add({ url: path, body, input: 'valid path, base body' });
      for (const name of pathPlaceholders) {
        const values = [...PATH_VALUES, ...(name === 'path' ? STORAGE_PATH_VALUES : []), ...validValues(op, name, persona)];
        const shortList = isDeep ? values : values.filter((_, i) => i % 4 === 0);
        for (const value of shortList) add({ url: fillPath(op, persona, name, value), body, input: `{${name}}=${shorten(value, 40)}` });
      }

      // Whole-body junk (GET: a few only).
      for (const b of isGet ? GET_BODIES : isDeep ? BODIES : BODIES.filter((_, i) => i % 3 === 0)) {
        add({ url: path, body: b.body, contentType: b.contentType, input: `body: ${b.input}` });
      }

      if (isDeep && fields.length && !isGet) {
        const base = baseBody(op, persona);
        // One field at a time wrong, the others valid.
        for (const field of fields) {
          for (const [label, text] of fieldValues) add({ url: path, body: toJsonText(withField(base, field, text)), input: `${field}=${label}` });
        }
        // Every field wrong at once.
        for (const [label, text] of [
          ['1', '1'],
          ['"x"', '"x"'],
          ['true', 'true'],
          ['null', 'null'],
          ['[]', '[]'],
          ['{}', '{}'],
          ['1e309', '1e309'],
        ]) {
          const all = Object.fromEntries(fields.filter((f) => !f.includes('.')).map((f) => [f, RAW + text]));
          add({ url: path, body: toJsonText(all), input: `every field=${label}` });
        }
        // Arrays where objects are expected, objects where arrays are.
        add({ url: path, body: `[${toJsonText(base)}]`, input: 'base body wrapped in an array' });
        add({ url: path, body: `{"data":${toJsonText(base)},"0":${toJsonText(base)}}`, input: 'base body nested in an object' });
        add({ url: path, body: toJsonText(base).replace(/^\{/, '{"__proto__":{"amount":1,"id":1,"isAdmin":true},'), input: 'base body + __proto__' });
        add({ url: path, body: toJsonText(base).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},'), input: 'base body + constructor.prototype' });
        add({ url: path, body: invalidUtf8(toJsonText(base).replace(/\}$/, ',"zz":"'), '"}'), input: 'base body + invalid UTF-8' });
      }

      // Query parameters.
      if (isGet && isDeep) {
        for (const name of queryParams) {
          for (const value of QUERY_VALUES) add({ url: `${path}?${name}=${value}`, input: `?${name}=${shorten(value, 40)}` });
          add({ url: `${path}?${name}=1&${name}=2`, input: `?${name} repeated` });
          add({ url: `${path}?${name}[]=1&${name}[a]=2`, input: `?${name}[] brackets` });
        }
        for (const name of GENERIC_QUERY_NAMES.filter((n) => !queryParams.includes(n))) {
          for (const value of GENERIC_QUERY_VALUES) add({ url: `${path}?${name}=${value}`, input: `?${name}=${shorten(value, 40)}` });
        }
        add({ url: `${path}?limit=1&limit=2&offset=1&offset=x`, input: 'repeated limit / offset' });
        add({ url: `${path}?${'q'.repeat(9000)}=1`, input: 'URL over 8 KiB' });
        add({ url: `${path}?%=%&&=&a=%ZZ`, input: 'broken percent-encoding' });
      }
      if (isOperatorQuery && isDeep) {
        for (const where of WHERE_JUNK) add({ url: `${path}?where=${encodeURIComponent(where)}`, body, input: `where=${shorten(where, 80)}` });
        add({ url: `${path}?where=%7B%7D&where=%7B%7D`, body, input: 'where repeated' });
        add({ url: `${path}?where=${encodeURIComponent(JSON.stringify({ nickname: 'x'.repeat(17_000) }))}`, body, input: 'where over 16 KiB' });
        for (const orderBy of ORDER_BY_JUNK) add({ url: `${path}?where=%7B%7D&order_by=${orderBy}`, body, input: `order_by=${shorten(orderBy, 40)}` });
        for (const [name, value] of [
          ['limit', '1001'],
          ['limit', '0'],
          ['limit', '-1'],
          ['limit', '1.5'],
          ['limit', '1e309'],
          ['limit', '99999999999999999999'],
          ['offset', '-1'],
          ['offset', 'x'],
          ['offset', '99999999999999999999'],
          ['offset', '1e309'],
          ['return_total_count', 'x'],
          ['return_total_count', '1'],
        ]) {
          add({ url: `${path}?where=%7B%7D&${name}=${value}`, body, input: `${name}=${value}` });
        }
        if (op.path.includes('v2.0') && isGet) {
          for (const name of LEGACY_FILTERS) {
            for (const value of ['x', '-1', '1e309', '%00', '1,a,', '99999999999999999999', '%27'])
              add({ url: `${path}?${name}=${value}`, input: `${name}=${value}` });
          }
        }
      }

      // The Idempotency-Key header on money routes, and one key reused with two different bodies.
      if (isMoney && isDeep) {
        for (const key of IDEMPOTENCY_KEYS)
          add({ url: path, body, headers: { 'idempotency-key': key }, input: `Idempotency-Key=${shorten(JSON.stringify(key), 30)}` });
        const reused = `fuzz-${randomUUID()}`;
        const other = toJsonText(withField(baseBody(op, persona), 'amount', '2'));
        add({ url: path, body, headers: { 'idempotency-key': reused }, input: 'Idempotency-Key reused (1)' });
        add({ url: path, body: other, headers: { 'idempotency-key': reused }, input: 'Idempotency-Key reused with another body (2)' });
        add({ url: path, body: '{', headers: { 'idempotency-key': reused }, input: 'Idempotency-Key reused with malformed JSON (3)' });
      }
    }

    // Tokens: junk, forged, well signed with junk claims, and the ?token= form (as a guest: no Authorization header).
    const secret = t.config.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const sid = randomUUID();
    const tokenJunk: Array<[string, string]> = [
      ['Bearer', 'Bearer'],
      ['Bearer x', 'Bearer x'],
      ['Basic', 'Basic Zm9vOmJhcg=='],
      ['Bearer 4k', `Bearer ${'a'.repeat(4000)}`],
      ['alg none', `Bearer ${base64url('{"alg":"none"}')}.${base64url(`{"sub":"${user.id}"}`)}.`],
      ['wrong secret', `Bearer ${jwt(`{"sub":"${admin.id}","sid":"${sid}","jti":"${sid}","typ":"access","exp":${now + 600}}`, 'not-the-secret')}`],
      ['sub 1e309', `Bearer ${jwt(`{"sub":1e309,"sid":"${sid}","jti":"${sid}","typ":"access","exp":${now + 600}}`, secret)}`],
      ['sub 2^63', `Bearer ${jwt(`{"sub":"9223372036854775808","sid":"${sid}","jti":"${sid}","typ":"access","exp":${now + 600}}`, secret)}`],
      ['sub 16 digits', `Bearer ${jwt(`{"sub":"9999999999999999","sid":"${sid}","jti":"${sid}","typ":"access","exp":${now + 600}}`, secret)}`],
      ['claims __proto__', `Bearer ${jwt(`{"__proto__":{"sub":"1"},"sid":"__proto__","jti":[],"typ":"access","exp":1e309}`, secret)}`],
      ['claims not an object', `Bearer ${jwt('[1,2]', secret)}`],
      ['header junk', `Bearer ${jwt(`{"sub":"${user.id}"}`, secret, '{"alg":"HS256","typ":"JWT","crit":["x"],"kid":"../../etc/passwd"}')}`],
    ];
    const path = fillPath(op, 'guest');
    const body = op.method === 'GET' ? undefined : toJsonText(baseBody(op, 'guest'));
    for (const [label, value] of tokenJunk)
      probes.push({ persona: 'guest', method: op.method, url: path, body, headers: { authorization: value }, input: `Authorization: ${label}` });
    for (const value of ['x', '%00', 'a'.repeat(3000), encodeURIComponent(tokenJunk[7][1].slice(7))]) {
      probes.push({ persona: 'guest', method: op.method, url: `${path}?token=${value}`, body, input: `?token=${shorten(value, 30)}` });
    }
    probes.push({
      persona: 'guest',
      method: op.method,
      url: path,
      body,
      headers: { 'accept-language': 'en;q=abc, *;q=-1, ' + 'x'.repeat(2000) },
      input: 'Accept-Language junk',
    });
    probes.push({
      persona: 'guest',
      method: op.method,
      url: path,
      body,
      headers: { 'x-forwarded-for': "' OR 1=1, 999.999.1.1, ::ffff:zz", 'x-request-id': '\xe9'.repeat(80) },
      input: 'X-Forwarded-For / X-Request-Id junk',
    });
    return probes;
  }

  // ------------------------------------------------------------ database snapshot

  /**
   * Tables that change on any request, or on rejected requests by design (codes count wrong attempts), or that the
   * scheduled income-rank refresh writes in the background (its snapshots and the kept income windows it rolls and
   * builds; income itself shows in currency_income_daily, which is compared).
   */
  const NOT_COMPARED = new Set([
    'currency_income_window_days',
    'currency_income_windows',
    'auth_sessions',
    'verify_codes',
    'idempotency_keys',
    'income_rank_entries',
    'income_rank_keys',
    'income_rank_runs',
    'migrations',
  ]);
  let snapshotSql = '';

  async function snapshot(): Promise<Map<string, string>> {
    if (!snapshotSql) {
      const { rows } = await t.db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      const tables = rows.map((r) => r.table_name as string).filter((name) => !NOT_COMPARED.has(name) && !name.startsWith('income_rank_'));
      expect(tables).toContain('users');
      snapshotSql = tables
        .map((name) => {
          // users.last_active_at moves on any authenticated request (at most once a minute).
          const row = name === 'users' ? `(to_jsonb(t) - 'last_active_at')::text` : 't::text';
          return `SELECT '${name}' AS name, count(*)::text || ':' || coalesce(md5(string_agg(${row}, ',' ORDER BY ${row})), '') AS sum FROM "${name}" t`;
        })
        .join(' UNION ALL ');
    }
    const { rows } = await t.db.query(snapshotSql);
    return new Map(rows.map((r) => [r.name as string, r.sum as string]));
  }

  const changedTables = (before: Map<string, string>, after: Map<string, string>) => [...before.keys()].filter((name) => before.get(name) !== after.get(name));

  // ------------------------------------------------------------ keeping the personas usable

  async function ensureAlive(persona: 'user' | 'admin', after: string): Promise<void> {
    const who = persona === 'user' ? user : admin;
    const me = await t.http().get('/api/v2/user').set(bearer(tokens[persona]!));
    if (me.status === 200) return;
    const login = await t.http().post('/api/v2/auth/login').send({ login: who.phone, password: who.password });
    if (login.status !== 200 && login.status !== 201) {
      throw new Error(`the ${persona} persona can no longer log in after ${after} (${login.status} ${JSON.stringify(login.body)})`);
    }
    tokens[persona] = login.body.access_token;
  }

  async function repair(after: string): Promise<void> {
    // The sweep may legitimately disable / change the target user; give it back its ordinary state.
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [target.id]);
    await ensureAlive('user', after);
    await ensureAlive('admin', after);
  }

  // ------------------------------------------------------------ the test

  const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

  /**
   * Route groups, by the first path segment after /api/v2 (or the first one): one test each, so that a failure names
   * its group. Groups that end sessions or accounts (`user`: DELETE /user; `auth`: logout) run last.
   */
  const GROUPS = [
    'users',
    'verifycodes',
    'storage',
    'files',
    'locations',
    'around-amap',
    'tags',
    'currency',
    'plus-pay',
    'admin',
    'system',
    'userve',
    'health',
    'metrics',
    'bootstrappers',
    'wallet',
    'currencyRecharge',
    'walletRecharge',
    'ranks',
    'checkin-ranks',
    'user',
    'auth',
  ];
  const groupOf = (path: string) => (path.startsWith('/api/v2/') ? path.split('/')[3] : path.split('/')[1]);

  const operations: Operation[] = [];
  let sent = 0;
  let refused = 0;
  const started = Date.now();

  it('covers every route the app registered (the OpenAPI document lists them all, each in a group)', async () => {
    const docs = await t.http().get('/api/docs-json').expect(200);
    const schemas = docs.body.components?.schemas ?? {};
    for (const [path, item] of Object.entries<Record<string, any>>(docs.body.paths)) {
      if (path.startsWith('/api/docs')) continue;
      for (const [method, op] of Object.entries<any>(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const content = op.requestBody?.content ?? {};
        const ref: string | undefined = Object.values<any>(content)[0]?.schema?.$ref;
        const schema = ref ? schemas[ref.split('/').pop()!] : Object.values<any>(content)[0]?.schema;
        operations.push({
          method: method.toUpperCase(),
          path,
          params: (op.parameters ?? []).map((p: any) => ({ in: p.in, name: p.name })),
          schemaFields: Object.keys(schema?.properties ?? {}),
          hasBody: Boolean(op.requestBody),
        });
      }
    }
    // Every route the app registered is in the document (so "every route" really is every route).
    const documented = new Set(operations.map((o) => `${o.method} ${o.path.replace(/\{path\}/, '*').replace(/\{([^}]+)\}/g, ':$1')}`));
    const registered = t.routes.filter((r) => !['HEAD', 'OPTIONS'].includes(r.method) && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((r) => !documented.has(r))).toEqual([]);
    expect(operations.length).toBeGreaterThan(60);

    // Order: reads, then writes, then what removes things, then what ends sessions or accounts.
    const rank = (o: Operation) => {
      if (o.path.startsWith('/api/v2/auth/') && o.path !== '/api/v2/auth/login') return 4;
      if (o.method === 'DELETE' && o.path === '/api/v2/user') return 5;
      if (o.method === 'GET') return 0;
      if (o.method === 'DELETE') return 2;
      return 1;
    };
    operations.sort((a, b) => rank(a) - rank(b));
    expect(operations.filter((o) => !GROUPS.includes(groupOf(o.path))).map((o) => o.path)).toEqual([]);
  });

  it.each(GROUPS)(
    '/%s routes: a corpus of malformed inputs as guest, user and admin: no 5xx, JSON errors, rejected writes change nothing',
    async (group) => {
      expect(operations.length).toBeGreaterThan(60);
      const failures: string[] = [];
      const notJson: string[] = [];
      const unchecked: string[] = [];
      const rejectedWrites: string[] = [];
      const describe = (o: Outcome) =>
        `${o.probe.method} ${shorten(o.probe.url, 120)} [${o.probe.persona}] ${o.probe.input} → ${o.status}${o.error ? ` (${o.error})` : ''} ${shorten(o.body, 300)}`;
      /** What the app logged about a failed request (its error line, found by the request id we sent). */
      const cause = (o: Outcome) => {
        const id = o.requestId;
        const line = t.logs.find((l) => id && l.includes(`"${id}"`) && /"level":(50|60)/.test(l));
        if (!line) return '';
        const entry = JSON.parse(line);
        const err = entry.err ?? {};
        return ` ⇐ ${err.type ?? ''} ${shorten(String(err.message ?? entry.msg ?? ''), 200)} @ ${shorten(
          String(err.stack ?? '')
            .split('\n')
            .slice(1, 3)
            .map((s) => s.trim())
            .join(' | '),
          200,
        )}`;
      };

      const run = async (probes: Probe[]) => {
        const outcomes = await pool(probes, CONCURRENCY, send);
        for (const o of outcomes) {
          if (o.status === -1) {
            refused++;
            continue;
          }
          sent++;
          if (o.status >= 500 || o.status === 0) failures.push(describe(o) + cause(o));
          const exempt =
            o.status === 204 ||
            o.body === '' ||
            o.probe.url.startsWith('/metrics') ||
            o.probe.url.startsWith('/api/docs') ||
            ((o.probe.url.startsWith('/api/v2/storage/') || o.probe.url.startsWith('/api/v2/files/')) && o.status < 300);
          if (!exempt && o.status > 0) {
            let parsed = /^application\/json/.test(o.contentType);
            try {
              JSON.parse(o.body);
            } catch {
              parsed = false;
            }
            if (!parsed) notJson.push(`${describe(o)} [content-type ${o.contentType}]`);
          }
        }
        return outcomes;
      };

      for (const op of operations.filter((o) => groupOf(o.path) === group)) {
        const label = `${op.method} ${op.path}`;
        // Which personas get past authentication / authorisation (401 / 403 on the plain valid request).
        const gated = {} as Record<Persona, boolean>;
        for (const persona of PERSONAS) {
          const probe: Probe = { persona, method: op.method, url: fillPath(op, persona), body: op.method === 'GET' ? undefined : '{}', input: 'gate' };
          const outcome = (await run([probe]))[0];
          gated[persona] = outcome.status === 401 || outcome.status === 403;
        }

        const probes = probesFor(op, gated);
        const before = await snapshot();
        const outcomes = await run(probes);
        const after = await snapshot();
        const changed = changedTables(before, after);
        if (changed.length) {
          const accepted = outcomes.filter((o) => o.status < 400);
          if (!accepted.length) {
            rejectedWrites.push(`${label}: every request was rejected, yet ${changed.join(', ')} changed`);
          } else {
            // Some requests were accepted (and may write): send the rejected ones again, alone, and compare.
            const rejected = outcomes.filter((o) => o.status >= 400 && o.status < 500).map((o) => o.probe);
            const again = await snapshot();
            const second = await run(rejected);
            const end = await snapshot();
            const changedAgain = changedTables(again, end);
            if (changedAgain.length) {
              const nowAccepted = second.filter((o) => o.status < 400);
              if (!nowAccepted.length) rejectedWrites.push(`${label}: only rejected requests, yet ${changedAgain.join(', ')} changed`);
              else
                unchecked.push(
                  `${label}: ${nowAccepted.length} requests accepted on the second run (${shorten(nowAccepted.map((o) => o.probe.input).join('; '), 200)})`,
                );
            }
          }
        }
        await repair(label);
      }

      console.log(
        `fuzz sweep /${group}: ${failures.length} 5xx / dropped, ${notJson.length} non-JSON answers, ` +
          `${rejectedWrites.length} rejected writes that changed data` +
          (unchecked.length ? `\nnot attributable:\n${unchecked.join('\n')}` : ''),
      );
      expect(failures).toEqual([]);
      expect(notJson).toEqual([]);
      expect(rejectedWrites).toEqual([]);
    },
    15 * 60_000,
  );

  it('sent the whole corpus and polluted no prototype', () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz sweep: ${sent} requests sent to ${operations.length} operations in ${seconds} s (${refused} not sendable by the client)`);
    // The `__proto__` / `constructor.prototype` inputs polluted nothing (the app runs in this process).
    expect(Object.getOwnPropertyNames(Object.prototype).filter((name) => !PROTOTYPE_KEYS.includes(name))).toEqual([]);
    expect(sent).toBeGreaterThan(3000);
    // No timing assertion: how long the sweep takes depends on the machine's load.
  });
});
