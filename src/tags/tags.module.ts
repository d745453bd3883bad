import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { TagCatalogue } from './tag-catalogue.service';
import { AdminTagsController } from './admin-tags.controller';
import { FindByTagsController, TagsController, UsersTagsController, UserTagsController } from './tags.controller';
import { TagsService } from './tags.service';

/** Tags (thinksns-compat §4): owns `tag_categories`, `tags` and `user_tags`. */
@Module({
  imports: [UsersModule],
  controllers: [TagsController, UserTagsController, FindByTagsController, UsersTagsController, AdminTagsController],
  providers: [TagsService, TagCatalogue],
  exports: [TagsService],
})
export class TagsModule {}
