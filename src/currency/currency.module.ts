import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { AdminCurrencyController, CurrencyController, RewardsController } from './currency.controller';
import { CurrencyService } from './currency.service';

@Module({ imports: [AuthCoreModule], controllers: [CurrencyController, RewardsController, AdminCurrencyController], providers: [CurrencyService] })
export class CurrencyModule {}
