import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'array', 'object'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A custom profile field of the operator API; values live in `users.custom` (jsonb) under this name. */
@Entity('user_fields')
@Check('user_fields_type_check', `type IN ('string', 'integer', 'number', 'boolean', 'date', 'array', 'object')`)
export class UserField {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 16 }) type: FieldType;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
