import { CreateDateColumn, Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/** The admin-curated list behind `GET /user/recommends`. */
@Entity('recommended_users')
@Index('recommended_users_created_idx', ['createdAt'])
export class RecommendedUser {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @OneToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @Column({ name: 'created_by', type: 'bigint', nullable: true }) createdBy: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
