import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { msg } from '../validation/decorators';
import { QueryInt } from '../validation/transforms';

/** `limit` from a query string: a positive whole number, capped at `max` (clients asking for more get `max`). */
export const QueryLimit = (max: number) =>
  Transform(({ value }) => {
    if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return value;
    return Math.min(Number(value), max);
  });

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

/** `limit` (1–50, default 20; more is capped at 50). */
export class LimitQuery {
  @IsOptional()
  @QueryLimit(MAX_LIMIT)
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  limit?: number;
}

/** `limit` and `offset` (≥ 0). */
export class OffsetPageQuery extends LimitQuery {
  @IsOptional()
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @Min(0, { message: msg('v.min', { min: '$constraint1' }) })
  @Max(1_000_000, { message: msg('v.max', { max: '$constraint1' }) })
  offset?: number;
}
