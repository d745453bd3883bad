import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { UsersModule } from '../users/users.module';
import { VerificationController, VerificationReviewController } from './verification.controller';
import { VerificationService } from './verification.service';

@Module({
  imports: [UsersModule, StorageModule],
  controllers: [VerificationController, VerificationReviewController],
  providers: [VerificationService],
})
export class VerificationModule {}
