import { Check, Column, Index, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** Points (积分) balance; `type` 1 is the only currency ThinkSNS+ clients know. */
@Entity('user_currencies')
@Check('user_currencies_sum_check', 'sum >= 0')
@Index('user_currencies_earned_idx', { synchronize: false })
export class UserCurrency {
  @PrimaryColumn({ name: 'owner_id', type: 'bigint' })
  ownerId: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'smallint', default: 1 }) type: number;
  @Column({ type: 'bigint', default: 0 }) sum: number;
  /** All-time earned income (not recharge): the all-time ranking reads it directly. */
  @Column({ name: 'earned_total', type: 'bigint', default: 0 }) earnedTotal: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
