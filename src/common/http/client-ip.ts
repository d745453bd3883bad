import type { FastifyRequest } from 'fastify';

/** The client address (honours X-Forwarded-For only when TRUST_PROXY is on, via Fastify's trustProxy). */
export function clientIp(request: FastifyRequest): string {
  return request.ip ?? '0.0.0.0';
}
