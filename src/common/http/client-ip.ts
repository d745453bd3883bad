import type { FastifyRequest } from 'fastify';

/** The client address: X-Forwarded-For is read only as far as TRUST_PROXY trusts it (Fastify's trustProxy). */
export function clientIp(request: FastifyRequest): string {
  return request.ip ?? '0.0.0.0';
}
