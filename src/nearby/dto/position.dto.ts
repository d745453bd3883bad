import { Transform } from 'class-transformer';
import { IsDefined, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { MAX_LIMIT, QueryLimit } from '../../common/pagination/paging';
import { msg } from '../../common/validation/decorators';
import { QueryInt } from '../../common/validation/transforms';

/** Coordinates come as JSON numbers, or as strings (query strings, clients that pass AMap's strings on). */
const Coordinate = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,3}(\.\d{1,15})?$/.test(value) ? Number(value) : value));

const between = (min: number, max: number) => [
  Min(min, { message: msg('v.min', { min: '$constraint1' }) }),
  Max(max, { message: msg('v.max', { max: '$constraint1' }) }),
];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

/**
 * `POST` / `PATCH /around-amap`: where the caller is (WGS-84 / GCJ-02 degrees as the phone reports them). class-validator
 * runs a property's rules from the one nearest to it upwards: presence, then type, then range.
 */
export class PositionDto {
  /** −90 … 90 */
  @apply(between(-90, 90))
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: msg('position_latitude_required') })
  @IsDefined({ message: msg('position_latitude_required') })
  @Coordinate()
  latitude: number;

  /** −180 … 180 */
  @apply(between(-180, 180))
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: msg('position_longitude_required') })
  @IsDefined({ message: msg('position_longitude_required') })
  @Coordinate()
  longitude: number;
}

export const MAX_RADIUS_METRES = 50_000;
export const DEFAULT_RADIUS_METRES = 3000;
/** Pages past this are refused: a radius search is answered from its nearest few thousand. */
export const MAX_PAGE = 100;

/** `GET /around-amap?latitude&longitude&radius&limit&page` */
export class NearbyQuery extends PositionDto {
  /** metres, default 3000; more than 50 000 is taken as 50 000 */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Math.min(Number(value), MAX_RADIUS_METRES) : value))
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  radius?: number;

  /** 1–50, default 15 */
  @IsOptional()
  @QueryLimit(MAX_LIMIT)
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  limit?: number;

  /** 1–100, default 1 */
  @IsOptional()
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @apply(between(1, MAX_PAGE))
  page?: number;
}

/** `GET /around-amap/geo?address=` */
export class GeoQuery {
  @IsOptional() @IsString() address?: string;
}
