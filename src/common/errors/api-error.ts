import { MessageKey, MessageParams } from './messages';

export interface FieldError {
  field: string;
  key: MessageKey;
  params?: MessageParams;
}

/** An error the client caused or may see: a status, a message key, and (for 422) the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly fieldErrors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(key);
  }
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated');
export const forbidden = (key: MessageKey = 'forbidden') => new ApiError(403, key);
export const notFound = () => new ApiError(404, 'not_found');

/** 422 with one field at fault; the message is the field's message (as Laravel answered). */
export function invalid(field: string, key: MessageKey, params: MessageParams = {}): ApiError {
  return new ApiError(422, key, { field, ...params }, [{ field, key, params: { field, ...params } }]);
}

export function validationFailed(fieldErrors: FieldError[]): ApiError {
  const first = fieldErrors[0];
  return new ApiError(422, first.key, first.params ?? {}, fieldErrors);
}
