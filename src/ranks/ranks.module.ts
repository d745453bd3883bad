import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CheckinRanksController, RanksController } from './ranks.controller';
import { RanksService } from './ranks.service';

@Module({ imports: [UsersModule], controllers: [RanksController, CheckinRanksController], providers: [RanksService] })
export class RanksModule {}
