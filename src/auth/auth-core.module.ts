import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, jwtKey } from '../config/app-config';
import { AuthSessionsService } from './auth-sessions.service';
import { AccessTokenVerifier } from './access-token';
import { PasswordHasher } from './password-hasher';
import { PaymentPassword } from './payment-password';

/** Tokens, sessions and password hashing: what every module that signs people in or out needs. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: jwtKey(config) as unknown as Buffer, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [AuthSessionsService, PasswordHasher, PaymentPassword, AccessTokenVerifier],
  exports: [AuthSessionsService, PasswordHasher, PaymentPassword, AccessTokenVerifier],
})
export class AuthCoreModule {}
