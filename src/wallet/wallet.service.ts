import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { PaymentPassword } from '../auth/payment-password';
import { AdminActor } from '../common/auth/viewer';
import { invalid } from '../common/errors/api-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { AdjustableBalance, adjustByAdmin, AdjustmentSteps } from '../common/ledger/admin-adjustment';
import { AdminAdjustDto, LedgerQueryDto } from '../common/ledger/ledger.dto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { POINTS } from '../currency/points';
import { UsersService } from '../users/users.service';
import { TransferDto, TransformDto } from './dto/wallet.dto';
import { MONEY } from './money';
import { walletSettings } from './wallet.settings';

/** An admin credit stands in for a payment-gateway recharge. */
const ADJUSTABLE_MONEY: AdjustableBalance = { name: 'wallet', ledger: MONEY, titles: { credit: '充值', debit: '扣款' } };

/** Money (钱包, integer 分, mobile-api §8): ledger, transfers, wallet → points, admin credit / debit. */
@Injectable()
export class WalletService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly payment: PaymentPassword,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  settings() {
    return walletSettings(this.config);
  }

  private get adjustmentSteps(): AdjustmentSteps {
    return { assertExists: (id) => this.users.assertExists(this.db, id), idempotency: this.idempotency, abilities: this.abilities, audit: this.audit };
  }

  orders(userId: number, query: LedgerQueryDto) {
    return MONEY.list(this.db.manager, userId, query);
  }

  /** Never creates or loses money: one debit and one credit of the same amount in one transaction. */
  async transfer(viewerId: number, dto: TransferDto, key: string | undefined, message: string) {
    if (dto.user === viewerId) throw invalid('user', 'transfer_self');
    if (!(await this.users.isLive(dto.user))) throw invalid('user', 'target_user_unknown');
    await this.payment.verify(viewerId, dto.password);
    return this.idempotency.run(viewerId, key, 'transfer', { user: dto.user, amount: dto.amount }, async (manager) => {
      await MONEY.lock(manager, [viewerId, dto.user]);
      const paid = await MONEY.debit(manager, viewerId, dto.amount, { title: '转账', targetType: 'user', targetId: dto.user });
      if (!paid) throw invalid('amount', 'transfer_exceeds_balance');
      await MONEY.credit(manager, dto.user, dto.amount, { title: '收到转账', targetType: 'user', targetId: viewerId });
      return { message: [message] };
    });
  }

  /** Wallet → points at RECHARGE_RATIO; the points are bought (`recharge`), so they do not count as earned. */
  async transform(viewerId: number, dto: TransformDto, key: string | undefined, message: string) {
    if (dto.amount < this.config.transformMin) throw invalid('amount', 'v.min', { min: this.config.transformMin });
    await this.payment.verify(viewerId, dto.password);
    return this.idempotency.run(viewerId, key, 'transform', { amount: dto.amount }, async (manager) => {
      const paid = await MONEY.debit(manager, viewerId, dto.amount, { title: '兑换积分', targetType: 'transform' });
      if (!paid) throw invalid('amount', 'balance_insufficient');
      await POINTS.credit(manager, viewerId, dto.amount * this.config.rechargeRatio, { title: '充值积分', targetType: 'recharge' });
      return { message: [message] };
    });
  }

  /** Admin credit (stands in for a payment-gateway recharge) or debit of money. */
  async adjust(admin: AdminActor, userId: number, dto: AdminAdjustDto, key: string | undefined, message: string) {
    return adjustByAdmin(this.adjustmentSteps, ADJUSTABLE_MONEY, admin, userId, dto, key, message);
  }
}
