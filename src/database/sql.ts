import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** What every statement answers, whatever its kind: the rows it returned (SELECT, … RETURNING) and how many it touched. */
export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/** Where a statement runs: the data source (a pooled connection for this one statement) or a transaction's manager. */
export type SqlRunner = DataSource | EntityManager;

/**
 * Runs one statement with bound parameters (`$1`, `$2`, …) and answers `{rows, rowCount}` for SELECT, INSERT, UPDATE
 * and DELETE alike (TypeORM's own `query()` answers UPDATE / DELETE as `[rows, count]` and everything else as rows).
 * Inside a transaction, pass the transaction's manager: the statement then runs on that transaction's connection.
 */
export async function runSql<T = Record<string, unknown>>(runner: SqlRunner, text: string, params: readonly unknown[] = []): Promise<SqlResult<T>> {
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
