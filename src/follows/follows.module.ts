import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { FollowersController, FollowingsController, UserFollowersController, UserFollowingsController } from './follows.controller';
import { FollowsService } from './follows.service';

@Module({
  imports: [UsersModule],
  controllers: [FollowingsController, FollowersController, UserFollowingsController, UserFollowersController],
  providers: [FollowsService],
  exports: [FollowsService],
})
export class FollowsModule {}
