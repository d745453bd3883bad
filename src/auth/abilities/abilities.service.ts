import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { forbidden, notFound } from '../../common/errors/api-error';
import { preparedQuery } from '../../database/prepared-query';
import { firstRow, runSql } from '../../database/sql';
import { EXISTING_USER } from '../../users/live-user';

/**
 * SQL that is true when the user (`userParam`) holds the ability (`abilityParam`): a user's abilities are the union of
 * their roles', and a `grants_all` role (founder) holds every ability.
 */
export function holdsAbilitySql(userParam: string, abilityParam: string): string {
  return `EXISTS (
    SELECT 1 FROM user_roles ur
      JOIN roles r ON r.id = ur.role_id
      LEFT JOIN role_abilities ra ON ra.role_id = r.id
      LEFT JOIN abilities a ON a.id = ra.ability_id
     WHERE ur.user_id = ${userParam} AND (r.grants_all OR a.name = ${abilityParam}))`;
}

const isFounderSql = (userParam: string) =>
  `EXISTS (SELECT 1 FROM user_roles founder_ur JOIN roles founder_r ON founder_r.id = founder_ur.role_id WHERE founder_ur.user_id = ${userParam} AND founder_r.grants_all)`;

/**
 * SQL that is true when the admin (`actorParam`) may act on the user (`targetExpr`): a founder may act on anyone;
 * anyone else only on a user who is no founder and holds no ability the admin lacks. The one place this rule lives.
 */
export function mayActOnSql(actorParam: string, targetExpr: string): string {
  return `(${isFounderSql(actorParam)} OR NOT EXISTS (
    SELECT 1 FROM user_roles target_ur
      JOIN roles target_r ON target_r.id = target_ur.role_id
      LEFT JOIN role_abilities target_ra ON target_ra.role_id = target_r.id
      LEFT JOIN abilities target_a ON target_a.id = target_ra.ability_id
     WHERE target_ur.user_id = ${targetExpr}
       AND (target_r.grants_all OR (target_a.name IS NOT NULL AND NOT ${holdsAbilitySql(actorParam, 'target_a.name')}))))`;
}

@Injectable()
export class AbilitiesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async has(userId: number, ability: string): Promise<boolean> {
    const {
      rows: [row],
    } = await preparedQuery(this.db, `SELECT ${holdsAbilitySql('$1', '$2')} AS allowed`, [userId, ability]);
    return row.allowed === true;
  }

  async isFounder(userId: number): Promise<boolean> {
    const {
      rows: [row],
    } = await preparedQuery(this.db, `SELECT ${isFounderSql('$1')} AS founder`, [userId]);
    return row.founder === true;
  }

  /**
   * Inside the write's transaction: locks the live target's row (so that concurrent admin writes on one user queue)
   * and refuses (403) when the admin may not act on them; 404 when there is no live target.
   */
  async assertMayActOn(manager: EntityManager, actorId: number, targetId: number): Promise<void> {
    const row = await firstRow<{ allowed: boolean }>(
      manager,
      `SELECT ${mayActOnSql('$1::bigint', 'u.id')} AS allowed FROM users u
        WHERE u.id = $2 AND ${EXISTING_USER} FOR NO KEY UPDATE OF u`,
      [actorId, targetId],
    );
    if (!row) throw notFound();
    if (row.allowed !== true) throw forbidden('target_out_of_reach');
  }

  /** Of `targetIds`, the users the admin may not act on (bulk writes answer 403 for those and leave them as they are). */
  async outOfReach(manager: EntityManager, actorId: number, targetIds: number[]): Promise<Set<number>> {
    if (!targetIds.length) return new Set();
    const { rows } = await runSql<{ id: number }>(
      manager,
      `SELECT candidate.id FROM unnest($2::bigint[]) AS candidate(id) WHERE NOT ${mayActOnSql('$1::bigint', 'candidate.id')}`,
      [actorId, targetIds],
    );
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** Whether a live founder exists (read inside the caller's transaction). */
  async founderExists(manager: EntityManager): Promise<boolean> {
    const founder = await firstRow(
      manager,
      `SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
        WHERE r.grants_all AND ${EXISTING_USER} LIMIT 1`,
    );
    return !!founder;
  }

  /** Makes the user a founder (every ability). */
  async grantFounder(manager: EntityManager, userId: number): Promise<void> {
    await runSql(manager, `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = 'founder'`, [userId]);
  }
}
