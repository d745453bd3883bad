import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, RequireAbility } from '../common/auth/decorators';
import { AdminActor } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { AdminTagListQuery, CreateTagCategoryDto, CreateTagDto, UpdateTagCategoryDto, UpdateTagDto } from './dto/tags.dto';
import { TagCatalogue } from './tag-catalogue.service';

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
