import { AppConfig } from '../config/app-config';
import { cityOf } from '../users/city';
import { EarningsWindow } from '../currency/earned-income';

/** A (days, city) combination of the ranking and its key in the snapshot tables. */
export type RankCombination = EarningsWindow;

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
