import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AbilitiesService } from '../admin/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { PaymentPassword } from '../auth/payment-password';
import { AdminActor } from '../common/auth/viewer';
import { invalid, notFound } from '../common/errors/api-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { AdminAdjustDto, LedgerQueryDto } from '../common/ledger/ledger.dto';
import { MONEY, POINTS } from '../common/ledger/ledger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LIVE_USER } from '../users/user-views.service';
import { TransferDto, TransformDto } from './dto/wallet.dto';
import { walletSettings } from './wallet.settings';

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
  ) {}

  settings() {
    return walletSettings(this.config);
  }

  orders(userId: number, query: LedgerQueryDto) {
    return MONEY.list(this.db.manager, userId, query);
  }

  /** Never creates or loses money: one debit and one credit of the same amount in one transaction. */
  async transfer(viewerId: number, dto: TransferDto, key: string | undefined, message: string) {
    if (dto.user === viewerId) throw invalid('user', 'transfer_self');
    const [target] = await this.db.query(`SELECT 1 FROM users u WHERE u.id = $1 AND ${LIVE_USER}`, [dto.user]);
    if (!target) throw invalid('user', 'target_user_unknown');
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
    const [user] = await this.db.query('SELECT 1 FROM users WHERE id = $1 AND cancelled_at IS NULL', [userId]);
    if (!user) throw notFound();
    return this.idempotency.run(admin.id, key, `admin-wallet:${userId}`, dto, async (manager) => {
      await this.abilities.assertMayActOn(manager, admin.id, userId);
      await this.audit.record(manager, admin, 'wallet.adjust', userId, { amount: dto.amount, title: dto.title ?? null });
      const entry = { title: dto.title ?? (dto.amount > 0 ? '充值' : '扣款'), body: dto.body, targetType: 'admin', targetId: admin.id };
      if (dto.amount > 0) await MONEY.credit(manager, userId, dto.amount, entry);
      else if (!(await MONEY.debit(manager, userId, -dto.amount, entry))) throw invalid('amount', 'balance_insufficient');
      return { message };
    });
  }
}
