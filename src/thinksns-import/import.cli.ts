import 'reflect-metadata';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { readArguments, runCommand } from '../common/cli/command';
import { ConfigError, loadConfig } from '../config/app-config';
import { installInt8Parser } from '../database/int8';
import { migrateDatabase, roleSettingsOf } from '../database/migrate';
import { createProgressReporter } from '../seed/progress';
import { createFileStore } from '../storage/file-store';
import { ImportOutcome, ImportStage, importThinksns } from './importer';
import { ThinksnsSource } from './source';

const USAGE = `Usage: npm run import:thinksns -- --from mysql://user:pass@host:3306/db [--storage DIR] [--report FILE]
                                 [--database-url URL] [--batch-size N]
       (production build: node dist/src/thinksns-import/import.cli.js --from …)

Moves a ThinkSNS+ (slimkit/plus 2.4) community from its MySQL / MariaDB database into this service's PostgreSQL:
users (ids, old passwords), roles, follows, recommended users, certifications, points and wallet with their orders,
avatars and ID photos. Safe to run again: imported users are skipped, a run stopped half-way resumes.
  --from         the original's database
  --storage      the original's storage/app folder (holds public/); without it images are reported missing
  --report       the report file (JSON lines; default thinksns-import-report.jsonl)
  --database-url this service's database (default DATABASE_URL)
  --batch-size   users per transaction (default 500)
Exit status: 0 done and verified, 1 a check failed or an error, 2 bad arguments.`;

interface Args {
  from: string;
  storage: string | null;
  report: string;
  databaseUrl?: string;
  batchSize?: number;
}

function parseArgs(argv: string[]): Args | null {
  const args: Partial<Args> = { storage: null, report: 'thinksns-import-report.jsonl' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') return null;
    else if (flag === '--from') args.from = value();
    else if (flag === '--storage') args.storage = resolve(value());
    else if (flag === '--report') args.report = resolve(value());
    else if (flag === '--database-url') args.databaseUrl = value();
    else if (flag === '--batch-size') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`--batch-size must be an integer ≥ 1, got "${v}"`);
      args.batchSize = Number(v);
    } else throw new Error(`unknown argument "${argv[i]}"`);
  }
  if (!args.from) throw new Error('--from mysql://… is required');
  if (!/^mysql:\/\//.test(args.from)) throw new Error('--from must be a mysql:// URL');
  return args as Args;
}

function summary(outcome: ImportOutcome, reportPath: string): string {
  const lines = [
    `Users: ${outcome.users.imported} imported, ${outcome.users.skipped} skipped, ${outcome.users.already} imported by an earlier run`,
    'Verification (source = imported + reported):',
    ...outcome.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(26)} source ${c.source}  target ${c.target}  reported ${c.reported}`),
    `Report (${reportPath}):`,
    ...outcome.reasons.map((r) => `  ${String(r.n).padStart(7)}  ${r.source_table} ${r.action}: ${r.reason}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = readArguments(parseArgs, USAGE);
  if (typeof args === 'number') return args;
  const config = loadConfig(process.env);
  const url = args.databaseUrl ?? config.databaseUrl;
  if (!url) throw new ConfigError('set DATABASE_URL (or --database-url) to the database of this service');
  installInt8Parser();
  // The same advisory-locked step as boot and `npm run migrate`, so an import can run beside starting instances.
  const { applied } = await migrateDatabase(url, roleSettingsOf(config));
  if (applied.length) console.log(`Applied ${applied.length} migration(s)`);
  const target = new Pool({ connectionString: url, max: 3, application_name: 'user-service-import' });
  const source = new ThinksnsSource(args.from);
  const reporter = createProgressReporter<ImportStage>();
  const crashAfter = process.env.THINKSNS_IMPORT_CRASH_AFTER_USERS;
  try {
    const outcome = await importThinksns({
      source,
      target,
      cipher: new PiiCipher(config.piiEncryptionKey),
      storageFrom: args.storage,
      files: createFileStore(config),
      reportPath: args.report,
      batchSize: args.batchSize,
      progress: reporter.report,
      // Test hook: dies like a killed process (no cleanup, no rollback but the server's) mid-batch.
      crashAfterUsers: crashAfter ? Number(crashAfter) : undefined,
      crash: () => process.kill(process.pid, 'SIGKILL'),
    });
    reporter.stop();
    console.log(summary(outcome, args.report));
    if (!outcome.ok) console.error('Verification failed: some source rows are neither imported nor in the report.');
    return outcome.ok ? 0 : 1;
  } finally {
    reporter.stop();
    await source.close().catch(() => undefined);
    await target.end().catch(() => undefined);
  }
}

runCommand(main);
