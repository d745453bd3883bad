import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { VerifyCodesModule } from '../verify-codes/verify-codes.module';
import { AuthCoreModule } from './auth-core.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';

@Module({
  imports: [AuthCoreModule, UsersModule, VerifyCodesModule],
  controllers: [AuthController],
  providers: [AuthService],
  // The global guard (app.module.ts) checks tokens with AuthCoreModule's AccessTokenVerifier; registration is served by users.
  exports: [AuthCoreModule, AuthService],
})
export class AuthModule {}
