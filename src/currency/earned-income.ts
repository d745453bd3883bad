import { EntityManager } from 'typeorm';
import { runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { LIVE_USER, NOT_LIVE_USER } from '../users/live-user';

/**
 * Earned income (mobile-api §9): points received, not bought (`recharge`). Two aggregates are kept as it lands, in
 * the same transaction as the ledger row: `user_currencies.earned_total` (all time) and `currency_income_daily`
 * (per owner and UTC day). The ranking reads them through the functions below.
 */

/** The UTC day used by the daily aggregates and by the `days` window of the ranking. */
export const TODAY_UTC = `(now() AT TIME ZONE 'UTC')::date`;

/**
 * Point sources that count as earned: everything but bought points (`recharge`) and a rejected withdrawal's hold
 * coming back (`cash`). The importer plans by it.
 */
export function isEarned(targetType: string): boolean {
  return targetType !== 'recharge' && targetType !== 'cash';
}

/** Keeps the aggregates as earned income lands, in the caller's transaction. */
export async function recordEarnedIncome(manager: EntityManager, ownerId: number, amount: number): Promise<void> {
  await runSql(manager, 'UPDATE user_currencies SET earned_total = earned_total + $2 WHERE owner_id = $1', [ownerId, amount]);
  await runSql(
    manager,
    `INSERT INTO currency_income_daily (owner_id, day, amount) VALUES ($1, ${TODAY_UTC}, $2)
     ON CONFLICT (owner_id, day) DO UPDATE SET amount = currency_income_daily.amount + EXCLUDED.amount`,
    [ownerId, amount],
  );
}

/** A window of the aggregates: the last `days` UTC days (null: all time), of one city's users (null: everyone). */
export interface EarningsWindow {
  days: number | null;
  city: string | null;
}

/**
 * The top `size` earners of a window, straight from the aggregates (ties by user id; live users only): rows
 * `owner_id, amount`. Composed from fixed fragments with every value bound in `params`.
 */
export function topEarnersSql(window: EarningsWindow, size: number, params: SqlParams): string {
  if (window.days === null) {
    // All time: the running totals (index user_currencies_earned_idx; with a city, users_city_active_idx).
    const city = window.city === null ? '' : `AND u.city = ${params.add(window.city)}`;
    return `SELECT c.owner_id, c.earned_total AS amount
              FROM user_currencies c JOIN users u ON u.id = c.owner_id
             WHERE c.earned_total > 0 AND ${LIVE_USER} ${city}
             ORDER BY c.earned_total DESC, c.owner_id LIMIT ${params.add(size)}`;
  }
  // A window of days: sum the daily aggregates per owner (an index-only scan of the primary key, which carries the
  // amount), then drop the few users who are not live.
  const city = window.city === null ? '' : `AND d.owner_id IN (SELECT u.id FROM users u WHERE u.city = ${params.add(window.city)})`;
  return `SELECT a.owner_id, a.amount FROM (
            SELECT d.owner_id, sum(d.amount)::bigint AS amount FROM currency_income_daily d
             WHERE d.day > ${TODAY_UTC} - ${params.add(window.days)}::int ${city}
             GROUP BY d.owner_id) a
           WHERE a.amount > 0 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id AND (${NOT_LIVE_USER}))
           ORDER BY a.amount DESC, a.owner_id LIMIT ${params.add(size)}`;
}

/** One owner's earned income in the last `days` UTC days (null: all time). */
export function ownEarningsSql(days: number | null): string {
  return days === null
    ? 'SELECT earned_total AS amount FROM user_currencies WHERE owner_id = $1'
    : `SELECT coalesce(sum(amount), 0)::bigint AS amount FROM currency_income_daily WHERE owner_id = $1 AND day > ${TODAY_UTC} - $2::int`;
}

/** Its parameters: the owner, and the days when there is a window. */
export function ownEarningsParams(ownerId: number, days: number | null): unknown[] {
  return days === null ? [ownerId] : [ownerId, days];
}
