import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { UsersModule } from '../users/users.module';
import { AdminCurrencyController, CurrencyController, RewardsController } from './currency.controller';
import { CurrencyService } from './currency.service';
import { EarnedIncome } from './earned-income';

@Module({
  imports: [AuthCoreModule, UsersModule],
  controllers: [CurrencyController, RewardsController, AdminCurrencyController],
  providers: [CurrencyService, EarnedIncome],
  exports: [EarnedIncome],
})
export class CurrencyModule {}
