import { bearer, uniqueName, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/** quality.md §2 (headers, logs) and §4 (health, OpenAPI, structured logs with a request id). */
describe('operability (quality.md §4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('health', () => {
    it('GET /health answers 200 (liveness)', async () => {
      const res = await t.http().get('/health');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready answers 200 with the database and the migrations up', async () => {
      const res = await t.http().get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.database).toEqual({ status: 'up' });
      expect(res.body.info.migrations).toEqual({ status: 'up' });
      expect(res.body.error).toEqual({});
    });

    it('GET /health/ready answers 503 while a migration is pending, 200 again once applied', async () => {
      // Pretend the newest migration has not run: readiness must notice.
      const { rows } = await t.db.query('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
      const newest = rows[0];
      await t.db.query('DELETE FROM migrations WHERE id = $1', [newest.id]);
      try {
        const res = await t.http().get('/health/ready');
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body.status).toBe('error');
        expect(res.body.error.migrations.status).toBe('down');
      } finally {
        await t.db.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [newest.id, newest.timestamp, newest.name]);
      }
      await t.http().get('/health/ready').expect(200);
    });
  });

  describe('X-Request-Id', () => {
    it('keeps a request id the client sent', async () => {
      const res = await t.http().get('/health').set('X-Request-Id', 'client-trace-42');
      expect(res.headers['x-request-id']).toBe('client-trace-42');
    });

    it('generates one when none was sent, different for every request', async () => {
      const first = await t.http().get('/health');
      const second = await t.http().get('/health');
      expect(first.headers['x-request-id']).toMatch(/^[\w.:-]{8,64}$/);
      expect(second.headers['x-request-id']).toMatch(/^[\w.:-]{8,64}$/);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('replaces an unusable one (log injection, oversized) with a generated id', async () => {
      for (const given of ['a b"c', 'x'.repeat(200)]) {
        const res = await t.http().get('/health').set('X-Request-Id', given);
        expect(res.headers['x-request-id']).toBeTruthy();
        expect(res.headers['x-request-id']).not.toBe(given);
        expect(res.headers['x-request-id']).toMatch(/^[\w.:-]{8,64}$/);
      }
    });

    it('is echoed on errors too', async () => {
      const unknown = await t.http().get('/api/v2/no-such-route').set('X-Request-Id', 'trace-404');
      expect(unknown.status).toBe(404);
      expect(unknown.headers['x-request-id']).toBe('trace-404');
      const unauthenticated = await t.http().get('/api/v2/user').set('X-Request-Id', 'trace-401');
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers['x-request-id']).toBe('trace-401');
    });
  });

  describe('security headers (helmet)', () => {
    function expectHelmet(headers: Record<string, string>) {
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-dns-prefetch-control']).toBe('off');
      expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['content-security-policy']).toContain("object-src 'none'");
      expect(headers['x-powered-by']).toBeUndefined();
    }

    it('are set on API answers', async () => {
      expectHelmet((await t.http().get('/health')).headers);
      expectHelmet((await t.http().post('/api/v2/auth/login').send({ login: 'nobody', password: 'whatever1' })).headers);
    });

    it('are set on errors (401, 404)', async () => {
      expectHelmet((await t.http().get('/api/v2/user')).headers);
      expectHelmet((await t.http().get('/api/v2/no-such-route')).headers);
    });

    it('no CORS allowance unless CORS_ORIGINS says so', async () => {
      const res = await t.http().get('/health').set('Origin', 'https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('with CORS_ORIGINS, allows exactly those origins (preflight included)', async () => {
      const cors = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example,https://admin.example' } });
      try {
        const allowed = await cors.http().get('/health').set('Origin', 'https://admin.example');
        expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example');
        const preflight = await cors.http().options('/api/v2/user').set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'PATCH');
        expect(preflight.status).toBeLessThan(300);
        expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
        const other = await cors.http().get('/health').set('Origin', 'https://evil.example');
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await cors.close();
      }
    });
  });

  describe('OpenAPI', () => {
    const normalise = (path: string) =>
      (path.replace(/\/+$/, '') || '/')
        .replace(/:(\w+)/g, '{$1}')
        // a Fastify wildcard (`/storage/*`) is one path parameter in OpenAPI (`/storage/{path}`)
        .replace(/\*$/, '{*}');
    const shape = (path: string) => normalise(path).replace(/\{[^}]*\}/g, '{}');

    it('/api/docs-json is an OpenAPI 3 document', async () => {
      const res = await t.http().get('/api/docs-json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(typeof res.body.info.title).toBe('string');
      expect(typeof res.body.info.version).toBe('string');
      expect(Object.keys(res.body.paths).length).toBeGreaterThan(0);
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('documents every route the app registered (method and path)', async () => {
      const { body: doc } = await t.http().get('/api/docs-json').expect(200);
      const documented = new Set<string>();
      for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${shape(path)}`);
      }
      const registered = t.routes.filter((route) => !['HEAD', 'OPTIONS'].includes(route.method.toUpperCase()) && !/^\/api\/docs/.test(route.url));
      // sanity: the app really registered its API (the check below would pass vacuously otherwise)
      expect(registered.length).toBeGreaterThan(20);
      expect(registered).toContainEqual({ method: 'PUT', url: '/api/v2/system/disabled/:user' });
      expect(registered).toContainEqual({ method: 'GET', url: '/health/ready' });

      const missing = registered.map((route) => `${route.method.toUpperCase()} ${shape(route.url)}`).filter((key) => !documented.has(key));
      expect(missing).toEqual([]);
    });

    it('documents request bodies with their schemas (the @nestjs/swagger plugin is on)', async () => {
      const { body: doc } = await t.http().get('/api/docs-json').expect(200);
      const register = doc.paths['/api/v2/users'].post.requestBody.content['application/json'].schema.$ref.split('/').pop();
      const schema = doc.components.schemas[register];
      expect(Object.keys(schema.properties)).toEqual(
        expect.arrayContaining(['name', 'phone', 'email', 'verifiable_type', 'verifiable_code', 'password', 'invite_code']),
      );
      expect(schema.required).toEqual(expect.arrayContaining(['name', 'verifiable_type', 'verifiable_code']));
      const empty = Object.entries(doc.components.schemas as Record<string, { properties?: object }>)
        .filter(([, s]) => !s.properties || Object.keys(s.properties).length === 0)
        .map(([name]) => name);
      expect(empty).toEqual([]);
    });

    it('serves Swagger UI without forcing https sub-requests (works over plain HTTP)', async () => {
      const res = await t.http().get('/api/docs').expect(200);
      expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    });

    it('/api/docs serves the Swagger UI as HTML, with its assets', async () => {
      const res = await t.http().get('/api/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/<html/i);
      expect(res.text).toContain('swagger-ui');
      const assets = [...res.text.matchAll(/<script src="([^"]+)"/g)].map((m) => new URL(m[1], 'http://host/api/docs').pathname);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) await t.http().get(asset).expect(200);
    });
  });
});

describe('logs (quality.md §2 Logs, §4 structured logs)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // a register code and a login code for one phone within a second: no resend wait
    t = await createTestApp({ env: { VERIFY_CODE_RESEND_SECONDS: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  /** pino-http writes its line when the response finishes; give it a moment to reach the captured stream. */
  async function waitForRequestLines(ids: string[]) {
    for (let i = 0; i < 50; i++) {
      const seen = new Set(t.logs.map((line) => safeParse(line)?.req?.id));
      if (ids.every((id) => seen.has(id))) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  function safeParse(line: string): any {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  }

  it('never contain passwords, codes or tokens; every line is pino JSON and requests carry their id', async () => {
    const password = 'Log-Scan-Pass-93715';
    const wrongPassword = 'Wrong-Scan-Pass-48261';
    const phone = uniquePhone();
    const name = uniqueName('log');
    const secrets: string[] = [password, wrongPassword];
    const codes: string[] = [];
    const ids: Array<{ id: string; status: number }> = [];
    const tagged = (id: string) => ({ 'X-Request-Id': id });

    // register (with a password), through a code
    await t.http().post('/api/v2/verifycodes/register').set(tagged('log-code-1')).send({ phone }).expect(202);
    ids.push({ id: 'log-code-1', status: 202 });
    const registerCode = t.lastCode(phone);
    codes.push(registerCode);
    const registered = await t
      .http()
      .post('/api/v2/users')
      .set(tagged('log-register'))
      .send({ name, phone, password, verifiable_type: 'sms', verifiable_code: registerCode })
      .expect(201);
    ids.push({ id: 'log-register', status: 201 });
    secrets.push(registered.body.access_token, registered.body.token);

    // log in with the password
    const login = await t.http().post('/api/v2/auth/login').set(tagged('log-login')).send({ login: phone, password }).expect(200);
    ids.push({ id: 'log-login', status: 200 });
    const loginToken: string = login.body.access_token;
    secrets.push(loginToken);

    // the token in the query string
    await t.http().get('/api/v2/user').query({ token: loginToken }).set(tagged('log-me')).expect(200);
    ids.push({ id: 'log-me', status: 200 });

    // refresh, once with the token in the query string and once in the header
    const refreshed = await t.http().get('/api/v2/auth/refresh').query({ token: loginToken }).set(tagged('log-refresh-1')).expect(200);
    ids.push({ id: 'log-refresh-1', status: 200 });
    secrets.push(refreshed.body.access_token);
    const refreshedAgain = await t.http().post('/api/v2/auth/refresh').set(bearer(refreshed.body.access_token)).set(tagged('log-refresh-2')).expect(200);
    ids.push({ id: 'log-refresh-2', status: 200 });
    secrets.push(refreshedAgain.body.access_token);

    // a code login (a code for an existing account), and failing logins (wrong password, wrong code)
    await t.http().post('/api/v2/verifycodes').set(tagged('log-code-2')).send({ phone }).expect(202);
    ids.push({ id: 'log-code-2', status: 202 });
    const loginCode = t.lastCode(phone);
    codes.push(loginCode);
    const wrongCode = loginCode === '000000' ? '000001' : '000000';
    await t.http().post('/api/v2/auth/login').set(tagged('log-bad-code')).send({ login: phone, verifiable_code: wrongCode }).expect(422);
    ids.push({ id: 'log-bad-code', status: 422 });
    const byCode = await t.http().post('/api/v2/auth/login').set(tagged('log-code-login')).send({ login: phone, verifiable_code: loginCode }).expect(200);
    ids.push({ id: 'log-code-login', status: 200 });
    secrets.push(byCode.body.access_token);
    await t.http().post('/api/v2/auth/login').set(tagged('log-bad-login')).send({ login: name, password: wrongPassword }).expect(422);
    ids.push({ id: 'log-bad-login', status: 422 });

    await waitForRequestLines(ids.map((r) => r.id));
    expect(t.logs.length).toBeGreaterThan(0);

    for (const line of t.logs) {
      for (const secret of secrets) {
        expect(typeof secret).toBe('string');
        expect(line).not.toContain(secret);
        // the signature alone is enough to be a leak
        const signature = secret.split('.')[2];
        if (signature) expect(line).not.toContain(signature);
      }
      for (const code of codes) expect(line).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
      expect(line).not.toMatch(/verifiable_code\\*"\s*:\s*\\*"(?!\[REDACTED\])[^"\\]/);
      expect(line).not.toMatch(/password\\*"\s*:\s*\\*"(?!\[REDACTED\])[^"\\]/);
      expect(line).not.toMatch(/[?&](token|access_token)=(?!\[REDACTED\])[^&"\s]/);
    }

    // every line is pino JSON
    for (const line of t.logs) {
      const entry = safeParse(line);
      expect(entry).toEqual(expect.objectContaining({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) }));
    }

    // one completed-request line per request, with its id, status and latency
    const entries = t.logs.map(safeParse);
    for (const { id, status } of ids) {
      const entry = entries.find((e) => e?.req?.id === id && e?.res);
      expect(entry).toBeDefined();
      expect(entry.res.statusCode).toBe(status);
      expect(typeof entry.responseTime).toBe('number');
      expect(typeof entry.req.method).toBe('string');
      expect(typeof entry.req.url).toBe('string');
    }
    const me = entries.find((e) => e?.req?.id === 'log-me');
    expect(me.req.url).toBe('/api/v2/user?token=[REDACTED]');
  });
});
