import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Ability } from './ability.entity';
import { Role } from './role.entity';

@Entity('role_abilities')
export class RoleAbility {
  @PrimaryColumn({ name: 'role_id', type: 'integer' }) roleId: number;
  @PrimaryColumn({ name: 'ability_id', type: 'integer' }) abilityId: number;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'role_id' }) role?: Role;
  @ManyToOne(() => Ability, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ability_id' }) ability?: Ability;
}
