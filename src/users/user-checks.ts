import { EntityManager } from 'typeorm';
import { firstRow, runSql, SqlRunner } from '../database/sql';
import { EXISTING_USER, LIVE_USER } from './live-user';

/**
 * What other modules ask the users module about one user, and the counter they bump, so that only this module reads
 * and writes `users` / `user_extras` for them. Pass the transaction's manager when inside one.
 */

/** The user exists and is live (neither cancelled nor disabled): who may receive points or money. */
export async function isLiveUser(runner: SqlRunner, userId: number): Promise<boolean> {
  return (await firstRow(runner, `SELECT 1 FROM users u WHERE u.id = $1 AND ${LIVE_USER}`, [userId])) !== undefined;
}

/** The user exists (not cancelled; disabled or not): whom an admin may still act on. */
export async function userExists(runner: SqlRunner, userId: number): Promise<boolean> {
  return (await firstRow(runner, `SELECT 1 FROM users u WHERE u.id = $1 AND ${EXISTING_USER}`, [userId])) !== undefined;
}

/** One more reward received (`user_extras.be_reward_count`), in the caller's transaction. */
export async function countRewardReceived(manager: EntityManager, userId: number): Promise<void> {
  await runSql(manager, 'UPDATE user_extras SET be_reward_count = be_reward_count + 1, updated_at = now() WHERE user_id = $1', [userId]);
}
