import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { AuthSessionsService } from '../auth/auth-sessions.service';
import { AdminActor } from '../common/auth/viewer';
import { invalid, notFound } from '../common/errors/api-error';
import { LIVE_USER } from '../users/user-views.service';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { SetVipDto } from './dto/vip.dto';

@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: AuthSessionsService,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
  ) {}

  /** Idempotent. The user cannot log in, and every token dies in the same transaction (mobile-api §10). */
  async disable(actor: AdminActor, userId: number): Promise<void> {
    if (userId === actor.id) throw invalid('user', 'cannot_disable_self');
    await this.actOn(actor, userId, 'user.disable', {}, async (manager) => {
      await manager.query('UPDATE users SET disabled_at = COALESCE(disabled_at, now()), updated_at = now() WHERE id = $1', [userId]);
      await this.sessions.revokeAllSessions(userId, 'disabled', manager);
    });
  }

  async recommend(actor: AdminActor, userId: number): Promise<void> {
    await this.actOn(actor, userId, 'user.recommend', {}, async (manager) => {
      await this.assertNotDisabled(manager, userId);
      await manager.query('INSERT INTO recommended_users (user_id, created_by) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, actor.id]);
    });
  }

  async unrecommend(actor: AdminActor, userId: number): Promise<void> {
    await this.actOn(actor, userId, 'user.unrecommend', {}, async (manager) => {
      await this.assertNotDisabled(manager, userId);
      await manager.query('DELETE FROM recommended_users WHERE user_id = $1', [userId]);
    });
  }

  /** Sets a membership; `level: null` (or absent) ends it. */
  async setVip(actor: AdminActor, userId: number, dto: SetVipDto): Promise<void> {
    const running = dto.level != null;
    const values = [running ? dto.level : null, running ? (dto.name ?? null) : null, running ? (dto.end_time ?? null) : null];
    await this.actOn(actor, userId, 'user.vip', { level: values[0], name: values[1], end_time: values[2] }, (manager) =>
      manager.query('UPDATE users SET vip_level = $2, vip_name = $3, vip_end_time = $4, updated_at = now() WHERE id = $1', [userId, ...values]),
    );
  }

  /** Tokens issued before the disable stay dead: their families were revoked. */
  async enable(actor: AdminActor, userId: number): Promise<void> {
    await this.actOn(actor, userId, 'user.enable', {}, (manager) =>
      manager.query('UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1', [userId]),
    );
  }

  private async assertNotDisabled(manager: EntityManager, userId: number): Promise<void> {
    const [user] = await manager.query(`SELECT 1 FROM users u WHERE u.id = $1 AND ${LIVE_USER}`, [userId]);
    if (!user) throw notFound();
  }

  /** One admin write on a live user: the reach check (locking the user), the change and its audit record in one transaction. */
  private async actOn(actor: AdminActor, userId: number, action: string, summary: Record<string, unknown>, write: (manager: EntityManager) => Promise<unknown>) {
    await this.db.transaction(async (manager) => {
      await this.abilities.assertMayActOn(manager, actor.id, userId);
      await write(manager);
      await this.audit.record(manager, actor, action, userId, summary);
    });
  }
}
