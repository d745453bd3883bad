import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronTime } from 'cron';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { scheduleJob } from '../common/scheduling/cron-job';
import { ApiError } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SqlParams } from '../database/sql-params';
import { MetricsService } from '../metrics/metrics.service';
import { deleteBatch } from '../database/prune';
import { tryTransactionLock } from '../database/locks';
import { firstRow, runSql } from '../database/sql';
import { EarnedIncome, EarningsSource, topEarnersSql } from '../currency/earned-income';
import { RankCombination, rankKey, SNAPSHOT_SIZE, standingCombinations } from './income-rank.keys';

/** pg advisory lock id of the refresh ("rank" in ASCII): one instance refreshes at a time. */
const REFRESH_LOCK = 0x72616e6b;
const JOB_NAME = 'income-rank-refresh';
/** How often a request waiting for a snapshot another session is computing looks again (holding no connection). */
const SNAPSHOT_POLL_MS = 50;
/** How long such a request waits before it answers 503. */
const SNAPSHOT_WAIT_LIMIT_MS = 30_000;

/**
 * The scheduled job of the design card: every RANK_REFRESH_CRON (3 minutes) it recomputes the top 1000 of every
 * standing (days, city) combination (RANK_STANDING_DAYS × RANK_STANDING_CITIES) from the running totals (all time,
 * and each standing window of days rolled to today first): a top-N read per combination, in one
 * transaction (readers switch atomically at commit). A transaction-scoped advisory lock plus the time of the last run
 * make it run once per period across instances.
 */
@Injectable()
export class IncomeRankRefresher implements OnApplicationBootstrap {
  private readonly logger = new Logger(IncomeRankRefresher.name);
  private readonly instance = `${hostname()}:${process.pid}`;
  /** Keys of the standing set: the only combinations with a snapshot. */
  readonly standingKeys: ReadonlySet<string>;
  /** The standing windows of days: their totals are kept as income lands. */
  private readonly keptDays: number[];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scheduler: SchedulerRegistry,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly income: EarnedIncome,
  ) {
    this.standingKeys = new Set(standingCombinations(config).map(rankKey));
    this.keptDays = config.rankStandingDays.filter((days) => days !== null);
  }

  onApplicationBootstrap(): void {
    scheduleJob(this.scheduler, JOB_NAME, this.config.rankRefreshCron, () => this.refresh(), this.logger);
  }

  /** One scheduled run; false when another instance holds the lock or already ran in this period. */
  async refresh(): Promise<boolean> {
    const started = Date.now();
    const standing = standingCombinations(this.config);
    // Outside the snapshot transaction: rolling a window to a new day briefly holds back income landing meanwhile.
    const source = await this.income.keep(this.keptDays);
    const done = await this.db.transaction(async (manager) => {
      if (!(await tryTransactionLock(manager, REFRESH_LOCK))) return null;
      const last = await firstRow<{ recent: boolean }>(
        manager,
        'SELECT started_at > now() - make_interval(secs => $1) AS recent FROM income_rank_runs ORDER BY id DESC LIMIT 1',
        [this.halfPeriodSeconds()],
      );
      if (last?.recent) return null;
      await this.dropUnlisted(manager);
      // This run's own per-key locks: a request computing a missing snapshot meanwhile is waited for (by the job,
      // which serves no request).
      for (const combination of standing) await this.compute(manager, combination, 'wait', source);
      await runSql(manager, 'INSERT INTO income_rank_runs (instance, started_at, duration_ms, keys_refreshed) VALUES ($1, now(), $2, $3)', [
        this.instance,
        Date.now() - started,
        standing.length,
      ]);
      return standing.length;
    });
    if (done !== null) {
      this.metrics.rankRefreshDuration.observe((Date.now() - started) / 1000);
      this.logger.log({ keys: done, ms: Date.now() - started }, 'income rank refreshed');
    }
    return done !== null;
  }

  /**
   * The snapshot time of a standing combination, computing the snapshot when it has none yet (a fresh install, a
   * newly listed combination). When another session is computing it (the refresh, another request), the request
   * waits for it without holding a pooled connection: each look is a short transaction of its own.
   */
  async snapshotTimeOf(combination: RankCombination): Promise<Date> {
    const deadline = Date.now() + SNAPSHOT_WAIT_LIMIT_MS;
    const source = await this.sourceFor(combination);
    for (;;) {
      const refreshedAt = await this.db.transaction((manager) => this.compute(manager, combination, 'try', source));
      if (refreshedAt) return refreshedAt;
      if (Date.now() > deadline) throw new ApiError(503, 'service_unavailable');
      await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_POLL_MS));
    }
  }

  /** Where a request reads a combination's amounts: a standing window's current totals, else the daily rows. */
  async sourceFor({ days }: RankCombination): Promise<EarningsSource> {
    return days !== null && this.keptDays.includes(days) ? this.income.sourceFor(days) : this.income.fromDailyRows();
  }

  /**
   * Replaces the snapshot of one combination with its current top 1000 and returns its time. Under a per-key lock:
   * two sessions never replace the same snapshot at once (DELETE + INSERT would collide on the primary key). With
   * `try`, a snapshot that exists is kept, and a lock held elsewhere answers null at once instead of waiting.
   */
  private async compute(manager: EntityManager, combination: RankCombination, lock: 'wait' | 'try', source: EarningsSource): Promise<Date | null> {
    const key = rankKey(combination);
    if (lock === 'wait') {
      await runSql(manager, 'SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    } else {
      const { locked } = (await firstRow<{ locked: boolean }>(manager, 'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [key]))!;
      if (!locked) return null;
      const known = await firstRow<{ refreshed_at: Date | null }>(manager, 'SELECT refreshed_at FROM income_rank_keys WHERE key = $1', [key]);
      if (known?.refreshed_at) return known.refreshed_at;
    }
    const params = new SqlParams();
    const keyParam = params.add(key);
    const top = topEarnersSql(combination, SNAPSHOT_SIZE, params, source);
    await runSql(manager, 'DELETE FROM income_rank_entries WHERE key = $1', [key]);
    await runSql(
      manager,
      `INSERT INTO income_rank_entries (key, rank, user_id, amount)
       SELECT ${keyParam}, row_number() OVER (ORDER BY t.amount DESC, t.owner_id), t.owner_id, t.amount FROM (${top}) t`,
      params.values,
    );
    const { refreshed_at } = (await firstRow<{ refreshed_at: Date }>(
      manager,
      `INSERT INTO income_rank_keys (key, days, city, refreshed_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (key) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at RETURNING refreshed_at`,
      [key, combination.days, combination.city],
    ))!;
    return refreshed_at;
  }

  /** Combinations no longer in the standing set (the settings changed) leave with their snapshot rows. */
  private async dropUnlisted(manager: EntityManager): Promise<void> {
    await runSql(
      manager,
      `WITH dropped AS (DELETE FROM income_rank_keys WHERE NOT (key = ANY($1::text[])) RETURNING key)
       DELETE FROM income_rank_entries e USING dropped WHERE e.key = dropped.key`,
      [[...this.standingKeys]],
    );
  }

  /** Half the cron period: a run closer than this to the previous one belongs to the same period. */
  private halfPeriodSeconds(): number {
    if (this.config.rankRefreshCron === 'off') return 0;
    const [first, second] = new CronTime(this.config.rankRefreshCron).sendAt(2);
    return Math.max(0.5, (second.toMillis() - first.toMillis()) / 2000);
  }

  /** Retention: refresh runs older than `days`, always keeping the latest (it schedules the next refresh). */
  pruneRuns(manager: EntityManager, days: number, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      'income_rank_runs',
      'started_at < now() - make_interval(days => $1) AND id < (SELECT max(id) FROM income_rank_runs)',
      [days],
      limit,
    );
  }
}
