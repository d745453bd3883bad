import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryLimit } from '../../common/pagination/paging';
import { QueryInt } from '../../common/validation/transforms';
import { msg } from '../../common/validation/decorators';
import { SNAPSHOT_SIZE } from '../income-rank.keys';

export class IncomeRankQuery {
  /** income of the last N days (1–3650); all time when absent */
  @IsOptional()
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  @Max(3650, { message: msg('v.max', { max: '$constraint1' }) })
  days?: number;

  /** e.g. 成都 (成都市 is the same city) */
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: msg('v.max_length', { max: '$constraint1' }) })
  city?: string;

  /** 1–1000, default 100 */
  @IsOptional()
  @QueryLimit(SNAPSHOT_SIZE)
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  limit?: number;
}
