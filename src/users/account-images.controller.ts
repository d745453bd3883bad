import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentViewer } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { StorageService } from '../storage/storage.service';
import { readUploadedFile } from '../storage/uploaded-file';
import { AccountService } from './account.service';

const imageBody = (field: string) => ApiBody({ schema: { type: 'object', properties: { [field]: { type: 'string', format: 'binary' } }, required: [field] } });

/** ThinkSNS+ 1.x avatar and background uploads: the image is stored like any upload, then set as with PATCH /user. */
@ApiTags('account')
@ApiBearerAuth()
@Controller('api/v2/user')
export class AccountImagesController {
  constructor(
    private readonly storage: StorageService,
    private readonly account: AccountService,
  ) {}

  /** multipart field `avatar` → 204 */
  @Post('avatar')
  @HttpCode(204)
  @ApiConsumes('multipart/form-data')
  @imageBody('avatar')
  async avatar(@CurrentViewer() viewer: Viewer, @Req() request: FastifyRequest): Promise<void> {
    const file = await this.storage.keep(viewer.id, await readUploadedFile(request, 'avatar'));
    await this.account.updateProfile(viewer.id, { avatar: file.node });
  }

  /** multipart field `image` → 204 */
  @Post('bg')
  @HttpCode(204)
  @ApiConsumes('multipart/form-data')
  @imageBody('image')
  async background(@CurrentViewer() viewer: Viewer, @Req() request: FastifyRequest): Promise<void> {
    const file = await this.storage.keep(viewer.id, await readUploadedFile(request, 'image'));
    await this.account.updateProfile(viewer.id, { bg: file.node });
  }
}
