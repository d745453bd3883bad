import { Module } from '@nestjs/common';
import { CurrencyModule } from '../currency/currency.module';
import { UsersModule } from '../users/users.module';
import { IncomeRankController } from './income-rank.controller';
import { IncomeRankRefresher } from './income-rank.refresher';
import { IncomeRankService } from './income-rank.service';

@Module({
  imports: [UsersModule, CurrencyModule],
  controllers: [IncomeRankController],
  providers: [IncomeRankService, IncomeRankRefresher],
  exports: [IncomeRankRefresher],
})
export class RankingModule {}
