import { Transform } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCnPhone, IsPassword, msg, Username } from '../../common/validation/decorators';
import { CodeString } from '../../common/validation/transforms';

const maxLength = (max: number) => MaxLength(max, { message: msg('v.max_length', { max: '$constraint1' }) });
const required = () => IsDefined({ message: msg('v.required') });

/** `PATCH /user`: only the fields sent change; `null` clears (except `name`). Nothing else is ever assigned. */
export class UpdateProfileDto {
  @ValidateIf((o: UpdateProfileDto) => o.name !== undefined)
  @required()
  @IsString()
  @Username()
  name?: string;

  @IsOptional()
  @IsString()
  @maxLength(255)
  bio?: string | null;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^[012]$/.test(value) ? Number(value) : value))
  @IsInt({ message: msg('v.integer') })
  @IsIn([0, 1, 2])
  sex?: number | null;

  @IsOptional()
  @IsString()
  @maxLength(255)
  location?: string | null;

  /** a file node uploaded by this user, or null */
  @IsOptional()
  @IsString()
  @maxLength(128)
  avatar?: string | null;

  /** a file node uploaded by this user, or null */
  @IsOptional()
  @IsString()
  @maxLength(128)
  bg?: string | null;
}

/** `PUT /user`: bind exactly one new phone or e-mail with a code from /verifycodes/register. */
export class BindContactDto {
  @IsOptional()
  @IsString()
  @IsCnPhone()
  phone?: string | null;

  @IsOptional()
  @IsString()
  @maxLength(128)
  @IsEmail({}, { message: msg('v.email') })
  email?: string | null;

  @required()
  @CodeString()
  @IsString()
  verifiable_code: string;
}

export class ChangePasswordDto {
  /** required when the account has a password */
  @IsOptional()
  @IsString()
  @maxLength(256)
  old_password?: string | null;

  @required()
  @IsPassword()
  password: string;

  @required()
  @IsString()
  @maxLength(256)
  password_confirmation: string;
}

export class RetrievePasswordDto {
  @required()
  @IsIn(['mail', 'sms'])
  verifiable_type: 'mail' | 'sms';

  @required()
  @CodeString()
  @IsString()
  verifiable_code: string;

  @ValidateIf((o: RetrievePasswordDto) => o.verifiable_type === 'sms')
  @required()
  @IsString()
  @IsCnPhone()
  phone?: string;

  @ValidateIf((o: RetrievePasswordDto) => o.verifiable_type === 'mail')
  @required()
  @IsString()
  @maxLength(128)
  @IsEmail({}, { message: msg('v.email') })
  email?: string;

  @required()
  @IsPassword()
  password: string;
}

/** `DELETE /user/phone`, `DELETE /user/email`. */
export class UnbindContactDto {
  @IsOptional()
  @IsString()
  @maxLength(256)
  password?: string | null;

  @required()
  @CodeString()
  @IsString()
  verifiable_code: string;
}

/** `DELETE /user`: the password, or a code for accounts without one. */
export class CancelAccountDto {
  @IsOptional()
  @IsString()
  @maxLength(256)
  password?: string | null;

  @IsOptional()
  @CodeString()
  @IsString()
  verifiable_code?: string | null;
}
