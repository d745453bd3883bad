import { IsDefined } from 'class-validator';
import { Amount, PaymentPasswordInput } from '../../common/ledger/ledger.dto';
import { IsId, msg } from '../../common/validation/decorators';

export class TransferDto extends PaymentPasswordInput {
  /** the receiving user's id */
  @IsDefined({ message: msg('v.required') })
  @IsId()
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
