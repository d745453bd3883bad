import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from './user.entity';

/** The counters shown as `extra` in every user object (ThinkSNS+ `user_extras`). */
@Entity('user_extras')
/** `GET /user/populars`: most followers first (read backwards). */
@Index('user_extras_followers_idx', ['followersCount', 'userId'])
// Rank routes (`/ranks/followers`, `/checkin-ranks`) page these in order (descending keys: created by migration).
@Index('user_extras_followers_rank_idx', { synchronize: false })
@Index('user_extras_checkin_rank_idx', { synchronize: false })
export class UserExtra {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'likes_count', type: 'integer', default: 0 }) likesCount: number;
  @Column({ name: 'comments_count', type: 'integer', default: 0 }) commentsCount: number;
  @Column({ name: 'followers_count', type: 'integer', default: 0 }) followersCount: number;
  @Column({ name: 'followings_count', type: 'integer', default: 0 }) followingsCount: number;
  @Column({ name: 'feeds_count', type: 'integer', default: 0 }) feedsCount: number;
  @Column({ name: 'questions_count', type: 'integer', default: 0 }) questionsCount: number;
  @Column({ name: 'answers_count', type: 'integer', default: 0 }) answersCount: number;
  @Column({ name: 'be_reward_count', type: 'integer', default: 0 }) beRewardCount: number;
  @Column({ name: 'checkin_count', type: 'integer', default: 0 }) checkinCount: number;
  @Column({ name: 'last_checkin_count', type: 'integer', default: 0 }) lastCheckinCount: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
