import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** One check-in per user and China Standard Time day: the primary key is what makes it once a day. */
@Entity('checkin_days')
@Index('checkin_days_day_idx', ['day', 'createdAt'])
@Check('checkin_days_streak_check', 'streak >= 1')
export class CheckinDay {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  /** the day in China Standard Time (UTC+8) */
  @PrimaryColumn({ type: 'date' }) day: string;
  /** points granted */
  @Column({ type: 'integer' }) amount: number;
  /** consecutive days up to and including this one */
  @Column({ type: 'integer' }) streak: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
