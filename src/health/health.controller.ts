import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Guest } from '../common/auth/decorators';

@ApiTags('health')
@SkipThrottle({ api: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @Guest()
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and no migration is pending. */
  @Get('ready')
  @Guest()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.migrationsApplied()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse();
    }
  }

  private async migrationsApplied() {
    const indicator = this.indicators.check('migrations');
    try {
      const pending = await this.db.showMigrations();
      return pending ? indicator.down({ pending: true }) : indicator.up();
    } catch {
      return indicator.down({ reachable: false });
    }
  }
}
