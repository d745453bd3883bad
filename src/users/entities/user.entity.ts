import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An account. Cancelled accounts stay (the ledger refers to them) but free their name, phone and e-mail. */
@Entity('users')
@Index('users_name_key', { synchronize: false })
@Index('users_name_skeleton_key', { synchronize: false })
@Index('users_email_key', { synchronize: false })
@Index('users_phone_key', { synchronize: false })
@Index('users_active_idx', { synchronize: false })
@Index('users_city_active_idx', { synchronize: false })
@Index('users_name_trgm_idx', { synchronize: false })
@Index('users_created_idx', { synchronize: false })
@Index('users_custom_idx', { synchronize: false })
@Index('users_not_live_idx', { synchronize: false })
@Check('users_sex_check', 'sex IN (0, 1, 2)')
/** A live user keeps a way to sign in: a password (with name / id / phone / e-mail) or a code to a phone or e-mail. */
@Check('users_sign_in_check', 'cancelled_at IS NOT NULL OR password IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL')
export class User {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** `usernameSkeleton(name)`: what the name looks like (reserved names, uniqueness among live users). */
  @Column({ name: 'name_skeleton', type: 'varchar', length: 255, nullable: true })
  nameSkeleton: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 11, nullable: true })
  phone: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  @Column({ name: 'phone_verified', type: 'boolean', default: false })
  phoneVerified: boolean;

  /** bcrypt hash; null for accounts that log in by code only. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  password: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  bio: string | null;

  @Column({ type: 'smallint', default: 0 })
  sex: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  location: string | null;

  /** Normalised city derived from `location` (同城 lookups). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  city: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  avatar: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  bg: string | null;

  @Index('users_invite_code_key', { unique: true })
  @Column({ name: 'invite_code', type: 'varchar', length: 16 })
  inviteCode: string;

  @Column({ name: 'inviter_id', type: 'bigint', nullable: true })
  inviterId: number | null;

  @Column({ name: 'register_ip', type: 'varchar', length: 45, nullable: true })
  registerIp: string | null;

  @Column({ name: 'last_login_ip', type: 'varchar', length: 45, nullable: true })
  lastLoginIp: string | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'last_active_at', type: 'timestamptz', nullable: true })
  lastActiveAt: Date | null;

  /** Last write through the API (read-your-writes with read replicas). */
  @Column({ name: 'wrote_at', type: 'timestamptz', nullable: true })
  wroteAt: Date | null;

  @Column({ name: 'vip_level', type: 'integer', nullable: true })
  vipLevel: number | null;

  @Column({ name: 'vip_name', type: 'varchar', length: 64, nullable: true })
  vipName: string | null;

  @Column({ name: 'vip_end_time', type: 'timestamptz', nullable: true })
  vipEndTime: Date | null;

  /** Operator API profile data (minapp `_userprofile`). */
  @Column({ type: 'varchar', length: 16, default: 'zh_CN' })
  language: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  openid: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  unionid: string | null;

  /** Custom field values of the operator API, by field name (schema in user_fields). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  custom: Record<string, unknown>;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
