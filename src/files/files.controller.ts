import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { notFound } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { requestOrigin } from '../storage/request-origin';
import { sendStoredFile } from '../storage/storage.controller';
import { StorageService } from '../storage/storage.service';
import { readUploadedFile } from '../storage/uploaded-file';
import { FileQuery } from './dto/file-query.dto';
import { FileVariantsService } from './file-variants.service';

const FILE_ID = /^[1-9]\d{0,14}$/;

/** The ThinkSNS+ 1.x file API (`/files`): the same stored files as `/storage`, addressed by integer id. */
@ApiTags('files')
@Controller('api/v2/files')
export class FilesController {
  constructor(
    private readonly storage: StorageService,
    private readonly variants: FileVariantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** multipart field `file` (jpeg / png / gif / webp) → 201 `{"message":["上传成功"],"id"}`; the same content again → the same id. */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  async upload(@CurrentViewer() viewer: Viewer, @Req() request: FastifyRequest) {
    const file = await this.storage.keep(viewer.id, await readUploadedFile(request, 'file'));
    return { message: ['上传成功'], id: file.id };
  }

  /** The id of the caller's own file with this content (md5 of the bytes as uploaded), else 404. */
  @Get('uploaded/:md5')
  @ApiBearerAuth()
  async uploaded(@CurrentViewer() viewer: Viewer, @Param('md5') md5: string) {
    const file = /^[0-9a-fA-F]{32}$/.test(md5) ? await this.storage.ownedByMd5(viewer.id, md5) : null;
    if (!file) throw notFound();
    return { message: ['success'], id: file.id };
  }

  /** The image (or a smaller copy with `w`, `h`, `q`); private files only for their owner and reviewers, else 404. */
  @Get(':id')
  @OptionalAuth()
  async show(
    @Param('id') id: string,
    @Query() query: FileQuery,
    @CurrentViewer() viewer: Viewer | null,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (!FILE_ID.test(id)) throw notFound();
    const file = await this.storage.findById(Number(id), viewer?.id ?? null);
    if (query.json !== undefined) {
      const params = new URLSearchParams(
        Object.entries({ w: query.w, h: query.h, q: query.q })
          .filter(([, v]) => v !== undefined)
          .map(([k, v]): [string, string] => [k, String(v)]),
      );
      const search = params.size ? `?${params}` : '';
      return reply.send({ url: `${this.config.publicUrl || requestOrigin(request)}/api/v2/files/${file.id}${search}` });
    }
    sendStoredFile(reply, file, await this.variants.bytesFor(file, query));
  }
}
