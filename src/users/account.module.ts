import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { AuthCoreModule } from '../auth/auth-core.module';
import { FollowsModule } from '../follows/follows.module';
import { AuthModule } from '../auth/auth.module';
import { StorageModule } from '../storage/storage.module';
import { VerifyCodesModule } from '../verify-codes/verify-codes.module';
import { AccountController } from './account.controller';
import { AccountImagesController } from './account-images.controller';
import { AccountService } from './account.service';
import { DiscoveryController } from './discovery.controller';
import { UsersController } from './users.controller';
import { UsersModule } from './users.module';

/**
 * The HTTP side of users: `/users` (registration through auth, lookups, the list) and the user's own account (`/user…`,
 * which needs codes, sessions, file ownership and the owners of what cancellation removes). UsersModule holds what other modules import.
 */
@Module({
  imports: [UsersModule, AuthModule, AuthCoreModule, VerifyCodesModule, StorageModule, FollowsModule, AddressesModule],
  controllers: [UsersController, AccountController, DiscoveryController, AccountImagesController],
  providers: [AccountService],
})
export class AccountModule {}
