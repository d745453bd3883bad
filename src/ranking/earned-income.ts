import { EntityManager } from 'typeorm';

/** The UTC day used by the daily aggregates and by the `days` window of the ranking. */
export const TODAY_UTC = `(now() AT TIME ZONE 'UTC')::date`;

/**
 * Point sources that count as earned (mobile-api §9): everything but bought points (`recharge`) and a rejected
 * withdrawal's hold coming back (`cash`).
 */
export function isEarned(targetType: string): boolean {
  return targetType !== 'recharge' && targetType !== 'cash';
}

/** Keeps the ranking's aggregates as earned income lands, in the same transaction as the ledger row. */
export async function recordEarnedIncome(manager: EntityManager, ownerId: number, amount: number): Promise<void> {
  await manager.query('UPDATE user_currencies SET earned_total = earned_total + $2 WHERE owner_id = $1', [ownerId, amount]);
  await manager.query(
    `INSERT INTO currency_income_daily (owner_id, day, amount) VALUES ($1, ${TODAY_UTC}, $2)
     ON CONFLICT (owner_id, day) DO UPDATE SET amount = currency_income_daily.amount + EXCLUDED.amount`,
    [ownerId, amount],
  );
}
