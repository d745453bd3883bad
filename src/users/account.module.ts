import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { AuthCoreModule } from '../auth/auth-core.module';
import { FollowsModule } from '../follows/follows.module';
import { StorageModule } from '../storage/storage.module';
import { VerifyCodesModule } from '../verify-codes/verify-codes.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { UsersModule } from './users.module';

/** The user's own account (`/user…`): needs codes, sessions, file ownership and the owners of what cancellation removes, hence its own module. */
@Module({
  imports: [UsersModule, AuthCoreModule, VerifyCodesModule, StorageModule, FollowsModule, AddressesModule],
  controllers: [AccountController],
  providers: [AccountService],
})
export class AccountModule {}
