import { Provider } from '@nestjs/common';
import { Authenticator } from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AccessTokenClaims } from '../common/auth/viewer';
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

/** This app's passport, holding its `jwt` strategy (see jwtAuthenticatorProvider). */
export const JWT_AUTHENTICATOR = Symbol('JWT_AUTHENTICATOR');
export type JwtAuthenticator = InstanceType<typeof Authenticator>;

/**
 * The `jwt` strategy lives in a passport instance of this app, not in passport's process-wide registry, where the
 * last app started in a process would replace it: with several apps in one process (tests), every app checks tokens
 * with its own secret and its own sessions table, whatever the order they started in.
 */
export const jwtAuthenticatorProvider: Provider = {
  provide: JWT_AUTHENTICATOR,
  inject: [APP_CONFIG, AuthSessionsService],
  useFactory: (config: AppConfig, sessions: AuthSessionsService): JwtAuthenticator => {
    const strategy = new Strategy(
      { jwtFromRequest: extractAccessToken, secretOrKey: jwtKey(config) as unknown as string, algorithms: ['HS256'], ignoreExpiration: false },
      (claims: Partial<AccessTokenClaims>, done: (error: unknown, viewer?: unknown) => void) => {
        sessions.authenticate(claims).then((viewer) => done(null, viewer ?? false), done);
      },
    );
    const authenticator = new Authenticator();
    authenticator.use('jwt', strategy);
    return authenticator;
  },
};
