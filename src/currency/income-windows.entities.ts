import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A kept window of earned income: the last `days` UTC days, counted up to `as_of`. Its totals (below) are the sum of
 * the daily aggregates with `day > as_of - days`; the roll to a new day subtracts the days that left.
 */
@Entity('currency_income_window_days')
export class IncomeWindow {
  @PrimaryColumn({ type: 'integer' }) days: number;
  @Column({ name: 'as_of', type: 'date' }) asOf: string;
  /** While the window is being built: the owner ids summed so far (up to this one); null once built. */
  @Column({ name: 'built_through', type: 'bigint', nullable: true }) builtThrough: number | null;
}

/**
 * Earned income per kept window and owner, kept by triggers on `currency_income_daily` as income lands (any writer:
 * the service, the ThinkSNS+ import, the demo seed). The ranking's refresh reads its top N instead of summing days.
 */
@Entity('currency_income_windows')
@Index('currency_income_windows_top_idx', { synchronize: false })
@Check('currency_income_windows_amount_check', 'amount >= 0')
export class IncomeWindowTotal {
  @PrimaryColumn({ type: 'integer' }) days: number;
  @PrimaryColumn({ name: 'owner_id', type: 'bigint' }) ownerId: number;
  @Column({ type: 'bigint' }) amount: number;
}
