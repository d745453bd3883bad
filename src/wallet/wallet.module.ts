import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { UsersModule } from '../users/users.module';
import { AdminWalletController, WalletController, WalletSettingsController } from './wallet.controller';
import { WalletService } from './wallet.service';

@Module({
  imports: [AuthCoreModule, UsersModule],
  controllers: [WalletController, AdminWalletController, WalletSettingsController],
  providers: [WalletService],
})
export class WalletModule {}
