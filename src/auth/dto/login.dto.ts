import { IsDefined, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { msg } from '../../common/validation/decorators';
import { CodeString } from '../../common/validation/transforms';

export class LoginDto {
  /** name, e-mail, phone or user id */
  @IsDefined({ message: msg('v.required') })
  @IsString()
  @MaxLength(128, { message: msg('v.max_length', { max: '$constraint1' }) })
  login: string;

  /** required unless verifiable_code is sent */
  @ValidateIf((o: LoginDto) => o.verifiable_code == null)
  @IsDefined({ message: msg('v.required') })
  @IsString()
  @MaxLength(256, { message: msg('v.max_length', { max: '$constraint1' }) })
  password?: string;

  /** a code from POST /verifycodes, for phone / e-mail logins */
  @IsOptional()
  @CodeString()
  @IsString()
  verifiable_code?: string;
}
