import { IsDefined } from 'class-validator';
import { Amount, PaymentPasswordInput } from '../../common/ledger/ledger.dto';
import { msg } from '../../common/validation/decorators';

export class RewardDto extends PaymentPasswordInput {
  @IsDefined({ message: msg('v.required') })
  @Amount()
  amount: number;
}
