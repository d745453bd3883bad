import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** An uploaded image, addressed by its node (`public:2021/01/05/<random>.jpg`). */
@Entity('files')
@Index('files_owner_idx', ['ownerId'])
export class StoredFile {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('files_node_key', { unique: true })
  @Column({ type: 'varchar', length: 128 }) node: string;

  @Column({ name: 'owner_id', type: 'bigint' }) ownerId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'owner_id' }) owner?: User;

  @Column({ type: 'varchar', length: 32 }) mime: string;
  @Column({ type: 'integer' }) size: number;
  @Column({ type: 'integer' }) width: number;
  @Column({ type: 'integer' }) height: number;
  /** ID-card photos and certificates: served only to their owner and admins. */
  @Column({ type: 'boolean', default: false }) private: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
