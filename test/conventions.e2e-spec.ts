import { createTestApp, TestApp } from './support/harness';

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
    const res = await t.http().post('/api/v2/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ login: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(typeof res.body.message).toBe('string');
  });

  it('answers an unknown route with 404 内容不存在, JSON even when HTML is asked for', async () => {
    const res = await t.http().get('/api/v2/no-such-route').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ message: '内容不存在' });
  });
});
