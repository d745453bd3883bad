import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { forbidden } from '../common/errors/api-error';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogQuery } from './dto/audit-log-query.dto';
import { AuditLogService } from './audit-log.service';

/** The audit trail, for founders only (no ability opens it). No route changes it. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/audit-log')
export class AuditLogController {
  constructor(
    private readonly audit: AuditLogService,
    private readonly abilities: AbilitiesService,
  ) {}

  @Get()
  async list(@CurrentViewer() viewer: Viewer, @Query() query: AuditLogQuery) {
    if (!(await this.abilities.isFounder(viewer.id))) throw forbidden();
    return this.audit.list(query);
  }
}
