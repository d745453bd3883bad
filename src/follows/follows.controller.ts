import { Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ReplicaReads } from '../database/replica-reads';
import { UserDirectory } from '../users/user-directory.service';
import { FollowsService } from './follows.service';

/** `/user/followings`: whom the viewer follows; following and unfollowing (mobile-api §4.3). */
@ApiTags('follows')
@ApiBearerAuth()
@Controller('api/v2/user/followings')
export class FollowingsController {
  constructor(private readonly follows: FollowsService) {}

  @Put(':target')
  @HttpCode(204)
  async follow(@CurrentViewer() viewer: Viewer, @Param('target') target: string): Promise<void> {
    await this.follows.follow(viewer.id, parseId(target));
  }

  @Delete(':target')
  @HttpCode(204)
  async unfollow(@CurrentViewer() viewer: Viewer, @Param('target') target: string): Promise<void> {
    await this.follows.unfollow(viewer.id, parseId(target));
  }

  @Get()
  @ReplicaReads()
  myFollowings(@CurrentViewer() viewer: Viewer, @Query() page: OffsetPageQuery) {
    return this.follows.followings(viewer.id, viewer.id, page.limit, page.offset);
  }
}

/** `/user/followers`: who follows the viewer. */
@ApiTags('follows')
@ApiBearerAuth()
@Controller('api/v2/user/followers')
export class FollowersController {
  constructor(private readonly follows: FollowsService) {}

  @Get()
  @ReplicaReads()
  myFollowers(@CurrentViewer() viewer: Viewer, @Query() page: OffsetPageQuery) {
    return this.follows.followers(viewer.id, viewer.id, page.limit, page.offset);
  }
}

/** `/users/:user/followings`: whom another user follows (`:user` as in `/users/:user`). */
@ApiTags('follows')
@ApiBearerAuth()
@Controller('api/v2/users/:user/followings')
export class UserFollowingsController {
  constructor(
    private readonly follows: FollowsService,
    private readonly directory: UserDirectory,
  ) {}

  @Get()
  @ReplicaReads()
  @OptionalAuth()
  async followings(@Param('user') user: string, @CurrentViewer() viewer: Viewer | null, @Query() page: OffsetPageQuery) {
    const userId = await this.directory.resolveId(user, viewer?.id ?? null);
    return this.follows.followings(userId, viewer?.id ?? null, page.limit, page.offset);
  }
}

/** `/users/:user/followers`: who follows another user. */
@ApiTags('follows')
@ApiBearerAuth()
@Controller('api/v2/users/:user/followers')
export class UserFollowersController {
  constructor(
    private readonly follows: FollowsService,
    private readonly directory: UserDirectory,
  ) {}

  @Get()
  @ReplicaReads()
  @OptionalAuth()
  async followers(@Param('user') user: string, @CurrentViewer() viewer: Viewer | null, @Query() page: OffsetPageQuery) {
    const userId = await this.directory.resolveId(user, viewer?.id ?? null);
    return this.follows.followers(userId, viewer?.id ?? null, page.limit, page.offset);
  }
}
