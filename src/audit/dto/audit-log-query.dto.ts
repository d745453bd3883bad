import { IsDateString, IsOptional, Matches } from 'class-validator';
import { LimitQuery } from '../../common/pagination/paging';
import { IsId, msg } from '../../common/validation/decorators';

/** `GET /api/v2/admin/audit-log`: newest first; `after` is the last id of the previous page (keyset). */
export class AuditLogQuery extends LimitQuery {
  @IsOptional()
  @IsId()
  after?: number;

  @IsOptional()
  @IsId()
  actor?: number;

  @IsOptional()
  @IsId()
  target?: number;

  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*$/, { message: msg('v.invalid') })
  action?: string;

  /** ISO 8601; entries at or after this time */
  @IsOptional()
  @IsDateString({ strict: true }, { message: msg('v.invalid') })
  since?: string;

  /** ISO 8601; entries before this time */
  @IsOptional()
  @IsDateString({ strict: true }, { message: msg('v.invalid') })
  until?: string;
}
