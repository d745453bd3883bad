'use strict';
// The benchmark database: an embedded PostgreSQL in a temp dir (or the server of BENCH_DATABASE_URL), a fresh
// database on it, migrated with the service's own migrations from the production build.
const { join } = require('node:path');
const { Client } = require('pg');
const { freePort, onCleanup, tempDir } = require('./processes');

const DIST = join(__dirname, '..', '..', 'dist');

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl, sql) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts (or connects to) PostgreSQL, creates a fresh database and migrates it. Returns its URL. */
async function startDatabase({ log }) {
  const external = process.env.BENCH_DATABASE_URL;
  let adminUrl = external;
  if (!external) {
    const { startEmbeddedPostgres } = require(join(DIST, 'src', 'database', 'embedded-postgres.js'));
    const dir = tempDir('pg');
    const port = await freePort();
    log(`starting embedded PostgreSQL on port ${port} in ${dir}`);
    const embedded = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port, persistent: false });
    onCleanup(() => embedded.stop());
    adminUrl = embedded.url;
  }
  const kept = external ? process.env.BENCH_DATABASE_NAME : undefined;
  const name = kept ?? `user_service_bench_${process.pid}`;
  if (kept) {
    // Kept between runs (the seed is idempotent): a rerun skips seeding 1M users and 10M ledger rows.
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`).catch((error) => {
      if (error.code !== '42P04') throw error; // duplicate_database
    });
  } else {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name}`);
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  }
  // An embedded cluster is thrown away whole; on a given server, only our database goes (unless it is kept).
  if (external && !kept) onCleanup(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  return url;
}

/** Applies the service's migrations with its own DataSource definition (dist/, built by `npm run bench`). */
async function migrate(url) {
  const { DataSource } = require('typeorm');
  const { buildDataSourceOptions } = require(join(DIST, 'src', 'database', 'data-source-options.js'));
  const dataSource = new DataSource(buildDataSourceOptions({ url, poolSize: 1, applicationName: 'bench-migrate' }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await dataSource.destroy();
  }
}

module.exports = { startDatabase };
