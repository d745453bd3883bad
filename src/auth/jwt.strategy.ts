import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AccessTokenClaims, Viewer } from '../common/auth/viewer';
import { APP_CONFIG, AppConfig, jwtKey } from '../config/app-config';
import { AuthSessionsService } from './auth-sessions.service';

/** `Authorization: Bearer …`, or `?token=…` for ThinkSNS+ compatibility (spec README §2). */
export const extractAccessToken = ExtractJwt.fromExtractors([
  ExtractJwt.fromAuthHeaderAsBearerToken(),
  ExtractJwt.fromUrlQueryParameter('token'),
]);

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig, private readonly sessions: AuthSessionsService) {
    super({
      jwtFromRequest: extractAccessToken,
      secretOrKey: jwtKey(config) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: Partial<AccessTokenClaims>): Promise<Viewer | false> {
    return (await this.sessions.authenticate(claims)) ?? false;
  }
}
