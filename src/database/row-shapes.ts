import { FieldDef, Pool, Query, QueryResult, QueryResultRow, Result } from 'pg';

/** What pg's Result builds from a statement's row description: the parser of each column and an empty row. */
interface RowShape {
  fields: FieldDef[];
  parsers: unknown[];
  emptyRow: object;
}

/** The part of pg's Result (pg/lib/result.js) that a row description fills in. */
interface ResultInternals {
  fields: FieldDef[];
  _types: object;
  _parsers: unknown[] | undefined;
  _prebuiltEmptyResultObject: object | null;
  addFields(fields: FieldDef[]): void;
}

/** Per connection's type parsers (one set per pg client), the shape of each named statement's rows. */
const shapes = new WeakMap<object, Map<string, RowShape>>();

/**
 * Runs a named prepared statement whose rows are decoded with the shape built the first time the statement ran on
 * that connection. pg's Result rebuilds it on every execution (a type-parser lookup per column and an empty row with
 * every column name: ~16 µs for the 77 columns of the user view, the largest single cost of B1's row handling). A
 * named statement answers the same columns each time; the columns the server describes are still compared with the
 * kept shape on every execution, and a different description is decoded afresh and kept instead.
 */
export function queryWithKeptRowShape<T extends QueryResultRow>(pool: Pool, name: string, text: string, values: unknown[]): Promise<QueryResult<T>> {
  const query = new Query<T>({ name, text, values });
  const result = (query as unknown as { _result: ResultInternals })._result;
  result.addFields = (fields) => addKeptFields(result, name, fields);
  // pg-pool answers a promise of the result for a query object too (the types describe pg.Client's answer).
  return pool.query(query) as unknown as Promise<QueryResult<T>>;
}

function addKeptFields(result: ResultInternals, name: string, fields: FieldDef[]): void {
  let kept = shapes.get(result._types);
  const shape = kept?.get(name);
  if (shape && sameColumns(shape.fields, fields)) {
    result.fields = shape.fields;
    result._parsers = shape.parsers;
    result._prebuiltEmptyResultObject = shape.emptyRow;
    return;
  }
  // pg's own row description: a parser per column and the empty row, built afresh.
  (Result.prototype as unknown as ResultInternals).addFields.call(result, fields);
  if (!kept) shapes.set(result._types, (kept = new Map()));
  kept.set(name, { fields, parsers: result._parsers ?? [], emptyRow: result._prebuiltEmptyResultObject ?? {} });
}

function sameColumns(a: FieldDef[], b: FieldDef[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].dataTypeID !== b[i].dataTypeID || a[i].format !== b[i].format) return false;
  }
  return true;
}
