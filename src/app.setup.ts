import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from './common/errors/api-error';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { MessageKey, translate } from './common/errors/messages';
import { logFinishedRequest, ROOT_LOGGER } from './common/http/logging';
import { guardInternalRoutes } from './common/http/internal-routes';
import { OPERATOR_BODY_BYTES, registerJsonBodyParser } from './common/http/json-body';
import { applyInputRule, assertStorablePath } from './common/http/normalize-input';
import { ApiValidationPipe } from './common/validation/api-validation.pipe';
import { AppConfig, TrustProxy } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';
import { registerMultipart, registerUploadBodyParser } from './storage/upload-body';

/** Above the 16 KiB `where` of operator-api §3 once URL-encoded (a 1000-item `$in` must fit). */
const MAX_URL_LENGTH = 64 * 1024;
/** Node's parser limit for the request line plus headers; past it, 431 (see answerClientError). */
const MAX_HEADER_BYTES = 96 * 1024;
const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** The HTTP layer: Fastify (measured ~6× Express 5 on this machine; see README "Why Fastify"). */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    // The largest body any route takes; JSON bodies have a smaller limit outside /userve (see registerJsonBodyParser).
    bodyLimit: OPERATOR_BODY_BYTES,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Trailing slashes are optional on every route (operator-api §1: minapp paths end in '/').
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    forceCloseConnections: 'idle',
    // The id is echoed as X-Request-Id and written on the request's log line.
    genReqId: (req: { headers: IncomingMessage['headers'] }) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      (req as IncomingMessage & { id: string }).id = id;
      return id;
    },
  });
}

/**
 * Fastify ≥ 5.12 trusts no hop for a bare number (it cannot vouch for the peer); TRUST_PROXY=N is the operator saying
 * the nearest N hops are their own proxies, so the count becomes proxy-addr's (address, hop index) predicate.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (request line + headers over 96 KiB, broken framing): our
 * JSON error, and `Connection: close` so that a keep-alive client does not send its next request into a closing socket.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, key]: [number, MessageKey] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request_headers_too_large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout']
        : [400, 'malformed_json'];
  const body = JSON.stringify({ message: translate(key, 'zh') });
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * helmet's headers (its defaults, our CSP), computed once: they do not depend on the request, so each request gets the
 * same set in one `reply.headers` call instead of helmet's chain of middlewares.
 */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let ran = false;
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
        // Served over plain HTTP too (behind a TLS proxy or in development): do not force https sub-requests.
        upgradeInsecureRequests: null,
      },
    },
  })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    ran = true;
  });
  if (!ran) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return headers;
}

export interface RouteInfo {
  method: string;
  url: string;
}

/** Everything main.ts and the tests share: hooks, security headers, errors, validation, OpenAPI. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<{ routes: RouteInfo[] }> {
  const fastify = app.getHttpAdapter().getInstance();
  // Nest adds its body parsers at init unless they are there already: add them now, then put ours in place of JSON's.
  (app.getHttpAdapter() as FastifyAdapter).registerParserMiddleware();
  registerJsonBodyParser(fastify);
  registerUploadBodyParser(fastify, config.storageMaxBytes);
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
  const securityHeaders = helmetHeaders();
  // Synchronous hooks: an async hook costs a promise per request and hook.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    reply.headers(securityHeaders);
    done(request.url.length > MAX_URL_LENGTH ? new ApiError(414, 'uri_too_long') : undefined);
  });
  guardInternalRoutes(fastify, config);
  const metrics = app.get(MetricsService);
  const logger = app.get<Logger>(ROOT_LOGGER);
  fastify.addHook('onResponse', (request, reply, done) => {
    logFinishedRequest(logger, {
      id: request.id,
      method: request.method,
      url: request.url,
      ip: request.ip,
      statusCode: reply.statusCode,
      elapsedTime: reply.elapsedTime,
    });
    // The route pattern, not the URL: bounded label values.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertStorablePath(request.params);
      applyInputRule(request);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
  await registerMultipart(app, { limits: { fileSize: config.storageMaxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 } });
  // Without CORS_ORIGINS no cross-origin browser access is granted, and no CORS hook runs on every request.
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(new ApiValidationPipe());

  // Off by default in production (API_DOCS); INTERNAL_PORT / INTERNAL_TOKEN keep it from the public (guardInternalRoutes).
  if (config.apiDocs) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('User service')
        .setDescription('ThinkSNS+-compatible mobile API (/api/v2) and minapp-compatible operator API (/userve)')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  }
  return { routes };
}
