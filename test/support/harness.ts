import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Logger } from 'nestjs-pino';
import { Pool } from 'pg';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter, RouteInfo } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { installInt8Parser } from '../../src/database/int8';
import { databaseUrl, runDatabasePrefix, withAdminClient } from './databases';
import { Clock } from '../../src/common/clock/clock';

export interface SentMessage {
  channel: 'sms' | 'mail';
  to: string;
  code: string;
  text: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** supertest against the running app */
  http: () => ReturnType<typeof request>;
  /** a direct pool on the test database, for setup and for checking what the API wrote */
  db: Pool;
  databaseName: string;
  routes: RouteInfo[];
  /** every log line the app wrote (pino JSON) */
  logs: string[];
  messages(): SentMessage[];
  /** the code of the newest message sent to an account */
  lastCode(to: string): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** environment variables on top of the test defaults (as the service would read them) */
  env?: Record<string, string>;
  /** use an existing test database instead of cloning a new one (several instances on one database) */
  databaseName?: string;
  /** what tells the app the time (a test moves it to change the day); the system clock by default */
  clock?: Clock;
}

let counter = 0;

/** A fresh database cloned from the migrated template (milliseconds). */
export async function createTestDatabase(): Promise<string> {
  const template = process.env.TEST_TEMPLATE_DATABASE!;
  const name = `${runDatabasePrefix(template)}${process.pid}_${Date.now()}_${counter++}`;
  await withAdminClient(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant: PostgreSQL refuses the second for a moment.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return name;
}

/** Boots the real Nest app (same setup as main.ts) on its own database, message folder and storage folder. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  installInt8Parser();
  const databaseName = options.databaseName ?? (await createTestDatabase());
  const scratch = mkdtempSync(join(tmpdir(), 'user-service-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: scratch,
    DATABASE_URL: databaseUrl(databaseName),
    DATABASE_POOL_SIZE: '10',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BCRYPT_ROUNDS: '4',
    MESSAGE_DRIVER: 'file',
    MESSAGE_DIR: join(scratch, 'messages'),
    STORAGE_DIR: join(scratch, 'storage'),
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_ACCOUNT_RATE_LIMIT: '1000000',
    VERIFY_CODE_IP_HOURLY_LIMIT: '1000000',
    VERIFY_CODE_ACCOUNT_DAILY_LIMIT: '1000',
    VERIFY_CODE_ACCOUNT_IP_DAILY_LIMIT: '1000',
    ...options.env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, logStream, clock: options.clock }), createFastifyAdapter(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const { routes } = await configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = new Pool({ connectionString: config.databaseUrl, max: 4 });
  // An idle client whose server went away (outage tests) must not crash the test process.
  db.on('error', () => undefined);

  const messages = (): SentMessage[] => {
    let files: string[];
    try {
      files = readdirSync(config.messageDir).sort();
    } catch {
      return [];
    }
    return files.map((f) => JSON.parse(readFileSync(join(config.messageDir, f), 'utf8')));
  };

  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    db,
    databaseName,
    routes,
    logs,
    messages,
    lastCode(to: string) {
      const sent = messages().filter((m) => m.to === to);
      if (!sent.length) throw new Error(`no message was sent to ${to}`);
      return sent[sent.length - 1].code;
    },
    async close() {
      await app.close();
      await db.end();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
