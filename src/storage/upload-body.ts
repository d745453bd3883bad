import fastifyMultipart, { FastifyMultipartOptions } from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

type Done = (error?: Error) => void;
type RequestHook = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: Done) => unknown;

/** Whether @fastify/multipart may parse the request's body (its parser is for `multipart/form-data`). */
const mayBeMultipart = (request: FastifyRequest) => /multipart/i.test(request.headers['content-type'] ?? '');

/** The hook, on multipart requests only; a plain callback hook, so that other requests cost no promise. */
function forMultipartOnly(hook: RequestHook): RequestHook {
  return function (request, reply, done) {
    if (!mayBeMultipart(request)) return done();
    const result = hook.call(this, request, reply, done) as Promise<unknown> | undefined;
    if (typeof result?.then === 'function') result.then(() => done(), done);
  };
}

/**
 * @fastify/multipart (the uploads: /storage, /files, /user/avatar, /user/bg), with its onRequest / onResponse hooks
 * run for multipart requests only. It adds them to every route, async, with a 'close' listener per request, to
 * delete the temp files of saveRequestFiles(), and only a multipart request can have any.
 */
export async function registerMultipart(app: NestFastifyApplication, options: FastifyMultipartOptions): Promise<void> {
  const plugin = (fastify: FastifyInstance, pluginOptions: FastifyMultipartOptions, done: Done) => {
    const scoped = Object.create(fastify, {
      addHook: {
        value: (name: string, hook: RequestHook) =>
          (fastify.addHook as (name: string, hook: RequestHook) => FastifyInstance)(
            name,
            name === 'onRequest' || name === 'onResponse' ? forMultipartOnly(hook) : hook,
          ),
      },
    }) as FastifyInstance;
    fastifyMultipart(scoped, pluginOptions, done);
  };
  // Like fastify-plugin: the parser, decorators and hooks are the whole app's, not an encapsulated context's.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  await app.register(plugin, options);
}
