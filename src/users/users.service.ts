import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { runSql } from '../database/sql';
import { invalid } from '../common/errors/api-error';
import { LoginIdentifier } from '../common/validation/login-classifier';
import { looksReserved, usernameSkeleton } from '../common/validation/username';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared-query';
import { CodeChannel } from '../verify-codes/verify-code.entity';
import { LIVE_USER } from './user-views.service';

export interface NewAccount {
  name: string;
  phone: string | null;
  email: string | null;
  password: string | null;
  inviterId: number | null;
  registerIp: string | null;
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
  constructor(@InjectDataSource() private readonly db: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The stored form of a requested user name (NFKC). */
  usernameOf(requested: string): string {
    return requested.normalize('NFKC');
  }

  /** Refuses a name that looks like a reserved one. */
  assertNotReserved(name: string): void {
    if (looksReserved(name, this.config.reservedNames)) throw invalid('name', 'reserved_name');
  }

  /** Refuses a name that looks like a reserved one or like a live user's (other than `exceptUserId`'s). */
  async assertNameFree(name: string, exceptUserId: number | null = null): Promise<void> {
    this.assertNotReserved(name);
    const skeleton = usernameSkeleton(name);
    const [row] = await this.db.query(
      'SELECT 1 FROM users u WHERE u.name_skeleton = $1 AND u.cancelled_at IS NULL AND u.id IS DISTINCT FROM $2',
      [skeleton, exceptUserId],
    );
    if (row) throw invalid('name', 'name_taken');
  }

  /** Creates a user with its counters, wallet and points rows in the caller's transaction (mobile-api §3). */
  async createAccount(manager: EntityManager, account: NewAccount): Promise<number> {
    const [user] = await manager.query(
      `INSERT INTO users (name, name_skeleton, phone, email, phone_verified, email_verified, password, invite_code, inviter_id, register_ip)
       VALUES ($1, $8, $2::varchar, $3::varchar, $2::varchar IS NOT NULL, $3::varchar IS NOT NULL, $4, $5, $6, $7) RETURNING id`,
      [account.name, account.phone, account.email, account.password, inviteCode(), account.inviterId, account.registerIp, usernameSkeleton(account.name)],
    );
    await manager.query('INSERT INTO user_extras (user_id) VALUES ($1)', [user.id]);
    await manager.query('INSERT INTO wallets (owner_id) VALUES ($1)', [user.id]);
    await manager.query('INSERT INTO user_currencies (owner_id) VALUES ($1)', [user.id]);
    return user.id;
  }

  /** The id of the account (not cancelled) a phone / e-mail belongs to. */
  async findIdByContact(channel: CodeChannel, account: string): Promise<number | null> {
    const column = channel === 'sms' ? 'u.phone' : 'lower(u.email)';
    const [row] = await this.db.query(`SELECT u.id FROM users u WHERE ${column} = $1 AND u.cancelled_at IS NULL`, [account]);
    return row?.id ?? null;
  }

  async findIdByInviteCode(code: string): Promise<number | null> {
    const [row] = await this.db.query(`SELECT u.id FROM users u WHERE u.invite_code = $1 AND ${LIVE_USER}`, [code.toUpperCase()]);
    return row?.id ?? null;
  }

  /** The account a login string names (disabled ones included: they learn so only after the right password). */
  async findForLogin(identifier: LoginIdentifier): Promise<LoginCandidate | null> {
    const where = {
      email: 'lower(u.email) = $1',
      phone: 'u.phone = $1',
      name: 'lower(u.name) = lower($1)',
      id: 'u.id = $1',
    }[identifier.kind];
    const [row] = await preparedQuery<LoginCandidate>(
      this.db,
      `SELECT u.id, u.password, u.disabled_at FROM users u WHERE ${where} AND u.cancelled_at IS NULL`,
      [identifier.value],
    );
    return row ?? null;
  }

  async recordLogin(userId: number, ip: string): Promise<void> {
    await this.db.query('UPDATE users SET last_login_at = now(), last_login_ip = $2, last_active_at = now() WHERE id = $1', [userId, ip]);
  }

  /** A daily check-in landed (in the check-in's transaction): one more in total, `streak` consecutive days. */
  async recordCheckin(manager: EntityManager, userId: number, streak: number): Promise<void> {
    await runSql(
      manager,
      'UPDATE user_extras SET checkin_count = checkin_count + 1, last_checkin_count = $2, updated_at = now() WHERE user_id = $1',
      [userId, streak],
    );
  }
}
