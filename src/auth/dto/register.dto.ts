import { IsDefined, IsEmail, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCnPhone, IsPassword, msg, Username } from '../../common/validation/decorators';
import { CodeString } from '../../common/validation/transforms';

export class RegisterDto {
  /** username rule, display length 2–12, not reserved, unique */
  @IsDefined({ message: msg('v.required') })
  @IsString()
  @Username()
  name: string;

  /** cn_phone; required without email */
  @ValidateIf((o: RegisterDto) => o.email == null || o.phone != null)
  @IsDefined({ message: msg('v.required') })
  @IsString()
  @IsCnPhone()
  phone?: string;

  /** required without phone, at most 128 characters */
  @ValidateIf((o: RegisterDto) => o.phone == null || o.email != null)
  @IsDefined({ message: msg('v.required') })
  @IsString()
  @MaxLength(128, { message: msg('v.max_length', { max: '$constraint1' }) })
  @IsEmail({}, { message: msg('v.email') })
  email?: string;

  @IsDefined({ message: msg('v.required') })
  @IsIn(['sms', 'mail'])
  verifiable_type: 'sms' | 'mail';

  @IsDefined({ message: msg('v.required') })
  @CodeString()
  @IsString()
  verifiable_code: string;

  /** optional: an account without a password logs in by code only */
  @IsOptional()
  @IsPassword()
  password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(16, { message: msg('v.max_length', { max: '$constraint1' }) })
  invite_code?: string;
}
