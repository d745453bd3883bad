import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AbilitiesService } from '../admin/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { PaymentPassword } from '../auth/payment-password';
import { AdminActor } from '../common/auth/viewer';
import { ApiError, invalid, notFound } from '../common/errors/api-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { AdminAdjustDto, LedgerQueryDto } from '../common/ledger/ledger.dto';
import { POINTS } from '../common/ledger/ledger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { recordEarnedIncome } from '../ranking/earned-income';
import { LIVE_USER } from '../users/user-views.service';
import { currencySettings } from './currency.settings';
import { RewardDto } from './dto/reward.dto';

/** Points (积分, mobile-api §8): balance, ledger, rewards between users, admin grants. */
@Injectable()
export class CurrencyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly payment: PaymentPassword,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async balance(userId: number) {
    const [row] = await this.db.query('SELECT owner_id, type, sum FROM user_currencies WHERE owner_id = $1', [userId]);
    if (!row) throw notFound();
    return { ...currencySettings(this.config), owner_id: row.owner_id, type: row.type, sum: row.sum, recharge_ratio: this.config.rechargeRatio };
  }

  orders(userId: number, query: LedgerQueryDto) {
    return POINTS.list(this.db.manager, userId, query);
  }

  /** Moves points from the viewer to the target: an expense for one, an earned income for the other. */
  async reward(viewerId: number, targetId: number, dto: RewardDto, key: string | undefined, message: string) {
    if (viewerId === targetId) throw invalid('target', 'reward_self');
    await this.assertLive(targetId);
    await this.payment.verify(viewerId, dto.password);
    return this.idempotency.run(viewerId, key, `reward:${targetId}`, { amount: dto.amount }, async (manager) => {
      await POINTS.lock(manager, [viewerId, targetId]);
      const paid = await POINTS.debit(manager, viewerId, dto.amount, { title: '打赏用户', targetType: 'user', targetId });
      if (!paid) throw new ApiError(403, 'balance_insufficient');
      await POINTS.credit(manager, targetId, dto.amount, { title: '收到打赏', targetType: 'user', targetId: viewerId });
      await recordEarnedIncome(manager, targetId, dto.amount);
      await manager.query('UPDATE user_extras SET be_reward_count = be_reward_count + 1, updated_at = now() WHERE user_id = $1', [targetId]);
      return { message };
    });
  }

  /** Admin grant (income, counts as earned) or deduction of points. */
  async adjust(admin: AdminActor, userId: number, dto: AdminAdjustDto, key: string | undefined, message: string) {
    await this.assertExists(userId);
    return this.idempotency.run(admin.id, key, `admin-currency:${userId}`, dto, async (manager) => {
      await this.abilities.assertMayActOn(manager, admin.id, userId);
      await this.audit.record(manager, admin, 'currency.adjust', userId, { amount: dto.amount, title: dto.title ?? null });
      const entry = { title: dto.title ?? (dto.amount > 0 ? '系统赠送积分' : '系统扣除积分'), body: dto.body, targetType: 'admin', targetId: admin.id };
      if (dto.amount > 0) {
        await POINTS.credit(manager, userId, dto.amount, entry);
        await recordEarnedIncome(manager, userId, dto.amount);
      } else if (!(await POINTS.debit(manager, userId, -dto.amount, entry))) {
        throw invalid('amount', 'balance_insufficient');
      }
      return { message };
    });
  }

  private async assertLive(userId: number): Promise<void> {
    const [user] = await this.db.query(`SELECT 1 FROM users u WHERE u.id = $1 AND ${LIVE_USER}`, [userId]);
    if (!user) throw notFound();
  }

  private async assertExists(userId: number): Promise<void> {
    const [user] = await this.db.query('SELECT 1 FROM users WHERE id = $1 AND cancelled_at IS NULL', [userId]);
    if (!user) throw notFound();
  }
}
