import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import request from 'supertest';
import { listenInternal } from '../src/common/http/internal-routes';
import { bearer, makeFounder, RegisteredUser, registerUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/** `{"a":{"a":…1…}}` with `levels` objects. */
const nestedObject = (levels: number) => '{"a":'.repeat(levels - 1) + '{"a":1' + '}'.repeat(levels);
const nestedArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

interface RequestLine {
  req: { id: string; url: string; remoteAddress: string };
}

/** The parsed request line a test is after, once the app has written it (onResponse runs after the reply is sent). */
async function waitForLogLine(t: TestApp, wanted: (entry: Partial<RequestLine>) => boolean): Promise<RequestLine> {
  for (;;) {
    const line = t.logs.map((l) => JSON.parse(l)).find(wanted);
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Items 5 and 12 run against one app with the default settings. */
describe('with the default settings', () => {
  let t: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('request bodies: nesting depth and size limits (issue 10 item 5)', () => {
    const bioOf = async (id: number) => (await t.db.query('SELECT bio FROM users WHERE id = $1', [id])).rows[0].bio;
    /** A profile update that would write `bio`, carrying an extra (ignored) field nested `levels` deep. */
    const patchWithNesting = (bio: string, nested: string) =>
      t
        .http()
        .patch('/api/v2/user')
        .set(bearer(user.token))
        .set('Content-Type', 'application/json')
        .send(`{"bio":${JSON.stringify(bio)},"extra":${nested}}`);

    it.each([
      ['a guest login', () => t.http().post('/api/v2/auth/login')],
      ['a guest code request', () => t.http().post('/api/v2/verifycodes/register')],
    ])('answers a 2,000-level body on %s with 400 JSON (was 500: stack overflow)', async (_, route) => {
      for (const body of [nestedArray(2000), nestedObject(2000)]) {
        const res = await route().set('Content-Type', 'application/json').send(body);
        expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: '请求数据格式错误' } });
      }
    });

    it('refuses 2,000 and 33 levels with 400 and writes nothing; accepts 32 levels (the extra field is ignored)', async () => {
      const before = await bioOf(user.id);
      // The whole body is one level deeper than `extra`: 31 inside it make 32.
      for (const levels of [2000, 33]) {
        const res = await patchWithNesting(`deep ${levels}`, nestedObject(levels - 1));
        expect({ levels, status: res.status }).toEqual({ levels, status: 400 });
        expect(await bioOf(user.id)).toBe(before);
      }
      await patchWithNesting('deep 32', nestedObject(31)).expect(204);
      expect(await bioOf(user.id)).toBe('deep 32');
    });

    it('counts only brackets outside strings (a string full of brackets is not nesting)', async () => {
      const bio = '{['.repeat(40) + '\\"[';
      await patchWithNesting(bio, '{}').expect(204);
      expect(await bioOf(user.id)).toBe(bio);
    });

    it('answers a mobile-API JSON body over 64 KiB with 413 JSON, before it is parsed', async () => {
      const res = await patchWithNesting('x'.repeat(64 * 1024), '{}');
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ message: '请求数据过大' });
    });

    it('takes an operator write far over the mobile limit (a 1000-item array field of 300 KiB)', async () => {
      const founder = await registerUser(t);
      await makeFounder(t, founder.id);
      await t.http().post('/api/v2/admin/user-fields').set(bearer(founder.token)).send({ name: 'long_list', type: 'array' }).expect(201);
      const value = Array.from({ length: 1000 }, (_, i) => `${i}`.padEnd(310, 'x'));
      const body = JSON.stringify({ long_list: value });
      expect(Buffer.byteLength(body)).toBeGreaterThan(300 * 1024);
      const res = await t
        .http()
        .put(`/userve/v2.6/miniapp/user_profile/${user.id}/`)
        .set(bearer(founder.token))
        .set('Content-Type', 'application/json')
        .send(body);
      expect({ status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ status: 200, body: undefined });
      expect(res.body.long_list).toEqual(value);
    });
  });

  describe('request log: no token, code, password or contact, however the URL is encoded (issue 10 item 12)', () => {
    /** Sends `url` with a fresh request id and returns the URL its request line logged. */
    async function loggedUrl(url: string): Promise<string> {
      const id = randomUUID();
      await t.http().get(url).set('X-Request-Id', id);
      const line = await waitForLogLine(t, (entry) => entry.req?.id === id);
      return line.req.url;
    }

    it.each([
      ['token', '?token={T}'],
      ['%74oken', '?%74oken={T}'],
      ['%2574oken (double-encoded)', '?%2574oken={T}'],
      ['TOKEN', '?TOKEN={T}'],
      ['token+ (a + is a space)', '?token+={T}'],
      ['token%20', '?token%20={T}'],
      ['token[]', '?token[]={T}'],
      ['a repeated name', '?token=x&token={T}'],
      ['after other parameters', '?limit=1&token={T}&offset=0'],
      ['in a path segment (;token=)', ';token={T}'],
      ['in a path segment (%3Ftoken=)', '%3Ftoken%3D{T}'],
    ])('the real token sent as %s', async (_, suffix) => {
      const url = `/api/v2/user${suffix.replace('{T}', user.token)}`;
      const logged = await loggedUrl(url);
      expect(logged).toContain('[REDACTED]');
      expect(t.logs.join('\n')).not.toContain(user.token.split('.')[2]);
    });

    it.each([
      ['password', '/api/v2/user?password=Hunter-2-secret'],
      ['code', '/api/v2/user?verifiable_code=Hunter-2-secret'],
      ['new_password, encoded', '/api/v2/user?new%5Fpassword=Hunter-2-secret'],
      ['Code, upper case', '/api/v2/user?CODE=Hunter-2-secret'],
    ])('a %s in the query', async (_, url) => {
      await loggedUrl(url);
      expect(t.logs.join('\n')).not.toContain('Hunter-2-secret');
    });

    it.each([
      ['a phone in a path', '/api/v2/users/13912345678', '13912345678'],
      ['a +86 phone in a path, encoded', '/api/v2/users/%2B8613912345678', '13912345678'],
      ['an e-mail in a path', '/api/v2/users/ann.lee%40example.com', 'ann.lee'],
      ['phones in find-by-phone', '/api/v2/user/find-by-phone?phones=13912345678,13912345679', '1391234567'],
      ['a phone in a verifycodes query', '/api/v2/verifycodes?phone=13912345678', '13912345678'],
      [
        'a phone and an e-mail in an operator where',
        `/userve/v2.2/miniapp/user_profile/?where=${encodeURIComponent(JSON.stringify({ $or: [{ _phone: '13912345678' }, { _email: 'ann.lee@example.com' }] }))}`,
        '13912345678',
      ],
      [
        'an e-mail in an operator where, +-encoded',
        `/userve/v2.2/miniapp/user_profile/?where=${encodeURIComponent(JSON.stringify({ _email: { $in: ['ann.lee@example.com', 'x y'] } })).replace(/%20/g, '+')}`,
        'ann.lee',
      ],
    ])('masks %s', async (_, url, contact) => {
      const logged = await loggedUrl(url);
      expect(logged).toMatch(/\[(PHONE|EMAIL)\]/);
      expect(t.logs.join('\n')).not.toContain(contact);
    });
  });
});

describe('TRUST_PROXY: which X-Forwarded-For hop is the client (issue 10 item 10)', () => {
  /** The `remoteAddress` of the request line logged for a request to a unique URL. */
  async function loggedClient(t: TestApp, forwardedFor: string | undefined): Promise<string> {
    const url = `/health?probe=${randomUUID()}`;
    const req = t.http().get(url);
    if (forwardedFor !== undefined) req.set('X-Forwarded-For', forwardedFor);
    await req.expect(200);
    const line = await waitForLogLine(t, (entry) => entry.req?.url === url);
    return line.req.remoteAddress;
  }

  describe.each([
    // supertest connects from 127.0.0.1: that socket is the first proxy in every case.
    ['unset', undefined, { none: /^(::ffff:)?127\.0\.0\.1$/, chain: /^(::ffff:)?127\.0\.0\.1$/ }],
    ['1 (one proxy: its socket; what it appended is the client)', '1', { none: /^(::ffff:)?127\.0\.0\.1$/, chain: /^203\.0\.113\.9$/ }],
    ['2 (two proxies: the socket and 10.1.2.3)', '2', { none: /^(::ffff:)?127\.0\.0\.1$/, chain: /^203\.0\.113\.9$/ }],
    ['a CIDR list (127.0.0.1 and 10.0.0.0/8 are proxies)', '127.0.0.1, 10.0.0.0/8', { none: /^(::ffff:)?127\.0\.0\.1$/, chain: /^203\.0\.113\.9$/ }],
  ])('TRUST_PROXY %s', (_, setting, expected) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { ...(setting === undefined ? {} : { TRUST_PROXY: setting }), RATE_LIMIT_PER_MINUTE: '3' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('logs the right client address: never a hop the client could have written', async () => {
      expect(await loggedClient(t, undefined)).toMatch(expected.none);
      // 6.6.6.6 is what the client wrote; each proxy appends the address it received from.
      const chain = setting === '1' ? '6.6.6.6, 203.0.113.9' : '6.6.6.6, 203.0.113.9, 10.1.2.3';
      expect(await loggedClient(t, chain)).toMatch(expected.chain);
    });

    it('rate-limits that client whatever first hops it invents', async () => {
      const chain = (n: number) => (setting === '1' ? `6.6.6.${n}, 203.0.113.9` : `6.6.6.${n}, 203.0.113.9, 10.1.2.3`);
      const statuses: number[] = [];
      for (let n = 1; n <= 4; n++) statuses.push((await t.http().get('/api/v2/users/1').set('X-Forwarded-For', chain(n))).status);
      expect(statuses.slice(0, 3)).not.toContain(429);
      expect(statuses[3]).toBe(429);
    });
  });
});

describe('metrics and API docs kept from the public (issue 10 item 14)', () => {
  const INTERNAL = ['/metrics', '/api/docs-json', '/api/docs-yaml', '/api/docs', '/api/docs/swagger-ui.css'];

  describe('INTERNAL_PORT: served on the internal listener only', () => {
    let t: TestApp;
    let internal: Server;
    const internalHttp = () => request(internal);
    beforeAll(async () => {
      t = await createTestApp({ env: { INTERNAL_PORT: '0' } });
      internal = await listenInternal(t.app.getHttpAdapter().getInstance(), 0, '127.0.0.1');
    });
    afterAll(async () => {
      internal.close();
      internal.closeIdleConnections();
      await t.close();
    });

    it.each(INTERNAL)('%s: 404 on the public port, 200 on the internal one', async (path) => {
      expect((await t.http().get(path)).status).toBe(404);
      expect((await internalHttp().get(path)).status).toBe(200);
    });

    it('the internal listener serves health probes but not the API; the public port still serves both', async () => {
      await internalHttp().get('/health').expect(200);
      expect((await internalHttp().get('/api/v2/users/1')).status).toBe(404);
      expect((await internalHttp().post('/api/v2/auth/login').send({ login: 'x', password: 'secret-123' })).status).toBe(404);
      await t.http().get('/health').expect(200);
      expect((await t.http().post('/api/v2/auth/login').send({ login: 'x', password: 'secret-123' })).status).toBe(422);
    });

    it('the metrics scraped internally count the public traffic', async () => {
      const text = (await internalHttp().get('/metrics').expect(200)).text;
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    });
  });

  describe('INTERNAL_TOKEN: served behind a bearer token', () => {
    const token = 'internal-' + randomUUID();
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { INTERNAL_TOKEN: token } });
    });
    afterAll(async () => {
      await t.close();
    });

    it.each(INTERNAL)('%s: 401 without the token or with another one, 200 with it', async (path) => {
      expect((await t.http().get(path)).status).toBe(401);
      expect(
        (
          await t
            .http()
            .get(path)
            .set(bearer(token + 'x'))
        ).status,
      ).toBe(401);
      expect(
        (
          await t
            .http()
            .get(path)
            .set(bearer(token.slice(0, -1)))
        ).status,
      ).toBe(401);
      expect((await t.http().get(path).set(bearer(token))).status).toBe(200);
    });

    it('other routes do not ask for it', async () => {
      await t.http().get('/health').expect(200);
      expect((await t.http().post('/api/v2/auth/login').send({ login: 'x', password: 'secret-123' })).status).toBe(422);
    });
  });

  describe('API docs in production', () => {
    const production = { NODE_ENV: 'production', BCRYPT_ROUNDS: '10' };

    it('are off by default', async () => {
      const t = await createTestApp({ env: production });
      try {
        for (const path of ['/api/docs-json', '/api/docs']) expect({ path, status: (await t.http().get(path)).status }).toEqual({ path, status: 404 });
        await t.http().get('/metrics').expect(200);
      } finally {
        await t.close();
      }
    });

    it('can be turned on with API_DOCS=true', async () => {
      const t = await createTestApp({ env: { ...production, API_DOCS: 'true' } });
      try {
        await t.http().get('/api/docs-json').expect(200);
      } finally {
        await t.close();
      }
    });
  });
});
