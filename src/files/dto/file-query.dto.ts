import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { msg } from '../../common/validation/decorators';
import { QueryInt } from '../../common/validation/transforms';

/** The largest side a resized image may be asked for (a phone screen at 3× is under 1300 px wide). */
export const MAX_RESIZE_SIDE = 2048;

const side = () => [
  IsOptional(),
  QueryInt(),
  IsInt({ message: msg('v.integer') }),
  Min(1, { message: msg('v.min', { min: '$constraint1' }) }),
  Max(MAX_RESIZE_SIDE, { message: msg('v.max', { max: '$constraint1' }) }),
];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

/** `GET /files/:id?w=&h=&q=`: a smaller copy, never larger than the original; `json` answers `{url}` instead of the bytes. */
export class FileQuery {
  /** width in pixels, 1–2048 */
  @apply(side()) w?: number;
  /** height in pixels, 1–2048 */
  @apply(side()) h?: number;
  /** jpeg / webp quality 1–100 (default 80 for resized copies) */
  @IsOptional()
  @QueryInt()
  @IsInt({ message: msg('v.integer') })
  @Min(1, { message: msg('v.min', { min: '$constraint1' }) })
  @Max(100, { message: msg('v.max', { max: '$constraint1' }) })
  q?: number;
  /** present: answer `{url}` (the ThinkSNS+ clients use it for videos and image viewers) */
  @IsOptional() @IsString() json?: string;
}
