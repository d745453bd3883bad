import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthSessionsService } from '../auth/auth-sessions.service';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { PasswordHasher } from '../auth/password-hasher';
import { AdminActor } from '../common/auth/viewer';
import { notFound } from '../common/errors/api-error';
import { checkViolation, uniqueViolation } from '../common/errors/database-errors';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { isAcceptablePassword } from '../common/validation/password';
import { isAcceptableUsername, looksReserved, storedUsername } from '../common/validation/username';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow } from '../database/sql';
import { EXISTING_USER } from '../users/live-user';
import { AccountChange, UsersService } from '../users/users.service';
import { fileUrl } from '../storage/file.view';
import { badRequest } from './operator-errors';

/** `password` is the current password the SDK's updatePassword sends next to `new_password` (operator-api §6). */
const ACCOUNT_FIELDS = new Set(['username', 'email', 'phone', 'new_password', 'password']);

interface AccountRow {
  name: string;
  password?: string | null;
  email: string | null;
  phone: string | null;
  email_verified: boolean;
  phone_verified: boolean;
}

const toAccountView = (row: AccountRow) => ({
  email: row.email,
  email_verified: row.email_verified,
  username: row.name,
  phone: row.phone,
  phone_verified: row.phone_verified,
});

/** Login data through the operator API (operator-api §5). */
@Injectable()
export class OperatorAccountService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: AuthSessionsService,
    private readonly hasher: PasswordHasher,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  /** The calling operator (`GET /userve/v1/user-profile/`). */
  async me(userId: number) {
    const row = await firstRow<{ id: number; name: string; email: string | null; avatar: string | null }>(
      this.db,
      'SELECT id, name, email, avatar FROM users WHERE id = $1',
      [userId],
    );
    if (!row) throw notFound();
    return { avatar_link: row.avatar ? fileUrl(this.config.publicUrl, row.avatar) : '', email: row.email, nickname: row.name, user_id: row.id };
  }

  /**
   * Changes username / e-mail / phone / password. A changed phone or e-mail is unverified again; a new password or
   * any changed login data kills the user's tokens.
   */
  async change(admin: AdminActor, userId: number, body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object');
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) if (!ACCOUNT_FIELDS.has(key)) throw badRequest(`unknown field ${key}`);
    const current = await firstRow<AccountRow>(
      this.db,
      `SELECT name, email, phone, email_verified, phone_verified, password FROM users u WHERE id = $1 AND ${EXISTING_USER}`,
      [userId],
    );
    if (!current) throw notFound();
    // Reach first: an admin out of reach learns nothing, not even whether a guessed old password is right.
    await this.assertMayActOnNow(admin, userId);
    if (input.password !== undefined) await this.assertCurrentPassword(input, current.password);
    const change: AccountChange = {};
    if (input.username !== undefined) {
      const name = input.username;
      if (!isAcceptableUsername(name)) throw badRequest('username is invalid');
      const stored = storedUsername(name);
      if (looksReserved(stored, this.config.reservedNames)) throw badRequest('username is reserved');
      if (stored !== current.name) change.name = stored;
    }
    if (input.email !== undefined) {
      const email = input.email;
      if (email !== null && (typeof email !== 'string' || email.length > 128 || !isEmail(email))) throw badRequest('email is invalid');
      if (email !== current.email) change.email = email;
    }
    if (input.phone !== undefined) {
      const phone = input.phone === null ? null : typeof input.phone === 'string' ? normalizeCnPhone(input.phone) : undefined;
      if (phone === undefined || (input.phone !== null && phone === null)) throw badRequest('phone is invalid');
      if (phone !== current.phone) change.phone = phone;
    }
    if (input.new_password !== undefined) {
      if (!isAcceptablePassword(input.new_password)) throw badRequest('new_password must be 6 to 64 characters and at most 72 bytes');
      change.passwordHash = await this.hasher.hash(input.new_password);
    }
    if (Object.keys(change).length) {
      try {
        await this.db.transaction(async (manager) => {
          await this.abilities.assertMayActOn(manager, admin.id, userId);
          await this.users.changeAccount(manager, userId, change);
          await this.sessions.revokeAllSessions(userId, 'account-change', manager);
          // Names of the changed fields only: never the password, and no contact data in the trail.
          await this.audit.record(manager, admin, 'user.account', userId, { fields: Object.keys(input).filter((key) => input[key] !== undefined) });
        });
      } catch (error) {
        if (uniqueViolation(error) !== undefined) throw badRequest('username, email or phone is taken by another user');
        if (checkViolation(error) === 'users_sign_in_check') throw badRequest('the user would have no password, phone or email to sign in with');
        throw error;
      }
    }
    const row = await firstRow<AccountRow>(this.db, 'SELECT name, email, phone, email_verified, phone_verified FROM users WHERE id = $1', [userId]);
    return toAccountView(row!);
  }

  /** The SDK's `{"password": <old>, "new_password": <new>}`: the old password must be the user's. */
  private async assertCurrentPassword(input: Record<string, unknown>, hash: string | null | undefined): Promise<void> {
    if (input.new_password === undefined) throw badRequest('password goes with new_password');
    if (typeof input.password !== 'string' || !(await this.hasher.verify(input.password, hash))) throw badRequest('password is wrong');
  }

  /** Checked again inside the write's transaction (the target may gain abilities meanwhile). */
  private async assertMayActOnNow(admin: AdminActor, userId: number): Promise<void> {
    await this.db.transaction((manager) => this.abilities.assertMayActOn(manager, admin.id, userId));
  }
}
