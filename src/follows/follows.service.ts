import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { invalid, notFound, unauthenticated } from '../common/errors/api-error';
import { DEFAULT_LIMIT } from '../common/pagination/paging';
import { returnedRows } from '../database/query-result';
import { SqlParams } from '../database/sql-params';
import { inTransaction } from '../database/transactions';
import { LIVE_USER, UserViews } from '../users/user-views.service';
import { PublicUser } from '../users/views/user.view';

/**
 * Follow relations (mobile-api §4.3). Idempotent both ways; the counters move only when a row was really inserted or
 * deleted, in the same transaction, and are locked in user-id order so opposite follows cannot deadlock.
 */
@Injectable()
export class FollowsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly views: UserViews) {}

  async follow(userId: number, targetId: number): Promise<void> {
    if (userId === targetId) throw invalid('target', 'cannot_follow_self');
    await inTransaction(this.db, async (manager) => {
      await this.lockLiveUsers(manager, userId, targetId);
      const inserted = await manager.query(
        'INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING follower_id',
        [userId, targetId],
      );
      if (inserted.length) await this.moveCounters(manager, userId, targetId, 1);
    });
  }

  async unfollow(userId: number, targetId: number): Promise<void> {
    if (userId === targetId) throw invalid('target', 'cannot_follow_self');
    await inTransaction(this.db, async (manager) => {
      await this.lockLiveUsers(manager, userId, targetId);
      const deleted = await manager.query(
        'DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING follower_id',
        [userId, targetId],
      );
      if (returnedRows(deleted).length) await this.moveCounters(manager, userId, targetId, -1);
    });
  }

  /** Users that `userId` follows, newest relation first. */
  followings(userId: number, viewerId: number | null, limit = DEFAULT_LIMIT, offset = 0): Promise<PublicUser[]> {
    return this.relationList('r.followee_id', 'r.follower_id', userId, viewerId, limit, offset);
  }

  /** Users who follow `userId`, newest relation first. */
  followers(userId: number, viewerId: number | null, limit = DEFAULT_LIMIT, offset = 0): Promise<PublicUser[]> {
    return this.relationList('r.follower_id', 'r.followee_id', userId, viewerId, limit, offset);
  }

  private relationList(listed: string, owner: string, userId: number, viewerId: number | null, limit: number, offset: number) {
    const params = new SqlParams();
    return this.views.list({
      from: `follows r JOIN users u ON u.id = ${listed}`,
      where: [`${owner} = ${params.add(userId)}::bigint`],
      orderBy: `r.created_at DESC, u.id DESC`,
      limit,
      offset,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
    });
  }

  /**
   * Both users must be live; FOR SHARE (in id order) makes a concurrent cancel or disable of either wait for us (or us
   * see it gone), so a cancelled user never keeps or gains a relation. A follower gone meanwhile: its token is dead.
   */
  private async lockLiveUsers(manager: EntityManager, userId: number, targetId: number): Promise<void> {
    const rows: Array<{ id: number }> = await manager.query(
      `SELECT u.id FROM users u WHERE u.id = ANY($1::bigint[]) AND ${LIVE_USER} ORDER BY u.id FOR SHARE`,
      [[userId, targetId]],
    );
    const live = new Set(rows.map((row) => Number(row.id)));
    if (!live.has(userId)) throw unauthenticated();
    if (!live.has(targetId)) throw notFound();
  }

  private async moveCounters(manager: EntityManager, followerId: number, followeeId: number, delta: 1 | -1): Promise<void> {
    const updates = [
      { id: followerId, sql: 'UPDATE user_extras SET followings_count = followings_count + $2, updated_at = now() WHERE user_id = $1' },
      { id: followeeId, sql: 'UPDATE user_extras SET followers_count = followers_count + $2, updated_at = now() WHERE user_id = $1' },
    ].sort((a, b) => a.id - b.id);
    for (const update of updates) await manager.query(update.sql, [update.id, delta]);
  }
}
