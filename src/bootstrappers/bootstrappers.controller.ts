import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Guest } from '../common/auth/decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { bootstrapperSettings } from './bootstrapper-settings';

@ApiTags('bootstrappers')
@Controller('api/v2/bootstrappers')
export class BootstrappersController {
  /** Built once: the settings come from configuration and do not change while the process runs. */
  private readonly settings: ReturnType<typeof bootstrapperSettings>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = bootstrapperSettings(config);
  }

  /** The site settings ThinkSNS+ clients read first (thinksns-compat §3): registration, site, points, wallet. */
  @Get()
  @Guest()
  show() {
    return this.settings;
  }
}
