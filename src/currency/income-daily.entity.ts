import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Earned points per user and UTC day, maintained as income lands (same transaction): what the ranking sums. */
@Entity('currency_income_daily')
@Index('currency_income_daily_day_idx', ['day', 'ownerId', 'amount'])
@Check('currency_income_daily_amount_check', 'amount >= 0')
export class IncomeDaily {
  @PrimaryColumn({ name: 'owner_id', type: 'bigint' }) ownerId: number;
  @PrimaryColumn({ type: 'date' }) day: string;
  @Column({ type: 'bigint' }) amount: number;
}
