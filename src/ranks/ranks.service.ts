import { Injectable } from '@nestjs/common';
import { SqlParams } from '../database/sql-params';
import { UserListQuery, userListSql, UserViews } from '../users/user-views.service';
import { PublicUser } from '../users/views/user.view';
import { RANK_DEFAULT_LIMIT, RankPageQuery } from './dto/rank-page.query';

/**
 * Where a rank reads its order: each is one index walked in order (no scan, no aggregate per request) —
 * user_extras_followers_rank_idx, user_currencies_earned_idx (the running earned total the income ranking keeps),
 * wallets_balance_rank_idx, user_extras_checkin_rank_idx. `count` is the figure the original showed as `extra.count`.
 */
const RANKS = {
  followers: { from: 'users u', where: [], orderBy: 'e.followers_count DESC, u.id', count: 'e.followers_count' },
  income: {
    from: 'user_currencies c JOIN users u ON u.id = c.owner_id',
    where: ['c.earned_total > 0'],
    orderBy: 'c.earned_total DESC, c.owner_id',
    count: null,
  },
  // Ranked by balance; the amount itself is never shown.
  balance: { from: 'wallets w JOIN users u ON u.id = w.owner_id', where: ['w.balance > 0'], orderBy: 'w.balance DESC, w.owner_id', count: null },
  checkin: { from: 'users u', where: ['e.checkin_count > 0'], orderBy: 'e.checkin_count DESC, u.id', count: 'e.checkin_count' },
} as const;

export type RankName = keyof typeof RANKS;

/** One page of a rank as a user list (UserViews.listWith): `rank_count` beside each user. */
export function rankListQuery(name: RankName, query: RankPageQuery, viewerId: number | null): UserListQuery {
  const rank = RANKS[name];
  return {
    from: rank.from,
    where: [...rank.where],
    orderBy: rank.orderBy,
    limit: query.limit ?? RANK_DEFAULT_LIMIT,
    offset: query.offset ?? 0,
    relativeTo: { follower: viewerId, following: viewerId },
    params: new SqlParams(),
    select: `${rank.count ?? 'NULL::int'} AS rank_count`,
  };
}

/** The statement of a rank page: `$1` / `$2` the viewer (follow flags), `$3` limit, `$4` offset (the bench's baseline runs it). */
export function rankPageSql(name: RankName): string {
  return userListSql(rankListQuery(name, {}, null));
}

/** A ranked user: the public view with `extra.rank` (offset + position) and, where the rank has one, `extra.count`. */
export function rankedUser(user: PublicUser, rankCount: number | null, position: number) {
  const extra = rankCount === null ? { rank: position } : { count: rankCount, rank: position };
  return { ...user, extra: { ...user.extra, ...extra } };
}

/** The ThinkSNS+ rank lists (thinksns-compat §6): public user objects with `extra.rank` (and `extra.count`). */
@Injectable()
export class RanksService {
  constructor(private readonly views: UserViews) {}

  async page(name: RankName, query: RankPageQuery, viewerId: number | null) {
    const offset = query.offset ?? 0;
    const rows = await this.views.listWith<{ rank_count: number | null }>(rankListQuery(name, query, viewerId));
    return rows.map(({ user, row }, i) => rankedUser(user, row.rank_count, offset + i + 1));
  }
}
