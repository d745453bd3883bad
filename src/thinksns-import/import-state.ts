import type { Pool, PoolClient } from 'pg';
import { insertRows } from './bulk-insert';
import { ReportEntry } from './report';

/**
 * The importer's own bookkeeping, in its own schema (not the service's tables, so no entity owns it): which source
 * users are in (written in the same transaction as their rows, which is what makes a rerun skip them) and every
 * report entry of every run (unique per row and reason, so a rerun adds none twice).
 */
export const STATE_SCHEMA = 'thinksns_import';

export async function prepareState(pool: Pool): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.imported_users (
    source_id bigint PRIMARY KEY,
    imported_at timestamptz NOT NULL DEFAULT now())`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.report (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_table varchar(64) NOT NULL,
    source_key varchar(64) NOT NULL,
    user_id bigint,
    action varchar(16) NOT NULL,
    reason varchar(64) NOT NULL,
    detail text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_table, source_key, reason))`);
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
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
