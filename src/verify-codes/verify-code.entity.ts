import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type CodeChannel = 'sms' | 'mail';
/** `register`: for an account that belongs to nobody (register / bind); `account`: for an existing account. */
export type CodePurpose = 'register' | 'account';

/** A one-time code. Only its HMAC is stored; it dies after use, 5 wrong tries, expiry, or a newer code. */
@Entity('verify_codes')
@Index('verify_codes_account_idx', ['channel', 'account', 'createdAt'])
@Index('verify_codes_ip_idx', ['ip', 'createdAt'])
@Index('verify_codes_created_idx', ['createdAt'])
export class VerifyCode {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 8 }) channel: CodeChannel;
  @Column({ type: 'varchar', length: 128 }) account: string;
  @Column({ type: 'varchar', length: 16 }) purpose: CodePurpose;
  @Column({ name: 'code_hash', type: 'varchar', length: 64 }) codeHash: string;
  @Column({ type: 'smallint', default: 0 }) attempts: number;
  @Column({ type: 'varchar', length: 45, nullable: true }) ip: string | null;
  /** False for a code recorded for an account that belongs to nobody (throttled the same, never sent). */
  @Column({ type: 'boolean', default: true }) delivered: boolean;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  /** Set when used, superseded, or killed by too many wrong tries. */
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true }) consumedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
