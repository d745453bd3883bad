import { SqlParams } from '../../database/sql-params';
import { FieldDef } from './fields';
import { fieldSql } from './where-compiler';
import { QueryLanguageError } from './where-parser';

export const DEFAULT_ORDER = '-created_at';

/** `order_by` (comma list, `-` = descending) to SQL; `id` is always the final tie-breaker (operator-api §3). */
export function compileOrderBy(raw: string | undefined, schema: Map<string, FieldDef>, params: SqlParams): string {
  const keys = (raw ?? DEFAULT_ORDER)
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (keys.length === 0 || keys.length > 10) throw new QueryLanguageError('order_by takes 1 to 10 fields');
  const parts: string[] = [];
  let idDirection: string | null = null;
  for (const key of keys) {
    const descending = key.startsWith('-');
    const name = descending ? key.slice(1) : key;
    const field = schema.get(name);
    if (!field) throw new QueryLanguageError(`unknown field ${name} in order_by`);
    if (!field.sortable) throw new QueryLanguageError(`${name} is not sortable`);
    const direction = descending ? 'DESC' : 'ASC';
    if (!field.custom && field.sql === 'u.id') idDirection = direction;
    parts.push(`${fieldSql(field, params)} ${direction}${field.nullable ? ' NULLS LAST' : ''}`);
  }
  if (idDirection === null) parts.push(`u.id ${keys[0].startsWith('-') ? 'DESC' : 'ASC'}`);
  return parts.join(', ');
}
