import { FieldDef, ValueType } from './fields';
import { translateJsRegex } from './js-regex';

/** A rejected `where` / `order_by` (400 with the reason). */
export class QueryLanguageError extends Error {}

export type Operator =
  | '$eq'
  | '$ne'
  | '$lt'
  | '$lte'
  | '$gt'
  | '$gte'
  | '$contains'
  | '$icontains'
  | '$regex'
  | '$in'
  | '$nin'
  | '$all'
  | '$range'
  | '$isnull'
  | '$exists'
  | '$has_key';

export type Condition = { kind: 'and' | 'or'; children: Condition[] } | { kind: 'compare'; field: FieldDef; op: Operator; value: unknown };

export const LIMITS = { depth: 10, conditions: 100, listItems: 1000, whereBytes: 16 * 1024, regexLength: 256, stringLength: 10_000 };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const ORDERED: ValueType[] = ['integer', 'number', 'string', 'date', 'unix'];
const SCALAR: ValueType[] = ['integer', 'number', 'string', 'date', 'unix', 'boolean'];

/** Which value types each operator makes sense for (operator-api §3): anything else is a 400. */
const OPERATOR_TYPES: Record<Operator, ValueType[]> = {
  $eq: [...SCALAR, 'array', 'object'],
  $ne: [...SCALAR, 'array', 'object'],
  $lt: ORDERED,
  $lte: ORDERED,
  $gt: ORDERED,
  $gte: ORDERED,
  $contains: ['string'],
  $icontains: ['string'],
  $regex: ['string'],
  $in: [...SCALAR, 'array', 'group'],
  $nin: [...SCALAR, 'array'],
  $all: ['array'],
  $range: ['integer', 'number', 'unix'],
  $isnull: [...SCALAR, 'array', 'object'],
  $exists: [...SCALAR, 'array', 'object'],
  $has_key: ['object'],
};

/** What the SDK's include / within / withinCircle / withinRegion send. */
const GEO_OPERATORS = new Set(['$intersects', '$within', '$center', '$nearsphere']);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A scalar of the field's type, normalised (dates to ISO 8601 UTC); throws on a mismatch. */
export function scalarOf(type: ValueType, value: unknown, field: string): unknown {
  const mismatch = () => new QueryLanguageError(`${field}: value ${JSON.stringify(value)?.slice(0, 50)} is not of type ${type}`);
  switch (type) {
    case 'integer':
      if (!Number.isSafeInteger(value)) throw mismatch();
      return value;
    case 'number':
    case 'unix':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch();
      return value;
    case 'string':
      if (typeof value !== 'string' || value.length > LIMITS.stringLength) throw mismatch();
      return value;
    case 'date': {
      // ISO 8601 only (Date.parse alone takes "hello 2020" or "1"), and a real calendar day (not 2020-02-30).
      const iso = typeof value === 'string' ? ISO_DATE.exec(value) : null;
      if (!iso) throw mismatch();
      const time = Date.parse(value as string);
      const day = new Date(0);
      day.setUTCFullYear(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
      if (Number.isNaN(time) || day.getUTCDate() !== Number(iso[3])) throw mismatch();
      return new Date(time).toISOString();
    }
    case 'group':
      if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > 2_147_483_647) throw mismatch();
      return value;
    default:
      throw mismatch();
  }
}

class Parser {
  private conditions = 0;

  constructor(private readonly schema: Map<string, FieldDef>) {}

  object(where: unknown, depth: number): Condition {
    if (depth > LIMITS.depth) throw new QueryLanguageError(`$and / $or nest deeper than ${LIMITS.depth}`);
    if (!isPlainObject(where)) throw new QueryLanguageError('a where clause must be a JSON object');
    const parts: Condition[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value) || value.length === 0) throw new QueryLanguageError(`${key} takes a non-empty array`);
        parts.push({ kind: key === '$and' ? 'and' : 'or', children: value.map((child) => this.object(child, depth + 1)) });
      } else if (key.startsWith('$')) {
        throw new QueryLanguageError(`unknown operator ${key}`);
      } else {
        parts.push(...this.field(key, value));
      }
    }
    return parts.length === 1 ? parts[0] : { kind: 'and', children: parts };
  }

  private field(name: string, value: unknown): Condition[] {
    const field = this.schema.get(name);
    if (!field) throw new QueryLanguageError(`unknown field ${name}`);
    if (!field.filterable) throw new QueryLanguageError(`${name} cannot be queried`);
    const isOperatorObject = isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));
    if (!isOperatorObject) return [this.compare(field, value === null ? '$isnull' : '$eq', value === null ? true : value, '')];
    const operators = value as Record<string, unknown>;
    const options = operators.$options;
    if (options !== undefined && (operators.$regex === undefined || typeof options !== 'string')) {
      throw new QueryLanguageError('$options goes with $regex and takes JavaScript flags (i, m, s, u, g)');
    }
    return Object.entries(operators)
      .filter(([op]) => op !== '$options')
      .map(([op, operand]) => this.compare(field, op, operand, (options as string | undefined) ?? ''));
  }

  private compare(field: FieldDef, op: string, operand: unknown, regexFlags: string): Condition {
    if (GEO_OPERATORS.has(op)) throw new QueryLanguageError(`${op}: geo queries are not supported (user profiles have no geo fields)`);
    if (!Object.prototype.hasOwnProperty.call(OPERATOR_TYPES, op)) throw new QueryLanguageError(`unknown operator ${op}`);
    // `{"$eq": null}` / `{"$ne": null}` (the SDK's compare(f, '=', null)) mean "is null" / "is not null".
    if ((op === '$eq' || op === '$ne') && operand === null) return this.compare(field, '$isnull', op === '$eq', regexFlags);
    const operator = op as Operator;
    if (!OPERATOR_TYPES[operator].includes(field.type)) throw new QueryLanguageError(`${operator} does not apply to ${field.name} (${field.type})`);
    if (field.type === 'group' && operator !== '$in') throw new QueryLanguageError(`${field.name} takes $in only`);
    if (++this.conditions > LIMITS.conditions) throw new QueryLanguageError(`more than ${LIMITS.conditions} conditions`);
    const value = operator === '$regex' ? translateJsRegex(this.regexSource(operand), regexFlags) : this.operand(field, operator, operand);
    return { kind: 'compare', field, op: operator, value };
  }

  private regexSource(operand: unknown): string {
    if (typeof operand !== 'string' || operand.length > LIMITS.regexLength)
      throw new QueryLanguageError(`$regex takes a pattern of at most ${LIMITS.regexLength} characters`);
    return operand;
  }

  private operand(field: FieldDef, op: Operator, operand: unknown): unknown {
    const name = field.name;
    switch (op) {
      case '$isnull':
      case '$exists':
        if (typeof operand !== 'boolean') throw new QueryLanguageError(`${op} takes true or false`);
        return operand;
      case '$has_key':
        if (typeof operand !== 'string' || operand.length > 256) throw new QueryLanguageError('$has_key takes a key name');
        return operand;
      case '$in':
      case '$nin':
      case '$all': {
        if (!Array.isArray(operand)) throw new QueryLanguageError(`${op} takes an array`);
        if (operand.length > LIMITS.listItems) throw new QueryLanguageError(`${op} takes at most ${LIMITS.listItems} items`);
        return field.type === 'array' ? operand.map((item) => jsonItem(item, name)) : operand.map((item) => comparable(field, item));
      }
      case '$range': {
        if (!Array.isArray(operand) || operand.length !== 2) throw new QueryLanguageError('$range takes [start, end]');
        return operand.map((item) => comparable(field, item));
      }
      case '$eq':
      case '$ne':
        if (field.type === 'array') {
          if (!Array.isArray(operand)) throw new QueryLanguageError(`${name}: an array is expected`);
          return JSON.stringify(operand);
        }
        if (field.type === 'object') {
          if (!isPlainObject(operand)) throw new QueryLanguageError(`${name}: an object is expected`);
          return JSON.stringify(operand);
        }
        return comparable(field, operand);
      default:
        return comparable(field, operand);
    }
  }
}

/** A value to compare with the field: numbers compare as numbers, so `score > 9.5` on an integer field is valid (§6). */
function comparable(field: FieldDef, value: unknown): unknown {
  if (field.type === 'integer' && typeof value === 'number' && Number.isFinite(value)) return value;
  return scalarOf(field.type, value, field.name);
}

function jsonItem(item: unknown, field: string): string {
  if (item === null || ['string', 'number', 'boolean'].includes(typeof item)) return JSON.stringify(item);
  throw new QueryLanguageError(`${field}: array items to match must be strings, numbers, booleans or null`);
}

/** Parses the URL-encoded JSON `where` of operator-api §3 into a typed condition tree (null = everything). */
export function parseWhere(raw: string | undefined | null, schema: Map<string, FieldDef>): Condition | null {
  // Blank (`where=`, `where=%20`) is absent, as it was when the mobile input rule trimmed query values.
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  if (Buffer.byteLength(raw) > LIMITS.whereBytes) throw new QueryLanguageError(`where is longer than ${LIMITS.whereBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new QueryLanguageError('where is not valid JSON');
  }
  if (isPlainObject(json) && Object.keys(json).length === 0) return null;
  return new Parser(schema).object(json, 0);
}

export function conjunction(parts: Array<Condition | null>): Condition | null {
  const present = parts.filter((p): p is Condition => p !== null);
  if (present.length === 0) return null;
  return present.length === 1 ? present[0] : { kind: 'and', children: present };
}
