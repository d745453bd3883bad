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
