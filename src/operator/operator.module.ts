import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { UsersModule } from '../users/users.module';
import { OperatorAccountService } from './operator-account.service';
import { OperatorController, UserFieldsController } from './operator.controller';
import { ProfilesService } from './profiles.service';
import { UserFieldsService } from './user-fields.service';

@Module({
  imports: [AuthCoreModule, UsersModule],
  controllers: [OperatorController, UserFieldsController],
  providers: [ProfilesService, OperatorAccountService, UserFieldsService],
})
export class OperatorModule {}
