import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { RegisterDto } from '../auth/dto/register.dto';
import { toRegisterTokenView } from '../auth/token-views';
import { CurrentViewer, Guest, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { clientIp } from '../common/http/client-ip';
import { ReplicaReads } from '../database/replica-reads';
import { ListUsersQuery, UserLookupQuery } from './dto/user-queries.dto';
import { UserDirectory } from './user-directory.service';

/** `/users`: registration, lookups and the user list (mobile-api §3, §4.2). Every list is built with one SQL statement. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v2/users')
export class UsersController {
  constructor(
    private readonly directory: UserDirectory,
    private readonly auth: AuthService,
  ) {}

  /** Registration (the account and its first token come from auth). */
  @Post()
  @Guest()
  @HttpCode(201)
  async register(@Body() dto: RegisterDto, @Req() request: FastifyRequest) {
    return toRegisterTokenView(await this.auth.register(dto, clientIp(request)));
  }

  @Get()
  @ReplicaReads()
  @OptionalAuth()
  list(@Query() query: ListUsersQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.list(query, viewer?.id ?? null);
  }

  /** `:user` is a name, e-mail, phone or id. */
  @Get(':user')
  @ReplicaReads()
  @OptionalAuth()
  show(@Param('user') user: string, @Query() query: UserLookupQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.lookup(user, viewer?.id ?? null, query);
  }
}
