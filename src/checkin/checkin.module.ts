import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CheckinController } from './checkin.controller';
import { CHECKIN_CLOCK, CheckinService } from './checkin.service';

@Module({
  imports: [UsersModule],
  controllers: [CheckinController],
  providers: [CheckinService, { provide: CHECKIN_CLOCK, useValue: () => new Date() }],
})
export class CheckinModule {}
