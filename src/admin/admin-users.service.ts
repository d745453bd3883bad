import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { AuthSessionsService } from '../auth/auth-sessions.service';
import { AdminActor } from '../common/auth/viewer';
import { invalid } from '../common/errors/api-error';
import { UsersService } from '../users/users.service';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { SetVipDto } from './dto/vip.dto';

@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: AuthSessionsService,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    private readonly users: UsersService,
  ) {}

  /** Idempotent. The user cannot log in, and every token dies in the same transaction (mobile-api §10). */
  async disable(actor: AdminActor, userId: number): Promise<void> {
    if (userId === actor.id) throw invalid('user', 'cannot_disable_self');
    await this.actOn(actor, userId, 'user.disable', {}, async (manager) => {
      await this.users.setDisabled(manager, userId, true);
      await this.sessions.revokeAllSessions(userId, 'disabled', manager);
    });
  }

  async recommend(actor: AdminActor, userId: number): Promise<void> {
    await this.actOn(actor, userId, 'user.recommend', {}, async (manager) => {
      await this.users.assertLive(manager, userId);
      await this.users.setRecommended(manager, userId, actor.id);
    });
  }

  async unrecommend(actor: AdminActor, userId: number): Promise<void> {
    await this.actOn(actor, userId, 'user.unrecommend', {}, async (manager) => {
      await this.users.assertLive(manager, userId);
      await this.users.setRecommended(manager, userId, null);
    });
  }

  /** Sets a membership; `level: null` (or absent) ends it. */
  async setVip(actor: AdminActor, userId: number, dto: SetVipDto): Promise<void> {
    const running = dto.level != null;
    const membership = { level: running ? dto.level! : null, name: running ? (dto.name ?? null) : null, end_time: running ? (dto.end_time ?? null) : null };
    await this.actOn(actor, userId, 'user.vip', membership, (manager) => this.users.setMembership(manager, userId, membership));
  }

  /** Tokens issued before the disable stay dead: their families were revoked. */
  async enable(actor: AdminActor, userId: number): Promise<void> {
    await this.actOn(actor, userId, 'user.enable', {}, (manager) => this.users.setDisabled(manager, userId, false));
  }

  /** One admin write on a live user: the reach check (locking the user), the change and its audit record in one transaction. */
  private async actOn(
    actor: AdminActor,
    userId: number,
    action: string,
    summary: Record<string, unknown>,
    write: (manager: EntityManager) => Promise<unknown>,
  ) {
    await this.db.transaction(async (manager) => {
      await this.abilities.assertMayActOn(manager, actor.id, userId);
      await write(manager);
      await this.audit.record(manager, actor, action, userId, summary);
    });
  }
}
