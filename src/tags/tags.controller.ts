import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, CurrentViewer, Guest, OptionalAuth, RequireAbility } from '../common/auth/decorators';
import { AdminActor, Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { OffsetPageQuery } from '../common/pagination/paging';
import { ReplicaReads } from '../database/replica-reads';
import { UserDirectory } from '../users/user-directory.service';
import { AdminTagListQuery, CreateTagCategoryDto, CreateTagDto, UpdateTagCategoryDto, UpdateTagDto } from './dto/tags.dto';
import { TagCatalogue } from './tag-catalogue.service';
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
  constructor(private readonly tags: TagsService, private readonly directory: UserDirectory) {}

  @Get()
  @OptionalAuth()
  async ofUser(@Param('user') user: string, @CurrentViewer() viewer: Viewer | null) {
    const userId = await this.directory.resolveId(user, viewer?.id ?? null);
    return this.tags.ofUser(userId);
  }
}

/** Admins manage the catalogue (ability `admin:tag:manage`). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/tags')
export class AdminTagsController {
  constructor(private readonly catalogue: TagCatalogue) {}

  @Get()
  @RequireAbility('admin:tag:manage')
  list(@Query() query: AdminTagListQuery) {
    return this.catalogue.listTags(query);
  }

  @Post()
  @HttpCode(201)
  @RequireAbility('admin:tag:manage')
  create(@CurrentAdmin() admin: AdminActor, @Body() dto: CreateTagDto) {
    return this.catalogue.createTag(admin, dto);
  }

  @Get('categories')
  @RequireAbility('admin:tag:manage')
  categories() {
    return this.catalogue.listCategories();
  }

  @Post('categories')
  @HttpCode(201)
  @RequireAbility('admin:tag:manage')
  createCategory(@CurrentAdmin() admin: AdminActor, @Body() dto: CreateTagCategoryDto) {
    return this.catalogue.createCategory(admin, dto);
  }

  @Patch('categories/:category')
  @RequireAbility('admin:tag:manage')
  updateCategory(@CurrentAdmin() admin: AdminActor, @Param('category') category: string, @Body() dto: UpdateTagCategoryDto) {
    return this.catalogue.updateCategory(admin, parseId(category), dto);
  }

  @Delete('categories/:category')
  @HttpCode(204)
  @RequireAbility('admin:tag:manage')
  async deleteCategory(@CurrentAdmin() admin: AdminActor, @Param('category') category: string): Promise<void> {
    await this.catalogue.deleteCategory(admin, parseId(category));
  }

  @Get(':tag')
  @RequireAbility('admin:tag:manage')
  show(@Param('tag') tag: string) {
    return this.catalogue.tag(parseId(tag));
  }

  @Patch(':tag')
  @RequireAbility('admin:tag:manage')
  update(@CurrentAdmin() admin: AdminActor, @Param('tag') tag: string, @Body() dto: UpdateTagDto) {
    return this.catalogue.updateTag(admin, parseId(tag), dto);
  }

  @Delete(':tag')
  @HttpCode(204)
  @RequireAbility('admin:tag:manage')
  async remove(@CurrentAdmin() admin: AdminActor, @Param('tag') tag: string): Promise<void> {
    await this.catalogue.deleteTag(admin, parseId(tag));
  }
}
