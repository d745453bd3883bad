import { FieldType } from '../user-field.entity';

/** How values of a field are typed in `where`: the custom types, plus `unix` (built-in times) and `group` (roles). */
export type ValueType = FieldType | 'unix' | 'group';

/** A field the operator API knows: a built-in column or a custom value in `users.custom`. */
export interface FieldDef {
  name: string;
  type: ValueType;
  /** SQL expression over the users row `u` (built-ins only; custom fields are compiled from their name). */
  sql?: string;
  custom: boolean;
  filterable: boolean;
  sortable: boolean;
  /** false for NOT NULL columns: sorting them needs no NULLS LAST, so `ORDER BY` can walk their index */
  nullable: boolean;
}

const NOT_NULL_COLUMNS = new Set(['u.id', 'u.name', 'u.created_at', 'u.updated_at']);

const builtin = (name: string, type: ValueType, sql: string | undefined, sortable: boolean, filterable = true): FieldDef => ({
  name,
  type,
  sql,
  custom: false,
  filterable,
  sortable,
  nullable: !NOT_NULL_COLUMNS.has(sql ?? ''),
});

/** Built-in profile fields (operator-api §2). None of them is writable through the profile routes. */
export const BUILTIN_FIELDS: FieldDef[] = [
  builtin('id', 'integer', 'u.id', true),
  builtin('user_id', 'integer', 'u.id', true),
  builtin('created_by', 'integer', 'u.id', true),
  builtin('nickname', 'string', 'u.name', true),
  builtin('_username', 'string', 'u.name', true),
  builtin('gender', 'integer', 'u.sex::int', false),
  builtin('avatar', 'string', 'u.avatar', true),
  builtin('country', 'string', undefined, false, false),
  builtin('province', 'string', undefined, false, false),
  builtin('city', 'string', 'u.city', false),
  builtin('language', 'string', 'u.language', false),
  builtin('openid', 'string', 'u.openid', true),
  builtin('unionid', 'string', 'u.unionid', true),
  builtin('is_authorized', 'boolean', undefined, false, false),
  builtin('user_group', 'group', undefined, false),
  builtin('_group', 'group', undefined, false),
  builtin('_email', 'string', 'u.email', true),
  builtin('_phone', 'string', 'u.phone', true),
  builtin('_email_verified', 'boolean', 'u.email_verified', true),
  builtin('_phone_verified', 'boolean', 'u.phone_verified', true),
  builtin('created_at', 'unix', 'u.created_at', true),
  builtin('updated_at', 'unix', 'u.updated_at', true),
];

export const BUILTIN_NAMES = new Set(BUILTIN_FIELDS.map((f) => f.name));

/** The fields a request may name: built-ins plus the custom schema. A Map, so `__proto__` is just an unknown name. */
export function fieldSchema(custom: Array<{ name: string; type: FieldType }>): Map<string, FieldDef> {
  const schema = new Map<string, FieldDef>(BUILTIN_FIELDS.map((f) => [f.name, f]));
  for (const field of custom) {
    schema.set(field.name, {
      name: field.name,
      type: field.type,
      custom: true,
      filterable: true,
      sortable: !['array', 'object'].includes(field.type),
      nullable: true,
    });
  }
  return schema;
}
