import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { OffsetPageQuery } from '../../common/pagination/paging';
import { IsCnPhone, IsResidentIdNumber, msg } from '../../common/validation/decorators';

const required = () => IsDefined({ message: msg('v.required') });
const maxLength = (max: number) => MaxLength(max, { message: msg('v.max_length', { max: '$constraint1' }) });

class IdCardData {
  /** file node of this user */
  @required() @IsString() @maxLength(128) front: string;
  /** file node of this user */
  @required() @IsString() @maxLength(128) rear: string;
  /** 18 characters with a valid check digit, or the old 15 digits */
  @required() @IsString() @IsResidentIdNumber() number: string;
}

/** `data` of a real-name (`type: user`) verification. */
export class UserVerificationData {
  @required() @ValidateNested() @Type(() => IdCardData) id_card: IdCardData;
  @required() @IsString() @maxLength(64) real_name: string;
  @required() @IsString() @IsCnPhone() phone_number: string;
  @IsOptional() @IsString() @maxLength(250) desc?: string | null;
}

class OrgData {
  @required() @IsString() @maxLength(128) name: string;
  @required() @IsString() @maxLength(255) address: string;
  /** file node of this user */
  @required() @IsString() @maxLength(128) certificate: string;
}

class PersonData {
  @required() @IsString() @maxLength(64) name: string;
  @required() @IsString() @IsResidentIdNumber() number: string;
}

/** `data` of an organisation (`type: org`) verification. */
export class OrgVerificationData {
  @required() @ValidateNested() @Type(() => OrgData) org: OrgData;
  @required() @ValidateNested() @Type(() => PersonData) person: PersonData;
  @required() @IsString() @IsCnPhone() phone_number: string;
  @IsOptional() @IsString() @maxLength(250) desc?: string | null;
}

/** `POST /user/verification`; `data` is validated by `type` (UserVerificationData or OrgVerificationData). */
export class CreateVerificationDto {
  @required() @IsIn(['user', 'org']) type: 'user' | 'org';
  @required() data: Record<string, unknown>;
}

/** `PATCH /user/verification`: the same `data` fields, all optional; `type` is ignored. */
export class UpdateVerificationDto {
  @required() data: Record<string, unknown>;
}

export class ReviewListQuery extends OffsetPageQuery {
  @IsOptional() @IsIn(['-1', '0', '1']) state?: string;
  @IsOptional() @IsIn(['user', 'org']) type?: 'user' | 'org';
}

export class ApproveDto {
  @IsOptional() @IsString() @maxLength(64) slogan?: string | null;
}

export class RejectDto {
  @required() @IsString() @maxLength(255) reason: string;
}
