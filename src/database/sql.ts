import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** What every statement answers, whatever its kind: the rows it returned (SELECT, … RETURNING) and how many it touched. */
export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/** A pg pool or client: the import and seed commands and the replica checks run on connections of their own, outside the app's data source. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Where a statement runs: the data source (a pooled connection for this one statement), a transaction's manager, or
 * a pg pool / client.
 */
export type SqlRunner = DataSource | EntityManager | PgQueryable;

/**
 * Runs one statement with bound parameters (`$1`, `$2`, …) and answers `{rows, rowCount}` for SELECT, INSERT, UPDATE
 * and DELETE alike (TypeORM's own `query()` answers UPDATE / DELETE as `[rows, count]` and everything else as rows).
 * Inside a transaction, pass the transaction's manager: the statement then runs on that transaction's connection.
 */
export async function runSql<T = Record<string, unknown>>(runner: SqlRunner, text: string, params: readonly unknown[] = []): Promise<SqlResult<T>> {
  if (!(runner instanceof DataSource) && !(runner instanceof EntityManager)) {
    const result = await runner.query(text, params as unknown[]);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
  }
  const manager = runner instanceof DataSource ? runner.manager : runner;
  if (manager.queryRunner) return structured<T>(manager.queryRunner, text, params);
  const queryRunner = manager.connection.createQueryRunner();
  try {
    return await structured<T>(queryRunner, text, params);
  } finally {
    await queryRunner.release();
  }
}

/** The first row of a statement's answer, or undefined. */
export async function firstRow<T = Record<string, unknown>>(runner: SqlRunner, text: string, params: readonly unknown[] = []): Promise<T | undefined> {
  return (await runSql<T>(runner, text, params)).rows[0];
}

async function structured<T>(queryRunner: QueryRunner, text: string, params: readonly unknown[]): Promise<SqlResult<T>> {
  const result = await queryRunner.query(text, params as unknown[], true);
  const rows = Array.isArray(result.records) ? (result.records as T[]) : [];
  return { rows, rowCount: typeof result.affected === 'number' ? result.affected : rows.length };
}
