import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, RequireAbility } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
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
  async disable(@CurrentViewer() viewer: Viewer, @Param('user') user: string): Promise<void> {
    await this.adminUsers.disable(viewer.id, parseId(user));
  }

  @Delete('system/disabled/:user')
  @HttpCode(204)
  @RequireAbility('admin:user:disable')
  async enable(@Param('user') user: string): Promise<void> {
    await this.adminUsers.enable(parseId(user));
  }

  @Post('admin/recommends/:user')
  @HttpCode(201)
  @RequireAbility('admin:recommend:manage')
  async recommend(@CurrentViewer() viewer: Viewer, @Param('user') user: string) {
    await this.adminUsers.recommend(viewer.id, parseId(user));
    return { message: 'ok' };
  }

  @Delete('admin/recommends/:user')
  @HttpCode(204)
  @RequireAbility('admin:recommend:manage')
  async unrecommend(@Param('user') user: string): Promise<void> {
    await this.adminUsers.unrecommend(parseId(user));
  }

  @Put('admin/users/:user/vip')
  @HttpCode(204)
  @RequireAbility('admin:vip:manage')
  async setVip(@Param('user') user: string, @Body() dto: SetVipDto): Promise<void> {
    await this.adminUsers.setVip(parseId(user), dto);
  }
}
