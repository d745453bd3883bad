import { createRootLogger, logFinishedRequest, redactUrl, requestLogEntry } from './logging';

describe('redactUrl (README §2: ?token= never reaches a log)', () => {
  it.each([
    ['/api/v2/user?token=abc.def.ghi', '/api/v2/user?token=[REDACTED]'],
    ['/api/v2/user?page=2&token=abc.def.ghi', '/api/v2/user?page=2&token=[REDACTED]'],
    ['/api/v2/user?token=abc&page=2', '/api/v2/user?token=[REDACTED]&page=2'],
    ['/api/v2/user?TOKEN=abc', '/api/v2/user?TOKEN=[REDACTED]'],
    ['/x?access_token=abc', '/x?access_token=[REDACTED]'],
    ['/x?password=hunter22&code=123456&verifiable_code=654321', '/x?password=[REDACTED]&code=[REDACTED]&verifiable_code=[REDACTED]'],
    ['/x?token=a&token=b', '/x?token=[REDACTED]&token=[REDACTED]'],
    ['/x?token=', '/x?token=[REDACTED]'],
  ])('%p → %p', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    ['/x?%74oken=SECRET1'],
    ['/x?%74%6F%6B%65%6E=SECRET1'],
    ['/x?%2574oken=SECRET1'],
    ['/x?Token=SECRET1'],
    ['/x?token+=SECRET1'],
    ['/x?+token=SECRET1'],
    ['/x?token%20=SECRET1'],
    ['/x?token[]=SECRET1'],
    ['/x?token%5B0%5D=SECRET1'],
    ['/x?a=1&token=SECRET1&token=SECRET2'],
    ['/x?new_password=SECRET1'],
    ['/x?verifiable_code=SECRET1'],
    ['/x?PassWord=SECRET1'],
    ['/x;token=SECRET1'],
    ['/x%3Ftoken=SECRET1'],
    ['/x%3Fa%3D1%26token%3DSECRET1'],
    ['/x?refresh_token=SECRET1#'],
  ])('never keeps the secret of %p', (url) => {
    const logged = redactUrl(url)!;
    expect(logged).not.toMatch(/SECRET/);
    expect(logged).toContain('[REDACTED]');
  });

  it.each([
    ['/api/v2/users/13800138000', '/api/v2/users/[PHONE]'],
    ['/api/v2/users/+8613800138000', '/api/v2/users/[PHONE]'],
    ['/api/v2/users/%2B86%2013800138000', '/api/v2/users/[PHONE]'],
    ['/api/v2/users/a%40example.com', '/api/v2/users/[EMAIL]'],
    ['/api/v2/user/find-by-phone?phones=13800138000,13900139000', '/api/v2/user/find-by-phone?phones=[PHONE],[PHONE]'],
    ['/api/v2/verifycodes?phone=13800138000', '/api/v2/verifycodes?phone=[PHONE]'],
    ['/api/v2/users?name=a@example.com', '/api/v2/users?name=[EMAIL]'],
    ['/x?id_number=11010519491231002X', '/x?id_number=[ID]'],
  ])('masks personal data: %p → %p', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('masks phones and e-mails inside an operator where, however it is encoded', () => {
    const where = JSON.stringify({ $or: [{ _phone: '13800138000' }, { _email: { $in: ['Ann@Example.com'] } }], created_at: { $gt: 1733212345 } });
    for (const encoded of [encodeURIComponent(where), encodeURIComponent(where).replace(/%20/g, '+'), encodeURIComponent(encodeURIComponent(where))]) {
      const logged = decodeURIComponent(redactUrl(`/userve/v2.2/miniapp/user_profile/?where=${encoded}&limit=5`)!);
      expect(logged).not.toMatch(/13800138000|Ann@Example/i);
      expect(logged).toContain('[PHONE]');
      expect(logged).toContain('1733212345');
    }
  });

  it('leaves other parameters and paths alone', () => {
    expect(redactUrl('/api/v2/users?limit=20&order=desc')).toBe('/api/v2/users?limit=20&order=desc');
    expect(redactUrl('/api/v2/users/token')).toBe('/api/v2/users/token');
    expect(redactUrl('/x?mytoken=keep')).toBe('/x?mytoken=keep');
    expect(redactUrl(undefined)).toBeUndefined();
  });

  it('the secret value does not survive anywhere in the result', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(redactUrl(`/api/v2/user?a=1&token=${jwt}&b=2`)).not.toContain('c2lnbmF0dXJl');
  });
});

describe('requestLogEntry', () => {
  it('carries the id, method, redacted URL, address, status and latency, and nothing else', () => {
    const entry = requestLogEntry({
      id: 'req-1',
      method: 'GET',
      url: '/api/v2/user?token=secret.jwt.value',
      ip: '127.0.0.1',
      statusCode: 200,
      elapsedTime: 1.23456,
    });
    expect(entry).toEqual({
      req: { id: 'req-1', method: 'GET', url: '/api/v2/user?token=[REDACTED]', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
      responseTime: 1.23,
    });
    expect(JSON.stringify(entry)).not.toContain('secret');
  });
});

describe('logFinishedRequest', () => {
  const finished = (statusCode: number) => ({ id: 'r', method: 'GET', url: '/x', ip: '::1', statusCode, elapsedTime: 2 });
  const capture = (level: string) => {
    const lines: string[] = [];
    const logger = createRootLogger(level, { write: (line: string) => void lines.push(line) });
    return { logger, lines };
  };

  it('writes one info line per request, and 5xx at error level', () => {
    const { logger, lines } = capture('info');
    logFinishedRequest(logger, finished(200));
    logFinishedRequest(logger, finished(503));
    expect(lines.map((l) => JSON.parse(l)).map((e) => [e.level, e.msg, e.res.statusCode])).toEqual([
      [30, 'request completed', 200],
      [50, 'request errored', 503],
    ]);
  });

  it('writes only failures above the info level', () => {
    const { logger, lines } = capture('warn');
    logFinishedRequest(logger, finished(200));
    logFinishedRequest(logger, finished(500));
    expect(lines).toHaveLength(1);
  });

  it('censors secret-looking keys of logged objects', () => {
    const { logger, lines } = capture('info');
    logger.info({ body: { password: 'hunter22', code: '123456', name: 'ok' } }, 'x');
    expect(lines[0]).not.toMatch(/hunter22|123456/);
    expect(lines[0]).toContain('"name":"ok"');
  });
});
