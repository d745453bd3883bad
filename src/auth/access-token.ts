import { Inject, Injectable } from '@nestjs/common';
import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';
import { ExtractJwt } from 'passport-jwt';
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

/** The header of the tokens this service signs (jsonwebtoken's for HS256), accepted without decoding it again. */
const ISSUED_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The claims of a compact JWS signed with HMAC-SHA256 under `key`, or null. The header's `alg` must be exactly HS256
 * (no `none`, no algorithm confusion), the signature must be the canonical base64url of the HMAC (compared in
 * constant time), `exp` is required and in the future, and an `nbf` must have passed.
 */
export function verifyHs256(token: string, key: KeyObject, nowSeconds: number): Record<string, unknown> | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) return null;
  const header = token.slice(0, first);
  if (header !== ISSUED_HEADER && decodeJson(header)?.alg !== 'HS256') return null;
  const expected = Buffer.from(createHmac('sha256', key).update(token.slice(0, second)).digest('base64url'));
  const given = Buffer.from(token.slice(second + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = decodeJson(token.slice(first + 1, second));
  if (!claims || typeof claims.exp !== 'number' || nowSeconds >= claims.exp) return null;
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds)) return null;
  return claims;
}

/**
 * Access-token check of every authenticated request: one HMAC in-process, then the session lookup
 * (AuthSessionsService.authenticate: family alive, current jti, user neither disabled nor cancelled).
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly key: KeyObject;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: AuthSessionsService,
  ) {
    this.key = jwtKey(config);
  }

  /** The viewer of a valid token of a live session, or null. Database errors propagate (503, not 401). */
  async viewerOf(token: string | null): Promise<Viewer | null> {
    if (!token) return null;
    const claims = verifyHs256(token, this.key, Math.floor(Date.now() / 1000));
    return claims ? this.sessions.authenticate(claims as Partial<AccessTokenClaims>) : null;
  }
}
