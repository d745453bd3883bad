import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { isOperatorPath } from '../errors/api-exception.filter';

/** Deeper JSON is refused before it is parsed: every legitimate body is far shallower (operator `where` nests ≤ 10). */
export const MAX_JSON_DEPTH = 32;
/**
 * The largest legitimate operator body: one update of custom fields, whose strings may each hold 65,536 characters
 * (384 KiB when a client escapes them as `\uXXXX`) and whose arrays may take 1000 items.
 */
export const OPERATOR_BODY_BYTES = 1024 * 1024;
/** Mobile-API and admin bodies are forms of short fields (the longest, a bio or an address, is a few hundred characters). */
export const API_BODY_BYTES = 64 * 1024;

const OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d,
  OPEN_ARRAY = 0x5b,
  CLOSE_ARRAY = 0x5d,
  QUOTE = 0x22,
  BACKSLASH = 0x5c;

/** One linear pass counting `{` / `[` nesting outside strings: true as soon as it goes past `max`. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Fastify's JSON parser with one that refuses, before parsing, a body over its route's size limit (413) or
 * nested deeper than MAX_JSON_DEPTH (400). Deep bodies overflowed the stack of every recursive walk after the parser
 * and blocked the event loop before the rate limiter could answer. The parse itself stays Fastify's (secure-json-parse,
 * `__proto__` / `constructor` keys refused).
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: OPERATOR_BODY_BYTES },
    (request: FastifyRequest, body: string | Buffer, done) => {
      const text = String(body);
      const limit = isOperatorPath(request.url) ? OPERATOR_BODY_BYTES : API_BODY_BYTES;
      if (Buffer.byteLength(text) > limit) return done(new ApiError(413, 'payload_too_large'), undefined);
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new ApiError(400, 'malformed_json'), undefined);
      void parse(request, text, done);
    },
  );
}
