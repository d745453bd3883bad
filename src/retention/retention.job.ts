import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthSessionsService } from '../auth/auth-sessions.service';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { scheduleJob } from '../common/scheduling/cron-job';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { tryTransactionLock } from '../database/locks';
import { IncomeRankRefresher } from '../ranking/income-rank.refresher';
import { VerifyCodesService } from '../verify-codes/verify-codes.service';

/** pg advisory lock id of the retention job ("rtnt" in ASCII): one instance deletes at a time. */
const RETENTION_LOCK = 0x72746e74;
const JOB_NAME = 'retention';

export interface RetentionReport {
  verifyCodes: number;
  sessions: number;
  idempotencyKeys: number;
  rankRuns: number;
  /** Another instance held the lock: it carries on, this run stopped. */
  yielded: boolean;
}

/**
 * Every RETENTION_CRON: deletes expired verification codes, ended sessions, idempotency keys past 24 hours and old
 * rank runs, through the services that own those tables. Each batch is a short transaction under a transaction-scoped
 * advisory lock (works through PgBouncer): when another instance holds it, this run stops and leaves the rest to it.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scheduler: SchedulerRegistry,
    private readonly codes: VerifyCodesService,
    private readonly sessions: AuthSessionsService,
    private readonly idempotency: IdempotencyService,
    private readonly rank: IncomeRankRefresher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    scheduleJob(this.scheduler, JOB_NAME, this.config.retentionCron, () => this.run(), this.logger);
  }

  /** One run: what it deleted. */
  async run(): Promise<RetentionReport> {
    const { retentionBatch: batch, retentionVerifyCodeHours, retentionRevokedSessionDays, retentionRankRunDays } = this.config;
    const steps: Array<[Exclude<keyof RetentionReport, 'yielded'>, (manager: EntityManager) => Promise<number>]> = [
      ['verifyCodes', (m) => this.codes.prune(m, retentionVerifyCodeHours, batch)],
      ['sessions', (m) => this.sessions.prune(m, retentionRevokedSessionDays, batch)],
      ['idempotencyKeys', (m) => this.idempotency.prune(m, batch)],
      ['rankRuns', (m) => this.rank.pruneRuns(m, retentionRankRunDays, batch)],
    ];
    const report: RetentionReport = { verifyCodes: 0, sessions: 0, idempotencyKeys: 0, rankRuns: 0, yielded: false };
    for (const [name, prune] of steps) {
      for (;;) {
        const deleted = await this.db.transaction(async (manager) => {
          return (await tryTransactionLock(manager, RETENTION_LOCK)) ? prune(manager) : null;
        });
        if (deleted === null) return { ...report, yielded: true };
        report[name] += deleted;
        if (deleted < batch) break;
      }
    }
    if (steps.some(([name]) => report[name] > 0)) this.logger.log(report, 'retention: deleted aged rows');
    return report;
  }
}
