import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsDefined, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OffsetPageQuery } from '../../common/pagination/paging';
import { IsId, msg } from '../../common/validation/decorators';

/** `GET /users` (mobile-api §4.2): keyset by id with `since`, or by activity with `active=1` (then `offset`). */
export class ListUsersQuery extends OffsetPageQuery {
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @IsOptional()
  @IsId()
  since?: number;

  /** substring of the name; with fetch_by=username an exact comma list */
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: msg('v.max_length', { max: '$constraint1' }) })
  name?: string;

  @IsOptional()
  @IsIn(['id', 'username'])
  fetch_by?: 'id' | 'username';

  /** comma list of ids */
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,15}(,\d{1,15}){0,49}$/, { message: msg('v.invalid') })
  id?: string;

  @IsOptional()
  @IsIn(['0', '1', 'true', 'false'])
  active?: string;
}

/** `GET /users/:user`: compute the follow flags against another user instead of the viewer. */
export class UserLookupQuery {
  @IsOptional()
  @IsId()
  following?: number;

  @IsOptional()
  @IsId()
  follower?: number;
}

/** `GET /user/search` (ThinkSNS+): a part of the name; none gives the recommended users. */
export class UserSearchQuery extends OffsetPageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: msg('v.max_length', { max: '$constraint1' }) })
  keyword?: string;
}

/** `POST /user/find-by-phone`: `phones` as a JSON array or a comma string (as the original took either), ≤ 100. */
export class FindByPhoneDto {
  /** mainland mobile numbers; others match nothing */
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
      : value,
  )
  @IsDefined({ message: msg('phones_required') })
  @IsArray({ message: msg('v.invalid') })
  @ArrayNotEmpty({ message: msg('phones_required') })
  @ArrayMaxSize(100, { message: msg('v.array_max_size', { max: '$constraint1' }) })
  @IsString({ each: true, message: msg('v.string') })
  @MaxLength(32, { each: true, message: msg('v.max_length', { max: '$constraint1' }) })
  phones: string[];
}
