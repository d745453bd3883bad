import { Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ReplicaReads } from '../database/replica-reads';
import { UserDirectory } from '../users/user-directory.service';
import { FollowsService } from './follows.service';

@ApiTags('follows')
@ApiBearerAuth()
@Controller('api/v2')
export class FollowsController {
  constructor(private readonly follows: FollowsService, private readonly directory: UserDirectory) {}

  @Put('user/followings/:target')
  @HttpCode(204)
  async follow(@CurrentViewer() viewer: Viewer, @Param('target') target: string): Promise<void> {
    await this.follows.follow(viewer.id, parseId(target));
  }

  @Delete('user/followings/:target')
  @HttpCode(204)
  async unfollow(@CurrentViewer() viewer: Viewer, @Param('target') target: string): Promise<void> {
    await this.follows.unfollow(viewer.id, parseId(target));
  }

  @Get('user/followings')
  @ReplicaReads()
  myFollowings(@CurrentViewer() viewer: Viewer, @Query() page: OffsetPageQuery) {
    return this.follows.followings(viewer.id, viewer.id, page.limit, page.offset);
  }

  @Get('user/followers')
  @ReplicaReads()
  myFollowers(@CurrentViewer() viewer: Viewer, @Query() page: OffsetPageQuery) {
    return this.follows.followers(viewer.id, viewer.id, page.limit, page.offset);
  }

  @Get('users/:user/followings')
  @ReplicaReads()
  @OptionalAuth()
  async followings(@Param('user') user: string, @CurrentViewer() viewer: Viewer | null, @Query() page: OffsetPageQuery) {
    const userId = await this.directory.resolveId(user, viewer?.id ?? null);
    return this.follows.followings(userId, viewer?.id ?? null, page.limit, page.offset);
  }

  @Get('users/:user/followers')
  @ReplicaReads()
  @OptionalAuth()
  async followers(@Param('user') user: string, @CurrentViewer() viewer: Viewer | null, @Query() page: OffsetPageQuery) {
    const userId = await this.directory.resolveId(user, viewer?.id ?? null);
    return this.follows.followers(userId, viewer?.id ?? null, page.limit, page.offset);
  }
}
