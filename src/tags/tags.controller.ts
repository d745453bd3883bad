import { Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, Guest, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ReplicaReads } from '../database/replica-reads';
import { UserDirectory } from '../users/user-directory.service';
import { TagsService } from './tags.service';

/** The tag catalogue: categories with their tags. */
@ApiTags('tags')
@Controller('api/v2/tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @Guest()
  categories() {
    return this.tags.categories();
  }
}

/** The caller's own tags (at most five). */
@ApiTags('tags')
@ApiBearerAuth()
@Controller('api/v2/user/tags')
export class UserTagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  mine(@CurrentViewer() viewer: Viewer) {
    return this.tags.ofUser(viewer.id);
  }

  @Put(':tag')
  @HttpCode(204)
  async attach(@CurrentViewer() viewer: Viewer, @Param('tag') tag: string): Promise<void> {
    await this.tags.attach(viewer.id, parseId(tag));
  }

  @Delete(':tag')
  @HttpCode(204)
  async detach(@CurrentViewer() viewer: Viewer, @Param('tag') tag: string): Promise<void> {
    await this.tags.detach(viewer.id, parseId(tag));
  }
}

/** Users who share the viewer's tags (a guest has none: `[]`). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v2/user/find-by-tags')
export class FindByTagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @OptionalAuth()
  @ReplicaReads()
  async find(@Query() page: OffsetPageQuery, @CurrentViewer() viewer: Viewer | null) {
    if (!viewer) return [];
    return this.tags.sharingTagsWith(viewer.id, page.limit, page.offset);
  }
}

/** Another user's tags; `:user` as in `GET /users/:user`. */
@ApiTags('tags')
@ApiBearerAuth()
@Controller('api/v2/users/:user/tags')
export class UsersTagsController {
  constructor(
    private readonly tags: TagsService,
    private readonly directory: UserDirectory,
  ) {}

  @Get()
  @OptionalAuth()
  async ofUser(@Param('user') user: string, @CurrentViewer() viewer: Viewer | null) {
    const userId = await this.directory.resolveId(user, viewer?.id ?? null);
    return this.tags.ofUser(userId);
  }
}
