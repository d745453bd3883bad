import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { ApiError, invalid } from '../common/errors/api-error';
import { withoutMetadata } from './image-metadata';
import { StorageService } from './storage.service';

/** Stored files are served as inert data: a browser opening one runs nothing and loads nothing (an SVG, HTML sniffed). */
export const FILE_CSP = "default-src 'none'; sandbox";

@ApiTags('storage')
@Controller('api/v2/storage')
export class StorageController {
  constructor(private readonly storage: StorageService) {}

  /** multipart field `file`: a jpeg / png / gif / webp image up to STORAGE_MAX_BYTES. */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  async upload(@CurrentViewer() viewer: Viewer, @Req() request: FastifyRequest) {
    return this.storage.store(viewer.id, await withoutMetadata(await readUploadedFile(request)));
  }

  /** The file bytes (the `url` of file objects). ID photos and certificates: owner and admins only. */
  @Get('*')
  @OptionalAuth()
  async download(@Param('*') node: string, @CurrentViewer() viewer: Viewer | null, @Res() reply: FastifyReply) {
    reply.header('content-security-policy', FILE_CSP);
    const { content, row } = await this.storage.open(node, viewer?.id ?? null);
    reply
      .type(row.mime)
      .header('cache-control', row.private ? 'private, no-store' : 'public, max-age=31536000, immutable')
      .send(content);
  }
}

/** The bytes of the multipart field `file`; a body busboy cannot parse (no boundary, cut short) is the client's fault: 400. */
async function readUploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw invalid('file', 'file_missing');
  try {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw invalid('file', 'file_missing');
    const bytes = await part.toBuffer();
    if (part.file.truncated) throw new ApiError(413, 'payload_too_large');
    return bytes;
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (error instanceof ApiError || (typeof status === 'number' && status < 500)) throw error;
    throw new ApiError(400, 'malformed_json');
  }
}
