import { mkdtempSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { databaseUrl, withAdminClient } from './databases';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Once per run: a PostgreSQL server (DATABASE_URL, else an embedded one in a temporary directory), and a template
 * database with every migration applied. Each test file clones the template (CREATE DATABASE … TEMPLATE).
 */
export default async function globalSetup(): Promise<void> {
  let admin = process.env.DATABASE_URL;
  if (!admin) {
    const dir = mkdtempSync(join(tmpdir(), 'user-service-test-'));
    chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false });
    (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = embedded;
    admin = embedded.url;
  }
  process.env.TEST_ADMIN_DATABASE_URL = admin;
  const template = `user_service_template_${process.pid}`;
  process.env.TEST_TEMPLATE_DATABASE = template;
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${template}`);
    await client.query(`CREATE DATABASE ${template}`);
  });
  const dataSource = new DataSource(buildDataSourceOptions({ url: databaseUrl(template), poolSize: 1 }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  await dataSource.destroy();
}
