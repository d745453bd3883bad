import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { invalid } from '../common/errors/api-error';

/**
 * Recharge needs a payment gateway (Alipay, WeChat Pay, Apple IAP) this service does not have, and the settings say
 * so (`recharge.status: false`, no `recharge-type`). The order routes answer what the original answered for a
 * recharge type that is not enabled — 422 选择的充值方式错误 — and never pretend a payment happened.
 */
const refuse = () => invalid('type', 'recharge_type_invalid');

@ApiTags('currency')
@ApiBearerAuth()
@Controller('api/v2/currencyRecharge')
export class CurrencyRechargeController {
  /** Points recharge order: refused, no gateway. */
  @Post('orders')
  @HttpCode(201)
  create(): never {
    throw refuse();
  }
}

@ApiTags('wallet')
@ApiBearerAuth()
@Controller('api/v2/walletRecharge')
export class WalletRechargeController {
  /** Wallet recharge order: refused, no gateway. */
  @Post('orders')
  @HttpCode(201)
  create(): never {
    throw refuse();
  }
}
