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

/** Owners summed per step while a window is built: each step holds income back for a fraction of a second. */
export const OWNERS_PER_BUILD_STEP = 50_000;

/**
 * True when every window of `days` is built and counted up to `today` (or later: another instance's clock).
 */
export async function windowsAreCurrent(db: SqlRunner, days: number[], today: string): Promise<boolean> {
  const row = await firstRow<{ current: number }>(
    db,
    `SELECT count(*)::int AS current FROM currency_income_window_days
      WHERE days = ANY($1::int[]) AND as_of >= $2::date AND built_through IS NULL`,
    [days, today],
  );
  return row!.current === days.length;
}

/**
 * Rolls the windows of `days` to `today` (the days that left are subtracted), lists the missing ones (to be built),
 * drops the ones nobody rolled for a week: one short transaction under the lock, which waits for income being written
 * to commit and holds new income back until it commits.
 */
export async function rollWindows(manager: EntityManager, days: number[], today: string): Promise<void> {
  await runSql(manager, 'SELECT pg_advisory_xact_lock($1::bigint)', [INCOME_WINDOWS_LOCK]);
  await roll(manager, days, today);
  await runSql(
    manager,
    `INSERT INTO currency_income_window_days (days, as_of, built_through) SELECT d, $2::date, 0 FROM unnest($1::int[]) d
     ON CONFLICT (days) DO NOTHING`,
    [days, today],
  );
  await dropUnused(manager, today);
}

/**
 * One step of building the windows still being built: the next `owners` owner ids summed from the daily rows (one
 * pass over the longest window, a FILTER sum per window), under the lock. The triggers count new income only for
 * owners already built, so a build never blocks income for long and never double-counts it. False when none is left.
 */
export async function buildWindowsStep(manager: EntityManager, owners: number): Promise<boolean> {
  await runSql(manager, 'SELECT pg_advisory_xact_lock($1::bigint)', [INCOME_WINDOWS_LOCK]);
  const building = await runSql<{ days: number; as_of: string; built_through: number }>(
    manager,
    `SELECT days, as_of::text AS as_of, built_through FROM currency_income_window_days
      WHERE built_through = (SELECT min(built_through) FROM currency_income_window_days)`,
  );
  if (building.rowCount === 0) return false;
  const from = Number(building.rows[0].built_through);
  const last = await firstRow<{ id: number | null }>(manager, 'SELECT max(owner_id) AS id FROM currency_income_daily');
  const through = from + owners;
  await sumOwners(manager, building.rows, from, through);
  const done = through >= Number(last?.id ?? 0);
  await runSql(manager, 'UPDATE currency_income_window_days SET built_through = $2 WHERE days = ANY($1::int[])', [
    building.rows.map((row) => row.days),
    done ? null : through,
  ]);
  return true;
}

async function sumOwners(manager: EntityManager, windows: Array<{ days: number; as_of: string }>, from: number, through: number): Promise<void> {
  const params = new SqlParams();
  const sums = windows.map(({ days, as_of }) => `sum(d.amount) FILTER (WHERE d.day > ${params.add(as_of)}::date - ${params.add(days)}::int)`);
  const oldest = Math.min(...windows.map(({ days, as_of }) => Date.parse(as_of) - days * 86_400_000));
  await runSql(
    manager,
    `INSERT INTO currency_income_windows (days, owner_id, amount)
     SELECT w.days, a.owner_id, w.amount
       FROM (SELECT d.owner_id, ARRAY[${sums.join(', ')}] AS amounts FROM currency_income_daily d
              WHERE d.owner_id > ${params.add(from)} AND d.owner_id <= ${params.add(through)}
                AND d.day > ${params.add(new Date(oldest).toISOString().slice(0, 10))}::date
              GROUP BY d.owner_id) a,
            unnest(${params.add(windows.map(({ days }) => days))}::int[], a.amounts) AS w(days, amount)
      WHERE w.amount > 0`,
    params.values,
  );
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

async function dropUnused(manager: EntityManager, today: string): Promise<void> {
  await runSql(
    manager,
    `WITH unused AS (DELETE FROM currency_income_window_days WHERE as_of < $1::date - $2::int RETURNING days)
     DELETE FROM currency_income_windows t USING unused WHERE t.days = unused.days`,
    [today, UNUSED_WINDOW_DAYS],
  );
}
