import pino, { DestinationStream, Logger } from 'pino';

/** Query parameters whose values never reach a log line (spec README §2: `?token=` must not be logged). */
const SECRET_QUERY = /([?&](?:token|access_token|password|code|verifiable_code)=)[^&]*/gi;

/** The DI token of the service's root pino logger (the one nestjs-pino and the request lines write to). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[REDACTED]');
}

/** pino JSON to stdout (or the given stream); secret-looking keys of logged objects are censored as a backstop. */
export function createRootLogger(level: string, stream?: DestinationStream): Logger {
  const options = { level, redact: { paths: ['*.password', '*.token', '*.authorization', '*.verifiable_code', '*.code'], censor: '[REDACTED]' } };
  return stream ? pino(options, stream) : pino(options);
}

export interface FinishedRequest {
  id: string;
  method: string;
  url: string;
  ip: string;
  statusCode: number;
  /** milliseconds */
  elapsedTime: number;
}

/**
 * The one line per request: its id, method, redacted URL, client address, status and latency. Headers and bodies are
 * never logged, so passwords, codes and tokens cannot leak through them.
 */
export function requestLogEntry(request: FinishedRequest) {
  return {
    req: { id: request.id, method: request.method, url: redactUrl(request.url), remoteAddress: request.ip },
    res: { statusCode: request.statusCode },
    responseTime: Math.round(request.elapsedTime * 100) / 100,
  };
}

/**
 * Written from a Fastify onResponse hook rather than pino-http middleware: no middleware pass and no per-request
 * AsyncLocalStorage, which measured +14 % req/s on B1 (bench/README.md). Free when the level is above `info`.
 */
export function logFinishedRequest(logger: Logger, request: FinishedRequest): void {
  const level = request.statusCode >= 500 ? 'error' : 'info';
  if (logger.isLevelEnabled(level)) logger[level](requestLogEntry(request), request.statusCode >= 500 ? 'request errored' : 'request completed');
}
