import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A standing (days, city) combination with a snapshot (the set is configured: RANK_STANDING_DAYS, RANK_STANDING_CITIES). */
@Entity('income_rank_keys')
export class IncomeRankKey {
  @PrimaryColumn({ type: 'varchar', length: 96 }) key: string;
  @Column({ type: 'integer', nullable: true }) days: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) city: string | null;
  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true }) refreshedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** The snapshot: the top 1000 of a key at its last refresh. */
@Entity('income_rank_entries')
@Index('income_rank_entries_user_idx', ['key', 'userId'])
export class IncomeRankEntry {
  @PrimaryColumn({ type: 'varchar', length: 96 }) key: string;
  @PrimaryColumn({ type: 'integer' }) rank: number;
  @Column({ name: 'user_id', type: 'bigint' }) userId: number;
  @Column({ type: 'bigint' }) amount: number;
}

/** One run of the scheduled refresh (which instance, how long): proves "once per period" and feeds metrics. */
@Entity('income_rank_runs')
export class IncomeRankRun {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' }) id: number;
  @Column({ type: 'varchar', length: 128 }) instance: string;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ name: 'duration_ms', type: 'integer' }) durationMs: number;
  @Column({ name: 'keys_refreshed', type: 'integer' }) keysRefreshed: number;
}
