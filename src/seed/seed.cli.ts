import 'reflect-metadata';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { readArguments, runCommand } from '../common/cli/command';
import { ConfigError, loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { migrateDatabase, roleSettingsOf } from '../database/migrate';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../database/embedded-postgres';
import { seedDemoData, SeedResult } from './demo-data';
import { createProgressReporter } from './progress';

const USAGE = `Usage: npm run seed -- --users N [--database-url URL] [--batch-size N]

Adds N demo users (names, follows, addresses, verifications, ledgers) to the database, in one transaction.
Database: --database-url, else DATABASE_URL, else the embedded server of \`npm start\` when it is running
(postgres://postgres:postgres@127.0.0.1:EMBEDDED_PG_PORT/postgres), else that embedded server is started on
DATA_DIR/postgres for the run. Pending migrations are applied first (unless MIGRATIONS_RUN=false). ID numbers and
names are sealed with the service's PII key (PII_ENCRYPTION_KEY, in development DATA_DIR/pii-key).`;

interface Args {
  users: number;
  databaseUrl?: string;
  batchSize?: number;
}

function parseArgs(argv: string[]): Args | null {
  const args: Partial<Args> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (name: string, min: number) => {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${v}"`);
      return Number(v);
    };
    if (flag === '--help' || flag === '-h') return null;
    else if (flag === '--users' || flag === '-n') args.users = count('--users', 0);
    else if (flag === '--database-url') args.databaseUrl = value();
    else if (flag === '--batch-size') args.batchSize = count('--batch-size', 1);
    else throw new Error(`unknown argument "${argv[i]}"`);
  }
  if (args.users === undefined) throw new Error('--users N is required');
  return args as Args;
}

/** True when a PostgreSQL server answers at the URL; false when nothing listens there. */
async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (/ECONNREFUSED|ENOENT/.test(String((error as NodeJS.ErrnoException).code ?? error))) return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function summary(result: SeedResult): string {
  const v = result.verifications;
  const rows: Array<[string, string]> = [
    ['users', `${result.users} (ids ${result.firstUserId}..${result.lastUserId}), each with user_extras, wallets, user_currencies`],
    ['follows', String(result.follows)],
    ['addresses', String(result.addresses)],
    [
      'verifications',
      `${v.pending + v.rejected + v.approved} (pending ${v.pending}, rejected ${v.rejected}, approved ${v.approved}; user ${v.user}, org ${v.org})`,
    ],
    ['points ledger', String(result.currencyLedger)],
    ['wallet ledger', String(result.walletLedger)],
    ['income days', String(result.incomeDays)],
  ];
  const lines = [`Seeded in ${seconds(result.elapsedMs)}:`, ...rows.map(([k, value]) => `  ${k.padEnd(14)} ${value}`)];
  if (result.sample) {
    lines.push(`Password of every seeded account: ${result.password}`);
    lines.push(`  e.g. log in as "${result.sample.name}" or ${result.sample.phone}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = readArguments(parseArgs, USAGE);
  if (typeof args === 'number') return args;
  const config = loadConfig(process.env);
  let url = args.databaseUrl ?? config.databaseUrl;
  let embedded: EmbeddedPostgres | undefined;
  const reporter = createProgressReporter();
  const onSignal = (signal: NodeJS.Signals) => {
    reporter.stop();
    console.error(`\n${signal}: stopping (nothing is kept: the seed is one transaction)`);
    void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  if (!url) {
    const running = `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/postgres`;
    if (await answers(running)) {
      console.log(`Using the running embedded PostgreSQL on port ${config.embeddedPostgresPort}`);
      url = running;
    } else {
      console.log(`Starting the embedded PostgreSQL on port ${config.embeddedPostgresPort} (${join(config.dataDir, 'postgres')})`);
      embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort, persistent: true });
      url = embedded.url;
    }
  }
  const dataSource = new DataSource(buildDataSourceOptions({ url, poolSize: 2, applicationName: 'user-service-seed' }));
  try {
    await dataSource.initialize();
    if (config.migrationsRun) {
      const { applied } = await migrateDatabase(url, roleSettingsOf(config));
      if (applied.length) console.log(`Applied ${applied.length} migration(s)`);
    } else if (await dataSource.showMigrations()) {
      throw new ConfigError('the database has pending migrations and MIGRATIONS_RUN=false: run `npm run migrate` first');
    }
    console.log(`Seeding ${args.users} users…`);
    const result = await seedDemoData(dataSource, {
      users: args.users,
      batchSize: args.batchSize,
      cipher: new PiiCipher(config.piiEncryptionKey),
      progress: reporter.report,
    });
    reporter.stop();
    console.log(summary(result));
    return 0;
  } finally {
    reporter.stop();
    await dataSource.destroy().catch(() => undefined);
    await embedded?.stop();
  }
}

runCommand(main);
