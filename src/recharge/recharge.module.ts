import { Module } from '@nestjs/common';
import { CurrencyRechargeController, WalletRechargeController } from './recharge.controller';

/** The recharge order routes of the ThinkSNS+ clients, refused while no payment gateway exists. */
@Module({ controllers: [CurrencyRechargeController, WalletRechargeController] })
export class RechargeModule {}
