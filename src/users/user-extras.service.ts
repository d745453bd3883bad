import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { runSql } from '../database/sql';

/** A follow relation, by its two ends. */
export interface FollowPair {
  follower_id: number;
  followee_id: number;
}

/**
 * The counters of `user_extras` (owned here): moved by the follow graph, rewards and check-ins, always inside the
 * caller's transaction, locking rows in user-id order so opposite moves cannot deadlock.
 */
@Injectable()
export class UserExtras {
  /** One follow added (+1) or removed (-1): the follower's followings and the followee's followers. */
  async moveFollowCounts(manager: EntityManager, followerId: number, followeeId: number, delta: 1 | -1): Promise<void> {
    const updates = [
      { id: followerId, sql: 'UPDATE user_extras SET followings_count = followings_count + $2, updated_at = now() WHERE user_id = $1' },
      { id: followeeId, sql: 'UPDATE user_extras SET followers_count = followers_count + $2, updated_at = now() WHERE user_id = $1' },
    ].sort((a, b) => a.id - b.id);
    for (const update of updates) await runSql(manager, update.sql, [update.id, delta]);
  }

  /** Every relation of `userId` is gone: the other ends' counters drop (locked in id order), the user's own are zero. */
  async dropFollowCounts(manager: EntityManager, userId: number, relations: FollowPair[]): Promise<void> {
    const others = [...new Set(relations.map((r) => (r.follower_id === userId ? r.followee_id : r.follower_id)))];
    await runSql(manager, 'SELECT 1 FROM user_extras WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE', [others]);
    await runSql(
      manager,
      `UPDATE user_extras e SET
         followers_count = e.followers_count - (SELECT count(*) FROM unnest($2::bigint[]) x WHERE x = e.user_id),
         followings_count = e.followings_count - (SELECT count(*) FROM unnest($3::bigint[]) x WHERE x = e.user_id),
         updated_at = now()
       WHERE e.user_id = ANY($1)`,
      [
        others,
        relations.filter((r) => r.follower_id === userId).map((r) => r.followee_id),
        relations.filter((r) => r.followee_id === userId).map((r) => r.follower_id),
      ],
    );
    await runSql(manager, 'UPDATE user_extras SET followers_count = 0, followings_count = 0, updated_at = now() WHERE user_id = $1', [userId]);
  }

  /** The user received a reward. */
  async countReward(manager: EntityManager, userId: number): Promise<void> {
    await runSql(manager, 'UPDATE user_extras SET be_reward_count = be_reward_count + 1, updated_at = now() WHERE user_id = $1', [userId]);
  }

  /** A daily check-in landed: one more in total, `streak` consecutive days. */
  async countCheckin(manager: EntityManager, userId: number, streak: number): Promise<void> {
    await runSql(manager, 'UPDATE user_extras SET checkin_count = checkin_count + 1, last_checkin_count = $2, updated_at = now() WHERE user_id = $1', [
      userId,
      streak,
    ]);
  }
}
