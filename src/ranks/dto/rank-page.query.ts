import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { LimitQuery } from '../../common/pagination/paging';
import { msg } from '../../common/validation/decorators';
import { QueryInt } from '../../common/validation/transforms';

export const RANK_DEFAULT_LIMIT = 10;
/** Ranks go this deep: a page further down would cost an ever longer index walk for no client that shows it. */
export const RANK_MAX_OFFSET = 10_000;

/** `limit` (1–50, default 10 as the original; more is capped at 50) and `offset` (0–10000). */
export class RankPageQuery extends LimitQuery {
  @IsOptional()
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @Min(0, { message: msg('v.min', { min: '$constraint1' }) })
  @Max(RANK_MAX_OFFSET, { message: msg('v.max', { max: '$constraint1' }) })
  offset?: number;
}
