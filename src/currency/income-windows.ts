import { EntityManager } from 'typeorm';
import { firstRow, runSql, SqlRunner } from '../database/sql';
import { SqlParams } from '../database/sql-params';

/**
 * The advisory lock of the kept windows (0x696e6377, "incw"): every write of daily rows takes it shared (the trigger
 * of migration KeepIncomeWindowTotals); rolling, building and dropping windows take it exclusively.
 */
const INCOME_WINDOWS_LOCK = 0x696e6377;
/** A window nobody rolled for this many days is no longer asked for (the standing set changed): it is dropped. */
const UNUSED_WINDOW_DAYS = 7;

/** True when every window of `days` is kept and counted up to `today` (or later: another instance's clock). */
export async function windowsAreCurrent(db: SqlRunner, days: number[], today: string): Promise<boolean> {
  const row = await firstRow<{ current: number }>(
    db,
    'SELECT count(*)::int AS current FROM currency_income_window_days WHERE days = ANY($1::int[]) AND as_of >= $2::date',
    [days, today],
  );
  return row!.current === days.length;
}

/**
 * Brings the windows of `days` to `today` in the caller's transaction: rolls the kept ones (the days that left are
 * subtracted), builds the missing ones from the daily rows, drops the ones nobody rolled for a week. It waits for
 * income being written to commit, and holds new income back until it commits.
 */
export async function keepWindows(manager: EntityManager, days: number[], today: string): Promise<void> {
  await runSql(manager, 'SELECT pg_advisory_xact_lock($1::bigint)', [INCOME_WINDOWS_LOCK]);
  // A background job: building a window from a year of daily rows may take longer than a request's timeout.
  await runSql(manager, 'SET LOCAL statement_timeout = 0');
  await roll(manager, days, today);
  await build(manager, days, today);
  await dropUnused(manager, today);
}

async function roll(manager: EntityManager, days: number[], today: string): Promise<void> {
  const emptied = await runSql<{ days: number; owner_id: number }>(
    manager,
    `WITH leaving AS (
       SELECT w.days, d.owner_id, sum(d.amount) AS amount
         FROM currency_income_window_days w
         JOIN currency_income_daily d ON d.day > w.as_of - w.days AND d.day <= $2::date - w.days
        WHERE w.days = ANY($1::int[]) AND w.as_of < $2::date
        GROUP BY w.days, d.owner_id),
     rolled AS (
       UPDATE currency_income_windows t SET amount = t.amount - l.amount FROM leaving l
        WHERE t.days = l.days AND t.owner_id = l.owner_id RETURNING t.days, t.owner_id, t.amount)
     SELECT days, owner_id FROM rolled WHERE amount = 0`,
    [days, today],
  );
  if (emptied.rowCount > 0) {
    await runSql(
      manager,
      `DELETE FROM currency_income_windows t USING unnest($1::int[], $2::bigint[]) AS e(days, owner_id)
        WHERE t.days = e.days AND t.owner_id = e.owner_id AND t.amount = 0`,
      [emptied.rows.map((row) => row.days), emptied.rows.map((row) => row.owner_id)],
    );
  }
  await runSql(manager, 'UPDATE currency_income_window_days SET as_of = $2::date WHERE days = ANY($1::int[]) AND as_of < $2::date', [days, today]);
}

/**
 * New windows are summed from the daily rows in one pass over the longest of them (a sum per window with FILTER), in
 * owner order, so the build reads each row once whatever the number of windows.
 */
async function build(manager: EntityManager, days: number[], today: string): Promise<void> {
  const added = await runSql<{ days: number }>(
    manager,
    `INSERT INTO currency_income_window_days (days, as_of) SELECT d, $2::date FROM unnest($1::int[]) d
     ON CONFLICT (days) DO NOTHING RETURNING days`,
    [days, today],
  );
  if (added.rowCount === 0) return;
  const windows = added.rows.map((row) => row.days);
  const params = new SqlParams();
  const todayParam = params.add(today);
  const sums = windows.map((window) => `sum(d.amount) FILTER (WHERE d.day > ${todayParam}::date - ${params.add(window)}::int)`);
  await runSql(
    manager,
    `INSERT INTO currency_income_windows (days, owner_id, amount)
     SELECT w.days, a.owner_id, w.amount
       FROM (SELECT d.owner_id, ARRAY[${sums.join(', ')}] AS amounts FROM currency_income_daily d
              WHERE d.day > ${todayParam}::date - ${params.add(Math.max(...windows))}::int GROUP BY d.owner_id) a,
            unnest(${params.add(windows)}::int[], a.amounts) AS w(days, amount)
      WHERE w.amount > 0`,
    params.values,
  );
}

async function dropUnused(manager: EntityManager, today: string): Promise<void> {
  await runSql(
    manager,
    `WITH unused AS (DELETE FROM currency_income_window_days WHERE as_of < $1::date - $2::int RETURNING days)
     DELETE FROM currency_income_windows t USING unused WHERE t.days = unused.days`,
    [today, UNUSED_WINDOW_DAYS],
  );
}
