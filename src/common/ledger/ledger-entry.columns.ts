import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The columns of a ledger row, shared by the points and the money ledgers: one append-only change of a balance,
 * written in the same transaction as the change. `type` 1 income, -1 expense; `amount` is always positive.
 */
export abstract class LedgerEntryColumns {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' }) id: number;
  @Column({ name: 'owner_id', type: 'bigint' }) ownerId: number;
  @Column({ type: 'varchar', length: 64 }) title: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) body: string | null;
  @Column({ type: 'smallint' }) type: number;
  @Column({ name: 'target_type', type: 'varchar', length: 16 }) targetType: string;
  @Column({ name: 'target_id', type: 'bigint', nullable: true }) targetId: number | null;
  @Column({ type: 'bigint' }) amount: number;
  /** 1 succeeded; 0 a pending hold (withdrawal under review); -1 a hold that failed (its amount was credited back). */
  @Column({ type: 'smallint', default: 1 }) state: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
