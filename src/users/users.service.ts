import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { invalid } from '../common/errors/api-error';
import { LoginIdentifier } from '../common/validation/login-classifier';
import { looksReserved, storedUsername, usernameSkeleton } from '../common/validation/username';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared-query';
import { firstRow, runSql, SqlRunner } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { notFound, unauthenticated } from '../common/errors/api-error';
import { CodeChannel } from '../verify-codes/verify-code.entity';
import { EXISTING_USER, LIVE_USER } from './live-user';

export interface NewAccount {
  name: string;
  phone: string | null;
  email: string | null;
  password: string | null;
  inviterId: number | null;
  registerIp: string | null;
}

/** The account a login string (`$1`) of a kind names: findForLogin()'s statement (the bench runs it too). */
export function loginCandidateSql(kind: LoginIdentifier['kind']): string {
  const where = { email: 'lower(u.email) = $1', phone: 'u.phone = $1', name: 'lower(u.name) = lower($1)', id: 'u.id = $1' }[kind];
  return `SELECT u.id, u.password, u.disabled_at FROM users u WHERE ${where} AND u.cancelled_at IS NULL`;
}

/** Login data an operator changes; a changed phone or e-mail is unverified again. */
export interface AccountChange {
  name?: string;
  email?: string | null;
  phone?: string | null;
  passwordHash?: string;
}

/** A membership (VIP); all null: none. */
export interface Membership {
  level: number | null;
  name: string | null;
  end_time: string | null;
}

export interface LoginCandidate {
  id: number;
  password: string | null;
  disabled_at: Date | null;
}

const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function inviteCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
  return code;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The stored form of a requested user name (NFKC). */
  usernameOf(requested: string): string {
    return storedUsername(requested);
  }

  /** Refuses a name that looks like a reserved one. */
  assertNotReserved(name: string): void {
    if (looksReserved(name, this.config.reservedNames)) throw invalid('name', 'reserved_name');
  }

  /** Whether an existing account's name looks like `name` (the confusable skeleton, see common/validation/username). */
  async isNameTaken(name: string, runner: SqlRunner = this.db, exceptUserId: number | null = null): Promise<boolean> {
    const sql = `SELECT 1 FROM users u WHERE u.name_skeleton = $1 AND ${EXISTING_USER} AND u.id IS DISTINCT FROM $2`;
    return !!(await firstRow(runner, sql, [usernameSkeleton(name), exceptUserId]));
  }

  /** Refuses a name that looks like a reserved one or like a live user's (other than `exceptUserId`'s). */
  async assertNameFree(name: string, exceptUserId: number | null = null): Promise<void> {
    this.assertNotReserved(name);
    if (await this.isNameTaken(name, this.db, exceptUserId)) throw invalid('name', 'name_taken');
  }

  /** Creates a user with its counters in the caller's transaction (mobile-api §3); the caller opens its points and wallet. */
  async createAccount(manager: EntityManager, account: NewAccount): Promise<number> {
    const user = await firstRow<{ id: number }>(
      manager,
      `INSERT INTO users (name, name_skeleton, phone, email, phone_verified, email_verified, password, invite_code, inviter_id, register_ip)
       VALUES ($1, $8, $2::varchar, $3::varchar, $2::varchar IS NOT NULL, $3::varchar IS NOT NULL, $4, $5, $6, $7) RETURNING id`,
      [account.name, account.phone, account.email, account.password, inviteCode(), account.inviterId, account.registerIp, usernameSkeleton(account.name)],
    );
    await runSql(manager, 'INSERT INTO user_extras (user_id) VALUES ($1)', [user!.id]);
    return user!.id;
  }

  /** The id of the account (not cancelled) a phone / e-mail belongs to. */
  async findIdByContact(channel: CodeChannel, account: string, runner: SqlRunner = this.db): Promise<number | null> {
    const column = channel === 'sms' ? 'u.phone' : 'lower(u.email)';
    const row = await firstRow<{ id: number }>(runner, `SELECT u.id FROM users u WHERE ${column} = $1 AND ${EXISTING_USER}`, [account]);
    return row?.id ?? null;
  }

  async findIdByInviteCode(code: string): Promise<number | null> {
    const row = await firstRow<{ id: number }>(this.db, `SELECT u.id FROM users u WHERE u.invite_code = $1 AND ${LIVE_USER}`, [code.toUpperCase()]);
    return row?.id ?? null;
  }

  /** The account a login string names (disabled ones included: they learn so only after the right password). */
  async findForLogin(identifier: LoginIdentifier): Promise<LoginCandidate | null> {
    const {
      rows: [row],
    } = await preparedQuery<LoginCandidate>(this.db, loginCandidateSql(identifier.kind), [identifier.value]);
    return row ?? null;
  }

  async recordLogin(userId: number, ip: string): Promise<void> {
    await runSql(this.db, 'UPDATE users SET last_login_at = now(), last_login_ip = $2, last_active_at = now() WHERE id = $1', [userId, ip]);
  }

  /** "The user exists and is live": the one check before acting on another user. */
  async isLive(userId: number, runner: SqlRunner = this.db): Promise<boolean> {
    return !!(await firstRow(runner, `SELECT 1 FROM users u WHERE u.id = $1 AND ${LIVE_USER}`, [userId]));
  }

  /** isLive(), else 404. */
  async assertLive(runner: SqlRunner, userId: number): Promise<void> {
    if (!(await this.isLive(userId, runner))) throw notFound();
  }

  /** "The user exists" (not cancelled; disabled or not), else 404: the owner's own data stays reachable while disabled. */
  async assertExists(runner: SqlRunner, userId: number): Promise<void> {
    if (!(await firstRow(runner, `SELECT 1 FROM users u WHERE u.id = $1 AND ${EXISTING_USER}`, [userId]))) throw notFound();
  }

  /**
   * Locks the live ones among `ids` FOR SHARE, in id order (a concurrent cancel or disable waits for the caller's
   * transaction, or the caller sees the user gone) and answers which were live.
   */
  async lockLive(manager: EntityManager, ids: number[]): Promise<Set<number>> {
    const { rows } = await runSql<{ id: number }>(manager, `SELECT u.id FROM users u WHERE u.id = ANY($1::bigint[]) AND ${LIVE_USER} ORDER BY u.id FOR SHARE`, [
      ids,
    ]);
    return new Set(rows.map((row) => Number(row.id)));
  }

  /** Locks the account's row FOR UPDATE; false when it is cancelled (a cancellation that committed while we waited). */
  async lockExisting(manager: EntityManager, userId: number): Promise<boolean> {
    return !!(await firstRow(manager, `SELECT 1 FROM users u WHERE u.id = $1 AND ${EXISTING_USER} FOR UPDATE`, [userId]));
  }

  /** Both users live and locked (see lockLive): the acting user gone answers 401, the other 404. */
  async lockLivePair(manager: EntityManager, actorId: number, otherId: number): Promise<void> {
    const live = await this.lockLive(manager, [actorId, otherId]);
    if (!live.has(actorId)) throw unauthenticated();
    if (!live.has(otherId)) throw notFound();
  }

  /** Operator: changes login data (the caller checks reach, revokes tokens and maps unique clashes). */
  async changeAccount(manager: EntityManager, userId: number, change: AccountChange): Promise<void> {
    const params = new SqlParams();
    params.add(userId);
    const sets: string[] = [];
    if (change.name !== undefined) sets.push(`name = ${params.add(change.name)}`, `name_skeleton = ${params.add(usernameSkeleton(change.name))}`);
    if (change.email !== undefined) sets.push(`email = ${params.add(change.email)}`, 'email_verified = false');
    if (change.phone !== undefined) sets.push(`phone = ${params.add(change.phone)}`, 'phone_verified = false');
    if (change.passwordHash !== undefined) sets.push(`password = ${params.add(change.passwordHash)}`);
    if (sets.length) await runSql(manager, `UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params.values);
  }

  /**
   * Operator profile writes: sets the `custom` profile (an expression the operator module compiled, its values in
   * `params`) of the existing users `where` selects, answering their ids and new update times.
   */
  async writeCustomProfiles(manager: EntityManager, custom: string, where: string, params: SqlParams): Promise<Array<{ id: number; updated_unix: number }>> {
    const { rows } = await runSql<{ id: number; updated_unix: number }>(
      manager,
      `UPDATE users u SET custom = ${custom}, updated_at = now() WHERE ${EXISTING_USER} AND ${where}
       RETURNING u.id, floor(extract(epoch FROM u.updated_at))::bigint AS updated_unix`,
      params.values,
    );
    return rows;
  }

  /** A custom profile field was dropped: no profile keeps its value. */
  async dropCustomField(manager: EntityManager, name: string): Promise<void> {
    await runSql(manager, 'UPDATE users SET custom = custom - $1::text WHERE custom ? $1::text', [name]);
  }

  /** Admin: disable (tokens are revoked by the caller) or enable an account. */
  async setDisabled(manager: EntityManager, userId: number, disabled: boolean): Promise<void> {
    const value = disabled ? 'COALESCE(disabled_at, now())' : 'NULL';
    await runSql(manager, `UPDATE users SET disabled_at = ${value}, updated_at = now() WHERE id = $1`, [userId]);
  }

  /** Admin: sets or ends a membership. */
  async setMembership(manager: EntityManager, userId: number, membership: Membership): Promise<void> {
    const { level, name, end_time } = membership;
    await runSql(manager, 'UPDATE users SET vip_level = $2, vip_name = $3, vip_end_time = $4, updated_at = now() WHERE id = $1', [
      userId,
      level,
      name,
      end_time,
    ]);
  }

  /** Admin: puts a user on (or takes it off) the recommended list. */
  async setRecommended(manager: EntityManager, userId: number, recommendedBy: number | null): Promise<void> {
    if (recommendedBy === null) await runSql(manager, 'DELETE FROM recommended_users WHERE user_id = $1', [userId]);
    else await runSql(manager, 'INSERT INTO recommended_users (user_id, created_by) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, recommendedBy]);
  }
}
