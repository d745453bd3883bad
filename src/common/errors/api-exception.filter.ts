import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { isDatabaseUnavailable } from './database-errors';
import { languageOf, MessageKey, translate } from './messages';

const STATUS_KEYS: Record<number, MessageKey> = {
  400: 'malformed_json',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/** Errors raised by Fastify itself before a handler ran (body parsing, content type, limits). */
function fromFastifyError(error: { statusCode?: number }): ApiError | undefined {
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return new ApiError(status, STATUS_KEYS[status] ?? 'malformed_json');
}

function toApiError(exception: unknown): ApiError | undefined {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof ThrottlerException) return new ApiError(429, 'too_many_requests');
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return status < 500 ? new ApiError(status, STATUS_KEYS[status] ?? 'malformed_json') : undefined;
  }
  // A stack overflow or an out-of-range value built from what the client sent: its input, not our failure.
  if (exception instanceof RangeError) return new ApiError(400, 'malformed_json');
  if (isDatabaseUnavailable(exception)) return new ApiError(503, 'service_unavailable', {}, [], { 'Retry-After': '5' });
  if (exception && typeof exception === 'object') return fromFastifyError(exception as { statusCode?: number });
  return undefined;
}

/** What a 5xx log line says of its cause: never the query parameters (they may hold personal data). */
function describeError(exception: unknown) {
  if (!(exception instanceof Error)) return { message: String(exception) };
  return { type: exception.name, message: exception.message, code: (exception as { code?: string }).code, stack: exception.stack };
}

/** Operator routes answer in minapp's shape; everything else in the ThinkSNS+ shape (spec README §3). */
export function isOperatorPath(url: string): boolean {
  return url.startsWith('/userve/');
}

/** One place that turns every failure into the JSON error bodies of spec README §3, in the caller's language. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = toApiError(exception) ?? new ApiError(500, 'server_error');
    if (error.status >= 500) {
      this.logger.error({ err: describeError(exception), reqId: request.id }, 'request failed');
    } else if (exception instanceof RangeError) {
      this.logger.warn({ err: describeError(exception), reqId: request.id }, 'request refused: RangeError');
    }
    const lang = languageOf(request.headers['accept-language']);
    const message = translate(error.key, lang, error.params);
    let body: Record<string, unknown>;
    if (isOperatorPath(request.url)) {
      body = { status: 'error', error_msg: message };
    } else if (error.status === 422) {
      const errors: Record<string, string[]> = {};
      for (const f of error.fieldErrors) (errors[f.field] ??= []).push(translate(f.key, lang, f.params));
      body = { message, errors };
    } else {
      body = { message };
    }
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    if (exception instanceof ThrottlerException && !reply.hasHeader('retry-after')) {
      // @nestjs/throttler names the header after the throttler (`Retry-After-login`); clients read `Retry-After`.
      const named = Object.entries(reply.getHeaders()).find(([name]) => name.toLowerCase().startsWith('retry-after-'));
      if (named) reply.header('Retry-After', String(named[1]));
    }
    reply.status(error.status).type('application/json; charset=utf-8').send(body);
  }
}
