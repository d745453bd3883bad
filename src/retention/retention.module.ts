import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { RankingModule } from '../ranking/ranking.module';
import { VerifyCodesModule } from '../verify-codes/verify-codes.module';
import { RetentionJob } from './retention.job';

@Module({
  imports: [AuthCoreModule, IdempotencyModule, RankingModule, VerifyCodesModule],
  providers: [RetentionJob],
  exports: [RetentionJob],
})
export class RetentionModule {}
