import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AccessTokenClaims, Viewer } from '../common/auth/viewer';
import { APP_CONFIG, AppConfig, jwtKey } from '../config/app-config';
import { AuthSessionsService } from './auth-sessions.service';

/** Set by the access guard on requests that take the token from the Authorization header only. */
export const HEADER_TOKEN_ONLY = Symbol('headerTokenOnly');

const fromHeader = ExtractJwt.fromAuthHeaderAsBearerToken();
const fromQuery = ExtractJwt.fromUrlQueryParameter('token');

/**
 * `Authorization: Bearer …`, or `?token=…` for ThinkSNS+ compatibility (spec README §2) on the mobile API only: a
 * token in a URL ends up in logs, histories and Referer headers, so admin and operator routes never accept one there.
 */
export function extractAccessToken(request: Parameters<typeof fromHeader>[0]): string | null {
  const token = fromHeader(request);
  if (token || (request as unknown as Record<symbol, boolean>)[HEADER_TOKEN_ONLY]) return token;
  return fromQuery(request);
}

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
