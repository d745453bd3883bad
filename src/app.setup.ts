import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './common/errors/api-error';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { normalizeInput } from './common/http/normalize-input';
import { ApiValidationPipe } from './common/validation/api-validation.pipe';
import { AppConfig } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_URL_LENGTH = 8 * 1024;
const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** The HTTP layer: Fastify (measured ~6× Express 5 on this machine; see README "Why Fastify"). */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: config.trustProxy,
    // Trailing slashes are optional on every route (operator-api §1: minapp paths end in '/').
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // The id is echoed as X-Request-Id and put on the raw request for the pino-http log line.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      (req as IncomingMessage & { id: string }).id = id;
      return id;
    },
  });
}

export interface RouteInfo {
  method: string;
  url: string;
}

/** Everything main.ts and the tests share: hooks, security headers, errors, validation, OpenAPI. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<{ routes: RouteInfo[] }> {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.length > MAX_URL_LENGTH) throw new ApiError(414, 'uri_too_long');
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: bounded label values.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
  });
  fastify.addHook('preValidation', async (request) => {
    request.body = normalizeInput(request.body);
    normalizeInput(request.query);
  });
  // helmet's defaults, built once (@fastify/helmet rebuilds the middleware on every request).
  const securityHeaders = helmet({
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
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  await app.register(fastifyMultipart, { limits: { fileSize: config.storageMaxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 } });
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(new ApiValidationPipe());

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
  return { routes };
}
