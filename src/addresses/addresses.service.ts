import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { invalid, notFound, unauthenticated } from '../common/errors/api-error';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { firstRow, runSql } from '../database/sql';
import { inTransaction } from '../database/transactions';
import { UsersService } from '../users/users.service';
import { AddressRow, toAddressView } from './address.view';
import { CreateAddressDto, UpdateAddressDto } from './dto/address.dto';

export const MAX_ADDRESSES = 20;
const COLUMNS = 'id, user_id, alias, name, phone, province, city, county, detail, postcode, is_default, created_at, updated_at';
/** Request field → column; nothing outside this map is written. */
const FIELDS = ['alias', 'name', 'phone', 'province', 'city', 'county', 'detail', 'postcode', 'is_default'] as const;

/**
 * Shipping addresses (mobile-api §6). Only the owner's exist for a caller. Every write holds the owner's row lock, so
 * the 20-address limit and the single default hold under parallel requests; a partial unique index backs the default.
 */
@Injectable()
export class AddressesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  async list(userId: number) {
    const { rows } = await runSql<AddressRow>(this.db, `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, [userId]);
    return rows.map(toAddressView);
  }

  async get(userId: number, id: number) {
    const row = await firstRow<AddressRow>(this.db, `SELECT ${COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2`, [id, userId]);
    if (!row) throw notFound();
    return toAddressView(row);
  }

  create(userId: number, dto: CreateAddressDto) {
    return inTransaction(this.db, async (manager) => {
      await this.lockOwner(manager, userId);
      const counted = await firstRow<{ count: number }>(manager, 'SELECT count(*) AS count FROM addresses WHERE user_id = $1', [userId]);
      if (counted!.count >= MAX_ADDRESSES) throw invalid('address', 'address_limit');
      if (dto.is_default) await this.clearDefault(manager, userId);
      const values = FIELDS.map((field) => this.valueOf(dto, field) ?? null);
      const row = await firstRow<AddressRow>(
        manager,
        `INSERT INTO addresses (user_id, ${FIELDS.join(', ')})
         VALUES ($1, ${FIELDS.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING ${COLUMNS}`,
        [userId, ...values],
      );
      return toAddressView(row!);
    });
  }

  update(userId: number, id: number, dto: UpdateAddressDto) {
    return inTransaction(this.db, async (manager) => {
      await this.lockOwner(manager, userId);
      const current = await firstRow(manager, 'SELECT id FROM addresses WHERE id = $1 AND user_id = $2', [id, userId]);
      if (!current) throw notFound();
      if (dto.is_default) await this.clearDefault(manager, userId);
      const values: unknown[] = [id];
      const assignments = FIELDS.filter((field) => dto[field] !== undefined).map((field) => {
        values.push(this.valueOf(dto, field));
        return `${field} = $${values.length}`;
      });
      const row = await firstRow<AddressRow>(
        manager,
        `UPDATE addresses SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
        values,
      );
      return toAddressView(row!);
    });
  }

  async remove(userId: number, id: number): Promise<void> {
    const result = await runSql(this.db, 'DELETE FROM addresses WHERE id = $1 AND user_id = $2', [id, userId]);
    if (result.rowCount !== 1) throw notFound();
  }

  /** Account cancellation: the user's addresses go with the account. */
  async removeAllOf(manager: EntityManager, userId: number): Promise<void> {
    await runSql(manager, 'DELETE FROM addresses WHERE user_id = $1', [userId]);
  }

  private valueOf(dto: UpdateAddressDto | CreateAddressDto, field: (typeof FIELDS)[number]) {
    return field === 'phone' && dto.phone ? normalizeCnPhone(dto.phone) : dto[field];
  }

  /**
   * Locks the owner's row and re-reads it: a cancellation that committed while we waited ends the session
   * (its addresses were deleted with it, so nothing may be added after).
   */
  private async lockOwner(manager: EntityManager, userId: number): Promise<void> {
    if (!(await this.users.lockExisting(manager, userId))) throw unauthenticated();
  }

  private async clearDefault(manager: EntityManager, userId: number): Promise<void> {
    await runSql(manager, 'UPDATE addresses SET is_default = false, updated_at = now() WHERE user_id = $1 AND is_default', [userId]);
  }
}
