import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../common/errors/api-error';

/** The route that takes raw bytes (the PUT of an upload task); every other route refuses these types (415). */
export const RAW_UPLOAD_ROUTE = '/api/v2/storage/uploads/:task';

/**
 * Raw request bodies (`application/octet-stream`, `image/*`) as a Buffer, up to STORAGE_MAX_BYTES (413 past it, before
 * the bytes are buffered), for the upload-task PUT only.
 */
export function registerUploadBodyParser(fastify: FastifyInstance, maxBytes: number): void {
  const parse = (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
    if (request.routeOptions.url !== RAW_UPLOAD_ROUTE) return done(new ApiError(415, 'unsupported_media_type'));
    done(null, body);
  };
  fastify.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: maxBytes }, parse);
  fastify.addContentTypeParser(/^image\/[\w.+-]+$/, { parseAs: 'buffer', bodyLimit: maxBytes }, parse);
}
