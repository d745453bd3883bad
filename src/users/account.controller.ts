import { Body, Controller, Delete, Get, HttpCode, Patch, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LoginThrottle } from '../auth/login-throttle';
import { CurrentViewer, Guest, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { notFound } from '../common/errors/api-error';
import { Lang, translate } from '../common/errors/messages';
import { RequestLanguage } from '../common/http/language';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ReplicaReads } from '../database/replica-reads';
import { AccountService } from './account.service';
import { BindContactDto, CancelAccountDto, ChangePasswordDto, RetrievePasswordDto, UnbindContactDto, UpdateProfileDto } from './dto/account.dto';
import { UserDirectory } from './user-directory.service';
import { UserViews } from './user-views.service';

/**
 * The authenticated user's own account and the lists made for them: `/user` and below (mobile-api §4.1–4.2). Sub-resources
 * with their own module have their own controller (`/user/addresses`, `/user/followings`, `/user/verification`, …).
 */
@ApiTags('account')
@ApiBearerAuth()
@Controller('api/v2/user')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly views: UserViews,
    private readonly directory: UserDirectory,
  ) {}

  /** The owner view. */
  @Get()
  async me(@CurrentViewer() viewer: Viewer) {
    const user = await this.views.owner(viewer.id);
    if (!user) throw notFound();
    return user;
  }

  @Patch()
  @HttpCode(204)
  async update(@CurrentViewer() viewer: Viewer, @Body() dto: UpdateProfileDto): Promise<void> {
    await this.account.updateProfile(viewer.id, dto);
  }

  @Put()
  @HttpCode(204)
  async bind(@CurrentViewer() viewer: Viewer, @Body() dto: BindContactDto): Promise<void> {
    await this.account.bindContact(viewer.id, dto);
  }

  /** 204; every other token dies, a fresh one comes back in the `Authorization` header. */
  @Put('password')
  @HttpCode(204)
  async changePassword(@CurrentViewer() viewer: Viewer, @Body() dto: ChangePasswordDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = await this.account.changePassword(viewer.id, dto);
    reply.header('Authorization', `Bearer ${token.token}`);
  }

  @Put('retrieve-password')
  @Guest()
  @LoginThrottle()
  @HttpCode(204)
  async retrievePassword(@Body() dto: RetrievePasswordDto): Promise<void> {
    await this.account.retrievePassword(dto);
  }

  @Delete('phone')
  @HttpCode(204)
  async unbindPhone(@CurrentViewer() viewer: Viewer, @Body() dto: UnbindContactDto): Promise<void> {
    await this.account.unbindContact(viewer.id, 'phone', dto.password, dto.verifiable_code);
  }

  @Delete('email')
  @HttpCode(204)
  async unbindEmail(@CurrentViewer() viewer: Viewer, @Body() dto: UnbindContactDto): Promise<void> {
    await this.account.unbindContact(viewer.id, 'email', dto.password, dto.verifiable_code);
  }

  /** Cancels the account. */
  @Delete()
  @HttpCode(202)
  async cancel(@CurrentViewer() viewer: Viewer, @Body() dto: CancelAccountDto, @RequestLanguage() lang: Lang) {
    await this.account.cancel(viewer.id, dto.password, dto.verifiable_code);
    return { message: translate('cancel_ok', lang) };
  }

  @Get('recommends')
  @ReplicaReads()
  @OptionalAuth()
  recommends(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.recommended(viewer?.id ?? null, page.limit, page.offset);
  }

  @Get('nearby')
  @ReplicaReads()
  nearby(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer) {
    return this.directory.nearby(viewer.id, page.limit, page.offset);
  }
}
