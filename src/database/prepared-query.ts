import { createHash } from 'node:crypto';
import type { Pool, QueryResult, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { replicaFor } from './read-replicas';
import { queryWithKeptRowShape } from './row-shapes';
import type { SqlResult } from './sql';

/** The pg pool under TypeORM's data source (the same connections, settings and timeouts); absent until it connects. */
export function poolOf(db: DataSource): Pool | undefined {
  return (db.driver as unknown as { master?: Pool }).master;
}

/**
 * Runs a read of the request hot path as a named prepared statement (answering `{rows, rowCount}` like `runSql`), so PostgreSQL plans it once per connection
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
export async function preparedQuery<T extends QueryResultRow = QueryResultRow>(db: DataSource, text: string, values: unknown[]): Promise<SqlResult<T>> {
  const named = usesPreparedStatements(db);
  return readRows<T>(db, (pool) => (named ? queryWithKeptRowShape<T>(pool, statementName(text), text, values) : pool.query<T>(text, values)));
}

/** A read composed at run time (operator queries): an unnamed statement, on a replica where the request allows it. */
export async function readQuery<T extends QueryResultRow = QueryResultRow>(db: DataSource, text: string, values: unknown[]): Promise<SqlResult<T>> {
  return readRows<T>(db, (pool) => pool.query<T>(text, values));
}

/**
 * Runs a read on a replica when the request may use one (see read-replicas.ts), else on the primary. A replica that
 * fails is skipped until its next health check, and the read is answered by the primary.
 */
async function readRows<T extends QueryResultRow>(db: DataSource, run: (pool: Pool) => Promise<QueryResult<T>>): Promise<SqlResult<T>> {
  const replica = replicaFor(db);
  if (replica) {
    try {
      return answer(await run(replica.pool));
    } catch (error) {
      if (isConnectionLoss(error)) replica.replicas.failed(replica.pool);
    }
  }
  const pool = poolOf(db);
  if (!pool) throw new Error('the data source is not connected');
  return answer(await run(pool));
}

/** The same `{rows, rowCount}` that `runSql` answers. */
function answer<T extends QueryResultRow>(result: QueryResult<T>): SqlResult<T> {
  return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
}

/** No SQLSTATE (socket errors, timeouts), a connection exception (08) or a server shutting down (57P0x). */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
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
