import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { AdminWalletController, WalletController } from './wallet.controller';
import { WalletService } from './wallet.service';

@Module({ imports: [AuthCoreModule], controllers: [WalletController, AdminWalletController], providers: [WalletService] })
export class WalletModule {}
