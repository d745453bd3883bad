import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { StorageModule } from '../storage/storage.module';
import { VerifyCodesModule } from '../verify-codes/verify-codes.module';
import { AccountController } from './account.controller';
import { AccountImagesController } from './account-images.controller';
import { AccountService } from './account.service';
import { UsersModule } from './users.module';

/** The user's own account (`/user…`): needs codes, sessions and file ownership, hence its own module. */
@Module({
  imports: [UsersModule, AuthCoreModule, VerifyCodesModule, StorageModule],
  controllers: [AccountController, AccountImagesController],
  providers: [AccountService],
})
export class AccountModule {}
