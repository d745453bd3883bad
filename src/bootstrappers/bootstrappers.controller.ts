import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Guest } from '../common/auth/decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { bootstrapperSettings } from './bootstrapper-settings';

@ApiTags('bootstrappers')
@Controller('api/v2/bootstrappers')
export class BootstrappersController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The site settings ThinkSNS+ clients read first (thinksns-compat §3): registration, site, points, wallet. */
  @Get()
  @Guest()
  show() {
    return bootstrapperSettings(this.config);
  }
}
