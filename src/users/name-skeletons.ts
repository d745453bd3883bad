import { usernameSkeleton } from '../common/validation/username';

type Query = (text: string, values?: unknown[]) => Promise<unknown>;

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/**
 * Sets `users.name_skeleton` for the users with ids in [from, to] that have none (rows written in SQL: the migration's
 * backfill, the demo seeder). A live name whose skeleton another live user already holds keeps NULL (the older
 * account wins), which the partial unique index allows, until it is renamed. Returns how many rows it filled.
 */
export async function fillNameSkeletons(query: Query, from: number, to: number): Promise<number> {
  const rows = rowsOf<{ id: number; name: string; live: boolean }>(
    await query('SELECT id, name, cancelled_at IS NULL AS live FROM users WHERE id BETWEEN $1 AND $2 AND name_skeleton IS NULL ORDER BY id', [from, to]),
  );
  const ids: number[] = [];
  const skeletons: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const skeleton = usernameSkeleton(row.name);
    if (row.live && seen.has(skeleton)) continue;
    if (row.live) seen.add(skeleton);
    ids.push(row.id);
    skeletons.push(skeleton);
  }
  if (!ids.length) return 0;
  const result = await query(
    `UPDATE users u SET name_skeleton = s.skeleton FROM unnest($1::bigint[], $2::varchar[]) AS s(id, skeleton)
      WHERE u.id = s.id
        AND (u.cancelled_at IS NOT NULL
             OR NOT EXISTS (SELECT 1 FROM users o WHERE o.name_skeleton = s.skeleton AND o.cancelled_at IS NULL))
     RETURNING u.id`,
    [ids, skeletons],
  );
  return Array.isArray(result) && Array.isArray(result[0]) ? result[0].length : rowsOf(result).length;
}
