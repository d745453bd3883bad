import { Transform } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { msg } from '../../common/validation/decorators';

export class LocationSearchQuery {
  /** part of a province, city or district name (e.g. `成都`) */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsDefined({ message: msg('location_keyword_required') })
  @IsString({ message: msg('location_keyword_required') })
  @IsNotEmpty({ message: msg('location_keyword_required') })
  @MaxLength(32, { message: msg('v.max_length', { max: '$constraint1' }) })
  name: string;
}
