import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The first answer to a money-moving request sent with an `Idempotency-Key`, replayed for repeats. */
@Entity('idempotency_keys')
@Index('idempotency_keys_created_idx', ['createdAt'])
export class IdempotencyRecord {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @PrimaryColumn({ type: 'varchar', length: 128 }) key: string;
  @Column({ type: 'varchar', length: 64 }) route: string;
  @Column({ name: 'request_hash', type: 'varchar', length: 64 }) requestHash: string;
  @Column({ type: 'smallint' }) status: number;
  @Column({ type: 'jsonb' }) body: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
