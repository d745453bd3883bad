import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { UsersModule } from '../users/users.module';
import { CurrencyController } from './currency.controller';
import { CurrencyService } from './currency.service';

@Module({ imports: [AuthCoreModule, UsersModule], controllers: [CurrencyController], providers: [CurrencyService] })
export class CurrencyModule {}
