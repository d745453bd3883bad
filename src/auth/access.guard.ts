import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ABILITY_KEY, Access, ACCESS_KEY } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { forbidden, unauthenticated } from '../common/errors/api-error';
import { isDatabaseUnavailable } from '../common/errors/database-errors';
import { AbilitiesService } from './abilities/abilities.service';
import { extractAccessToken, HEADER_TOKEN_ONLY, JWT_AUTHENTICATOR, JwtAuthenticator } from './jwt.strategy';

/** Operator and admin paths: a token in the query string is not read there (only the mobile API takes one). */
const isAdminPath = (url: string) => /^\/(userve|api\/v2\/admin)([/?]|$)/.test(url);

/**
 * The global guard: every route is `user` unless marked `@Guest()` or `@OptionalAuth()`; `@RequireAbility()` adds
 * the admin check. Runs before the rate limiter so that limits are keyed by user where there is one.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilitiesService,
    @Inject(JWT_AUTHENTICATOR) private readonly passport: JwtAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<Access>(ACCESS_KEY, targets) ?? 'user';
    const ability = this.reflector.getAllAndOverride<string>(ABILITY_KEY, targets);
    const request = context.switchToHttp().getRequest();
    request.user = null;
    request[HEADER_TOKEN_ONLY] = ability !== undefined || isAdminPath(request.url);
    if (access === 'guest') return true;
    if (access === 'optional' && !extractAccessToken(request)) return true;
    let viewer: Viewer;
    try {
      viewer = await this.authenticate(request, context.switchToHttp().getResponse());
    } catch (error) {
      // An invalid token on an optional route is a guest.
      if (access === 'optional' && !isDatabaseUnavailable(error)) return true;
      throw error;
    }
    request.user = viewer;
    if (ability && !(await this.abilities.has(viewer.id, ability))) throw forbidden();
    return true;
  }

  /** The viewer of a valid token of a live session, through this app's `jwt` strategy. */
  private authenticate(request: unknown, response: unknown): Promise<Viewer> {
    return new Promise((resolve, reject) => {
      const verdict = (error: unknown, viewer: Viewer | false) => {
        // A token that cannot be checked because the database is down is not a bad token: 503, not 401.
        if (isDatabaseUnavailable(error)) reject(error);
        else if (error || !viewer) reject(unauthenticated());
        else resolve(viewer);
      };
      this.passport.authenticate('jwt', { session: false }, verdict)(request, response, reject);
    });
  }
}
