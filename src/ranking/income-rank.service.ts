import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readsOnPrimary } from '../database/read-replicas';
import { preparedQuery } from '../database/prepared-query';
import { SqlParams } from '../database/sql-params';
import { cityOf } from '../users/city';
import { LIVE_USER, UserViews } from '../users/user-views.service';
import { IncomeRankQuery } from './dto/income-rank.query';
import { TODAY_UTC } from './earned-income';
import { IncomeRankRefresher } from './income-rank.refresher';
import { RankCombination, rankKey, SNAPSHOT_SIZE } from './income-rank.keys';

const DEFAULT_LIMIT = 100;

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

  async standing(query: IncomeRankQuery, viewerId: number | null): Promise<{ body: Record<string, unknown>; refreshedAt: Date }> {
    const combination: RankCombination = { days: query.days ?? null, city: query.city ? cityOf(query.city) : null };
    const key = rankKey(combination);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const refreshedAt = await this.snapshotTime(key);
    if (!refreshedAt) {
      await this.refresher.computeNow(combination);
      // A replica may not have the new snapshot yet.
      return readsOnPrimary(() => this.standing(query, viewerId));
    }
    // The snapshot in rank order, joined with the users still live: positions close up over users disabled or
    // cancelled since the refresh, and exactly `limit` users are read.
    const params = new SqlParams();
    const ranked = await this.views.listWith<{ rank_amount: number }>({
      from: 'income_rank_entries r JOIN users u ON u.id = r.user_id',
      where: [`r.key = ${params.add(key)}`],
      orderBy: 'r.rank',
      limit,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
      select: 'r.amount AS rank_amount',
    });
    const rankList = ranked.map(({ user, row }, position) => ({ user, amount_count: row.rank_amount, rank: String(position + 1) }));
    const body: Record<string, unknown> = { rank_list: rankList };
    const mine = viewerId === null ? null : await this.myRank(key, combination, viewerId);
    if (mine) body.my_rank = mine;
    return { body, refreshedAt };
  }

  /**
   * When the snapshot of a combination was computed, or null when it never was. Marks the combination as still
   * wanted (at most once a day), which keeps it in the refreshed set.
   */
  private async snapshotTime(key: string): Promise<Date | null> {
    const [known] = await preparedQuery<{ refreshed_at: Date | null; stale_request: boolean }>(
      this.db,
      `SELECT refreshed_at, requested_at < now() - interval '1 day' AS stale_request FROM income_rank_keys WHERE key = $1`,
      [key],
    );
    if (!known?.refreshed_at) return null;
    if (known.stale_request) await this.db.query('UPDATE income_rank_keys SET requested_at = now() WHERE key = $1', [key]);
    return known.refreshed_at;
  }

  /** The viewer's position among live users of the snapshot, or "1000+" with their own amount. */
  private async myRank(key: string, combination: RankCombination, viewerId: number) {
    const owner = await this.views.owner(viewerId);
    if (!owner) return null;
    if (combination.city !== null) {
      const [viewer] = await preparedQuery(this.db, 'SELECT city FROM users WHERE id = $1', [viewerId]);
      if (viewer?.city !== combination.city) return null;
    }
    const [ranked] = await preparedQuery(
      this.db,
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
      const [row] = await preparedQuery(this.db, 'SELECT earned_total FROM user_currencies WHERE owner_id = $1', [viewerId]);
      return row?.earned_total ?? 0;
    }
    const [row] = await preparedQuery(
      this.db,
      `SELECT coalesce(sum(amount), 0)::bigint AS amount FROM currency_income_daily WHERE owner_id = $1 AND day > ${TODAY_UTC} - $2::int`,
      [viewerId, combination.days],
    );
    return row.amount;
  }
}
