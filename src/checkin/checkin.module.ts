import { Module } from '@nestjs/common';
import { CurrencyModule } from '../currency/currency.module';
import { UsersModule } from '../users/users.module';
import { CheckinController } from './checkin.controller';
import { CheckinService } from './checkin.service';

@Module({
  imports: [UsersModule, CurrencyModule],
  controllers: [CheckinController],
  providers: [CheckinService],
})
export class CheckinModule {}
