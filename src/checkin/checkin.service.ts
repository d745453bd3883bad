import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../common/clock/clock';
import { ApiError, forbidden } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { inTransaction } from '../database/transactions';
import { firstRow, runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { EarnedIncome } from '../currency/earned-income';
import { POINTS } from '../currency/points';
import { UserViews } from '../users/user-views.service';
import { UserExtras } from '../users/user-extras.service';
import { cstDay, LastCheckin, streakOn } from './checkin-day';

const TITLE = '签到获得奖励';
/** How many of today's first check-ins `GET /user/checkin` shows. */
const RANK_USERS = 5;

/**
 * Daily check-in (thinksns-compat §6): once per user and China Standard Time day — the primary key (user, day) decides
 * under any concurrency — granting CHECKIN_POINTS as earned income through the points ledger.
 */
@Injectable()
export class CheckinService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly extras: UserExtras,
    private readonly views: UserViews,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly income: EarnedIncome,
  ) {}

  async status(viewerId: number) {
    const today = cstDay(this.clock());
    const row = await firstRow<{ checkin_count: number; last_checkin_count: number; checked_in: boolean }>(
      this.db,
      `SELECT e.checkin_count, e.last_checkin_count,
              EXISTS (SELECT 1 FROM checkin_days d WHERE d.user_id = e.user_id AND d.day = $2) AS checked_in
         FROM user_extras e WHERE e.user_id = $1`,
      [viewerId, today],
    );
    const params = new SqlParams();
    const rankUsers = await this.views.list({
      from: 'checkin_days d JOIN users u ON u.id = d.user_id',
      where: [`d.day = ${params.add(today)}`],
      orderBy: 'd.created_at, d.user_id',
      limit: RANK_USERS,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
    });
    return {
      rank_users: rankUsers,
      checked_in: row?.checked_in === true,
      checkin_count: row?.checkin_count ?? 0,
      last_checkin_count: row?.last_checkin_count ?? 0,
      attach_balance: this.config.community.checkinPoints,
    };
  }

  async checkIn(viewerId: number): Promise<void> {
    const points = this.config.community.checkinPoints;
    if (points === 0) throw forbidden('checkin_closed');
    const today = cstDay(this.clock());
    await inTransaction(this.db, async (manager) => {
      const last = await firstRow<LastCheckin>(
        manager,
        'SELECT day::text AS day, streak FROM checkin_days WHERE user_id = $1 AND day < $2 ORDER BY day DESC LIMIT 1',
        [viewerId, today],
      );
      const streak = streakOn(today, last ?? null);
      const inserted = await runSql(manager, 'INSERT INTO checkin_days (user_id, day, amount, streak) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        viewerId,
        today,
        points,
        streak,
      ]);
      if (inserted.rowCount !== 1) throw new ApiError(422, 'checked_in');
      await POINTS.credit(manager, viewerId, points, { title: TITLE, body: TITLE, targetType: 'checkin' });
      await this.income.record(manager, viewerId, points);
      await this.extras.countCheckin(manager, viewerId, streak);
    });
  }
}
