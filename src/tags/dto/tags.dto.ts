import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OffsetPageQuery } from '../../common/pagination/paging';
import { IsId, msg } from '../../common/validation/decorators';

const TagName = () =>
  applyDecorators(
    IsString({ message: msg('v.string') }),
    MinLength(1, { message: msg('v.required') }),
    MaxLength(150, { message: msg('v.max_length', { max: '$constraint1' }) }),
  );
const Weight = () =>
  applyDecorators(
    IsInt({ message: msg('v.integer') }),
    Min(-1_000_000, { message: msg('v.min', { min: '$constraint1' }) }),
    Max(1_000_000, { message: msg('v.max', { max: '$constraint1' }) }),
  );

export class CreateTagCategoryDto {
  @IsDefined({ message: msg('v.required') }) @TagName() name: string;
  /** larger first (default 0) */
  @IsOptional() @Weight() weight?: number;
}

export class UpdateTagCategoryDto {
  @IsOptional() @TagName() name?: string;
  @IsOptional() @Weight() weight?: number;
}

export class CreateTagDto {
  @IsDefined({ message: msg('v.required') }) @TagName() name: string;
  /** id of its category */
  @IsDefined({ message: msg('v.required') }) @IsId() category: number;
  /** larger first within the category (default 0) */
  @IsOptional() @Weight() weight?: number;
}

export class UpdateTagDto {
  @IsOptional() @TagName() name?: string;
  @IsOptional() @IsId() category?: number;
  @IsOptional() @Weight() weight?: number;
}

/** `GET /admin/tags`: by category and / or a part of the name, newest first. */
export class AdminTagListQuery extends OffsetPageQuery {
  @IsOptional() @IsId() category?: number;
  @IsOptional() @IsString() @MaxLength(150, { message: msg('v.max_length', { max: '$constraint1' }) }) keyword?: string;
}
