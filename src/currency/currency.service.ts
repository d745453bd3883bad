import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { PaymentPassword } from '../auth/payment-password';
import { AdminActor } from '../common/auth/viewer';
import { ApiError, invalid, notFound } from '../common/errors/api-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { AdjustableBalance, adjustByAdmin, AdjustmentSteps } from '../common/ledger/admin-adjustment';
import { AdminAdjustDto, LedgerQueryDto } from '../common/ledger/ledger.dto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow } from '../database/sql';
import { UsersService } from '../users/users.service';
import { UserExtras } from '../users/user-extras.service';
import { currencySettings } from './currency.settings';
import { RewardDto } from './dto/reward.dto';
import { EarnedIncome } from './earned-income';
import { POINTS } from './points';

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
    private readonly users: UsersService,
    private readonly extras: UserExtras,
    private readonly income: EarnedIncome,
  ) {}

  /** Admin grants count as earned income; deductions are plain debits. */
  private readonly adjustablePoints: AdjustableBalance = {
    name: 'currency',
    ledger: POINTS,
    titles: { credit: '系统赠送积分', debit: '系统扣除积分' },
    afterCredit: (manager, ownerId, amount) => this.income.record(manager, ownerId, amount),
  };

  private get adjustmentSteps(): AdjustmentSteps {
    return { assertExists: (id) => this.users.assertExists(this.db, id), idempotency: this.idempotency, abilities: this.abilities, audit: this.audit };
  }

  async balance(userId: number) {
    const row = await firstRow<{ owner_id: number; type: number; sum: number }>(
      this.db,
      'SELECT owner_id, type, sum FROM user_currencies WHERE owner_id = $1',
      [userId],
    );
    if (!row) throw notFound();
    return { ...currencySettings(this.config), owner_id: row.owner_id, type: row.type, sum: row.sum, recharge_ratio: this.config.rechargeRatio };
  }

  orders(userId: number, query: LedgerQueryDto) {
    return POINTS.list(this.db.manager, userId, query);
  }

  /** Moves points from the viewer to the target: an expense for one, an earned income for the other. */
  async reward(viewerId: number, targetId: number, dto: RewardDto, key: string | undefined, message: string) {
    if (viewerId === targetId) throw invalid('target', 'reward_self');
    await this.users.assertLive(this.db, targetId);
    await this.payment.verify(viewerId, dto.password);
    return this.idempotency.run(viewerId, key, `reward:${targetId}`, { amount: dto.amount }, async (manager) => {
      await POINTS.lock(manager, [viewerId, targetId]);
      const paid = await POINTS.debit(manager, viewerId, dto.amount, { title: '打赏用户', targetType: 'user', targetId });
      if (!paid) throw new ApiError(403, 'balance_insufficient');
      await POINTS.credit(manager, targetId, dto.amount, { title: '收到打赏', targetType: 'user', targetId: viewerId });
      await this.income.record(manager, targetId, dto.amount);
      await this.extras.countReward(manager, targetId);
      return { message };
    });
  }

  /** Admin grant (income, counts as earned) or deduction of points. */
  async adjust(admin: AdminActor, userId: number, dto: AdminAdjustDto, key: string | undefined, message: string) {
    return adjustByAdmin(this.adjustmentSteps, this.adjustablePoints, admin, userId, dto, key, message);
  }
}
