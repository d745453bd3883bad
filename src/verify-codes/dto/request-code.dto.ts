import { IsEmail, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCnPhone, msg } from '../../common/validation/decorators';

/** `phone` or `email`; e-mail wins when both are sent (mobile-api §2). */
export class RequestCodeDto {
  @ValidateIf((o: RequestCodeDto) => o.email == null)
  @IsString({ message: msg('v.required') })
  @IsCnPhone()
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128, { message: msg('v.max_length', { max: '$constraint1' }) })
  @IsEmail({}, { message: msg('v.email') })
  email?: string;
}
