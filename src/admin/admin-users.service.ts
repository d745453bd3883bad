import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthSessionsService } from '../auth/auth-sessions.service';
import { invalid, notFound } from '../common/errors/api-error';
import { affectedRows } from '../database/query-result';
import { LIVE_USER } from '../users/user-views.service';
import { SetVipDto } from './dto/vip.dto';

@Injectable()
export class AdminUsersService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly sessions: AuthSessionsService) {}

  /** Idempotent. The user cannot log in, and every token dies in the same transaction (mobile-api §10). */
  async disable(adminId: number, userId: number): Promise<void> {
    if (userId === adminId) throw invalid('user', 'cannot_disable_self');
    await this.db.transaction(async (manager) => {
      const result = await manager.query(
        'UPDATE users SET disabled_at = COALESCE(disabled_at, now()), updated_at = now() WHERE id = $1 AND cancelled_at IS NULL',
        [userId],
      );
      if (affectedRows(result) !== 1) throw notFound();
      await this.sessions.revokeAllSessions(userId, 'disabled', manager);
    });
  }

  async recommend(adminId: number, userId: number): Promise<void> {
    await this.assertLive(userId);
    await this.db.query('INSERT INTO recommended_users (user_id, created_by) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, adminId]);
  }

  async unrecommend(userId: number): Promise<void> {
    await this.assertLive(userId);
    await this.db.query('DELETE FROM recommended_users WHERE user_id = $1', [userId]);
  }

  /** Sets a membership; `level: null` (or absent) ends it. */
  async setVip(userId: number, dto: SetVipDto): Promise<void> {
    const running = dto.level != null;
    const result = await this.db.query(
      'UPDATE users SET vip_level = $2, vip_name = $3, vip_end_time = $4, updated_at = now() WHERE id = $1 AND cancelled_at IS NULL',
      [userId, running ? dto.level : null, running ? (dto.name ?? null) : null, running ? (dto.end_time ?? null) : null],
    );
    if (affectedRows(result) !== 1) throw notFound();
  }

  /** Tokens issued before the disable stay dead: their families were revoked. */
  async enable(userId: number): Promise<void> {
    const result = await this.db.query(
      'UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1 AND cancelled_at IS NULL',
      [userId],
    );
    if (affectedRows(result) !== 1) throw notFound();
  }

  private async assertLive(userId: number): Promise<void> {
    const [user] = await this.db.query(`SELECT 1 FROM users u WHERE u.id = $1 AND ${LIVE_USER}`, [userId]);
    if (!user) throw notFound();
  }
}
