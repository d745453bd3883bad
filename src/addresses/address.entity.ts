import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** A shipping address (收货地址). At most one default per user: a partial unique index says so. */
@Entity('addresses')
@Index('addresses_user_idx', ['userId', 'createdAt'])
@Index('addresses_one_default_key', ['userId'], { unique: true, where: 'is_default' })
export class Address {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' }) id: number;
  @Column({ name: 'user_id', type: 'bigint' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;

  @Column({ type: 'varchar', length: 24, nullable: true }) alias: string | null;
  @Column({ type: 'varchar', length: 24 }) name: string;
  @Column({ type: 'varchar', length: 11 }) phone: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) province: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) city: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) county: string | null;
  @Column({ type: 'varchar', length: 160 }) detail: string;
  @Column({ type: 'varchar', length: 6, nullable: true }) postcode: string | null;
  @Column({ name: 'is_default', type: 'boolean', default: false }) isDefault: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
