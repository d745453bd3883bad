import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, CreateDateColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/**
 * Where a user said they are (people nearby, `/around-amap`), already rounded to ~100 m when written: the exact
 * position is never kept. The (latitude, longitude) btree answers the bounding box of a radius search.
 */
@Entity('user_positions')
@Index('user_positions_lat_lng_idx', ['latitude', 'longitude'])
export class UserPosition {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @OneToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;

  @Column({ type: 'double precision' }) latitude: number;
  @Column({ type: 'double precision' }) longitude: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
