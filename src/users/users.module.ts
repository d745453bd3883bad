import { Module } from '@nestjs/common';
import { DiscoveryController } from './discovery.controller';
import { UserDirectory } from './user-directory.service';
import { UserViews } from './user-views.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Users as others see them: account records, views and the directory (lookups, discovery lists). */
@Module({
  controllers: [UsersController, DiscoveryController],
  providers: [UsersService, UserViews, UserDirectory],
  exports: [UsersService, UserViews, UserDirectory],
})
export class UsersModule {}
