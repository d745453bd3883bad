import { IsDefined, IsInt, Min } from 'class-validator';
import { Amount, PaymentPasswordInput } from '../../common/ledger/ledger.dto';
import { QueryInt } from '../../common/pagination/paging';
import { msg } from '../../common/validation/decorators';

export class TransferDto extends PaymentPasswordInput {
  /** the receiving user's id */
  @IsDefined({ message: msg('v.required') })
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  user: number;

  /** 分 */
  @IsDefined({ message: msg('v.required') })
  @Amount()
  amount: number;
}

export class TransformDto extends PaymentPasswordInput {
  /** 分, at least TRANSFORM_MIN */
  @IsDefined({ message: msg('v.required') })
  @Amount()
  amount: number;
}
