import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, CurrentViewer, RequireAbility } from '../common/auth/decorators';
import { AdminActor, Viewer } from '../common/auth/viewer';
import { Lang, translate } from '../common/errors/messages';
import { parseId } from '../common/http/ids';
import { RequestLanguage } from '../common/http/language';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.decorator';
import { CashListQuery, CurrencyCashDto, RejectWithdrawalDto, WalletCashDto, WithdrawalListQuery } from './dto/withdrawal.dto';
import { WithdrawalsService } from './withdrawals.service';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'a repeat with the same key and body returns the first answer' };

@ApiTags('currency')
@ApiBearerAuth()
@Controller('api/v2/currency/cash')
export class CurrencyCashController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  /** Withdraw points: the amount is held at once (CURRENCY_CASH_MIN … CURRENCY_CASH_MAX) until an admin reviews it. */
  @Post()
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  async request(@CurrentViewer() viewer: Viewer, @Body() dto: CurrencyCashDto, @IdempotencyKey() key: string | undefined, @RequestLanguage() lang: Lang) {
    await this.withdrawals.requestPoints(viewer.id, dto.amount, key);
    return { message: [translate('cash_submitted', lang)] };
  }
}

@ApiTags('wallet')
@ApiBearerAuth()
@Controller('api/v2/plus-pay/cashes')
export class PlusPayCashesController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  /** The viewer's wallet withdrawal requests, newest first (`after`: keyset id). */
  @Get()
  list(@CurrentViewer() viewer: Viewer, @Query() query: CashListQuery) {
    return this.withdrawals.ownMoneyRequests(viewer.id, query);
  }

  /** Withdraw wallet money (分) to a payout account of WALLET_CASH_TYPES: held at once until an admin reviews it. */
  @Post()
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  async request(@CurrentViewer() viewer: Viewer, @Body() dto: WalletCashDto, @IdempotencyKey() key: string | undefined, @RequestLanguage() lang: Lang) {
    await this.withdrawals.requestMoney(viewer.id, dto, key);
    return { message: [translate('wallet_cash_submitted', lang)] };
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/withdrawals')
export class AdminWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  /** Withdrawal requests, newest first; filter by `state` (0 pending, 1 approved, 2 rejected), `book`, `user`. */
  @Get()
  @RequireAbility('admin:withdrawal:review')
  list(@Query() query: WithdrawalListQuery) {
    return this.withdrawals.list(query);
  }

  /** Approve a pending request: the held amount is paid out. 409 when it was already reviewed. */
  @Patch(':id/approve')
  @HttpCode(204)
  @RequireAbility('admin:withdrawal:review')
  async approve(@CurrentAdmin() admin: AdminActor, @Param('id') id: string): Promise<void> {
    await this.withdrawals.approve(admin, parseId(id));
  }

  /** Reject a pending request with a reason: the held amount comes back. 409 when it was already reviewed. */
  @Patch(':id/reject')
  @HttpCode(204)
  @RequireAbility('admin:withdrawal:review')
  async reject(@CurrentAdmin() admin: AdminActor, @Param('id') id: string, @Body() dto: RejectWithdrawalDto): Promise<void> {
    await this.withdrawals.reject(admin, parseId(id), dto.reason);
  }
}
