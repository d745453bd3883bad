import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { invalid } from '../common/errors/api-error';
import { DEFAULT_LIMIT } from '../common/pagination/paging';
import { SqlParams } from '../database/sql-params';
import { runSql } from '../database/sql';
import { inTransaction } from '../database/transactions';
import { FollowPair, UserExtras } from '../users/user-extras.service';
import { UserViews } from '../users/user-views.service';
import { UsersService } from '../users/users.service';
import { PublicUser } from '../users/views/user.view';

/**
 * Follow relations (mobile-api §4.3). Idempotent both ways; the counters move only when a row was really inserted or
 * deleted, in the same transaction, and are locked in user-id order so opposite follows cannot deadlock.
 */
@Injectable()
export class FollowsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: UserViews,
    private readonly users: UsersService,
    private readonly extras: UserExtras,
  ) {}

  async follow(userId: number, targetId: number): Promise<void> {
    if (userId === targetId) throw invalid('target', 'cannot_follow_self');
    await inTransaction(this.db, async (manager) => {
      await this.users.lockLivePair(manager, userId, targetId);
      const inserted = await runSql(manager, 'INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, targetId]);
      if (inserted.rowCount) await this.extras.moveFollowCounts(manager, userId, targetId, 1);
    });
  }

  async unfollow(userId: number, targetId: number): Promise<void> {
    if (userId === targetId) throw invalid('target', 'cannot_follow_self');
    await inTransaction(this.db, async (manager) => {
      await this.users.lockLivePair(manager, userId, targetId);
      const deleted = await runSql(manager, 'DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [userId, targetId]);
      if (deleted.rowCount) await this.extras.moveFollowCounts(manager, userId, targetId, -1);
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

  /** Account cancellation: every relation of the user goes, with the other ends' counters fixed. */
  async removeAllOf(manager: EntityManager, userId: number): Promise<void> {
    const { rows: relations } = await runSql<FollowPair>(
      manager,
      'SELECT follower_id, followee_id FROM follows WHERE follower_id = $1 OR followee_id = $1 FOR UPDATE',
      [userId],
    );
    await this.extras.dropFollowCounts(manager, userId, relations);
    await runSql(manager, 'DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1', [userId]);
  }
}
