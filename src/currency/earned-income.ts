import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK, utcDay } from '../common/clock/clock';
import { runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { LIVE_USER, NOT_LIVE_USER } from '../users/live-user';
import { buildWindowsStep, OWNERS_PER_BUILD_STEP, rollWindows, windowsAreCurrent } from './income-windows';

/**
 * Earned income (mobile-api §9): points received, not bought (`recharge`). Aggregates are kept as it lands, in the
 * same transaction as the ledger row: `user_currencies.earned_total` (all time), `currency_income_daily` (per owner
 * and UTC day) and, from the daily rows by triggers, the totals of the kept windows (the last N days). The ranking
 * reads them through the functions below.
 */

/**
 * Point sources that count as earned: everything but bought points (`recharge`) and a rejected withdrawal's hold
 * coming back (`cash`). The importer plans by it.
 */
export function isEarned(targetType: string): boolean {
  return targetType !== 'recharge' && targetType !== 'cash';
}

/** A window of the aggregates: the last `days` UTC days (null: all time), of one city's users (null: everyone). */
export interface EarningsWindow {
  days: number | null;
  city: string | null;
}

/** Where a window's amounts are read: its kept totals (rolled to today), or the daily rows up to `today`. */
export interface EarningsSource {
  today: string;
  kept: boolean;
}

@Injectable()
export class EarnedIncome {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The UTC day income lands on now, and the last day of every `days` window. */
  today(): string {
    return utcDay(this.clock());
  }

  /** Keeps the aggregates as earned income lands, in the caller's transaction. */
  async record(manager: EntityManager, ownerId: number, amount: number): Promise<void> {
    await runSql(manager, 'UPDATE user_currencies SET earned_total = earned_total + $2 WHERE owner_id = $1', [ownerId, amount]);
    await runSql(
      manager,
      `INSERT INTO currency_income_daily (owner_id, day, amount) VALUES ($1, $3::date, $2)
       ON CONFLICT (owner_id, day) DO UPDATE SET amount = currency_income_daily.amount + EXCLUDED.amount`,
      [ownerId, amount, this.today()],
    );
  }

  /**
   * Makes the windows of `days` kept and current (the day rolled over, a window newly asked for): the scheduled
   * refresh does it, only when something is to do, in short transactions of its own (a roll, then the build of new
   * windows `ownersPerStep` owners at a time).
   */
  async keep(days: number[], ownersPerStep = OWNERS_PER_BUILD_STEP): Promise<EarningsSource> {
    const today = this.today();
    const wanted = [...new Set(days)];
    if (wanted.length > 0 && !(await windowsAreCurrent(this.db, wanted, today))) {
      await this.db.transaction((manager) => rollWindows(manager, wanted, today));
      while (await this.db.transaction((manager) => buildWindowsStep(manager, ownersPerStep)));
      // Fresh statistics for the top-N reads (a year of totals may just have arrived; autovacuum would see them
      // later), taken outside the lock so that income is not held back meanwhile.
      await runSql(this.db, 'ANALYZE currency_income_windows');
    }
    return { today, kept: true };
  }

  /**
   * Where a request reads a window of `days`: its kept totals when they are current, else the daily rows (a request
   * never waits for the windows' lock; the next refresh rolls them).
   */
  async sourceFor(days: number): Promise<EarningsSource> {
    const today = this.today();
    return { today, kept: await windowsAreCurrent(this.db, [days], today) };
  }

  /** Where a window not kept is read from: the daily rows up to today. */
  fromDailyRows(): EarningsSource {
    return { today: this.today(), kept: false };
  }
}

/**
 * The top `size` earners of a window (ties by user id; live users only): rows `owner_id, amount`. Composed from fixed
 * fragments with every value bound in `params`.
 */
export function topEarnersSql(window: EarningsWindow, size: number, params: SqlParams, source: EarningsSource): string {
  if (window.days === null) {
    // All time: the running totals (index user_currencies_earned_idx; with a city, users_city_active_idx).
    const city = window.city === null ? '' : `AND u.city = ${params.add(window.city)}`;
    return `SELECT c.owner_id, c.earned_total AS amount
              FROM user_currencies c JOIN users u ON u.id = c.owner_id
             WHERE c.earned_total > 0 AND ${LIVE_USER} ${city}
             ORDER BY c.earned_total DESC, c.owner_id LIMIT ${params.add(size)}`;
  }
  if (source.kept) {
    // A kept window: its totals in amount order (currency_income_windows_top_idx), the first live users of the city.
    const city = window.city === null ? '' : `AND u.city = ${params.add(window.city)}`;
    return `SELECT t.owner_id, t.amount
              FROM currency_income_windows t JOIN users u ON u.id = t.owner_id
             WHERE t.days = ${params.add(window.days)}::int AND t.amount > 0 AND ${LIVE_USER} ${city}
             ORDER BY t.amount DESC, t.owner_id LIMIT ${params.add(size)}`;
  }
  // Any other window: sum the daily aggregates per owner (an index-only scan of the primary key, which carries the
  // amount), then drop the few users who are not live.
  const city = window.city === null ? '' : `AND d.owner_id IN (SELECT u.id FROM users u WHERE u.city = ${params.add(window.city)})`;
  return `SELECT a.owner_id, a.amount FROM (
            SELECT d.owner_id, sum(d.amount)::bigint AS amount FROM currency_income_daily d
             WHERE d.day > ${params.add(source.today)}::date - ${params.add(window.days)}::int ${city}
             GROUP BY d.owner_id) a
           WHERE a.amount > 0 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id AND (${NOT_LIVE_USER}))
           ORDER BY a.amount DESC, a.owner_id LIMIT ${params.add(size)}`;
}

/** One owner's earned income in the last `days` UTC days up to `$3` today (null: all time). */
export function ownEarningsSql(days: number | null): string {
  return days === null
    ? 'SELECT earned_total AS amount FROM user_currencies WHERE owner_id = $1'
    : 'SELECT coalesce(sum(amount), 0)::bigint AS amount FROM currency_income_daily WHERE owner_id = $1 AND day > $3::date - $2::int';
}

/** Its parameters: the owner, and the days and today when there is a window. */
export function ownEarningsParams(ownerId: number, days: number | null, today: string): unknown[] {
  return days === null ? [ownerId] : [ownerId, days, today];
}
