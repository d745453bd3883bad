import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, CurrentViewer, RequireAbility } from '../common/auth/decorators';
import { AdminActor, Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { ApproveDto, CreateVerificationDto, RejectDto, ReviewListQuery, UpdateVerificationDto } from './dto/verification.dto';
import { VerificationService } from './verification.service';

/** The caller's own verification (认证). */
@ApiTags('verification')
@ApiBearerAuth()
@Controller('api/v2/user/verification')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  /** The full own verification, or null. */
  @Get()
  show(@CurrentViewer() viewer: Viewer) {
    return this.verification.get(viewer.id);
  }

  @Post()
  @HttpCode(201)
  async create(@CurrentViewer() viewer: Viewer, @Body() dto: CreateVerificationDto) {
    await this.verification.create(viewer.id, dto);
    return this.verification.get(viewer.id);
  }

  @Patch()
  @HttpCode(204)
  async update(@CurrentViewer() viewer: Viewer, @Body() dto: UpdateVerificationDto): Promise<void> {
    await this.verification.update(viewer.id, dto.data);
  }

  @Put()
  @HttpCode(204)
  async replace(@CurrentViewer() viewer: Viewer, @Body() dto: UpdateVerificationDto): Promise<void> {
    await this.verification.update(viewer.id, dto.data);
  }

  @Delete()
  @HttpCode(204)
  async remove(@CurrentViewer() viewer: Viewer): Promise<void> {
    await this.verification.remove(viewer.id);
  }
}

/** The admins' review of verifications. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/verifications')
export class VerificationReviewController {
  constructor(private readonly verification: VerificationService) {}

  @Get()
  @RequireAbility('admin:verification:review')
  list(@Query() query: ReviewListQuery) {
    return this.verification.list(query);
  }

  @Patch(':user/approve')
  @HttpCode(204)
  @RequireAbility('admin:verification:review')
  async approve(@CurrentAdmin() admin: AdminActor, @Param('user') user: string, @Body() dto: ApproveDto): Promise<void> {
    await this.verification.approve(admin, parseId(user), dto.slogan);
  }

  @Patch(':user/reject')
  @HttpCode(204)
  @RequireAbility('admin:verification:review')
  async reject(@CurrentAdmin() admin: AdminActor, @Param('user') user: string, @Body() dto: RejectDto): Promise<void> {
    await this.verification.reject(admin, parseId(user), dto.reason);
  }
}
