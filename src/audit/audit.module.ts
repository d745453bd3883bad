import { Global, Module } from '@nestjs/common';
import { AbilitiesModule } from '../auth/abilities/abilities.module';
import { AuditLogController } from './audit-log.controller';
import { AuditLogService } from './audit-log.service';

/** Owns `admin_audit_log`; global so that every module with admin writes records through its service. */
@Global()
@Module({
  imports: [AbilitiesModule],
  controllers: [AuditLogController],
  providers: [AuditLogService],
  exports: [AuditLogService],
})
export class AuditModule {}
