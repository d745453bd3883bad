import { SqlParams } from '../database/sql-params';
import { FieldDef } from './where/fields';
import { fieldSql } from './where/where-compiler';
import { QueryLanguageError, scalarOf } from './where/where-parser';

export type FieldUpdate =
  | { field: FieldDef; op: 'set'; value: unknown }
  | { field: FieldDef; op: 'unset' }
  | { field: FieldDef; op: 'incr_by'; value: number }
  | { field: FieldDef; op: 'append' | 'append_unique' | 'remove'; value: unknown[] }
  | { field: FieldDef; op: 'pop'; value: 1 | -1 }
  | { field: FieldDef; op: 'update'; value: Record<string, unknown> };

const ATOMIC = new Set(['$incr_by', '$append', '$append_unique', '$remove', '$pop', '$update']);
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * JSON that stores and reads back as sent: a number beyond double range (`1e400`) parses to Infinity, which JSON can
 * only write as null, so it is refused rather than silently stored as null.
 */
function exactJson<T>(value: T, name: string): T {
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === 'number' && !Number.isFinite(item)) throw new QueryLanguageError(`${name}: a number is out of range`);
    if (typeof item === 'object' && item !== null) pending.push(...Object.values(item));
  }
  return value;
}

/** A value to store in a custom field of this type (dates normalised to ISO 8601 UTC), or a 400. */
function storedValue(field: FieldDef, value: unknown): unknown {
  if (field.type === 'array') {
    if (!Array.isArray(value)) throw new QueryLanguageError(`${field.name}: an array is expected`);
    return exactJson(value, field.name);
  }
  if (field.type === 'object') {
    if (!isPlainObject(value)) throw new QueryLanguageError(`${field.name}: an object is expected`);
    return exactJson(value, field.name);
  }
  if (field.type === 'string' && typeof value === 'string') {
    // Stored as sent, up to 64 Ki characters (a where value is capped lower, at LIMITS.stringLength).
    if (value.length > 65_536) throw new QueryLanguageError(`${field.name}: the string is too long`);
    return value;
  }
  return scalarOf(field.type, value, field.name);
}

function atomic(field: FieldDef, op: string, operand: unknown): FieldUpdate {
  const name = field.name;
  switch (op) {
    case '$incr_by':
      if (field.type !== 'integer' && field.type !== 'number') throw new QueryLanguageError(`$incr_by does not apply to ${name} (${field.type})`);
      return { field, op: 'incr_by', value: scalarOf(field.type, operand, name) as number };
    case '$append':
    case '$append_unique':
    case '$remove':
      if (field.type !== 'array') throw new QueryLanguageError(`${op} does not apply to ${name} (${field.type})`);
      if (!Array.isArray(operand)) throw new QueryLanguageError(`${op} takes an array`);
      return { field, op: op.slice(1) as 'append', value: exactJson(operand, name) };
    case '$pop':
      if (field.type !== 'array') throw new QueryLanguageError(`$pop does not apply to ${name} (${field.type})`);
      if (operand !== 1 && operand !== -1) throw new QueryLanguageError('$pop takes 1 (last) or -1 (first)');
      return { field, op: 'pop', value: operand };
    default:
      if (field.type !== 'object') throw new QueryLanguageError(`$update does not apply to ${name} (${field.type})`);
      if (!isPlainObject(operand)) throw new QueryLanguageError('$update takes an object');
      return { field, op: 'update', value: exactJson(operand, name) };
  }
}

/**
 * The three body forms of operator-api §4 (flat with atomic operators, flat + `$unset`, wrapped `$set` / `$unset`)
 * into one list of field updates. All-or-nothing: any bad field rejects the whole body.
 */
export function parseProfileUpdate(body: unknown, schema: Map<string, FieldDef>): FieldUpdate[] {
  if (!isPlainObject(body) || Object.keys(body).length === 0) throw new QueryLanguageError('the body must be a non-empty JSON object');
  const updates = new Map<string, FieldUpdate>();
  const add = (name: string, make: (field: FieldDef) => FieldUpdate) => {
    const field = schema.get(name);
    if (!field) throw new QueryLanguageError(`unknown field ${name}`);
    if (!field.custom) throw new QueryLanguageError(`${name} is a built-in field and cannot be written here`);
    if (updates.has(name)) throw new QueryLanguageError(`${name} is updated twice`);
    updates.set(name, make(field));
  };
  const setOrAtomic = (name: string, value: unknown) =>
    add(name, (field) => {
      if (isPlainObject(value) && Object.keys(value).length === 1 && Object.keys(value)[0].startsWith('$')) {
        const [op] = Object.keys(value);
        if (!ATOMIC.has(op)) throw new QueryLanguageError(`unknown operator ${op}`);
        return atomic(field, op, value[op]);
      }
      return value === null ? { field, op: 'unset' } : { field, op: 'set', value: storedValue(field, value) };
    });
  for (const [key, value] of Object.entries(body)) {
    if (key === '$set') {
      if (!isPlainObject(value)) throw new QueryLanguageError('$set takes an object');
      for (const [name, fieldValue] of Object.entries(value)) setOrAtomic(name, fieldValue);
    } else if (key === '$unset') {
      if (!isPlainObject(value)) throw new QueryLanguageError('$unset takes an object');
      for (const name of Object.keys(value)) add(name, (field) => ({ field, op: 'unset' }));
    } else if (key.startsWith('$')) {
      throw new QueryLanguageError(`unknown operator ${key}`);
    } else {
      setOrAtomic(key, value);
    }
  }
  return [...updates.values()];
}

/** The new `custom` value as one SQL expression over the current row: every operator is evaluated in the database. */
export function compileProfileUpdate(updates: FieldUpdate[], params: SqlParams): string {
  let expr = 'u.custom';
  for (const update of updates) {
    const key = params.add(update.field.name);
    const path = `ARRAY[${key}::text]`;
    const current = (type: 'array' | 'object') =>
      `coalesce(CASE WHEN jsonb_typeof(u.custom -> ${key}::text) = '${type}' THEN u.custom -> ${key}::text END, '${type === 'array' ? '[]' : '{}'}'::jsonb)`;
    let value: string;
    switch (update.op) {
      case 'unset':
        expr = `(${expr} - ${key}::text)`;
        continue;
      case 'set':
        value = `${params.add(JSON.stringify(update.value))}::jsonb`;
        break;
      case 'incr_by':
        value = `to_jsonb(coalesce(${fieldSql(update.field, params)}, 0) + ${params.add(update.value)}::numeric)`;
        break;
      case 'append':
        value = `${current('array')} || ${params.add(JSON.stringify(update.value))}::jsonb`;
        break;
      case 'append_unique': {
        const additions = params.add(JSON.stringify(update.value));
        value = `${current('array')} || coalesce((SELECT jsonb_agg(x ORDER BY i) FROM jsonb_array_elements(${additions}::jsonb) WITH ORDINALITY a(x, i)
                  WHERE NOT ${current('array')} @> jsonb_build_array(x)
                    AND i = (SELECT min(j) FROM jsonb_array_elements(${additions}::jsonb) WITH ORDINALITY b(y, j) WHERE y = x)), '[]'::jsonb)`;
        break;
      }
      case 'remove':
        value = `coalesce((SELECT jsonb_agg(x ORDER BY i) FROM jsonb_array_elements(${current('array')}) WITH ORDINALITY a(x, i)
                  WHERE NOT ${params.add(JSON.stringify(update.value))}::jsonb @> jsonb_build_array(x)), '[]'::jsonb)`;
        break;
      case 'pop':
        value = `${current('array')} - ${update.value === 1 ? -1 : 0}`;
        break;
      case 'update':
        value = `${current('object')} || ${params.add(JSON.stringify(update.value))}::jsonb`;
        break;
    }
    expr = `jsonb_set(${expr}, ${path}, ${value}, true)`;
  }
  return expr;
}
