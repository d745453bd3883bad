import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { Lang, translate } from '../common/errors/messages';
import { RequestLanguage } from '../common/http/language';
import { CertificationService } from './certification.service';
import { CreateCertificationDto, UpdateCertificationDto } from './dto/certification.dto';

/** The caller's verification through the old ThinkSNS+ API (认证, thinksns-compat §5): same record as `/user/verification`. */
@ApiTags('verification')
@ApiBearerAuth()
@Controller('api/v2/user/certification')
export class CertificationController {
  constructor(private readonly certification: CertificationService) {}

  /** The own certification, or null. */
  @Get()
  show(@CurrentViewer() viewer: Viewer) {
    return this.certification.get(viewer.id);
  }

  @Post()
  @HttpCode(201)
  async submit(@CurrentViewer() viewer: Viewer, @Body() dto: CreateCertificationDto, @RequestLanguage() lang: Lang) {
    await this.certification.submit(viewer.id, dto);
    return { message: translate('certification_submitted', lang) };
  }

  /** 201 as the original answered (not 204). */
  @Patch()
  @HttpCode(201)
  async change(@CurrentViewer() viewer: Viewer, @Body() dto: UpdateCertificationDto, @RequestLanguage() lang: Lang) {
    await this.certification.change(viewer.id, dto);
    return { message: translate('certification_submitted', lang) };
  }
}
