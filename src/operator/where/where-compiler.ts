import { escapeLike, SqlParams } from '../../database/sql-params';
import { FieldDef, ValueType } from './fields';
import { Condition } from './where-parser';

/** PostgreSQL type of a bound parameter for a value type. */
const PARAM_TYPES: Partial<Record<ValueType, string>> = {
  integer: 'bigint',
  number: 'numeric',
  string: 'text',
  boolean: 'boolean',
  date: 'text',
  unix: 'double precision',
  group: 'int',
};

/**
 * The SQL expression of a field over `u`. Custom values are read from `users.custom` with the key bound as a
 * parameter; numbers and booleans only where the stored JSON really is one (never a failing cast).
 */
export function fieldSql(field: FieldDef, params: SqlParams): string {
  if (!field.custom) return field.sql!;
  const key = `${params.add(field.name)}::text`;
  switch (field.type) {
    case 'integer':
    case 'number':
      return `(CASE WHEN jsonb_typeof(u.custom -> ${key}) = 'number' THEN (u.custom ->> ${key})::numeric END)`;
    case 'boolean':
      return `(CASE WHEN jsonb_typeof(u.custom -> ${key}) = 'boolean' THEN (u.custom ->> ${key})::boolean END)`;
    case 'string':
    case 'date':
      return `(CASE WHEN jsonb_typeof(u.custom -> ${key}) = 'string' THEN u.custom ->> ${key} END)`;
    default:
      return `(CASE WHEN jsonb_typeof(u.custom -> ${key}) <> 'null' THEN u.custom -> ${key} END)`;
  }
}

/** Integer fields compare with any number (`score > 9.5`): bigint while the value is one (index-friendly), else numeric. */
const paramType = (field: FieldDef, values: unknown[]) =>
  field.type === 'integer' && !values.every((v) => Number.isSafeInteger(v)) ? 'numeric' : PARAM_TYPES[field.type];

function param(field: FieldDef, value: unknown, params: SqlParams): string {
  if (field.type === 'array' || field.type === 'object') return `${params.add(value)}::jsonb`;
  return `${params.add(value)}::${paramType(field, [value])}`;
}

function listParam(field: FieldDef, values: unknown[], params: SqlParams): string {
  return `${params.add(values)}::${paramType(field, values)}[]`;
}

/**
 * `created_at` / `updated_at` are shown as whole seconds, so conditions are on the shown value s = floor(epoch):
 * stored microseconds never leak into a comparison (`{"$gt": t}` never matches a user shown with t). Each bound is
 * rewritten to a range on the column, so its index still serves the query.
 */
function compareUnix(expr: string, op: string, value: unknown, params: SqlParams): string {
  const at = (seconds: number) => `to_timestamp(${params.add(seconds)}::double precision)`;
  const t = value as number;
  switch (op) {
    case '$gt':
      return `${expr} >= ${at(Math.floor(t) + 1)}`;
    case '$gte':
      return `${expr} >= ${at(Math.ceil(t))}`;
    case '$lt':
      return `${expr} < ${at(Math.ceil(t))}`;
    case '$lte':
      return `${expr} < ${at(Math.floor(t) + 1)}`;
    case '$eq':
      return Number.isInteger(t) ? `(${expr} >= ${at(t)} AND ${expr} < ${at(t + 1)})` : 'FALSE';
    case '$ne':
      return Number.isInteger(t) ? `(${expr} < ${at(t)} OR ${expr} >= ${at(t + 1)})` : 'TRUE';
    case '$in':
      return `floor(extract(epoch FROM ${expr})) = ANY(${params.add(value)}::double precision[])`;
    case '$nin':
      return `NOT (floor(extract(epoch FROM ${expr})) = ANY(${params.add(value)}::double precision[]))`;
    default: {
      // $range [start, end)
      const [start, end] = value as number[];
      return `(${expr} >= ${at(Math.ceil(start))} AND ${expr} < ${at(Math.ceil(end))})`;
    }
  }
}

function compare(condition: Extract<Condition, { kind: 'compare' }>, params: SqlParams): string {
  const { field, op, value } = condition;
  // Decided before fieldSql binds the key of a custom field: an unused parameter has no type and fails the query.
  if ((op === '$in' || op === '$nin') && (value as unknown[]).length === 0) return op === '$in' ? 'FALSE' : 'TRUE';
  if (field.type === 'group') {
    return `EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_id = ANY(${listParam(field, value as unknown[], params)}))`;
  }
  const expr = fieldSql(field, params);
  if (field.type === 'unix' && op !== '$exists' && op !== '$isnull') return compareUnix(expr, op, value, params);
  const list = value as unknown[];
  switch (op) {
    case '$eq':
      return `${expr} = ${param(field, value, params)}`;
    case '$ne':
      return `${expr} IS DISTINCT FROM ${param(field, value, params)}`;
    case '$lt':
      return `${expr} < ${param(field, value, params)}`;
    case '$lte':
      return `${expr} <= ${param(field, value, params)}`;
    case '$gt':
      return `${expr} > ${param(field, value, params)}`;
    case '$gte':
      return `${expr} >= ${param(field, value, params)}`;
    case '$contains':
      return `${expr} LIKE ${params.add(`%${escapeLike(value as string)}%`)}`;
    case '$icontains':
      return `${expr} ILIKE ${params.add(`%${escapeLike(value as string)}%`)}`;
    case '$regex':
      // The pattern is already a PostgreSQL ARE with embedded options (js-regex.ts).
      return `${expr} ~ ${params.add(value)}`;
    case '$in':
      if (field.type === 'array') return `EXISTS (SELECT 1 FROM jsonb_array_elements(${expr}) e WHERE e = ANY(${params.add(list)}::jsonb[]))`;
      return `${expr} = ANY(${listParam(field, list, params)})`;
    case '$nin':
      if (field.type === 'array')
        return `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(${expr}, '[]')) e WHERE e = ANY(${params.add(list)}::jsonb[]))`;
      return `(${expr} IS NULL OR NOT (${expr} = ANY(${listParam(field, list, params)})))`;
    case '$all':
      return `${expr} @> ${params.add(`[${list.join(',')}]`)}::jsonb`;
    case '$range': {
      const [start, end] = list;
      // The bounds are numbers (the parser takes 1.5 for an integer field): never cast them to bigint.
      const bound = field.type === 'integer' ? { ...field, type: 'number' as const } : field;
      return `(${expr} >= ${param(bound, start, params)} AND ${expr} < ${param(bound, end, params)})`;
    }
    case '$isnull':
      return value ? `${expr} IS NULL` : `${expr} IS NOT NULL`;
    case '$exists':
      return value ? `${expr} IS NOT NULL` : `${expr} IS NULL`;
    case '$has_key':
      return `(jsonb_typeof(${expr}) = 'object' AND ${expr} ? ${params.add(value)})`;
  }
}

/** Compiles a condition tree to a parameterised SQL boolean over the users row `u`; no request text enters the SQL. */
export function compileWhere(condition: Condition | null, params: SqlParams): string {
  if (condition === null) return 'TRUE';
  if (condition.kind === 'compare') return compare(condition, params);
  // An empty object inside $and / $or (`{"$and":[{}]}`) is "everything", as `{}` is at the top.
  if (condition.children.length === 0) return 'TRUE';
  const joiner = condition.kind === 'and' ? ' AND ' : ' OR ';
  return `(${condition.children.map((child) => compileWhere(child, params)).join(joiner)})`;
}
