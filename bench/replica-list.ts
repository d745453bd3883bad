// Ad hoc (issue 16): B2's list (GET /api/v2/users?limit=50, guest) on the production build, with and without a
// streaming replica, on one machine. Run: npx ts-node --transpile-only bench/replica-list.ts [seconds]
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { findPostgresTools, startReplication } from '../test/support/replication';
import { ensureBuild, startService } from '../test/support/service-process';
const { ensureUsers } = require('./lib/fixtures');

async function main() {
  const seconds = Number(process.argv[2] ?? 10);
  const tools = findPostgresTools();
  if (!tools) throw new Error('no PostgreSQL tools');
  ensureBuild();
  const replication = await startReplication(tools);
  const scratch = mkdtempSync(join(tmpdir(), 'replica-bench-'));
  try {
    await replication.query('primary', 'CREATE DATABASE bench');
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: replication.primaryUrl('bench'),
      DATA_DIR: scratch,
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '10000000',
      RANK_REFRESH_CRON: 'off',
      RETENTION_CRON: 'off',
    };
    const first = await startService(env);
    await first.stop();
    const pool = new Pool({ connectionString: replication.primaryUrl('bench') });
    const client = await pool.connect();
    await client.query('BEGIN');
    await ensureUsers(client, 100_000);
    await client.query('COMMIT');
    client.release();
    await pool.query('VACUUM ANALYZE');
    await pool.end();
    await replication.caughtUp();
    for (const [label, extra] of [
      ['primary only', {}],
      ['with replica', { DATABASE_REPLICA_URLS: replication.replicaUrl('bench') }],
    ] as const) {
      const service = await startService({ ...env, ...extra });
      const url = `${service.url}/api/v2/users?limit=50`;
      await autocannon({ url, connections: 32, duration: 2 });
      const result = await autocannon({ url, connections: 32, duration: seconds });
      console.log(
        `${label}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
      );
      await service.stop();
    }
  } finally {
    await replication.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => (console.error(error), process.exit(1)),
);
