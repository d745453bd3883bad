import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ABILITY_KEY, Access, ACCESS_KEY } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { forbidden, unauthenticated } from '../common/errors/api-error';
import { isDatabaseUnavailable } from '../common/errors/database-errors';
import { PerRoute } from '../common/http/per-route';
import { AbilitiesService } from './abilities/abilities.service';
import { AccessTokenVerifier, extractAccessToken, HEADER_TOKEN_ONLY } from './access-token';

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
    private readonly tokens: AccessTokenVerifier,
  ) {}

  private readonly routes = new PerRoute((targets) => ({
    access: this.reflector.getAllAndOverride<Access>(ACCESS_KEY, targets) ?? 'user',
    ability: this.reflector.getAllAndOverride<string | undefined>(ABILITY_KEY, targets),
  }));

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { access, ability } = this.routes.of(context);
    const request = context.switchToHttp().getRequest();
    request.user = null;
    request[HEADER_TOKEN_ONLY] = ability !== undefined || isAdminPath(request.url);
    if (access === 'guest') return true;
    const token = extractAccessToken(request);
    if (access === 'optional' && !token) return true;
    let viewer: Viewer | null;
    try {
      viewer = await this.tokens.viewerOf(token);
    } catch (error) {
      // A token that cannot be checked because the database is down is not a bad token: 503, not 401.
      if (isDatabaseUnavailable(error)) throw error;
      viewer = null;
    }
    // An invalid token on an optional route is a guest.
    if (!viewer) {
      if (access === 'optional') return true;
      throw unauthenticated();
    }
    request.user = viewer;
    if (ability && !(await this.abilities.has(viewer.id, ability))) throw forbidden();
    return true;
  }
}
