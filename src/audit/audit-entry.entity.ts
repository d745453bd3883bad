import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin or operator write, or an admin sign-in, written in the transaction of the change. Append-only: no route
 * changes it, and a trigger refuses UPDATE, DELETE and TRUNCATE (migration AddAdminAuditLog).
 */
@Entity('admin_audit_log')
@Index('admin_audit_log_actor_idx', ['actorId', 'id'])
@Index('admin_audit_log_target_idx', ['targetId', 'id'])
@Index('admin_audit_log_action_idx', ['action', 'id'])
@Index('admin_audit_log_created_idx', ['createdAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** No foreign key: the trail outlives the accounts it names. */
  @Column({ name: 'actor_id', type: 'bigint' }) actorId: number;
  /** The actor's abilities when they acted; `{*}` for a founder (every ability). */
  @Column({ name: 'actor_abilities', type: 'text', array: true }) actorAbilities: string[];
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ name: 'target_id', type: 'bigint', nullable: true }) targetId: number | null;
  /** What changed, never a secret (no password, code, token or ID number). */
  @Column({ type: 'jsonb' }) summary: Record<string, unknown>;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true }) requestId: string | null;
}
