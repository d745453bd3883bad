import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError, invalid } from '../common/errors/api-error';
import { Lang, translate } from '../common/errors/messages';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow, runSql } from '../database/sql';
import { MetricsService } from '../metrics/metrics.service';
import { MessageSender } from './drivers/message-sender';
import { CodeChannel, CodePurpose } from './verify-code.entity';
import { deleteBatch } from '../database/prune';

export interface CodeAccount {
  channel: CodeChannel;
  /** Normalised: 11-digit phone or lower-case e-mail. */
  account: string;
  purpose: CodePurpose;
}

export interface CodeRequest extends CodeAccount {
  ip: string;
  lang: Lang;
  /** False when the account belongs to nobody: the request is throttled and recorded the same, nothing is sent. */
  deliver: boolean;
}

/** A code that matched, not yet used up. */
export interface CheckedCode {
  id: number;
  field: string;
}

const MAX_ATTEMPTS = 5;

/** One-time codes (mobile-api §2): 6 digits from a CSPRNG, stored as an HMAC, purpose-bound, throttled, 5 tries. */
/** An account's codes of the last day, as the throttle reads them. */
interface CodeStats {
  last_at: Date | null;
  today: number;
  today_from_ip: number;
  since_last: number;
}

@Injectable()
export class VerifyCodesService {
  private readonly logger = new Logger(VerifyCodesService.name);
  private readonly hmacKey: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sender: MessageSender,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.hmacKey = createHmac('sha256', config.jwtSecret).update('verify-codes').digest();
  }

  async send(request: CodeRequest): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = await this.record(request, code);
    if (!request.deliver) return;
    const minutes = Math.ceil(this.config.verifyCodeTtlSeconds / 60);
    try {
      await this.sender.send({
        channel: request.channel,
        to: request.account,
        code,
        subject: translate('code_subject', request.lang),
        text: translate('code_text', request.lang, { code, minutes }),
      });
      this.metrics.codesSent.inc({ channel: request.channel });
    } catch (error) {
      // A failed delivery leaves no usable code and does not count against the resend interval.
      await runSql(this.db, 'DELETE FROM verify_codes WHERE id = $1', [id]);
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), channel: request.channel }, 'code delivery failed');
      throw new ApiError(400, 'code_send_failed');
    }
  }

  /**
   * Checks a code before the caller's transaction: spends one of the 5 tries (committed at once, so parallel or
   * rolled-back guesses cannot exceed 5) and compares. Runs on its own pooled connection, so the caller must not hold
   * one: call it before opening the transaction, then `redeem` inside it.
   */
  async check(target: CodeAccount, code: unknown, field = 'verifiable_code'): Promise<CheckedCode> {
    const rejected = invalid(field, 'code_invalid');
    const given = typeof code === 'number' ? String(code).padStart(6, '0') : code;
    if (typeof given !== 'string' || !/^\d{6}$/.test(given)) throw rejected;
    const live = await firstRow<{ id: number; code_hash: string }>(
      this.db,
      `UPDATE verify_codes SET attempts = attempts + 1
        WHERE id = (SELECT id FROM verify_codes
                     WHERE channel = $1 AND account = $2 AND purpose = $3 AND consumed_at IS NULL
                       AND attempts < $4 AND expires_at > now()
                     ORDER BY created_at DESC, id DESC LIMIT 1)
          AND consumed_at IS NULL AND attempts < $4
        RETURNING id, code_hash`,
      [target.channel, target.account, target.purpose, MAX_ATTEMPTS],
    );
    if (!live) throw rejected;
    const expected = Buffer.from(live.code_hash, 'hex');
    const actual = Buffer.from(this.hash(target, given), 'hex');
    if (!timingSafeEqual(expected, actual)) throw rejected;
    return { id: live.id, field };
  }

  /** Uses up a checked code in the caller's transaction, so a rolled-back change leaves the code usable. */
  async redeem(checked: CheckedCode, manager: EntityManager): Promise<void> {
    const used = await runSql(manager, 'UPDATE verify_codes SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL AND expires_at > now()', [
      checked.id,
    ]);
    if (used.rowCount !== 1) throw invalid(checked.field, 'code_invalid');
  }

  /**
   * Throttles and stores the new code (superseding older ones). A per-account then a per-IP advisory lock (always in
   * that order) make every cap exact under parallel requests. Undelivered codes (unknown account) count only toward
   * requests of their own purpose, so they cannot use up someone's registration codes; a client's own requests for an
   * account are capped below the account's cap, so one client cannot lock the owner out for the day.
   */
  private async record(request: CodeRequest, code: string): Promise<number> {
    const c = this.config;
    return this.db.transaction(async (manager) => {
      await runSql(manager, 'SELECT pg_advisory_xact_lock(hashtext($1))', [`verify-code:${request.channel}:${request.account}`]);
      // Two-key form: its key space never overlaps the one-key account locks, so a hash collision cannot make a cycle.
      await runSql(manager, `SELECT pg_advisory_xact_lock(hashtext('verify-code-ip'), hashtext($1))`, [request.ip]);
      const stats = (await firstRow<CodeStats>(
        manager,
        `SELECT max(created_at) AS last_at,
                count(*) FILTER (WHERE delivered OR purpose = $3) AS today,
                count(*) FILTER (WHERE ip = $4) AS today_from_ip,
                extract(epoch FROM now() - max(created_at)) AS since_last
           FROM verify_codes WHERE channel = $1 AND account = $2 AND created_at > now() - interval '1 day'`,
        [request.channel, request.account, request.purpose, request.ip],
      ))!;
      if (stats.last_at) {
        const wait = Math.ceil(c.verifyCodeResendSeconds - Number(stats.since_last));
        if (wait > 0) throw new ApiError(429, 'code_resend_wait', { seconds: wait }, [], { 'Retry-After': String(wait) });
      }
      if (stats.today >= c.verifyCodeAccountDailyLimit || stats.today_from_ip >= c.verifyCodeAccountIpDailyLimit) {
        throw new ApiError(429, 'code_daily_limit', {}, [], { 'Retry-After': '3600' });
      }
      const byIp = (await firstRow<{ n: number }>(manager, `SELECT count(*) AS n FROM verify_codes WHERE ip = $1 AND created_at > now() - interval '1 hour'`, [
        request.ip,
      ]))!;
      if (byIp.n >= c.verifyCodeIpHourlyLimit) throw new ApiError(429, 'code_ip_limit', {}, [], { 'Retry-After': '3600' });
      await runSql(
        manager,
        `UPDATE verify_codes SET consumed_at = now()
          WHERE channel = $1 AND account = $2 AND purpose = $3 AND consumed_at IS NULL`,
        [request.channel, request.account, request.purpose],
      );
      const row = (await firstRow<{ id: number }>(
        manager,
        `INSERT INTO verify_codes (channel, account, purpose, code_hash, ip, delivered, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING id`,
        [request.channel, request.account, request.purpose, this.hash(request, code), request.ip, request.deliver, c.verifyCodeTtlSeconds],
      ))!;
      return row.id;
    });
  }

  private hash(target: CodeAccount, code: string): string {
    return createHmac('sha256', this.hmacKey).update(`${target.channel}:${target.account}:${target.purpose}:${code}`).digest('hex');
  }

  /** Retention: codes older than `hours` (longer than the 24-hour limits look back, so throttling is unchanged). */
  prune(manager: EntityManager, hours: number, limit: number): Promise<number> {
    return deleteBatch(manager, 'verify_codes', 'created_at < now() - make_interval(hours => $1)', [hours], limit);
  }
}
