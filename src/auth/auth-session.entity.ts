import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/**
 * A token family: one login and every token refreshed from it. Exactly one token of a family is alive (the one
 * whose `jti` is `current_jti`); revoking the family kills it. Every "token dies" rule revokes families.
 */
@Entity('auth_sessions')
@Index('auth_sessions_live_user_idx', ['userId'], { where: 'revoked_at IS NULL' })
@Index('auth_sessions_created_idx', ['createdAt'])
@Index('auth_sessions_revoked_idx', ['revokedAt'], { where: 'revoked_at IS NOT NULL' })
export class AuthSession {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'current_jti', type: 'uuid' })
  currentJti: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true })
  refreshedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;
}
