import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readsOnPrimary } from '../database/read-replicas';
import { ApiError } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared-query';
import { runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { cityOf } from '../users/city';
import { UserListQuery, UserViews } from '../users/user-views.service';
import { openUserJson, rankEntryJson } from './rank-entry-json';
import { IncomeRankQuery } from './dto/income-rank.query';
import { EarnedIncome, ownEarningsParams, ownEarningsSql, topEarnersSql } from '../currency/earned-income';
import { IncomeRankRefresher } from './income-rank.refresher';
import { RankCombination, rankKey, SNAPSHOT_SIZE } from './income-rank.keys';
import {
  livePageQuery,
  MY_SNAPSHOT_RANK_SQL,
  SNAPSHOT_PAGE_STATE_SQL,
  SNAPSHOT_TIME_SQL,
  snapshotPageQuery,
  SnapshotPageState,
  snapshotPublicPageQuery,
} from './income-rank.statements';

const DEFAULT_LIMIT = 100;
/** PostgreSQL query_canceled: what a statement_timeout raises. */
const QUERY_CANCELED = '57014';

/** An answer: its body as an object, or already as JSON (a cached page). */
interface Ranking {
  body: Record<string, unknown> | string;
  refreshedAt: Date;
}

/**
 * The public part of a snapshot's first page, built once per (key, refresh, limit): the users' public views (as JSON
 * with the follow flags left open) and amounts in snapshot order, `limit + SPARE_ENTRIES` of them so that users
 * disabled since can be skipped.
 */
interface SnapshotPage {
  refreshedAt: number;
  entries: Array<{ id: number; openUser: string; amount: number }>;
  /** The snapshot ranks the per-request check covers: to the last entry's, or all when the snapshot had no more. */
  checkedRanks: number;
}

/** Entries kept beyond `limit` in a cached page: that many users may leave before a request falls back. */
const SPARE_ENTRIES = 50;
/** Cached pages per instance (keys × limits asked for); the oldest goes first. */
const MAX_CACHED_PAGES = 64;

/**
 * `GET /user/currency/income-rank` (mobile-api §9). A standing combination (RANK_STANDING_DAYS ×
 * RANK_STANDING_CITIES) is read from its last snapshot; any other is answered by one live query, bounded by a
 * statement timeout and a per-instance concurrency cap, that neither joins nor evicts the standing set.
 */
@Injectable()
export class IncomeRankService {
  private liveQueries = 0;
  private readonly pages = new Map<string, SnapshotPage>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: UserViews,
    private readonly refresher: IncomeRankRefresher,
    private readonly income: EarnedIncome,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async standing(query: IncomeRankQuery, viewerId: number | null): Promise<Ranking> {
    const combination: RankCombination = { days: query.days ?? null, city: query.city ? cityOf(query.city) : null };
    const limit = query.limit ?? DEFAULT_LIMIT;
    const key = rankKey(combination);
    return this.refresher.standingKeys.has(key) ? this.fromSnapshot(key, combination, limit, viewerId) : this.live(combination, limit, viewerId);
  }

  /**
   * A standing combination: the cached public page of its current snapshot, with what depends on the moment or the
   * viewer computed now by one statement (who left since the refresh, in any instance; follow flags) and my_rank.
   * Built the long way when too many of its users left.
   */
  private async fromSnapshot(key: string, combination: RankCombination, limit: number, viewerId: number | null): Promise<Ranking> {
    let page: SnapshotPage | null | undefined = this.pages.get(`${key}|${limit}`);
    let state = page && (await this.pageState(key, page, viewerId));
    if (!page || !state || !this.current(page, state)) {
      page = await this.buildPage(key, limit);
      if (!page) return this.snapshotPerRequest(key, combination, limit, viewerId);
      state = await this.pageState(key, page, viewerId);
      // A refresh (or a re-enabled user) in between: this request is answered the long way, the next one is cached.
      if (!state || !this.current(page, state)) return this.snapshotPerRequest(key, combination, limit, viewerId);
    }
    const gone = new Set(state.gone.map(Number));
    const visible = page.entries.filter((entry) => !gone.has(entry.id));
    if (visible.length < limit && page.checkedRanks <= SNAPSHOT_SIZE) return this.snapshotPerRequest(key, combination, limit, viewerId);
    const followed = new Set(state.followed.map(Number));
    const followers = new Set(state.followers.map(Number));
    const rankList = visible
      .slice(0, limit)
      .map((entry, position) => rankEntryJson(entry.openUser, followed.has(entry.id), followers.has(entry.id), entry.amount, position + 1));
    const mine = viewerId === null ? null : await this.mySnapshotRank(key, combination, viewerId);
    const body = `{"rank_list":[${rankList.join(',')}]${mine ? `,"my_rank":${JSON.stringify(mine)}` : ''}}`;
    return { body, refreshedAt: new Date(page.refreshedAt) };
  }

  /** The page belongs to the snapshot in place, and no user of its ranks became live again (they would be missing). */
  private current(page: SnapshotPage, state: SnapshotPageState): boolean {
    if (state.refreshed_at?.getTime() !== page.refreshedAt) return false;
    const gone = new Set(state.gone.map(Number));
    return state.live === page.entries.filter((entry) => !gone.has(entry.id)).length;
  }

  private async pageState(key: string, page: SnapshotPage, viewerId: number | null): Promise<SnapshotPageState | undefined> {
    const {
      rows: [state],
    } = await preparedQuery<SnapshotPageState>(this.db, SNAPSHOT_PAGE_STATE_SQL, [key, page.checkedRanks, viewerId]);
    return state;
  }

  /** The public views of the snapshot's first `limit + SPARE_ENTRIES` live users, cached; null without a snapshot yet. */
  private async buildPage(key: string, limit: number): Promise<SnapshotPage | null> {
    const {
      rows: [known],
    } = await preparedQuery<{ refreshed_at: Date | null }>(this.db, SNAPSHOT_TIME_SQL, [key]);
    if (!known?.refreshed_at) return null;
    const wanted = limit + SPARE_ENTRIES;
    const ranked = await this.views.listWith<{ rank_amount: number; snapshot_rank: number; snapshot_at: Date }>(snapshotPublicPageQuery(key, wanted));
    const page: SnapshotPage = {
      refreshedAt: (ranked[0]?.row.snapshot_at ?? known.refreshed_at).getTime(),
      entries: ranked.map(({ user, row }) => ({ id: Number(row.id), openUser: openUserJson(user), amount: row.rank_amount })),
      // Fewer than asked: no live user further down, so the check covers the whole snapshot (one coming back shows).
      checkedRanks: ranked.length < wanted ? SNAPSHOT_SIZE + 1 : ranked[ranked.length - 1].row.snapshot_rank,
    };
    this.pages.delete(`${key}|${limit}`);
    if (this.pages.size >= MAX_CACHED_PAGES) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(`${key}|${limit}`, page);
    return page;
  }

  /** The snapshot page built by one query per request (no snapshot yet, a refresh racing, many users left since). */
  private async snapshotPerRequest(key: string, combination: RankCombination, limit: number, viewerId: number | null): Promise<Ranking> {
    const {
      rows: [known],
    } = await preparedQuery<{ refreshed_at: Date | null }>(this.db, SNAPSHOT_TIME_SQL, [key]);
    if (!known?.refreshed_at) {
      await this.refresher.snapshotTimeOf(combination);
      // A replica may not have the new snapshot yet.
      return readsOnPrimary(() => this.fromSnapshot(key, combination, limit, viewerId));
    }
    const computedAt = known.refreshed_at;
    // The snapshot time comes from the same statement as the rows, so header and rows belong to one refresh.
    const { rankList, rows } = await this.page<{ snapshot_at: Date }>(snapshotPageQuery(key, limit, viewerId));
    const body: Record<string, unknown> = { rank_list: rankList };
    const mine = viewerId === null ? null : await this.mySnapshotRank(key, combination, viewerId);
    if (mine) body.my_rank = mine;
    return { body, refreshedAt: rows[0]?.snapshot_at ?? computedAt };
  }

  /**
   * A combination outside the standing set: its top 1000 computed now from the aggregates by one query (under
   * RANK_LIVE_TIMEOUT_MS, at most RANK_LIVE_CONCURRENCY at once per instance), then the first `limit` users read by
   * id. Nothing is stored.
   */
  private async live(combination: RankCombination, limit: number, viewerId: number | null): Promise<Ranking> {
    const top = await this.liveTop(combination);
    const shown = top.slice(0, limit);
    const { rankList } = await this.page(livePageQuery(shown, limit, viewerId));
    const body: Record<string, unknown> = { rank_list: rankList };
    const owner = viewerId === null ? null : await this.viewerIn(combination, viewerId);
    if (owner) {
      const position = top.findIndex((entry) => entry.owner_id === viewerId);
      body.my_rank =
        position >= 0
          ? { user: owner, amount_count: top[position].amount, rank: String(position + 1) }
          : { user: owner, amount_count: await this.ownAmount(combination, viewerId!), rank: `${SNAPSHOT_SIZE}+` };
    }
    return { body, refreshedAt: new Date() };
  }

  /**
   * A page of the ranking: users in rank order with their public views and amounts (`rank_amount`), joined with the
   * users still live, so positions close up over users disabled or cancelled since the numbers were computed.
   */
  private async page<Extra extends object = object>(query: UserListQuery) {
    const ranked = await this.views.listWith<{ rank_amount: number } & Extra>(query);
    return {
      rankList: ranked.map(({ user, row }, position) => ({ user, amount_count: row.rank_amount, rank: String(position + 1) })),
      rows: ranked.map(({ row }) => row),
    };
  }

  private async liveTop(combination: RankCombination): Promise<Array<{ owner_id: number; amount: number }>> {
    if (this.liveQueries >= this.config.rankLiveConcurrency) throw new ApiError(429, 'too_many_requests', {}, [], { 'Retry-After': '1' });
    this.liveQueries++;
    try {
      const params = new SqlParams();
      const sql = topEarnersSql(combination, SNAPSHOT_SIZE, params, await this.refresher.sourceFor(combination));
      return await this.db.transaction(async (manager) => {
        await runSql(manager, `SET LOCAL statement_timeout = ${this.config.rankLiveTimeoutMs}`);
        return (await runSql<{ owner_id: number; amount: number }>(manager, sql, params.values)).rows;
      });
    } catch (error) {
      if ((error as { code?: string }).code === QUERY_CANCELED) throw this.notStanding();
      throw error;
    } finally {
      this.liveQueries--;
    }
  }

  /** 422: too large to compute on request; says which combinations are kept (`days ∈ {all, 1, 7}, city ∈ {all, 成都}`). */
  private notStanding(): ApiError {
    const cities = ['all', ...new Set(this.config.rankStandingCities.map(cityOf).filter((city) => city !== null))];
    const days = this.config.rankStandingDays.map((d) => d ?? 'all');
    return new ApiError(422, 'rank_not_standing', { standing: `days ∈ {${days.join(', ')}}, city ∈ {${cities.join(', ')}}` });
  }

  /** The viewer's owner view when they belong to the ranking's city (or there is none); null otherwise. */
  private async viewerIn(combination: RankCombination, viewerId: number) {
    const owner = await this.views.owner(viewerId);
    if (!owner || combination.city === null) return owner;
    const {
      rows: [viewer],
    } = await preparedQuery(this.db, 'SELECT city FROM users WHERE id = $1', [viewerId]);
    return viewer?.city === combination.city ? owner : null;
  }

  /** The viewer's position among live users of the snapshot, or "1000+" with their own amount. */
  private async mySnapshotRank(key: string, combination: RankCombination, viewerId: number) {
    const owner = await this.viewerIn(combination, viewerId);
    if (!owner) return null;
    const {
      rows: [ranked],
    } = await preparedQuery(this.db, MY_SNAPSHOT_RANK_SQL, [key, viewerId]);
    if (ranked) return { user: owner, amount_count: ranked.amount, rank: String(ranked.position) };
    return { user: owner, amount_count: await this.ownAmount(combination, viewerId), rank: `${SNAPSHOT_SIZE}+` };
  }

  private async ownAmount(combination: RankCombination, viewerId: number): Promise<number> {
    const {
      rows: [row],
    } = await preparedQuery(this.db, ownEarningsSql(combination.days), ownEarningsParams(viewerId, combination.days, this.income.today()));
    return row?.amount ?? 0;
  }
}
