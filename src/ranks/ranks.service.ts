import { Injectable } from '@nestjs/common';
import { SqlParams } from '../database/sql-params';
import { UserViews } from '../users/user-views.service';
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

/** The ThinkSNS+ rank lists (thinksns-compat §6): public user objects with `extra.rank` (and `extra.count`). */
@Injectable()
export class RanksService {
  constructor(private readonly views: UserViews) {}

  async page(name: RankName, query: RankPageQuery, viewerId: number | null) {
    const rank = RANKS[name];
    const offset = query.offset ?? 0;
    const rows = await this.views.listWith<{ rank_count: number | null }>({
      from: rank.from,
      where: [...rank.where],
      orderBy: rank.orderBy,
      limit: query.limit ?? RANK_DEFAULT_LIMIT,
      offset,
      relativeTo: { follower: viewerId, following: viewerId },
      params: new SqlParams(),
      select: `${rank.count ?? 'NULL::int'} AS rank_count`,
    });
    return rows.map(({ user, row }, i) => {
      const extra = rank.count === null ? { rank: offset + i + 1 } : { count: row.rank_count, rank: offset + i + 1 };
      return { ...user, extra: { ...user.extra, ...extra } };
    });
  }
}
