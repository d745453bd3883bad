import { IsDefined, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Amount } from '../../common/ledger/ledger.dto';
import { LimitQuery } from '../../common/pagination/paging';
import { IsId, msg } from '../../common/validation/decorators';
import { QueryInt } from '../../common/validation/transforms';

/** `POST /currency/cash`: points to withdraw. */
export class CurrencyCashDto {
  @IsDefined({ message: msg('v.required') })
  @Amount()
  amount: number;
}

/** `POST /plus-pay/cashes`: 分 to withdraw (`amount`, or `value` as the original named it), payout type and account. */
export class WalletCashDto {
  @ValidateIf((o: WalletCashDto) => o.value == null)
  @IsDefined({ message: msg('v.required') })
  @Amount()
  amount?: number;

  @IsOptional()
  @Amount()
  value?: number;

  @IsDefined({ message: msg('v.required') })
  @IsString()
  @MaxLength(32, { message: msg('v.max_length', { max: '$constraint1' }) })
  type: string;

  @IsDefined({ message: msg('v.required') })
  @IsString()
  @MaxLength(128, { message: msg('v.max_length', { max: '$constraint1' }) })
  account: string;
}

/** `GET /plus-pay/cashes`: newest first, keyset by id. */
export class CashListQuery extends LimitQuery {
  @IsOptional()
  @IsId()
  after?: number;
}

/** `GET /api/v2/admin/withdrawals`: filters, newest first, keyset by id. */
export class WithdrawalListQuery extends CashListQuery {
  @IsOptional()
  @IsIn(['points', 'money'])
  book?: 'points' | 'money';

  /** 0 pending, 1 approved, 2 rejected */
  @IsOptional()
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @IsIn([0, 1, 2])
  state?: number;

  @IsOptional()
  @IsId()
  user?: number;
}

export class RejectWithdrawalDto {
  @IsDefined({ message: msg('v.required') })
  @IsString()
  @MaxLength(255, { message: msg('v.max_length', { max: '$constraint1' }) })
  reason: string;
}
