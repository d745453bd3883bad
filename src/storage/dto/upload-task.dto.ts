import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { msg } from '../../common/validation/decorators';

const required = () => IsDefined({ message: msg('v.required') });

class StorageChannel {
  /** only `public` (the ThinkSNS+ default channel) */
  @required() @IsIn(['public'], { message: msg('upload_channel_invalid') }) channel: string;
}

/** `POST /storage` as the ThinkSNS+ 2.x clients send it (JSON); a multipart body there is a direct upload instead. */
export class CreateUploadTaskDto {
  /** the client's file name (informative only: the type comes from the bytes) */
  @IsOptional() @IsString() @MaxLength(255, { message: msg('v.max_length', { max: '$constraint1' }) }) filename?: string;
  /** md5 of the bytes that will be PUT, 32 hex digits */
  @required() @IsString() @Matches(/^[0-9a-fA-F]{32}$/, { message: msg('v.invalid') }) hash: string;
  /** byte length of the file; at most STORAGE_MAX_BYTES */
  @required() @IsInt({ message: msg('v.integer') }) @Min(1, { message: msg('v.min', { min: '$constraint1' }) }) size: number;
  /** the client's idea of the type (informative only) */
  @IsOptional() @IsString() @MaxLength(128, { message: msg('v.max_length', { max: '$constraint1' }) }) mime_type?: string;
  @required() @ValidateNested() @Type(() => StorageChannel) storage: StorageChannel;
}
