import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';

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

@Injectable()
export class AbilitiesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async has(userId: number, ability: string): Promise<boolean> {
    const [row] = await preparedQuery(this.db, `SELECT ${holdsAbilitySql('$1', '$2')} AS allowed`, [userId, ability]);
    return row.allowed === true;
  }
}
