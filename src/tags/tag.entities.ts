import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../users/entities/user.entity';

/** Most tags a user may hold (the clients say 标签最多可选5个); `user_tags.slot` makes it a database rule. */
export const MAX_TAGS_PER_USER = 5;

/** A group of tags (标签分类), managed by admins. */
@Entity('tag_categories')
export class TagCategory {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' }) id: number;
  @Index('tag_categories_name_key', { unique: true })
  @Column({ type: 'varchar', length: 150 })
  name: string;
  /** larger first */
  @Column({ type: 'integer', default: 0 }) weight: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A tag users pick for themselves (ThinkSNS+ `tags`). A tag in use cannot be deleted. */
@Entity('tags')
@Index('tags_category_idx', ['categoryId', 'weight'])
export class Tag {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' }) id: number;
  @Index('tags_name_key', { unique: true })
  @Column({ type: 'varchar', length: 150 })
  name: string;
  @Column({ name: 'tag_category_id', type: 'integer' }) categoryId: number;
  @ManyToOne(() => TagCategory, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'tag_category_id' }) category?: TagCategory;
  @Column({ type: 'integer', default: 0 }) weight: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A tag a user holds. Each takes one of the user's five numbered slots: (user_id, slot) is unique and slot is 1–5,
 * so no interleaving of requests can give a user a sixth tag.
 */
@Entity('user_tags')
@Unique('user_tags_slot_key', ['userId', 'slot'])
@Index('user_tags_tag_idx', ['tagId', 'userId'])
@Check('user_tags_slot_check', `slot BETWEEN 1 AND ${MAX_TAGS_PER_USER}`)
export class UserTag {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @PrimaryColumn({ name: 'tag_id', type: 'integer' }) tagId: number;
  @ManyToOne(() => Tag, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'tag_id' }) tag?: Tag;
  @Column({ type: 'smallint' }) slot: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
