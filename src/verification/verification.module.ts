import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { UsersModule } from '../users/users.module';
import { CertificationController } from './certification.controller';
import { CertificationService } from './certification.service';
import { VerificationController, VerificationReviewController } from './verification.controller';
import { VerificationService } from './verification.service';

@Module({
  imports: [UsersModule, StorageModule],
  controllers: [VerificationController, VerificationReviewController, CertificationController],
  providers: [VerificationService, CertificationService],
})
export class VerificationModule {}
