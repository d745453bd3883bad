import pino, { DestinationStream, Logger } from 'pino';

/** The DI token of the service's root pino logger (the one nestjs-pino and the request lines write to). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Query names (decoded, lower-cased) whose values never reach a log line: tokens, codes, passwords, secrets. */
const SECRET_NAME = /(^|_)(token|password|passwd|pwd|code|secret|jwt|authorization|signature)$/;
/** Personal data inside a logged value or path segment: CN mobile numbers (+86 / 0086 too), e-mails, resident ID numbers. */
const PERSONAL_DATA: Array<[RegExp, string]> = [
  [/[^\s"'<>@/?&=:,;{}[\]]+@[^\s"'<>@/?&=:,;{}[\]]+/g, '[EMAIL]'],
  [/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])|(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/g, '[ID]'],
  [/(?<!\d)(?:(?:\+|00)?86[- ]?)?1[3-9]\d{9}(?!\d)/g, '[PHONE]'],
];
export const REDACTED = '[REDACTED]';

/** URL-decodes as a server would (`+` is a space in a query), repeatedly, so that `%2574oken` is judged as `token`. */
function decoded(text: string, plusIsSpace: boolean): string {
  let value = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  for (let round = 0; round < 3 && value.includes('%'); round++) {
    try {
      const next = decodeURIComponent(value);
      if (next === value) break;
      value = next;
    } catch {
      break;
    }
  }
  return value;
}

function maskPersonalData(text: string): string {
  return PERSONAL_DATA.reduce((masked, [pattern, label]) => masked.replace(pattern, label), text);
}

/** A masked value, URL-encoded again except for its `[PHONE]`-style labels. */
function encodedMasked(plain: string, encode: (text: string) => string): string {
  return encode(maskPersonalData(plain)).replace(/%5B(PHONE|EMAIL|ID)%5D/g, '[$1]');
}

function isSecretName(rawName: string): boolean {
  const name = decoded(rawName, true).trim().toLowerCase().replace(/\[.*$/, '');
  return SECRET_NAME.test(name);
}

/** One `name=value` pair (of a query, or smuggled into a path segment): value redacted by name, else PII-masked. */
function redactPair(pair: string, plusIsSpace: boolean): string {
  const eq = pair.indexOf('=');
  const name = eq < 0 ? pair : pair.slice(0, eq);
  if (isSecretName(name)) return `${maskPersonalData(decoded(name, plusIsSpace)).replace(/[&=]/g, '')}=${REDACTED}`;
  const plain = decoded(pair, plusIsSpace);
  return maskPersonalData(plain) === plain ? pair : encodedMasked(plain, (text) => encodeURI(text).replace(/&/g, '%26'));
}

/** A path segment, decoded: personal data masked; `a=b` pairs in it (`;token=…`, `%3Ftoken=…`) judged as query pairs. */
function redactSegment(segment: string): string {
  const plain = decoded(segment, false);
  if (!/[=?&;]/.test(plain)) return maskPersonalData(plain) === plain ? segment : encodedMasked(plain, encodeURIComponent);
  return plain
    .split(/([?&;])/)
    .map((part, i) => (i % 2 ? part : redactPair(part, false)))
    .join('');
}

/**
 * The URL as logged: every query pair is judged on its decoded name (`%74oken`, `TOKEN`, `token+`, `token[]`,
 * repeated names), and values and path segments have phones, e-mails and ID numbers masked after decoding (a
 * `/users/13800138000` path, a `where={"phone":…}` operator query).
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).split('/').map(redactSegment).join('/');
  if (q < 0) return path;
  return `${path}?${url
    .slice(q + 1)
    .split('&')
    .map((pair) => redactPair(pair, true))
    .join('&')}`;
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
