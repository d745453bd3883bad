/** TypeORM's `query()` answers UPDATE / DELETE with `[rows, rowCount]`; this reads the count. */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

/** The rows of an UPDATE / DELETE … RETURNING. */
export function returnedRows<T = Record<string, unknown>>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : [];
}
