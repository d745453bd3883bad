import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { ApiError, invalid } from '../common/errors/api-error';
import { uniqueViolation } from '../common/errors/database-errors';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { classifyLogin } from '../common/validation/login-classifier';
import { UsersService } from '../users/users.service';
import { POINTS } from '../currency/points';
import { MONEY } from '../wallet/money';
import { VerifyCodesService } from '../verify-codes/verify-codes.service';
import { AuthSessionsService, IssuedToken } from './auth-sessions.service';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { PasswordHasher } from './password-hasher';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RegisterMethod } from '../config/community-settings';

/** Which request field a unique index guards, and the message for a clash. */
const UNIQUE_FIELDS: Record<string, [string, 'name_taken' | 'phone_taken' | 'email_taken']> = {
  users_name_key: ['name', 'name_taken'],
  users_name_skeleton_key: ['name', 'name_taken'],
  users_phone_key: ['phone', 'phone_taken'],
  users_email_key: ['email', 'email_taken'],
};

/** Maps a unique-index race to the same 422 the pre-check gives (mobile-api §1: never a 500). */
export function uniqueClash(error: unknown): ApiError | undefined {
  const constraint = uniqueViolation(error);
  const clash = constraint !== undefined ? UNIQUE_FIELDS[constraint] : undefined;
  return clash ? invalid(clash[0], clash[1]) : undefined;
}

/** REGISTER_METHOD, as `GET /bootstrappers` announces it (registerSettings.method). */
export function registrationOpenTo(method: RegisterMethod, channel: 'sms' | 'mail'): boolean {
  return method === 'all' || method === (channel === 'sms' ? 'mobile-only' : 'mail-only');
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly codes: VerifyCodesService,
    private readonly sessions: AuthSessionsService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The code is checked first and the password hashed whatever happens next, so a taken phone / e-mail answers like a
   * free one with a wrong code, after the same work (no phone oracle).
   */
  async register(dto: RegisterDto, ip: string): Promise<IssuedToken> {
    const channel = dto.verifiable_type;
    const field = channel === 'sms' ? 'phone' : 'email';
    if (!registrationOpenTo(this.config.community.registerMethod, channel)) throw invalid('verifiable_type', 'register_method_closed');
    if (dto.phone != null && dto.email != null) throw invalid(field === 'phone' ? 'email' : 'phone', 'one_account_per_code');
    const account = channel === 'sms' ? (dto.phone ? normalizeCnPhone(dto.phone) : null) : dto.email?.toLowerCase();
    if (!account) throw invalid(field, 'v.required', { field });
    const name = this.users.usernameOf(dto.name);
    this.users.assertNotReserved(name);
    const code = await this.codes.check({ channel, account, purpose: 'register' }, dto.verifiable_code);
    const password = dto.password != null ? await this.hasher.hash(dto.password) : null;
    await this.users.assertNameFree(name);
    if (await this.users.findIdByContact(channel, account)) throw invalid(field, field === 'phone' ? 'phone_taken' : 'email_taken');
    let inviterId: number | null = null;
    if (dto.invite_code != null) {
      inviterId = await this.users.findIdByInviteCode(dto.invite_code);
      if (inviterId === null) throw invalid('invite_code', 'invite_code_unknown');
    }
    try {
      return await this.db.transaction(async (manager) => {
        await this.codes.redeem(code, manager);
        const userId = await this.users.createAccount(manager, {
          name,
          phone: channel === 'sms' ? account : null,
          email: channel === 'mail' ? dto.email!.trim() : null,
          password,
          inviterId,
          registerIp: ip,
        });
        await POINTS.open(manager, userId);
        await MONEY.open(manager, userId);
        return this.sessions.issue(userId, manager);
      });
    } catch (error) {
      throw uniqueClash(error) ?? error;
    }
  }

  /** One answer for unknown account, wrong password and wrong code (no enumeration); disabled only after that. */
  async login(dto: LoginDto, ip: string, requestId: string): Promise<IssuedToken> {
    const rejected = invalid('login', 'bad_credentials');
    const identifier = classifyLogin(dto.login);
    const user = identifier ? await this.users.findForLogin(identifier) : null;
    if (dto.password != null) {
      const tooLong = Buffer.byteLength(dto.password) > 72;
      const matches = await this.hasher.verify(dto.password, user?.password);
      if (!user || !matches || tooLong) throw rejected;
    } else {
      if (!user || !identifier || (identifier.kind !== 'phone' && identifier.kind !== 'email')) throw rejected;
      const channel = identifier.kind === 'phone' ? 'sms' : 'mail';
      try {
        await this.codes.redeem(await this.codes.check({ channel, account: identifier.value, purpose: 'account' }, dto.verifiable_code), this.db.manager);
      } catch {
        throw rejected;
      }
    }
    if (user.disabled_at) throw new ApiError(403, 'account_disabled');
    await this.users.recordLogin(user.id, ip);
    return this.db.transaction(async (manager) => {
      const token = await this.sessions.issue(user.id, manager);
      await this.audit.recordAdminSignIn(manager, { id: user.id, ip, requestId });
      return token;
    });
  }
}
