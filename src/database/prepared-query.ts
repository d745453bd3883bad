import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';

/** The pg pool under TypeORM's data source (the same connections, settings and timeouts); absent until it connects. */
export function poolOf(db: DataSource): Pool | undefined {
  return (db.driver as unknown as { master?: Pool }).master;
}

/**
 * Runs a read of the request hot path as a named prepared statement, so PostgreSQL plans it once per connection
 * instead of once per request: planning the user view's twelve joins costs several times its execution (B1 in
 * bench/README.md measured 613 → 2,921 req/s on the baseline).
 *
 * Only for SQL composed of constant fragments with every value bound (`$n`): each distinct text becomes one
 * statement on each pooled connection, so the set of texts must be small and fixed. Errors are pg's own
 * (`code` on the error itself), which the error helpers in `src/common/errors` read as well.
 *
 * With DATABASE_PREPARED_STATEMENTS=false (PgBouncer < 1.21 in transaction mode, which may hand the next query to a
 * server connection that never saw the statement) the same SQL runs as an unnamed statement, planned every time.
 */
export async function preparedQuery<T extends QueryResultRow = QueryResultRow>(db: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const pool = poolOf(db);
  if (!pool) throw new Error('the data source is not connected');
  const result = usesPreparedStatements(db)
    ? await pool.query<T>({ name: statementName(text), text, values })
    : await pool.query<T>(text, values);
  return result.rows;
}

/** Whether statements may be named on this data source (DATABASE_PREPARED_STATEMENTS, see buildDataSourceOptions). */
function usesPreparedStatements(db: DataSource): boolean {
  const extra = (db.options as { extra?: { preparedStatements?: boolean } }).extra;
  return extra?.preparedStatements !== false;
}

/** Names by content, remembered (a map lookup is cheaper than hashing the text on every request). */
const names = new Map<string, string>();
const MAX_REMEMBERED = 1000;

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `p_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size < MAX_REMEMBERED) names.set(text, name);
  }
  return name;
}
