import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthSessionsService, IssuedToken } from '../auth/auth-sessions.service';
import { uniqueClash } from '../auth/auth.service';
import { PasswordHasher } from '../auth/password-hasher';
import { invalid, notFound } from '../common/errors/api-error';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { AddressesService } from '../addresses/addresses.service';
import { firstRow, runSql } from '../database/sql';
import { FollowsService } from '../follows/follows.service';
import { inTransaction } from '../database/transactions';
import { StorageService } from '../storage/storage.service';
import { CodeChannel } from '../verify-codes/verify-code.entity';
import { CheckedCode, VerifyCodesService } from '../verify-codes/verify-codes.service';
import { usernameSkeleton } from '../common/validation/username';
import { cityOf } from './city';
import { EXISTING_USER } from './live-user';
import { BindContactDto, ChangePasswordDto, RetrievePasswordDto, UpdateProfileDto } from './dto/account.dto';
import { UsersService } from './users.service';

interface AccountRow {
  id: number;
  password: string | null;
  phone: string | null;
  email: string | null;
}

/** The columns PATCH /user may write, by request field: nothing outside this map is ever assigned. */
const PROFILE_COLUMNS = { name: 'name', bio: 'bio', sex: 'sex', location: 'location', avatar: 'avatar', bg: 'bg' } as const;

/** A user's own account (mobile-api §4.2): profile, login data, password, cancellation. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly codes: VerifyCodesService,
    private readonly sessions: AuthSessionsService,
    private readonly hasher: PasswordHasher,
    private readonly storage: StorageService,
    private readonly users: UsersService,
    private readonly follows: FollowsService,
    private readonly addresses: AddressesService,
  ) {}

  async updateProfile(userId: number, dto: UpdateProfileDto): Promise<void> {
    const name = dto.name != null ? this.users.usernameOf(dto.name) : undefined;
    if (name !== undefined) await this.users.assertNameFree(name, userId);
    for (const field of ['avatar', 'bg'] as const) {
      if (dto[field] != null) await this.storage.assertOwnedBy(dto[field], userId, field);
    }
    const assignments: string[] = [];
    const values: unknown[] = [userId];
    for (const [field, column] of Object.entries(PROFILE_COLUMNS)) {
      const value = field === 'name' ? name : dto[field as keyof UpdateProfileDto];
      if (value === undefined) continue;
      values.push(field === 'sex' ? (value ?? 0) : value);
      assignments.push(`${column} = $${values.length}`);
    }
    if (name !== undefined) {
      values.push(usernameSkeleton(name));
      assignments.push(`name_skeleton = $${values.length}`);
    }
    if (dto.location !== undefined) {
      values.push(cityOf(dto.location));
      assignments.push(`city = $${values.length}`);
    }
    if (!assignments.length) return;
    try {
      await runSql(this.db, `UPDATE users SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1`, values);
    } catch (error) {
      throw uniqueClash(error) ?? error;
    }
  }

  /** PUT /user: binds exactly one new phone or e-mail, proven by a code sent to it. */
  async bindContact(userId: number, dto: BindContactDto): Promise<void> {
    const hasPhone = dto.phone != null;
    if (hasPhone === (dto.email != null)) throw invalid(hasPhone ? 'email' : 'phone', 'illegal_operation');
    const channel: CodeChannel = hasPhone ? 'sms' : 'mail';
    const field = hasPhone ? 'phone' : 'email';
    const account = hasPhone ? normalizeCnPhone(dto.phone!)! : dto.email!.toLowerCase();
    if ((await this.users.findIdByContact(channel, account)) !== null) throw invalid(field, 'contact_taken');
    const code = await this.codes.check({ channel, account, purpose: 'register' }, dto.verifiable_code);
    try {
      await this.db.transaction(async (manager) => {
        await this.codes.redeem(code, manager);
        const value = hasPhone ? account : dto.email!;
        await runSql(manager, `UPDATE users SET ${field} = $2, ${field}_verified = true, updated_at = now() WHERE id = $1`, [userId, value]);
      });
    } catch (error) {
      if (uniqueClash(error)) throw invalid(field, 'contact_taken');
      throw error;
    }
  }

  /** Every token of the user dies; the caller gets a fresh one (header `Authorization`). */
  async changePassword(userId: number, dto: ChangePasswordDto): Promise<IssuedToken> {
    if (dto.password !== dto.password_confirmation) throw invalid('password_confirmation', 'password_confirmation_mismatch');
    const user = await this.account(userId);
    if (user.password !== null) {
      if (dto.old_password == null) throw invalid('old_password', 'v.required', { field: 'old_password' });
      if (!(await this.hasher.verify(dto.old_password, user.password))) throw invalid('old_password', 'old_password_wrong');
      if (await this.hasher.verify(dto.password, user.password)) throw invalid('password', 'password_unchanged');
    }
    const hash = await this.hasher.hash(dto.password);
    return this.db.transaction(async (manager) => {
      await runSql(manager, 'UPDATE users SET password = $2, updated_at = now() WHERE id = $1', [userId, hash]);
      await this.sessions.revokeAllSessions(userId, 'password', manager);
      return this.sessions.issue(userId, manager);
    });
  }

  /**
   * Unknown account and bad code answer the same after the same work (no enumeration, no timing oracle): the code is
   * checked and the new password hashed whether or not the account exists. Every token of the user dies.
   */
  async retrievePassword(dto: RetrievePasswordDto): Promise<void> {
    const channel: CodeChannel = dto.verifiable_type === 'sms' ? 'sms' : 'mail';
    const account = channel === 'sms' ? normalizeCnPhone(dto.phone!)! : dto.email!.toLowerCase();
    const userId = await this.users.findIdByContact(channel, account);
    const hash = await this.hasher.hash(dto.password);
    const code = await this.codes.check({ channel, account, purpose: 'account' }, dto.verifiable_code);
    if (userId === null) throw invalid('verifiable_code', 'code_invalid');
    await this.db.transaction(async (manager) => {
      await this.codes.redeem(code, manager);
      await runSql(manager, 'UPDATE users SET password = $2, updated_at = now() WHERE id = $1', [userId, hash]);
      await this.sessions.revokeAllSessions(userId, 'password', manager);
    });
  }

  /**
   * DELETE /user/phone | /user/email, never leaving an account nobody can log in to: the update re-checks under the
   * row lock that another way to sign in remains (parallel unbinds), and `users_sign_in_check` backs it.
   */
  async unbindContact(userId: number, field: 'phone' | 'email', password: string | null | undefined, code: string): Promise<void> {
    const user = await this.account(userId);
    const current = user[field];
    if (current === null) throw invalid(field, 'illegal_operation');
    const other = field === 'phone' ? 'email' : 'phone';
    if (user[other] === null && user.password === null) throw invalid(field, 'last_login_method');
    if (user.password !== null && (password == null || !(await this.hasher.verify(password, user.password)))) {
      throw invalid('password', 'password_wrong');
    }
    const channel: CodeChannel = field === 'phone' ? 'sms' : 'mail';
    const checked = await this.codes.check({ channel, account: current.toLowerCase(), purpose: 'account' }, code);
    await this.db.transaction(async (manager) => {
      await this.codes.redeem(checked, manager);
      const unbound = await runSql(
        manager,
        `UPDATE users SET ${field} = NULL, ${field}_verified = false, updated_at = now()
          WHERE id = $1 AND ${field} IS NOT NULL AND (${other} IS NOT NULL OR password IS NOT NULL)`,
        [userId],
      );
      if (unbound.rowCount !== 1) throw invalid(field, 'last_login_method');
    });
  }

  /**
   * DELETE /user: the account is cancelled (name, phone and e-mail free again), every token dies, follow relations
   * go with their counters fixed, the recommendation too. Ledger rows stay: money history is never deleted.
   */
  async cancel(userId: number, password: string | null | undefined, code: string | null | undefined): Promise<void> {
    const user = await this.account(userId);
    let proof: CheckedCode | undefined;
    if (user.password !== null) {
      if (password == null || !(await this.hasher.verify(password, user.password))) throw invalid('password', 'password_wrong');
    } else {
      const channel: CodeChannel = user.phone ? 'sms' : 'mail';
      const account = (user.phone ?? user.email ?? '').toLowerCase();
      proof = await this.codes.check({ channel, account, purpose: 'account' }, code);
    }
    await inTransaction(this.db, async (manager) => {
      if (proof) await this.codes.redeem(proof, manager);
      const cancelled = await runSql(manager, 'UPDATE users SET cancelled_at = now(), updated_at = now() WHERE id = $1 AND cancelled_at IS NULL', [userId]);
      if (cancelled.rowCount !== 1) throw notFound();
      await this.sessions.revokeAllSessions(userId, 'cancelled', manager);
      await this.follows.removeAllOf(manager, userId);
      await this.users.setRecommended(manager, userId, null);
      await this.addresses.removeAllOf(manager, userId);
    });
  }

  private async account(userId: number): Promise<AccountRow> {
    const user = await firstRow<AccountRow>(this.db, `SELECT u.id, u.password, u.phone, u.email FROM users u WHERE u.id = $1 AND ${EXISTING_USER}`, [userId]);
    if (!user) throw notFound();
    return user;
  }
}
