import { Module } from '@nestjs/common';
import { UserDirectory } from './user-directory.service';
import { UserExtras } from './user-extras.service';
import { UserViews } from './user-views.service';
import { UsersService } from './users.service';

/** Users as others see them: account records, views and the directory (lookups, discovery lists). Routes: AccountModule. */
@Module({
  providers: [UsersService, UserViews, UserDirectory, UserExtras],
  exports: [UsersService, UserViews, UserDirectory, UserExtras],
})
export class UsersModule {}
