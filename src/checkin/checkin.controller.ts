import { Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { CheckinService } from './checkin.service';

@ApiTags('checkin')
@ApiBearerAuth()
@Controller('api/v2/user/checkin')
export class CheckinController {
  constructor(private readonly checkin: CheckinService) {}

  /** Today's check-in state, the counts, the points a check-in earns and today's first five. */
  @Get()
  status(@CurrentViewer() viewer: Viewer) {
    return this.checkin.status(viewer.id);
  }

  /** Check in for today (China Standard Time): 204 once, 422 已签到，请勿重复签到 after that. */
  @Put('currency')
  @HttpCode(204)
  async checkIn(@CurrentViewer() viewer: Viewer): Promise<void> {
    await this.checkin.checkIn(viewer.id);
  }
}
