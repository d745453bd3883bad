import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { ApiError } from '../common/errors/api-error';
import { ApiValidationPipe } from '../common/validation/api-validation.pipe';
import { CreateUploadTaskDto } from './dto/upload-task.dto';
import { requestOrigin } from './request-origin';
import { StorageService } from './storage.service';
import { readUploadedFile } from './uploaded-file';
import { UploadTasksService } from './upload-tasks.service';

/** Stored files are served as inert data: a browser opening one runs nothing and loads nothing (an SVG, HTML sniffed). */
export const FILE_CSP = "default-src 'none'; sandbox";

const validation = new ApiValidationPipe();

@ApiTags('storage')
@ApiExtraModels(CreateUploadTaskDto)
@Controller('api/v2/storage')
export class StorageController {
  constructor(
    private readonly storage: StorageService,
    private readonly tasks: UploadTasksService,
  ) {}

  /**
   * multipart field `file`: a jpeg / png / gif / webp image up to STORAGE_MAX_BYTES, stored now (201, file object).
   * JSON `{filename, hash, size, mime_type, storage: {channel: "public"}}`: an upload task (201 `{uri, method: "PUT",
   * headers, form, file_key, node}`); PUT the raw bytes to `uri` within 15 minutes.
   */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [{ type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] }, { $ref: getSchemaPath(CreateUploadTaskDto) }],
    },
  })
  async upload(@CurrentViewer() viewer: Viewer, @Req() request: FastifyRequest, @Body() body: unknown) {
    if (request.isMultipart()) return this.storage.view(await this.storage.keep(viewer.id, await readUploadedFile(request, 'file')));
    const dto = (await validation.transform(body, { type: 'body', metatype: CreateUploadTaskDto })) as CreateUploadTaskDto;
    return this.tasks.create(viewer.id, dto, requestOrigin(request));
  }

  /** The bytes of an upload task (raw body, `application/octet-stream` or `image/*`) → 201 `{node}`. */
  @Put('uploads/:task')
  @HttpCode(201)
  @OptionalAuth()
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async put(
    @Param('task') task: string,
    @Query('expires') expires: string,
    @Query('signature') signature: string,
    @CurrentViewer() viewer: Viewer | null,
    @Body() body: unknown,
  ) {
    if (!Buffer.isBuffer(body)) throw new ApiError(415, 'unsupported_media_type');
    return this.tasks.complete({ task, expires: String(expires ?? ''), signature: String(signature ?? '') }, viewer?.id ?? null, body);
  }

  /** The file bytes (the `url` of file objects). ID photos and certificates: owner and admins only. */
  @Get('*')
  @OptionalAuth()
  async download(@Param('*') node: string, @CurrentViewer() viewer: Viewer | null, @Res() reply: FastifyReply) {
    reply.header('content-security-policy', FILE_CSP);
    const { content, row } = await this.storage.open(node, viewer?.id ?? null);
    sendStoredFile(reply, row, content);
  }
}

/** Headers every served file carries: inert content, cached forever unless private. */
export function sendStoredFile(reply: FastifyReply, file: { mime: string; private: boolean }, content: unknown): void {
  reply
    .header('content-security-policy', FILE_CSP)
    .type(file.mime)
    .header('cache-control', file.private ? 'private, no-store' : 'public, max-age=31536000, immutable')
    .send(content);
}
