import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/**
 * An upload announced with `POST /storage` (ThinkSNS+ 2.x upload task): the bytes come later with a `PUT` to a signed
 * URL, and must have the announced md5 and size. Used once: `used_at` is set by a conditional update.
 */
@Entity('upload_tasks')
@Index('upload_tasks_owner_idx', ['ownerId'])
export class UploadTask {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ name: 'owner_id', type: 'bigint' }) ownerId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'owner_id' }) owner?: User;

  @Column({ type: 'char', length: 32 }) md5: string;
  @Column({ type: 'integer' }) size: number;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
