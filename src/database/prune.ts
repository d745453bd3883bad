import { EntityManager } from 'typeorm';
import { runSql } from './sql';

/**
 * Deletes at most `limit` rows of `table` that match `condition` (SQL with `$n` values), in one short statement, and
 * returns how many went. For retention: many small deletes instead of one long lock on a large table.
 */
export async function deleteBatch(manager: EntityManager, table: string, condition: string, values: unknown[], limit: number): Promise<number> {
  const result = await runSql(
    manager,
    `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${condition} LIMIT ${Math.trunc(limit)}))`,
    values,
  );
  return result.rowCount;
}
