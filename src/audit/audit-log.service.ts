import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AdminActor } from '../common/auth/viewer';
import { DEFAULT_LIMIT } from '../common/pagination/paging';
import { runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { AuditLogQuery } from './dto/audit-log-query.dto';

/** The actor's abilities now, as one array: `{*}` for a founder. */
const ACTOR_ABILITIES = `(SELECT CASE WHEN bool_or(r.grants_all) THEN ARRAY['*']
         ELSE coalesce(array_agg(DISTINCT a.name ORDER BY a.name) FILTER (WHERE a.name IS NOT NULL), '{}') END
    FROM user_roles ur JOIN roles r ON r.id = ur.role_id
    LEFT JOIN role_abilities ra ON ra.role_id = r.id LEFT JOIN abilities a ON a.id = ra.ability_id
   WHERE ur.user_id = $1)`;

const INSERT = `INSERT INTO admin_audit_log (actor_id, actor_abilities, action, target_id, summary, ip, request_id)`;

interface AuditRow {
  id: number;
  created_at: Date;
  actor_id: number;
  actor_abilities: string[];
  action: string;
  target_id: number | null;
  summary: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
}

const toAuditView = (row: AuditRow) => ({
  id: row.id,
  created_at: row.created_at.toISOString(),
  actor_id: row.actor_id,
  actor_abilities: row.actor_abilities,
  action: row.action,
  target_id: row.target_id,
  summary: row.summary,
  ip: row.ip,
  request_id: row.request_id,
});

/** The admin audit trail (issue 10): written in the transaction of each admin write, read by founders. */
@Injectable()
export class AuditLogService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records an admin or operator write; `summary` must hold no secret (password, code, token, ID number). */
  async record(manager: EntityManager, actor: AdminActor, action: string, targetId: number | null, summary: Record<string, unknown> = {}): Promise<void> {
    await runSql(manager, `${INSERT} VALUES ($1, ${ACTOR_ABILITIES}, $2, $3, $4, $5, $6)`, [
      actor.id,
      action,
      targetId,
      JSON.stringify(summary),
      actor.ip,
      actor.requestId,
    ]);
  }

  /** Records a sign-in when the user holds any role (an admin); nothing for everyone else. */
  async recordAdminSignIn(manager: EntityManager, actor: AdminActor): Promise<void> {
    await runSql(
      manager,
      `${INSERT} SELECT $1, ${ACTOR_ABILITIES}, 'auth.sign_in', $1, '{}'::jsonb, $2, $3
        WHERE EXISTS (SELECT 1 FROM user_roles WHERE user_id = $1)`,
      [actor.id, actor.ip, actor.requestId],
    );
  }

  async list(query: AuditLogQuery) {
    const params = new SqlParams();
    const where: string[] = [];
    if (query.after != null) where.push(`id < ${params.add(query.after)}`);
    if (query.actor != null) where.push(`actor_id = ${params.add(query.actor)}`);
    if (query.target != null) where.push(`target_id = ${params.add(query.target)}`);
    if (query.action != null) where.push(`action = ${params.add(query.action)}`);
    if (query.since != null) where.push(`created_at >= ${params.add(query.since)}::timestamptz`);
    if (query.until != null) where.push(`created_at < ${params.add(query.until)}::timestamptz`);
    const { rows } = await runSql<AuditRow>(
      this.db,
      `SELECT id, created_at, actor_id, actor_abilities, action, target_id, summary, ip, request_id FROM admin_audit_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${params.add(query.limit ?? DEFAULT_LIMIT)}`,
      params.values,
    );
    return rows.map(toAuditView);
  }
}
