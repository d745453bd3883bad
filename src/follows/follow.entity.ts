import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** `follower` follows `followee`. The counters in user_extras always equal the number of these rows. */
@Entity('follows')
@Index('follows_followee_idx', ['followeeId', 'createdAt'])
@Index('follows_follower_created_idx', ['followerId', 'createdAt'])
export class Follow {
  @PrimaryColumn({ name: 'follower_id', type: 'bigint' }) followerId: number;
  @PrimaryColumn({ name: 'followee_id', type: 'bigint' }) followeeId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'follower_id' }) follower?: User;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'followee_id' }) followee?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
