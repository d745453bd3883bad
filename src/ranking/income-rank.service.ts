import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlParams } from '../database/sql-params';
import { cityOf } from '../users/city';
import { LIVE_USER, UserViews } from '../users/user-views.service';
import { IncomeRankQuery } from './dto/income-rank.query';
import { TODAY_UTC } from './earned-income';
import { IncomeRankRefresher } from './income-rank.refresher';
import { RankCombination, rankKey, SNAPSHOT_SIZE } from './income-rank.keys';

const DEFAULT_LIMIT = 100;
/** Extra snapshot rows read so that users disabled since the last refresh can be dropped without a short page. */
const MARGIN = 50;

/**
 * `GET /user/currency/income-rank` (mobile-api §9): served from the last snapshot only; a request never runs the full
 * computation, except once for a combination nobody asked for before (then it joins the refreshed set).
 */
@Injectable()
export class IncomeRankService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: UserViews,
    private readonly refresher: IncomeRankRefresher,
  ) {}

  async standing(query: IncomeRankQuery, viewerId: number | null) {
    const combination: RankCombination = { days: query.days ?? null, city: query.city ? cityOf(query.city) : null };
    const key = rankKey(combination);
    const refreshedAt = await this.snapshotTime(key, combination);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const entries: Array<{ user_id: number; amount: number }> = await this.db.query(
      'SELECT user_id, amount FROM income_rank_entries WHERE key = $1 AND rank <= $2 ORDER BY rank',
      [key, limit + MARGIN],
    );
    const params = new SqlParams();
    const users = await this.views.list({
      where: [`u.id = ANY(${params.add(entries.map((e) => e.user_id))}::bigint[])`],
      orderBy: 'u.id',
      limit: entries.length || 1,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
    });
    const byId = new Map(users.map((user) => [user.id, user]));
    const rankList = entries
      .filter((entry) => byId.has(entry.user_id))
      .slice(0, limit)
      .map((entry, position) => ({ user: byId.get(entry.user_id)!, amount_count: entry.amount, rank: String(position + 1) }));
    const body: Record<string, unknown> = { rank_list: rankList };
    const mine = viewerId === null ? null : await this.myRank(key, combination, viewerId);
    if (mine) body.my_rank = mine;
    return { body, refreshedAt };
  }

  /** The snapshot time of a combination, computing it first when it is new. */
  private async snapshotTime(key: string, combination: RankCombination): Promise<Date> {
    const [known] = await this.db.query(
      `SELECT refreshed_at, requested_at < now() - interval '1 day' AS stale_request FROM income_rank_keys WHERE key = $1`,
      [key],
    );
    if (known?.refreshed_at) {
      if (known.stale_request) await this.db.query('UPDATE income_rank_keys SET requested_at = now() WHERE key = $1', [key]);
      return known.refreshed_at;
    }
    await this.refresher.computeNow(combination);
    const [computed] = await this.db.query('SELECT refreshed_at FROM income_rank_keys WHERE key = $1', [key]);
    return computed.refreshed_at;
  }

  /** The viewer's position among live users of the snapshot, or "1000+" with their own amount. */
  private async myRank(key: string, combination: RankCombination, viewerId: number) {
    const owner = await this.views.owner(viewerId);
    if (!owner) return null;
    if (combination.city !== null) {
      const [viewer] = await this.db.query('SELECT city FROM users WHERE id = $1', [viewerId]);
      if (viewer?.city !== combination.city) return null;
    }
    const [ranked] = await this.db.query(
      `SELECT mine.amount, (SELECT count(*) FROM income_rank_entries e JOIN users u ON u.id = e.user_id
                             WHERE e.key = $1 AND e.rank <= mine.rank AND ${LIVE_USER}) AS position
         FROM income_rank_entries mine WHERE mine.key = $1 AND mine.user_id = $2`,
      [key, viewerId],
    );
    if (ranked) return { user: owner, amount_count: ranked.amount, rank: String(ranked.position) };
    return { user: owner, amount_count: await this.ownAmount(combination, viewerId), rank: `${SNAPSHOT_SIZE}+` };
  }

  private async ownAmount(combination: RankCombination, viewerId: number): Promise<number> {
    if (combination.days === null) {
      const [row] = await this.db.query('SELECT earned_total FROM user_currencies WHERE owner_id = $1', [viewerId]);
      return row?.earned_total ?? 0;
    }
    const [row] = await this.db.query(
      `SELECT coalesce(sum(amount), 0)::bigint AS amount FROM currency_income_daily WHERE owner_id = $1 AND day > ${TODAY_UTC} - $2::int`,
      [viewerId, combination.days],
    );
    return row.amount;
  }
}
