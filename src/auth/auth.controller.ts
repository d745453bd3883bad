import { Body, Controller, Get, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentViewer, Guest } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { translate } from '../common/errors/messages';
import { clientIp } from '../common/http/client-ip';
import { RequestLanguage } from '../common/http/language';
import { Lang } from '../common/errors/messages';
import { AuthSessionsService } from './auth-sessions.service';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { extractAccessToken } from './access-token';
import { LoginThrottle } from './login-throttle';
import { toLoginTokenView } from './token-views';

/** Tokens: login, refresh and logout (mobile-api §3). Registration is `POST /users` (src/users/users.controller.ts). */
@ApiTags('auth')
@Controller('api/v2/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: AuthSessionsService,
  ) {}

  @Post('login')
  @Guest()
  @LoginThrottle()
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() request: FastifyRequest) {
    return toLoginTokenView(await this.auth.login(dto, clientIp(request), String(request.id)));
  }

  /** The current token, possibly expired but inside the refresh window; it is dead afterwards. */
  @Post('refresh')
  @Guest()
  @HttpCode(200)
  @ApiBearerAuth()
  refreshByPost(@Req() request: FastifyRequest) {
    return this.refresh(request);
  }

  @Get('refresh')
  @Guest()
  @ApiBearerAuth()
  refreshByGet(@Req() request: FastifyRequest) {
    return this.refresh(request);
  }

  @Put('refresh')
  @Guest()
  @ApiBearerAuth()
  refreshByPut(@Req() request: FastifyRequest) {
    return this.refresh(request);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  logoutByPost(@CurrentViewer() viewer: Viewer, @RequestLanguage() lang: Lang) {
    return this.logout(viewer, lang);
  }

  @Get('logout')
  @ApiBearerAuth()
  logoutByGet(@CurrentViewer() viewer: Viewer, @RequestLanguage() lang: Lang) {
    return this.logout(viewer, lang);
  }

  private async refresh(request: FastifyRequest) {
    const body = request.body as { token?: unknown } | undefined;
    const token = extractAccessToken(request) ?? (typeof body?.token === 'string' ? body.token : undefined);
    return toLoginTokenView(await this.sessions.refresh(token ?? undefined));
  }

  private async logout(viewer: Viewer, lang: Lang) {
    await this.sessions.revokeSession(viewer.sessionId, 'logout');
    return { message: translate('logout_ok', lang) };
  }
}
