import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** Which balance a withdrawal draws on: points (`/currency/cash`) or wallet money in 分 (`/plus-pay/cashes`). */
export type WithdrawalBook = 'points' | 'money';

/** 0 pending review, 1 paid out (approved), 2 rejected (the hold was credited back) — the original's `status`. */
export const PENDING = 0;
export const APPROVED = 1;
export const REJECTED = 2;

/**
 * A withdrawal request (提现). Its amount is held when it is created (a pending ledger row, `hold_entry_id`); the
 * review settles that row once: the only way out of state 0 is a conditional UPDATE … WHERE state = 0.
 */
@Entity('withdrawals')
@Index('withdrawals_owner_idx', ['userId', 'book', 'id'])
@Index('withdrawals_review_idx', ['state', 'book', 'id'])
@Check('withdrawals_amount_check', 'amount > 0')
@Check('withdrawals_state_check', 'state IN (0, 1, 2)')
@Check('withdrawals_book_check', `book IN ('points', 'money')`)
export class Withdrawal {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' }) id: number;
  @Column({ name: 'user_id', type: 'bigint' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @Column({ type: 'varchar', length: 8 }) book: WithdrawalBook;
  @Column({ type: 'bigint' }) amount: number;
  /** payout channel (alipay, wechat…; money only) */
  @Column({ type: 'varchar', length: 32, nullable: true }) type: string | null;
  /** payout account (money only); shown to its owner and to admins */
  @Column({ type: 'varchar', length: 128, nullable: true }) account: string | null;
  @Column({ type: 'smallint', default: PENDING }) state: number;
  /** the reviewer's reason (rejections) */
  @Column({ type: 'varchar', length: 255, nullable: true }) remark: string | null;
  @Column({ name: 'hold_entry_id', type: 'bigint' }) holdEntryId: number;
  @Column({ name: 'reviewer_id', type: 'bigint', nullable: true }) reviewerId: number | null;
  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true }) reviewedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
