import { IsDefined, IsIn, IsString } from 'class-validator';
import { msg } from '../../common/validation/decorators';
import { FIELD_TYPES, FieldType } from '../user-field.entity';

export class CreateUserFieldDto {
  /** ^[A-Za-z][A-Za-z0-9_]{0,63}$, not a built-in name */
  @IsDefined({ message: msg('v.required') })
  @IsString()
  name: string;

  @IsDefined({ message: msg('v.required') })
  @IsIn([...FIELD_TYPES])
  type: FieldType;
}
