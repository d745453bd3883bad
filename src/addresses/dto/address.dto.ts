import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { Gb18030MaxLength, IsCnPhone, msg } from '../../common/validation/decorators';

const required = () => IsDefined({ message: msg('v.required') });
/** Form posts send booleans as 1/0 or "true"/"false". */
const BooleanInput = () =>
  Transform(({ value }) => (value === 1 || value === '1' || value === 'true' ? true : value === 0 || value === '0' || value === 'false' ? false : value));
/** The optional fields, the same for create and update. Limits are GB18030 bytes. */
class OptionalAddressFields {
  @IsOptional()
  @IsString()
  @Gb18030MaxLength(24)
  alias?: string | null;

  @IsOptional()
  @IsString()
  @Gb18030MaxLength(32)
  province?: string | null;

  @IsOptional()
  @IsString()
  @Gb18030MaxLength(32)
  city?: string | null;

  @IsOptional()
  @IsString()
  @Gb18030MaxLength(32)
  county?: string | null;

  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: msg('v.postcode') })
  postcode?: string | null;
}

/** `POST /user/addresses`: name, phone, detail and is_default are required. */
export class CreateAddressDto extends OptionalAddressFields {
  @required()
  @IsString()
  @Gb18030MaxLength(24)
  name: string;

  @required()
  @IsString()
  @IsCnPhone()
  phone: string;

  @required()
  @IsString()
  @Gb18030MaxLength(160)
  detail: string;

  @required()
  @BooleanInput()
  @IsBoolean()
  is_default: boolean;
}

const sent = (field: keyof UpdateAddressDto) => (o: UpdateAddressDto) => o[field] !== undefined;

/** `PUT` / `PATCH /user/addresses/:id`: every field optional; the required ones cannot be cleared. */
export class UpdateAddressDto extends OptionalAddressFields {
  @ValidateIf(sent('name'))
  @required()
  @IsString()
  @Gb18030MaxLength(24)
  name?: string;

  @ValidateIf(sent('phone'))
  @required()
  @IsString()
  @IsCnPhone()
  phone?: string;

  @ValidateIf(sent('detail'))
  @required()
  @IsString()
  @Gb18030MaxLength(160)
  detail?: string;

  @ValidateIf(sent('is_default'))
  @required()
  @BooleanInput()
  @IsBoolean()
  is_default?: boolean;
}
