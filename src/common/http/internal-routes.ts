import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notFound, unauthenticated } from '../errors/api-error';
import type { AppConfig } from '../../config/app-config';

/** Marks requests that came in on the internal listener. */
const INTERNAL_LISTENER = Symbol('internal listener');

/** Routes for operators of the service, not for its users: Prometheus metrics and the API docs. */
export function isInternalRoute(pattern: string | undefined): boolean {
  return pattern !== undefined && (pattern === '/metrics' || /^\/api\/docs($|\/|-json$|-yaml$)/.test(pattern));
}

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * With INTERNAL_PORT, internal routes answer only on the internal listener (404 elsewhere) and the internal listener
 * answers nothing else but health probes; with INTERNAL_TOKEN, internal routes need `Authorization: Bearer <token>` (401 otherwise).
 */
export function guardInternalRoutes(fastify: FastifyInstance, config: AppConfig): void {
  if (config.internalPort === undefined && config.internalToken === undefined) return;
  fastify.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    const internalRoute = isInternalRoute(route);
    if (config.internalPort !== undefined) {
      const internally = cameInternally(request.raw);
      // Probes may use either listener.
      if (internally ? !internalRoute && !route?.startsWith('/health') : internalRoute) throw notFound();
    }
    if (internalRoute && config.internalToken !== undefined && !bearerMatches(request, config.internalToken)) throw unauthenticated();
  });
}

function cameInternally(request: IncomingMessage): boolean {
  return (request as IncomingMessage & { [INTERNAL_LISTENER]?: true })[INTERNAL_LISTENER] === true;
}

/** Serves the app's routes on a second port, for the internal network (the guard above decides what it answers). */
export async function listenInternal(fastify: FastifyInstance, port: number, host = '0.0.0.0'): Promise<Server> {
  const [handle] = fastify.server.listeners('request') as RequestListener[];
  if (!handle) throw new Error('listenInternal needs the app initialised (no request handler yet)');
  const server = createServer((request, response) => {
    (request as IncomingMessage & { [INTERNAL_LISTENER]?: true })[INTERNAL_LISTENER] = true;
    handle(request, response);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve()));
  return server;
}

export const portOf = (server: Server) => (server.address() as AddressInfo).port;
