import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** Money in 分 (integer cents), 64-bit. Balances only move through conditional SQL with a ledger row. */
@Entity('wallets')
// `/ranks/balance` pages this in order (descending, partial: created by migration).
@Index('wallets_balance_rank_idx', { synchronize: false })
@Check('wallets_balance_check', 'balance >= 0')
export class Wallet {
  @PrimaryColumn({ name: 'owner_id', type: 'bigint' })
  ownerId: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'bigint', default: 0 }) balance: number;
  @Column({ name: 'total_income', type: 'bigint', default: 0 }) totalIncome: number;
  @Column({ name: 'total_expenses', type: 'bigint', default: 0 }) totalExpenses: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
