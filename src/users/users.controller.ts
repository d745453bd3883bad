import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { ReplicaReads } from '../database/replica-reads';
import { Viewer } from '../common/auth/viewer';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ListUsersQuery, UserLookupQuery } from './dto/user-queries.dto';
import { UserDirectory } from './user-directory.service';

/** Other users: lookups and discovery lists (mobile-api §4.2). Every list is built with one SQL statement. */
@ApiTags('users')
@ApiBearerAuth()
@ReplicaReads()
@Controller('api/v2')
export class UsersController {
  constructor(private readonly directory: UserDirectory) {}

  @Get('users')
  @OptionalAuth()
  list(@Query() query: ListUsersQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.list(query, viewer?.id ?? null);
  }

  /** `:user` is a name, e-mail, phone or id. */
  @Get('users/:user')
  @OptionalAuth()
  show(@Param('user') user: string, @Query() query: UserLookupQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.lookup(user, viewer?.id ?? null, query);
  }

  @Get('user/recommends')
  @OptionalAuth()
  recommends(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.directory.recommended(viewer?.id ?? null, page.limit, page.offset);
  }

  @Get('user/nearby')
  nearby(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer) {
    return this.directory.nearby(viewer.id, page.limit, page.offset);
  }
}
