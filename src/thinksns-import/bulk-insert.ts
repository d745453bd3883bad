import type { PoolClient } from 'pg';
import { runSql } from '../database/sql';

/** Column name → PostgreSQL type of the array parameter (`bigint`, `text`, `timestamptz`, …). */
export type ColumnTypes<T> = { [K in keyof T]?: string };

/**
 * One multi-row INSERT … SELECT FROM unnest($1::type[], …): a batch in one statement, one parameter per column
 * (the row count never hits the parameter limit). `suffix` is e.g. `ON CONFLICT DO NOTHING`.
 */
export async function insertRows<T extends object>(client: PoolClient, table: string, columns: ColumnTypes<T>, rows: T[], suffix = ''): Promise<number> {
  if (!rows.length) return 0;
  const names = Object.keys(columns) as Array<keyof T & string>;
  const arrays = names.map((name) => rows.map((row) => (row[name] === undefined ? null : row[name])));
  const result = await runSql(
    client,
    `INSERT INTO ${table} (${names.map((n) => `"${n}"`).join(', ')})
     SELECT * FROM unnest(${names.map((name, i) => `$${i + 1}::${columns[name]}[]`).join(', ')}) ${suffix}`,
    arrays,
  );
  return result.rowCount ?? 0;
}
