import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { CurrencyController } from './currency.controller';
import { CurrencyService } from './currency.service';

@Module({ imports: [AuthCoreModule], controllers: [CurrencyController], providers: [CurrencyService] })
export class CurrencyModule {}
