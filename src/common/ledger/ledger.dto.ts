import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { LimitQuery } from '../pagination/paging';
import { IsId, msg } from '../validation/decorators';
import { QueryInt } from '../validation/transforms';

/** Largest amount one request may move: 10^12 (points, or 分 = 100 亿元), far inside 2^53. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** `password`: required by money-moving routes when PAY_VALIDATE_PASSWORD=true. */
export class PaymentPasswordInput {
  @IsOptional()
  @IsString()
  @MaxLength(256, { message: msg('v.max_length', { max: '$constraint1' }) })
  password?: string | null;
}

export const Amount = () =>
  applyDecorators(
    QueryInt(),
    IsInt({ message: msg('v.integer') }),
    Min(1, { message: msg('v.min', { min: '$constraint1' }) }),
    Max(MAX_AMOUNT, { message: msg('v.max', { max: '$constraint1' }) }),
  );

/** `GET /currency/orders`, `GET /plus-pay/orders`. */
export class LedgerQueryDto extends LimitQuery {
  /** keyset: rows with an id below this */
  @IsOptional()
  @IsId()
  after?: number;

  @IsOptional()
  @IsIn(['income', 'expenses'])
  action?: 'income' | 'expenses';
}

/** Admin grant (positive) or deduction (negative). */
export class AdminAdjustDto {
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @NotEquals(0, { message: msg('v.invalid') })
  @Min(-MAX_AMOUNT, { message: msg('v.min', { min: '$constraint1' }) })
  @Max(MAX_AMOUNT, { message: msg('v.max', { max: '$constraint1' }) })
  amount: number;

  @IsOptional()
  @IsString()
  @MaxLength(64, { message: msg('v.max_length', { max: '$constraint1' }) })
  title?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(255, { message: msg('v.max_length', { max: '$constraint1' }) })
  body?: string | null;
}
