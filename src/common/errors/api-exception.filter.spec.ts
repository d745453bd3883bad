import { ArgumentsHost } from '@nestjs/common';
import { ApiExceptionFilter } from './api-exception.filter';

/** The status and body the filter answers an exception with. */
function answer(exception: unknown): { status: number; body: unknown } {
  const sent: { status: number; body: unknown } = { status: 0, body: undefined };
  const reply = {
    header: () => reply,
    hasHeader: () => false,
    getHeaders: () => ({}),
    status: (status: number) => ((sent.status = status), reply),
    type: () => reply,
    send: (body: unknown) => ((sent.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ url: '/api/v2/user', headers: {}, id: 'r1' }), getResponse: () => reply }) };
  new ApiExceptionFilter().catch(exception, host as unknown as ArgumentsHost);
  return sent;
}

describe('ApiExceptionFilter', () => {
  it.each([
    [
      'a stack overflow',
      () => {
        const deep = (n: number): number => deep(n + 1) + 1;
        deep(0);
      },
    ],
    ['an invalid array length', () => new Array(-1)],
    ['an invalid date', () => new Date(NaN).toISOString()],
  ])('answers a RangeError (%s) with 400, never 500', (_, fail) => {
    let error: unknown;
    try {
      fail();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(answer(error)).toEqual({ status: 400, body: { message: '请求数据格式错误' } });
  });

  it('still answers other unexpected errors with 500', () => {
    expect(answer(new TypeError('x')).status).toBe(500);
  });
});
