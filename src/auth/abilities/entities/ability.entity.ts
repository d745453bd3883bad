import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('abilities')
export class Ability {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'varchar', length: 64, unique: true }) name: string;
  @Column({ name: 'display_name', type: 'varchar', length: 128 }) displayName: string;
}
