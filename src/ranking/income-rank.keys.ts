import { AppConfig } from '../config/app-config';
import { SqlParams } from '../database/sql-params';
import { cityOf } from '../users/city';
import { LIVE_USER, NOT_LIVE_USER } from '../users/user-views.service';
import { TODAY_UTC } from './earned-income';

/** A (days, city) combination of the ranking and its key in the snapshot tables. */
export interface RankCombination {
  days: number | null;
  city: string | null;
}

export function rankKey({ days, city }: RankCombination): string {
  return `days=${days ?? 'all'};city=${city ?? ''}`;
}

/** How many positions a snapshot keeps; further down, a viewer's rank is "1000+". */
export const SNAPSHOT_SIZE = 1000;

/**
 * The standing set, kept as snapshots by the scheduled refresh: RANK_STANDING_DAYS × (every city together and each
 * of RANK_STANDING_CITIES), cities normalised as the route normalises them.
 */
export function standingCombinations(config: AppConfig): RankCombination[] {
  const cities = [null, ...new Set(config.rankStandingCities.map(cityOf).filter((city) => city !== null))];
  return config.rankStandingDays.flatMap((days) => cities.map((city) => ({ days, city })));
}

/**
 * The top `size` earners of a combination, straight from the aggregates (ties by user id; live users only): rows
 * `owner_id, amount`. Composed from fixed fragments with every value bound in `params`.
 */
export function topEarnersSql(combination: RankCombination, size: number, params: SqlParams): string {
  if (combination.days === null) {
    // All time: the running totals (index user_currencies_earned_idx; with a city, users_city_active_idx).
    const city = combination.city === null ? '' : `AND u.city = ${params.add(combination.city)}`;
    return `SELECT c.owner_id, c.earned_total AS amount
              FROM user_currencies c JOIN users u ON u.id = c.owner_id
             WHERE c.earned_total > 0 AND ${LIVE_USER} ${city}
             ORDER BY c.earned_total DESC, c.owner_id LIMIT ${params.add(size)}`;
  }
  // A window of days: sum the daily aggregates per owner (an index-only scan of the primary key, which carries the
  // amount), then drop the few users who are not live.
  const city = combination.city === null ? '' : `AND d.owner_id IN (SELECT u.id FROM users u WHERE u.city = ${params.add(combination.city)})`;
  return `SELECT a.owner_id, a.amount FROM (
            SELECT d.owner_id, sum(d.amount)::bigint AS amount FROM currency_income_daily d
             WHERE d.day > ${TODAY_UTC} - ${params.add(combination.days)}::int ${city}
             GROUP BY d.owner_id) a
           WHERE a.amount > 0 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id AND (${NOT_LIVE_USER}))
           ORDER BY a.amount DESC, a.owner_id LIMIT ${params.add(size)}`;
}
