import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, RequireAbility } from '../common/auth/decorators';
import { AdminActor } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { AdminUsersService } from './admin-users.service';
import { SetVipDto } from './dto/vip.dto';

/** Admin actions on users from the mobile-API side (mobile-api §10). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2')
export class AdminController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Put('system/disabled/:user')
  @HttpCode(204)
  @RequireAbility('admin:user:disable')
  async disable(@CurrentAdmin() admin: AdminActor, @Param('user') user: string): Promise<void> {
    await this.adminUsers.disable(admin, parseId(user));
  }

  @Delete('system/disabled/:user')
  @HttpCode(204)
  @RequireAbility('admin:user:disable')
  async enable(@CurrentAdmin() admin: AdminActor, @Param('user') user: string): Promise<void> {
    await this.adminUsers.enable(admin, parseId(user));
  }

  @Post('admin/recommends/:user')
  @HttpCode(201)
  @RequireAbility('admin:recommend:manage')
  async recommend(@CurrentAdmin() admin: AdminActor, @Param('user') user: string) {
    await this.adminUsers.recommend(admin, parseId(user));
    return { message: 'ok' };
  }

  @Delete('admin/recommends/:user')
  @HttpCode(204)
  @RequireAbility('admin:recommend:manage')
  async unrecommend(@CurrentAdmin() admin: AdminActor, @Param('user') user: string): Promise<void> {
    await this.adminUsers.unrecommend(admin, parseId(user));
  }

  @Put('admin/users/:user/vip')
  @HttpCode(204)
  @RequireAbility('admin:vip:manage')
  async setVip(@CurrentAdmin() admin: AdminActor, @Param('user') user: string, @Body() dto: SetVipDto): Promise<void> {
    await this.adminUsers.setVip(admin, parseId(user), dto);
  }
}
