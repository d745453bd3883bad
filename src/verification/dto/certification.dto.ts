import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { msg } from '../../common/validation/decorators';

const Text = (max: number) =>
  applyDecorators(IsString({ message: msg('v.string') }), MaxLength(max, { message: msg('v.max_length', { max: '$constraint1' }) }));
const FileIds = () =>
  applyDecorators(
    IsArray({ message: msg('v.invalid') }),
    ArrayMinSize(1, { message: msg('certification_files_required') }),
    ArrayMaxSize(2, { message: msg('v.array_max_size', { max: '$constraint1' }) }),
    IsInt({ each: true, message: msg('v.integer') }),
    Min(1, { each: true, message: msg('v.min', { min: '$constraint1' }) }),
    Max(Number.MAX_SAFE_INTEGER, { each: true, message: msg('v.max', { max: '$constraint1' }) }),
  );
const required = () => IsDefined({ message: msg('v.required') });
const isOrg = (dto: { type?: string }) => dto.type === 'org';

/**
 * `POST /user/certification` (the old API, thinksns-compat §5): flat fields. `files` are file ids of the caller's
 * uploads: the ID card's front and back for `user`, the licence for `org`. Values are checked as `/user/verification`
 * checks them (resident ID number, mainland mobile number).
 */
export class CreateCertificationDto {
  @required() @IsIn(['user', 'org'], { message: msg('v.in') }) type: 'user' | 'org';
  /** real name (user) or the person in charge (org) */
  @required() @Text(64) name: string;
  /** resident ID number */
  @required() @Text(32) number: string;
  @required() @Text(32) phone: string;
  @required() @Text(250) desc: string;
  @IsDefined({ message: msg('certification_files_required') }) @FileIds() files: number[];
  @ValidateIf(isOrg) @required() @Text(128) org_name?: string;
  @ValidateIf(isOrg) @required() @Text(255) org_address?: string;
}

/** `PATCH /user/certification`: the same fields, each optional (a rejected submission goes back to review). */
export class UpdateCertificationDto {
  /** must stay the submission's type */
  @IsOptional() @IsIn(['user', 'org'], { message: msg('v.in') }) type?: 'user' | 'org';
  @IsOptional() @Text(64) name?: string;
  @IsOptional() @Text(32) number?: string;
  @IsOptional() @Text(32) phone?: string;
  @IsOptional() @Text(250) desc?: string;
  @IsOptional() @FileIds() files?: number[];
  @IsOptional() @Text(128) org_name?: string;
  @IsOptional() @Text(255) org_address?: string;
}
