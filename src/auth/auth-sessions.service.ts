import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AccessTokenClaims, Viewer } from '../common/auth/viewer';
import { unauthenticated } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig, readYourWritesSeconds } from '../config/app-config';
import { preparedQuery } from '../database/prepared-query';
import { runSql } from '../database/sql';
import { deleteBatch } from '../database/prune';
import { recordActivity } from '../users/user-activity';

export interface IssuedToken {
  token: string;
  /** Minutes (ThinkSNS+ clients expect lifetimes in minutes). */
  ttl: number;
  refreshTtl: number;
}

export type RevokeReason = 'logout' | 'refresh-reuse' | 'password' | 'disabled' | 'cancelled' | 'account-change';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Token families: the single revocation mechanism. A token is alive while its family is not revoked, its `jti` is
 * the family's current one, and its user is neither disabled nor cancelled: one primary-key lookup per request.
 */
/** The per-request token check: `$1` session id, `$2` user id, `$3` the read-your-writes window in seconds. */
export const AUTHENTICATE_SQL = `SELECT s.current_jti, s.revoked_at, u.disabled_at, u.cancelled_at,
              u.last_active_at IS NULL OR u.last_active_at < now() - interval '1 minute' AS activity_stale,
              u.wrote_at > now() - make_interval(secs => $3) AS recent_write
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2`;

@Injectable()
export class AuthSessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a new family for a user (login, registration). */
  async issue(userId: number, manager: EntityManager = this.db.manager): Promise<IssuedToken> {
    const sessionId = randomUUID();
    const jti = randomUUID();
    await runSql(manager, 'INSERT INTO auth_sessions (id, user_id, current_jti) VALUES ($1, $2, $3)', [sessionId, userId, jti]);
    return this.sign(userId, sessionId, jti);
  }

  /** Resolves the viewer of a verified access token, or null when the token is dead. */
  async authenticate(claims: Partial<AccessTokenClaims>): Promise<Viewer | null> {
    if (!this.wellFormed(claims)) return null;
    const {
      rows: [row],
    } = await preparedQuery(this.db, AUTHENTICATE_SQL, [claims.sid, Number(claims.sub), readYourWritesSeconds(this.config)]);
    if (!row || row.revoked_at || row.disabled_at || row.cancelled_at || row.current_jti !== claims.jti) return null;
    const userId = Number(claims.sub);
    if (row.activity_stale) this.recordActivity(userId);
    return { id: userId, sessionId: claims.sid!, jti: claims.jti!, recentWrite: row.recent_write === true };
  }

  /**
   * Rotates a token (possibly expired, but inside the family's refresh window). Presenting a token that was already
   * rotated is reuse: the whole family dies.
   */
  async refresh(token: string | undefined): Promise<IssuedToken> {
    if (!token) throw unauthenticated();
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'], ignoreExpiration: true });
    } catch {
      throw unauthenticated();
    }
    if (!this.wellFormed(claims)) throw unauthenticated();
    const userId = Number(claims.sub);
    const newJti = randomUUID();
    const rotated = await runSql(
      this.db,
      `UPDATE auth_sessions s SET current_jti = $3, refreshed_at = now()
         FROM users u
        WHERE s.id = $1 AND s.user_id = $2 AND u.id = s.user_id AND s.current_jti = $4 AND s.revoked_at IS NULL
          AND s.created_at > now() - make_interval(mins => $5)
          AND u.disabled_at IS NULL AND u.cancelled_at IS NULL
        RETURNING s.id`,
      [claims.sid, userId, newJti, claims.jti, this.config.jwtRefreshTtlMinutes],
    );
    if (rotated.rowCount === 1) return this.sign(userId, claims.sid!, newJti);
    // Not rotated: either the family is dead / out of window, or this token was already rotated (reuse).
    await runSql(
      this.db,
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'refresh-reuse'
        WHERE id = $1 AND user_id = $2 AND current_jti <> $3 AND revoked_at IS NULL`,
      [claims.sid, userId, claims.jti],
    );
    throw unauthenticated();
  }

  async revokeSession(sessionId: string, reason: RevokeReason): Promise<void> {
    await runSql(this.db, 'UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL', [sessionId, reason]);
  }

  /** Kills every live token of a user (password change / reset, disable, cancel, login-data change). */
  async revokeAllSessions(userId: number, reason: RevokeReason, manager: EntityManager = this.db.manager): Promise<void> {
    await runSql(manager, 'UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, reason]);
  }

  /**
   * "Active users" need the time of the last authenticated request, but not a write per request: at most one a
   * minute per user, off the request's path (a lost update only delays the time by a minute).
   */
  private recordActivity(userId: number): void {
    recordActivity(this.db, userId).catch(() => undefined);
  }

  private wellFormed(claims: Partial<AccessTokenClaims>): boolean {
    return (
      claims.typ === 'access' &&
      typeof claims.exp === 'number' &&
      typeof claims.sub === 'string' &&
      /^[1-9]\d{0,15}$/.test(claims.sub) &&
      typeof claims.sid === 'string' &&
      UUID.test(claims.sid) &&
      typeof claims.jti === 'string' &&
      UUID.test(claims.jti)
    );
  }

  private async sign(userId: number, sessionId: string, jti: string): Promise<IssuedToken> {
    const token = await this.jwt.signAsync(
      { sub: String(userId), sid: sessionId, typ: 'access' },
      { jwtid: jti, expiresIn: this.config.jwtTtlMinutes * 60, algorithm: 'HS256' },
    );
    return { token, ttl: this.config.jwtTtlMinutes, refreshTtl: this.config.jwtRefreshTtlMinutes };
  }

  /**
   * Retention: families past their refresh window (no token of theirs can be alive or refreshed), and revoked
   * families `revokedDays` after revocation.
   */
  prune(manager: EntityManager, revokedDays: number, limit: number): Promise<number> {
    const windowMinutes = this.config.jwtRefreshTtlMinutes + this.config.jwtTtlMinutes;
    return deleteBatch(
      manager,
      'auth_sessions',
      'created_at < now() - make_interval(mins => $1) OR revoked_at < now() - make_interval(days => $2)',
      [windowMinutes, revokedDays],
      limit,
    );
  }
}
