import type { Pool, PoolClient } from 'pg';
import { runSql } from '../database/sql';
import { insertRows } from './bulk-insert';
import { ReportEntry } from './report';

/**
 * The importer's own bookkeeping, in its own schema (not the service's tables, so no entity owns it): which source
 * users are in (written in the same transaction as their rows, which is what makes a rerun skip them) and every
 * report entry of every run (unique per row and reason, so a rerun adds none twice).
 */
export const STATE_SCHEMA = 'thinksns_import';

export async function prepareState(pool: Pool): Promise<void> {
  await runSql(pool, `CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`);
  await runSql(
    pool,
    `CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.imported_users (
    source_id bigint PRIMARY KEY,
    imported_at timestamptz NOT NULL DEFAULT now())`,
  );
  await runSql(
    pool,
    `CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.report (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_table varchar(64) NOT NULL,
    source_key varchar(64) NOT NULL,
    user_id bigint,
    action varchar(16) NOT NULL,
    reason varchar(64) NOT NULL,
    detail text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_table, source_key, reason))`,
  );
  await runSql(pool, `CREATE INDEX IF NOT EXISTS report_user_idx ON ${STATE_SCHEMA}.report (user_id) WHERE action = 'skipped'`);
}

/**
 * Skips an earlier run reported for rows that are now imported (an account that held the id was removed, a user
 * that failed went in): the report then names only what is still missing.
 */
export async function withdrawSkips(client: PoolClient, table: string, keys: Array<string | number>): Promise<void> {
  if (!keys.length) return;
  await runSql(client, `DELETE FROM ${STATE_SCHEMA}.report WHERE action = 'skipped' AND source_table = $1 AND source_key = ANY($2::text[])`, [
    table,
    keys.map(String),
  ]);
}

/** The skips of rows owned by users that are now imported (their orders, certifications, roles). */
export async function withdrawOwnedSkips(client: PoolClient, userIds: number[]): Promise<void> {
  if (!userIds.length) return;
  await runSql(client, `DELETE FROM ${STATE_SCHEMA}.report WHERE action = 'skipped' AND reason = 'owner_not_imported' AND user_id = ANY($1::bigint[])`, [
    userIds,
  ]);
}

export async function writeReport(client: PoolClient, entries: ReportEntry[]): Promise<void> {
  await insertRows(
    client,
    `${STATE_SCHEMA}.report`,
    { source_table: 'text', source_key: 'text', user_id: 'bigint', action: 'text', reason: 'text', detail: 'text' },
    entries,
    'ON CONFLICT DO NOTHING',
  );
}

/** Runs `work` in a transaction on one pooled client. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await runSql(client, 'BEGIN');
    // Every import transaction carries its own bookkeeping, so one lost in a server crash is simply redone by the
    // next run: no need to wait for the WAL flush at each commit.
    await runSql(client, 'SET LOCAL synchronous_commit = off');
    const result = await work(client);
    await runSql(client, 'COMMIT');
    return result;
  } catch (error) {
    await runSql(client, 'ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
