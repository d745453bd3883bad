import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { AdminActor } from '../common/auth/viewer';
import { invalid, notFound } from '../common/errors/api-error';
import { isoSeconds } from '../common/http/format';
import { preparedQuery } from '../database/prepared-query';
import { runSql } from '../database/sql';
import { FieldType, UserField } from './user-field.entity';
import { UsersService } from '../users/users.service';
import { BUILTIN_NAMES, FieldDef, fieldSchema } from './where/fields';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const toFieldView = (field: UserField) => ({ name: field.name, type: field.type, created_at: isoSeconds(field.createdAt) });

/** The custom-field schema of the operator API (`/api/v2/admin/user-fields`). */
/** The custom-field schema, read by every operator request. */
export const USER_FIELDS_SQL = 'SELECT name, type, created_at FROM user_fields ORDER BY created_at, name';

@Injectable()
export class UserFieldsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
    private readonly users: UsersService,
  ) {}

  async all(): Promise<UserField[]> {
    const { rows } = await preparedQuery<{ name: string; type: FieldType; created_at: Date }>(this.db, USER_FIELDS_SQL, []);
    return rows.map((r) => ({ name: r.name, type: r.type, createdAt: r.created_at }));
  }

  /** Built-in and custom fields by name, for parsing `where`, `order_by` and updates. */
  async schema(): Promise<{ fields: UserField[]; schema: Map<string, FieldDef> }> {
    const fields = await this.all();
    return { fields, schema: fieldSchema(fields) };
  }

  async list() {
    return (await this.all()).map(toFieldView);
  }

  async get(name: string) {
    const field = (await this.all()).find((f) => f.name === name);
    if (!field) throw notFound();
    return toFieldView(field);
  }

  async create(admin: AdminActor, name: string, type: FieldType) {
    if (!FIELD_NAME.test(name)) throw invalid('name', 'field_name_invalid');
    if (BUILTIN_NAMES.has(name)) throw invalid('name', 'field_name_builtin');
    return this.db.transaction(async (manager) => {
      const { rows: inserted } = await runSql<{ created_at: Date }>(
        manager,
        'INSERT INTO user_fields (name, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING name, type, created_at',
        [name, type],
      );
      if (!inserted.length) throw invalid('name', 'field_exists');
      await this.audit.record(manager, admin, 'user_field.create', null, { name, type });
      return toFieldView({ name, type, createdAt: inserted[0].created_at });
    });
  }

  /** Drops the field and its values from every profile. */
  async remove(admin: AdminActor, name: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const deleted = await runSql(manager, 'DELETE FROM user_fields WHERE name = $1', [name]);
      if (deleted.rowCount !== 1) throw notFound();
      await this.users.dropCustomField(manager, name);
      await this.audit.record(manager, admin, 'user_field.remove', null, { name });
    });
  }
}
