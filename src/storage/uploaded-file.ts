import type { FastifyRequest } from 'fastify';
import { ApiError, invalid } from '../common/errors/api-error';

/**
 * The bytes of one multipart field (`file` for /storage and /files, `avatar` / `image` for /user/avatar and /user/bg),
 * at most STORAGE_MAX_BYTES (413 past it). A body busboy cannot parse (no boundary, cut short) is the client's fault: 400.
 */
export async function readUploadedFile(request: FastifyRequest, field: string): Promise<Buffer> {
  if (!request.isMultipart()) throw invalid(field, 'file_missing');
  try {
    const part = await request.file();
    if (!part || part.fieldname !== field) throw invalid(field, 'file_missing');
    const bytes = await part.toBuffer();
    if (part.file.truncated) throw new ApiError(413, 'payload_too_large');
    return bytes;
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (error instanceof ApiError || (typeof status === 'number' && status < 500)) throw error;
    throw new ApiError(400, 'malformed_json');
  }
}
