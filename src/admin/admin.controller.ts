import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, RequireAbility } from '../common/auth/decorators';
import { AdminActor } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { AdminUsersService } from './admin-users.service';
import { SetVipDto } from './dto/vip.dto';

/** Admin actions on users from the mobile-API side (mobile-api §10): `/system/disabled/:user` disables and enables. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/system/disabled')
export class DisabledUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Put(':user')
  @HttpCode(204)
  @RequireAbility('admin:user:disable')
  async disable(@CurrentAdmin() admin: AdminActor, @Param('user') user: string): Promise<void> {
    await this.adminUsers.disable(admin, parseId(user));
  }

  @Delete(':user')
  @HttpCode(204)
  @RequireAbility('admin:user:disable')
  async enable(@CurrentAdmin() admin: AdminActor, @Param('user') user: string): Promise<void> {
    await this.adminUsers.enable(admin, parseId(user));
  }
}

/** `/admin/recommends/:user`: the recommended-users list. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/recommends')
export class RecommendsController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Post(':user')
  @HttpCode(201)
  @RequireAbility('admin:recommend:manage')
  async recommend(@CurrentAdmin() admin: AdminActor, @Param('user') user: string) {
    await this.adminUsers.recommend(admin, parseId(user));
    return { message: 'ok' };
  }

  @Delete(':user')
  @HttpCode(204)
  @RequireAbility('admin:recommend:manage')
  async unrecommend(@CurrentAdmin() admin: AdminActor, @Param('user') user: string): Promise<void> {
    await this.adminUsers.unrecommend(admin, parseId(user));
  }
}

/** `/admin/users/:user/…`: a user's VIP status. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/users')
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Put(':user/vip')
  @HttpCode(204)
  @RequireAbility('admin:vip:manage')
  async setVip(@CurrentAdmin() admin: AdminActor, @Param('user') user: string, @Body() dto: SetVipDto): Promise<void> {
    await this.adminUsers.setVip(admin, parseId(user), dto);
  }
}
