import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronTime } from 'cron';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { scheduleJob } from '../common/scheduling/cron-job';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { LIVE_USER, NOT_LIVE_USER } from '../users/user-views.service';
import { TODAY_UTC } from './earned-income';
import { RankCombination, rankKey, SNAPSHOT_SIZE } from './income-rank.keys';
import { deleteBatch } from '../database/prune';

/** pg advisory lock id of the refresh ("rank" in ASCII): one instance refreshes at a time. */
const REFRESH_LOCK = 0x72616e6b;
/** pg advisory lock id ("newr") under which combinations nobody asked for before are computed, one at a time. */
const NEW_COMBINATION_LOCK = 0x6e657772;
/**
 * How many combinations the job keeps refreshed (the default one included): each costs a scan of its window, so
 * made-up (days, city) pairs must not grow the job without bound. The least recently wanted ones leave first.
 */
export const MAX_STANDING_COMBINATIONS = 16;
const DEFAULT_KEY = rankKey({ days: null, city: null });
const JOB_NAME = 'income-rank-refresh';

/**
 * The scheduled job of the design card: every RANK_REFRESH_CRON (3 minutes) it recomputes the top 1000 of every
 * standing (days, city) combination from the aggregates, in one transaction (readers switch atomically at commit).
 * A transaction-scoped advisory lock plus the time of the last run make it run once per period across instances.
 */
@Injectable()
export class IncomeRankRefresher implements OnApplicationBootstrap {
  private readonly logger = new Logger(IncomeRankRefresher.name);
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scheduler: SchedulerRegistry,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    scheduleJob(this.scheduler, JOB_NAME, this.config.rankRefreshCron, () => this.refresh(), this.logger);
  }


  /** One scheduled run; false when another instance holds the lock or already ran in this period. */
  async refresh(): Promise<boolean> {
    const started = Date.now();
    const done = await this.db.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [REFRESH_LOCK]);
      if (!locked) return null;
      const [last] = await manager.query(
        'SELECT started_at > now() - make_interval(secs => $1) AS recent FROM income_rank_runs ORDER BY id DESC LIMIT 1',
        [this.halfPeriodSeconds()],
      );
      if (last?.recent) return null;
      await this.prune(manager, MAX_STANDING_COMBINATIONS);
      const combinations: RankCombination[] = await manager.query('SELECT days, city FROM income_rank_keys ORDER BY key');
      for (const combination of combinations) await this.compute(manager, combination);
      await manager.query(
        'INSERT INTO income_rank_runs (instance, started_at, duration_ms, keys_refreshed) VALUES ($1, now(), $2, $3)',
        [this.instance, Date.now() - started, combinations.length],
      );
      return combinations.length;
    });
    if (done !== null) {
      this.metrics.rankRefreshDuration.observe((Date.now() - started) / 1000);
      this.logger.log({ keys: done, ms: Date.now() - started }, 'income rank refreshed');
    }
    return done !== null;
  }

  /**
   * Computes one combination now (a combination nobody asked for before) and adds it to the refreshed set. One at a
   * time across instances: a burst of new combinations queues here instead of scanning windows in parallel.
   */
  async computeNow(combination: RankCombination): Promise<void> {
    const key = rankKey(combination);
    await this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [NEW_COMBINATION_LOCK]);
      const [existing] = await manager.query('SELECT refreshed_at FROM income_rank_keys WHERE key = $1', [key]);
      if (existing?.refreshed_at) return;
      await this.prune(manager, MAX_STANDING_COMBINATIONS - 1);
      await manager.query(
        'INSERT INTO income_rank_keys (key, days, city) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
        [key, combination.days, combination.city],
      );
      await this.compute(manager, combination);
    });
  }

  /** Replaces the snapshot of one combination with its current top 1000 (ties by user id). */
  private async compute(manager: EntityManager, combination: RankCombination): Promise<void> {
    const key = rankKey(combination);
    // A per-key lock: a request computing a combination and the scheduled refresh must not replace the same snapshot
    // at once (both DELETE + INSERT would collide on the primary key: a 500 / a lost run).
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    // $1 key, $2 size, $3 city (or null = every city), $4 days (only for a window).
    const params: unknown[] = [key, SNAPSHOT_SIZE, combination.city];
    const standing =
      combination.days === null
        ? // All time: straight from the running totals (index user_currencies_earned_idx).
          `SELECT c.owner_id, c.earned_total AS amount
             FROM user_currencies c JOIN users u ON u.id = c.owner_id
            WHERE c.earned_total > 0 AND ${LIVE_USER} AND ($3::text IS NULL OR u.city = $3)
            ORDER BY c.earned_total DESC, c.owner_id LIMIT $2`
        : // A window of days: sum the daily aggregates per owner (an index-only scan of the primary key, which
          // carries the amount), then drop the few users who are not live.
          `SELECT a.owner_id, a.amount FROM (
             SELECT d.owner_id, sum(d.amount)::bigint AS amount FROM currency_income_daily d
              WHERE d.day > ${TODAY_UTC} - $${params.push(combination.days)}::int
                AND ($3::text IS NULL OR d.owner_id IN (SELECT u.id FROM users u WHERE u.city = $3))
              GROUP BY d.owner_id) a
            WHERE a.amount > 0 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id AND (${NOT_LIVE_USER}))
            ORDER BY a.amount DESC, a.owner_id LIMIT $2`;
    await manager.query('DELETE FROM income_rank_entries WHERE key = $1', [key]);
    await manager.query(
      `INSERT INTO income_rank_entries (key, rank, user_id, amount)
       SELECT $1, row_number() OVER (ORDER BY t.amount DESC, t.owner_id), t.owner_id, t.amount FROM (${standing}) t`,
      params,
    );
    await manager.query('UPDATE income_rank_keys SET refreshed_at = now() WHERE key = $1', [key]);
  }

  /**
   * Drops combinations nobody asked for in a week, and the least recently wanted ones beyond `keep` (the default
   * combination always stays), with their snapshot rows.
   */
  private async prune(manager: EntityManager, keep: number): Promise<void> {
    await manager.query(
      `WITH dropped AS (
         DELETE FROM income_rank_keys
          WHERE key <> $1
            AND (requested_at < now() - interval '7 days'
                 OR key IN (SELECT key FROM income_rank_keys WHERE key <> $1 ORDER BY requested_at DESC, key OFFSET $2))
         RETURNING key)
       DELETE FROM income_rank_entries e USING dropped WHERE e.key = dropped.key`,
      [DEFAULT_KEY, keep - 1],
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
