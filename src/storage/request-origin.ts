import type { FastifyRequest } from 'fastify';

/** `scheme://host` of the request as the client reached it (behind TRUST_PROXY, the forwarded ones): used when APP_URL is unset. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
