import { Module } from '@nestjs/common';
import { AdminWithdrawalsController, CurrencyCashController, PlusPayCashesController } from './withdrawals.controller';
import { WithdrawalsService } from './withdrawals.service';

@Module({ controllers: [CurrencyCashController, PlusPayCashesController, AdminWithdrawalsController], providers: [WithdrawalsService] })
export class WithdrawalsModule {}
