import { httpLoggerOptions, redactUrl } from './logging';

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

describe('httpLoggerOptions', () => {
  it('serialises a request with its id and a redacted URL, and no headers', () => {
    const options = httpLoggerOptions('info');
    const serializers = (Array.isArray(options) ? options[0] : options).serializers!;
    const line = serializers.req({
      id: 'req-1',
      method: 'GET',
      url: '/api/v2/user?token=secret.jwt.value',
      remoteAddress: '127.0.0.1',
      headers: { authorization: 'Bearer secret.jwt.value', cookie: 'x' },
    });
    expect(line).toEqual({ id: 'req-1', method: 'GET', url: '/api/v2/user?token=[REDACTED]', remoteAddress: '127.0.0.1' });
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('passes the stream along when one is given', () => {
    const stream = { write: () => undefined };
    const options = httpLoggerOptions('warn', stream);
    expect(Array.isArray(options)).toBe(true);
    expect((options as [unknown, unknown])[1]).toBe(stream);
    expect(((options as [{ level: string }, unknown])[0]).level).toBe('warn');
  });
});
