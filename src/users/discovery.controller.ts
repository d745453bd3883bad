import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ReplicaReads } from '../database/replica-reads';
import { ContactMatchThrottle } from './contact-match.throttle';
import { FindByPhoneDto, UserSearchQuery } from './dto/user-queries.dto';
import { UserDirectory } from './user-directory.service';

/** The ThinkSNS+ discovery lists under `/user` (thinksns-compat §4): each one SQL statement, live users only. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v2/user')
export class DiscoveryController {
  constructor(private readonly directory: UserDirectory) {}

  @Get('populars')
  @OptionalAuth()
  @ReplicaReads()
  populars(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.populars(viewer?.id ?? null, page.limit, page.offset);
  }

  @Get('latests')
  @OptionalAuth()
  @ReplicaReads()
  latests(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.latests(viewer?.id ?? null, page.limit, page.offset);
  }

  @Get('search')
  @OptionalAuth()
  @ReplicaReads()
  search(@Query() query: UserSearchQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.search(query.keyword, viewer?.id ?? null, query.limit, query.offset);
  }

  /** Contact matching: signed in only, rate-limited; the answer holds only phones the caller sent. */
  @Post('find-by-phone')
  @HttpCode(200)
  @ContactMatchThrottle()
  findByPhone(@Body() dto: FindByPhoneDto, @CurrentViewer() viewer: Viewer) {
    return this.directory.findByPhones(dto.phones, viewer.id);
  }
}
