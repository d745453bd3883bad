import { FieldDef, Pool, Query } from 'pg';
import { queryWithKeptRowShape } from './row-shapes';

const TEXT = 25;
const INT4 = 23;
const field = (name: string, dataTypeID: number): FieldDef =>
  ({ name, dataTypeID, format: 'text', tableID: 0, columnID: 0, dataTypeSize: -1, dataTypeModifier: -1 }) as FieldDef;

/**
 * A stand-in for one pooled connection: drives the real pg Query through a row description, data rows and the end
 * of the statement as the protocol would, with the given columns and raw values.
 */
function connection(types: object) {
  return (columns: FieldDef[], rows: string[][]): Pool =>
    ({
      query: (query: Query) =>
        new Promise((resolve, reject) => {
          const q = query as unknown as {
            _result: { _types?: object };
            callback?: (error: Error | undefined, result: unknown) => void;
            handleRowDescription(msg: { fields: FieldDef[] }): void;
            handleDataRow(msg: { fields: string[] }): void;
            handleCommandComplete(msg: { text: string }, connection: unknown): void;
            handleReadyForQuery(connection: unknown): void;
          };
          q._result._types = types;
          q.callback = (error, result) => (error ? reject(error) : resolve(result));
          q.handleRowDescription({ fields: columns });
          for (const fields of rows) q.handleDataRow({ fields });
          q.handleCommandComplete({ text: `SELECT ${rows.length}` }, {});
          q.handleReadyForQuery({});
        }),
    }) as unknown as Pool;
}

describe('queryWithKeptRowShape', () => {
  const types = { getTypeParser: (oid: number) => (oid === INT4 ? Number : String) };

  it('decodes rows as pg does, reusing the shape for the same statement and columns', async () => {
    const pool = connection(types);
    const columns = [field('id', INT4), field('name', TEXT)];
    const first = await queryWithKeptRowShape(pool(columns, [['1', 'a']]), 'p_same', 'SELECT', []);
    const second = await queryWithKeptRowShape(pool([field('id', INT4), field('name', TEXT)], [['2', 'b']]), 'p_same', 'SELECT', []);
    expect(first.rows).toEqual([{ id: 1, name: 'a' }]);
    expect(second.rows).toEqual([{ id: 2, name: 'b' }]);
    expect(second.fields).toBe(first.fields);
  });

  it('decodes afresh, and keeps the new shape, when the statement describes different columns', async () => {
    const pool = connection(types);
    await queryWithKeptRowShape(pool([field('id', INT4), field('name', TEXT)], [['1', 'a']]), 'p_changed', 'SELECT', []);
    const renamed = await queryWithKeptRowShape(pool([field('id', INT4), field('title', TEXT)], [['2', 'b']]), 'p_changed', 'SELECT', []);
    expect(renamed.rows).toEqual([{ id: 2, title: 'b' }]);
    const retyped = await queryWithKeptRowShape(pool([field('id', TEXT), field('title', TEXT)], [['3', 'c']]), 'p_changed', 'SELECT', []);
    expect(retyped.rows).toEqual([{ id: '3', title: 'c' }]);
    const fewer = await queryWithKeptRowShape(pool([field('id', TEXT)], [['4']]), 'p_changed', 'SELECT', []);
    expect(fewer.rows).toEqual([{ id: '4' }]);
  });

  it('keeps shapes per connection type parsers: another connection builds its own', async () => {
    const other = { getTypeParser: () => (value: string) => `other:${value}` };
    const columns = [field('id', INT4)];
    await queryWithKeptRowShape(connection(types)(columns, [['1']]), 'p_per_connection', 'SELECT', []);
    const answer = await queryWithKeptRowShape(connection(other)(columns, [['1']]), 'p_per_connection', 'SELECT', []);
    expect(answer.rows).toEqual([{ id: 'other:1' }]);
  });
});
