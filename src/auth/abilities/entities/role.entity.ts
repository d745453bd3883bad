import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('roles')
export class Role {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 64, unique: true }) name: string;
  @Column({ name: 'display_name', type: 'varchar', length: 128 }) displayName: string;
  /** The founder role: every ability, including ones added later. */
  @Column({ name: 'grants_all', type: 'boolean', default: false }) grantsAll: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
