import { readFileSync } from 'node:fs';
import { AddressInfo, connect } from 'node:net';
import { mapRoutes, ROUTE_MAP_FILE, routeMapOf } from '../src/route-map';
import { AppModule } from '../src/app.module';
import { createTestApp, TestApp } from './support/harness';

/** One raw HTTP/1.1 exchange over a fresh socket: what the server wrote until it closed or went quiet. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

describe('HTTP conventions (spec README §1–4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers malformed JSON with 400 请求数据格式错误', async () => {
    const res = await t.http().post('/api/v2/auth/login').set('Content-Type', 'application/json').send('{"login":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: '请求数据格式错误' });
  });

  it('answers a body over 1 MiB with 413 JSON', async () => {
    const res = await t
      .http()
      .post('/api/v2/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ login: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(typeof res.body.message).toBe('string');
  });

  it.each([
    ['a NUL byte in a body string', () => t.http().post('/api/v2/auth/login').send({ login: 'a\u0000b', password: 'secret-123' })],
    [
      'a lone surrogate in a body string',
      () => t.http().post('/api/v2/verifycodes/register').set('Content-Type', 'application/json').send('{"email":"\\ud800@example.com"}'),
    ],
    ['a NUL byte in a query string', () => t.http().get('/api/v2/users?name=%00')],
  ])('answers %s with 400 请求数据格式错误 (PostgreSQL cannot store it)', async (_, send) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: '请求数据格式错误' });
  });

  it('answers a NUL byte in a path parameter with 404 (it names nothing)', async () => {
    const res = await t.http().get('/api/v2/users/a%00b');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: '内容不存在' });
  });

  it('answers a URL over 64 KiB with 414 JSON', async () => {
    const res = await t.http().get(`/api/v2/users?name=${'x'.repeat(65 * 1024)}`);
    expect(res.status).toBe(414);
    expect(res.body).toEqual({ message: '请求地址过长' });
  });

  it('answers headers the HTTP parser refuses with 431 JSON and closes the connection (no keep-alive reuse)', async () => {
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const answer = await rawExchange(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(100 * 1024)}\r\n\r\n`);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(body)).toEqual({ message: '请求头过大' });
  });

  it('answers an unknown route with 404 内容不存在, JSON even when HTML is asked for', async () => {
    const res = await t.http().get('/api/v2/no-such-route').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ message: '内容不存在' });
  });

  describe('the route map (ROUTES.md)', () => {
    it('is current: `npm run routes` would write it as it is', () => {
      expect(readFileSync(ROUTE_MAP_FILE, 'utf8')).toBe(routeMapOf(t.config));
    });

    it('lists exactly the routes the app registered (the API docs aside)', () => {
      const registered = t.routes
        .filter((route) => !['HEAD', 'OPTIONS'].includes(route.method) && !/^\/api\/docs/.test(route.url))
        .map((route) => `${route.method} ${route.url}`);
      const mapped = mapRoutes(AppModule.forRoot({ config: t.config })).map((route) => `${route.method} ${route.path}`);
      expect(registered.length).toBeGreaterThan(60);
      expect([...new Set(registered)].sort()).toEqual([...mapped].sort());
    });

    it('names the owner of every table in the database', async () => {
      const { rows } = await t.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      const listed = readFileSync(ROUTE_MAP_FILE, 'utf8').split('## Tables')[1];
      const unowned = rows.map((r) => r.table_name as string).filter((name) => name !== 'migrations' && !listed.includes(`| \`${name}\` |`));
      expect(rows.length).toBeGreaterThan(20);
      expect(unowned).toEqual([]);
    });
  });
});
