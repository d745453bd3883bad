import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../../users/entities/user.entity';
import { Role } from './role.entity';

@Entity('user_roles')
@Index('user_roles_role_idx', ['roleId'])
export class UserRole {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @PrimaryColumn({ name: 'role_id', type: 'integer' }) roleId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @ManyToOne(() => Role, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'role_id' }) role?: Role;
}
