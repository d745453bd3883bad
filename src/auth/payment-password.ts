import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow } from '../database/sql';
import { PasswordHasher } from './password-hasher';

/** `PAY_VALIDATE_PASSWORD=true`: money-moving routes require the account password (403 密码验证错误). */
@Injectable()
export class PaymentPassword {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(userId: number, password: unknown): Promise<void> {
    if (!this.config.payValidatePassword) return;
    const user = await firstRow<{ password: string | null }>(this.db, 'SELECT password FROM users WHERE id = $1', [userId]);
    const given = typeof password === 'string' ? password : '';
    if (!(await this.hasher.verify(given, user?.password))) throw new ApiError(403, 'pay_password_wrong');
  }
}
