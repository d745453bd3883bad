import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { DestinationStream } from 'pino';

/** Query parameters whose values never reach a log line (spec README §2: `?token=` must not be logged). */
const SECRET_QUERY = /([?&](?:token|access_token|password|code|verifiable_code)=)[^&]*/gi;

export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[REDACTED]');
}

/**
 * pino-http options: one JSON line per request with its id, method, redacted URL, status and latency. Headers and
 * bodies are not logged at all, so passwords, codes and tokens cannot leak through them.
 */
export function httpLoggerOptions(level: string, stream?: DestinationStream): Options | [Options, DestinationStream] {
  const options: Options = {
    level,
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
    serializers: {
      req: (req: IncomingMessage & { id?: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url), remoteAddress: req.remoteAddress }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['*.password', '*.token', '*.authorization', '*.verifiable_code', '*.code'], censor: '[REDACTED]' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
  };
  return stream ? [options, stream] : options;
}
