import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { firstRow, runSql } from './sql';

/** pg advisory lock id of schema changes ("migr" in ASCII): one instance or release job migrates at a time. */
const MIGRATION_LOCK = 0x6d696772;

export interface RoleSettings {
  /** milliseconds; 0 = no limit */
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export function roleSettingsOf(config: AppConfig): RoleSettings {
  return { statementTimeoutMs: config.databaseStatementTimeoutMs, idleInTransactionTimeoutMs: config.databaseIdleInTransactionTimeoutMs };
}

export interface MigrationOutcome {
  /** Names of the migrations this call applied (empty when another instance had already applied them). */
  applied: string[];
}

/**
 * Applies the pending migrations and the role settings in one transaction that first takes a transaction-scoped
 * advisory lock: instances booting at once on a new release wait for the first one and then find nothing left to do.
 * One transaction (not a session lock) also works through PgBouncer in transaction mode.
 *
 * Runs on a data source of its own, closed afterwards, so that no pooled connection of the service predates the
 * role settings (PostgreSQL reads them when a session starts).
 */
export async function migrateDatabase(url: string, settings: RoleSettings): Promise<MigrationOutcome> {
  const dataSource = new DataSource(buildDataSourceOptions({ url, poolSize: 1, applicationName: 'user-service-migrate' }));
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner('master');
  try {
    await runner.startTransaction();
    // Building an index on a large table may take longer than the service's statement timeout.
    await runSql(runner.manager, 'SET LOCAL statement_timeout = 0');
    await runSql(runner.manager, 'SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'all';
    const applied = await executor.executePendingMigrations();
    await applyRoleSettings(runner, settings);
    await runner.commitTransaction();
    return { applied: applied.map((m) => m.name) };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/**
 * Timeouts as settings of the service's role in its database, which PostgreSQL applies to every new session —
 * including the server connections a pooler opens — instead of startup parameters, which PgBouncer refuses.
 * A role may set these for itself; no superuser needed.
 */
async function applyRoleSettings(runner: QueryRunner, settings: RoleSettings): Promise<void> {
  const { database } = (await firstRow<{ database: string }>(runner.manager, 'SELECT current_database() AS database'))!;
  const quoted = `"${String(database).replace(/"/g, '""')}"`;
  const values: Array<[string, number]> = [
    ['statement_timeout', settings.statementTimeoutMs],
    ['idle_in_transaction_session_timeout', settings.idleInTransactionTimeoutMs],
  ];
  for (const [name, value] of values) {
    await runSql(runner.manager, `ALTER ROLE CURRENT_USER IN DATABASE ${quoted} SET ${name} = ${Math.trunc(value)}`);
    // This session too (from commit on): behind a pooler it is a server connection the service's clients reuse.
    await runSql(runner.manager, 'SELECT set_config($1, $2, false)', [name, String(Math.trunc(value))]);
  }
}
