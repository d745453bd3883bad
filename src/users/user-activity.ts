import { runSql, SqlRunner } from '../database/sql';

/**
 * The two activity columns of `users` that the per-request token check moves (see auth-sessions.service.ts). Plain
 * functions, not a service: the token check runs below every module, so it cannot depend on the users module.
 */

/** Marks the user as having written (read-your-writes routing, see read-replicas.ts); at most once a second. */
export async function recordWrite(db: SqlRunner, userId: number): Promise<void> {
  await runSql(db, `UPDATE users SET wrote_at = now() WHERE id = $1 AND (wrote_at IS NULL OR wrote_at < now() - interval '1 second')`, [userId]);
}

/** Moves `last_active_at`, at most once a minute. */
export async function recordActivity(db: SqlRunner, userId: number): Promise<void> {
  await runSql(db, `UPDATE users SET last_active_at = now() WHERE id = $1 AND (last_active_at IS NULL OR last_active_at < now() - interval '1 minute')`, [
    userId,
  ]);
}
