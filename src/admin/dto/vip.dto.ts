import { IsDateString, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { msg } from '../../common/validation/decorators';

/** `PUT /api/v2/admin/users/:user/vip`: a running membership; `level: null` ends it. */
export class SetVipDto {
  @IsOptional()
  @IsInt({ message: msg('v.integer') })
  @Min(0, { message: msg('v.min', { min: '$constraint1' }) })
  @Max(10_000, { message: msg('v.max', { max: '$constraint1' }) })
  level?: number | null;

  @IsOptional()
  @IsString()
  @MaxLength(64, { message: msg('v.max_length', { max: '$constraint1' }) })
  name?: string | null;

  /** ISO 8601; null = no end */
  @IsOptional()
  @IsDateString({ strict: true }, { message: msg('v.invalid') })
  end_time?: string | null;
}
