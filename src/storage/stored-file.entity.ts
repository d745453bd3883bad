import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

/** An uploaded image, addressed by its node (`public:2021/01/05/<random>.jpg`). */
@Entity('files')
@Index('files_owner_idx', ['ownerId'])
/** The same content sent again by its owner is the same file (md5 of the bytes as the client sent them, before re-encoding). */
@Index('files_owner_md5_key', ['ownerId', 'md5'], { unique: true, where: 'md5 IS NOT NULL AND NOT private' })
export class StoredFile {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Index('files_node_key', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  node: string;

  @Column({ name: 'owner_id', type: 'bigint' }) ownerId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'owner_id' }) owner?: User;

  @Column({ type: 'varchar', length: 32 }) mime: string;
  @Column({ type: 'integer' }) size: number;
  @Column({ type: 'integer' }) width: number;
  @Column({ type: 'integer' }) height: number;
  /** md5 (hex) of the bytes the client uploaded; null for files imported from ThinkSNS+. */
  @Column({ type: 'char', length: 32, nullable: true }) md5: string | null;
  /** ID-card photos and certificates: served only to their owner and admins. */
  @Column({ type: 'boolean', default: false }) private: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
