import { ApiError } from '../common/errors/api-error';
import { QueryLanguageError } from './where/where-parser';

/** 400 `{"status":"error","error_msg":"…"}` (the filter gives operator paths minapp's shape). */
export function badRequest(detail: string): ApiError {
  return new ApiError(400, 'operator_invalid', { detail });
}

/**
 * Turns what a query built from operator input may raise into 400s: our parser's rejections, and PostgreSQL's
 * invalid regular expression (2201B) or statement timeout (57014) for a `$regex` that is too costly.
 */
export function asOperatorError(error: unknown): unknown {
  if (error instanceof QueryLanguageError) return badRequest(error.message);
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  if (code === '2201B') return badRequest('invalid regular expression');
  if (code === '57014') return badRequest('the query took too long');
  if (code === '22P02' || code === '22003' || code === '22008') return badRequest('a value is out of range for its field');
  // A NUL character (\u0000) in a text parameter (22021) or in a JSON value (22P05) cannot be stored or compared.
  if (code === '22021' || code === '22P05') return badRequest('a value contains a character that cannot be stored');
  return error;
}
