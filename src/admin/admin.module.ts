import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { UsersModule } from '../users/users.module';
import { AbilitiesModule } from '../auth/abilities/abilities.module';
import { AdminBootstrap } from './admin-bootstrap.service';
import { AdminUsersService } from './admin-users.service';
import { AdminUsersController, DisabledUsersController, RecommendsController } from './admin.controller';

@Module({
  imports: [AuthCoreModule, UsersModule, AbilitiesModule],
  controllers: [DisabledUsersController, RecommendsController, AdminUsersController],
  providers: [AdminUsersService, AdminBootstrap],
})
export class AdminModule {}
