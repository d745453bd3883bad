import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { AdminActor } from '../common/auth/viewer';
import { ApiError, forbidden, invalid, notFound } from '../common/errors/api-error';
import { isoSeconds } from '../common/http/format';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { Ledger } from '../common/ledger/ledger';
import { POINTS } from '../currency/points';
import { MONEY } from '../wallet/money';
import { DEFAULT_LIMIT } from '../common/pagination/paging';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { inTransaction } from '../database/transactions';
import { firstRow, runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { CashListQuery, WalletCashDto, WithdrawalListQuery } from './dto/withdrawal.dto';
import { APPROVED, PENDING, REJECTED, WithdrawalBook } from './withdrawal.entity';

/** Per book: its ledger, and how its rows are named (`cash` as the original's points ledger; `withdraw` for money). */
const BOOKS: Record<WithdrawalBook, { ledger: Ledger; targetType: string; title: string; returned: string }> = {
  points: { ledger: POINTS, targetType: 'cash', title: '积分提取', returned: '积分提取退回' },
  money: { ledger: MONEY, targetType: 'withdraw', title: '提现', returned: '提现退回' },
};

interface WithdrawalRow {
  id: number;
  user_id: number;
  book: WithdrawalBook;
  amount: number;
  type: string | null;
  account: string | null;
  state: number;
  remark: string | null;
  hold_entry_id: number;
  reviewer_id: number | null;
  reviewed_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, user_id, book, amount, type, account, state, remark, hold_entry_id, reviewer_id, reviewed_at, created_at';

/** The owner's view, in the original's `wallet_cashes` keys. */
const toOwnView = (row: WithdrawalRow) => ({
  id: row.id,
  value: row.amount,
  type: row.type,
  account: row.account,
  status: row.state,
  remark: row.remark,
  created_at: isoSeconds(row.created_at),
});

const toAdminView = (row: WithdrawalRow) => ({
  ...toOwnView(row),
  user_id: row.user_id,
  book: row.book,
  amount: row.amount,
  reviewer_id: row.reviewer_id,
  reviewed_at: row.reviewed_at ? isoSeconds(row.reviewed_at) : null,
});

/**
 * Withdrawal requests (提现, thinksns-compat §6) for points and for wallet money. Creating one holds the amount in the
 * same transaction (a pending ledger row: the balance is already down, never below zero); an admin's review settles
 * it exactly once — approved, the hold stays spent; rejected, the amount comes back as a ledger row.
 */
@Injectable()
export class WithdrawalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Points are withdrawn into the wallet once approved (the original's 积分提取: RECHARGE_RATIO points per 分), so the
   * amount held is rounded down to whole 分 as the original did.
   */
  async requestPoints(viewerId: number, requested: number, key: string | undefined): Promise<void> {
    const c = this.config.community;
    const amount = requested - (requested % this.config.rechargeRatio);
    if (!c.currencyCashEnabled) throw forbidden('cash_closed');
    if (amount < c.currencyCashMin) throw invalid('amount', 'cash_min', { min: c.currencyCashMin });
    if (amount > c.currencyCashMax) throw invalid('amount', 'cash_exceeds');
    await this.idempotency.run(viewerId, key, 'currency-cash', { amount: requested }, async (manager) => {
      const body = `提取积分：${amount}${c.currencyName}`;
      if (!(await this.hold(manager, viewerId, 'points', amount, { type: null, account: null }, body))) throw invalid('amount', 'cash_exceeds');
      return {};
    });
  }

  async requestMoney(viewerId: number, dto: WalletCashDto, key: string | undefined): Promise<void> {
    const c = this.config.community;
    const amount = (dto.amount ?? dto.value)!;
    const field = dto.amount != null ? 'amount' : 'value';
    if (!c.walletCashEnabled) throw forbidden('cash_closed');
    if (!c.walletCashTypes.includes(dto.type)) throw invalid('type', 'wallet_cash_type');
    if (amount < c.walletCashMin) throw invalid(field, 'wallet_cash_min');
    if (amount > c.walletCashMax) throw invalid(field, 'wallet_cash_exceeds');
    const payout = { type: dto.type, account: dto.account };
    await this.idempotency.run(viewerId, key, 'wallet-cash', { amount, ...payout }, async (manager) => {
      if (!(await this.hold(manager, viewerId, 'money', amount, payout, null))) throw invalid(field, 'wallet_cash_exceeds');
      return {};
    });
  }

  /** The viewer's wallet withdrawals, newest first. */
  async ownMoneyRequests(viewerId: number, query: CashListQuery) {
    return (await this.page({ user: viewerId, book: 'money', after: query.after, limit: query.limit })).map(toOwnView);
  }

  async list(query: WithdrawalListQuery) {
    return (await this.page(query)).map(toAdminView);
  }

  approve(admin: AdminActor, id: number): Promise<void> {
    return this.review(admin, id, APPROVED, null);
  }

  reject(admin: AdminActor, id: number, reason: string): Promise<void> {
    return this.review(admin, id, REJECTED, reason);
  }

  /** Requests matching the filters, newest first, keyset by id (indexes withdrawals_owner_idx, withdrawals_review_idx). */
  private async page(filter: WithdrawalListQuery): Promise<WithdrawalRow[]> {
    const params = new SqlParams();
    const where = ['TRUE'];
    if (filter.state != null) where.push(`state = ${params.add(filter.state)}`);
    if (filter.book != null) where.push(`book = ${params.add(filter.book)}`);
    if (filter.user != null) where.push(`user_id = ${params.add(filter.user)}`);
    if (filter.after != null) where.push(`id < ${params.add(filter.after)}`);
    const limit = params.add(filter.limit ?? DEFAULT_LIMIT);
    const { rows } = await runSql<WithdrawalRow>(
      this.db,
      `SELECT ${COLUMNS} FROM withdrawals WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${limit}`,
      params.values,
    );
    return rows;
  }

  private async hold(
    manager: EntityManager,
    userId: number,
    book: WithdrawalBook,
    amount: number,
    payout: { type: string | null; account: string | null },
    body: string | null,
  ): Promise<boolean> {
    const { ledger, targetType, title } = BOOKS[book];
    const holdId = await ledger.debit(manager, userId, amount, { title, body, targetType, state: PENDING });
    if (holdId === null) return false;
    await runSql(manager, 'INSERT INTO withdrawals (user_id, book, amount, type, account, hold_entry_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      userId,
      book,
      amount,
      payout.type,
      payout.account,
      holdId,
    ]);
    return true;
  }

  /** An approved points withdrawal lands in the wallet (the original: 积分提现，钱包增加…元). */
  private async payIntoWallet(manager: EntityManager, row: WithdrawalRow): Promise<void> {
    // Held as a multiple of the ratio; should RECHARGE_RATIO change before the review, whole 分 are paid.
    const cents = Math.floor(row.amount / this.config.rechargeRatio);
    if (cents < 1) return;
    const body = `积分提现，钱包增加${(cents / 100).toFixed(2)}元`;
    await MONEY.credit(manager, row.user_id, cents, { title: '积分提现', body, targetType: 'cash', targetId: row.id });
  }

  /** One transition out of pending, whoever else reviews at the same moment: UPDATE … WHERE state = 0 decides. */
  private async review(admin: AdminActor, id: number, state: typeof APPROVED | typeof REJECTED, reason: string | null): Promise<void> {
    const target = await firstRow<{ user_id: number }>(this.db, 'SELECT user_id FROM withdrawals WHERE id = $1', [id]);
    if (!target) throw notFound();
    await inTransaction(this.db, async (manager) => {
      await this.abilities.assertMayActOn(manager, admin.id, Number(target.user_id));
      const row = await firstRow<WithdrawalRow>(
        manager,
        `UPDATE withdrawals SET state = $2, remark = $3, reviewer_id = $4, reviewed_at = now()
          WHERE id = $1 AND state = ${PENDING} RETURNING ${COLUMNS}`,
        [id, state, reason, admin.id],
      );
      if (!row) throw new ApiError(409, 'withdrawal_reviewed');
      const book = BOOKS[row.book];
      await book.ledger.settle(manager, row.hold_entry_id, state === APPROVED ? 1 : -1);
      if (state === REJECTED) {
        await book.ledger.credit(manager, row.user_id, row.amount, { title: book.returned, body: reason, targetType: book.targetType, targetId: row.id });
      } else if (row.book === 'points') {
        await this.payIntoWallet(manager, row);
      }
      const action = state === APPROVED ? 'withdrawal.approve' : 'withdrawal.reject';
      await this.audit.record(manager, admin, action, row.user_id, { withdrawal: row.id, book: row.book, amount: row.amount, reason });
    });
  }
}
