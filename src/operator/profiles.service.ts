import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { AdminActor } from '../common/auth/viewer';
import { readQuery } from '../database/prepared-query';
import { notFound } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { EXISTING_USER } from '../users/live-user';
import { asOperatorError, badRequest } from './operator-errors';
import { compileProfileUpdate, FieldUpdate, parseProfileUpdate } from './profile-update';
import { PROFILE_COLUMNS, profileShape, ProfileRow, toProfile } from './profile.view';
import { UserFieldsService } from './user-fields.service';
import { FieldDef } from './where/fields';
import { compileOrderBy } from './where/order-by';
import { compileWhere } from './where/where-compiler';
import { UsersService } from '../users/users.service';
import { Condition, conjunction, Operator, parseWhere, QueryLanguageError, scalarOf } from './where/where-parser';

/** Query parameters of the v2.0 list route and the condition each one stands for (operator-api §3). */
const LEGACY_FILTERS: Record<string, { field: string; op: Operator; list?: boolean }> = {
  nickname: { field: 'nickname', op: '$eq' },
  nickname__contains: { field: 'nickname', op: '$contains' },
  gender: { field: 'gender', op: '$eq' },
  created_at__gt: { field: 'created_at', op: '$gt' },
  created_at__gte: { field: 'created_at', op: '$gte' },
  created_at__lt: { field: 'created_at', op: '$lt' },
  created_at__lte: { field: 'created_at', op: '$lte' },
  openid: { field: 'openid', op: '$eq' },
  unionid: { field: 'unionid', op: '$eq' },
  user_id: { field: 'user_id', op: '$eq' },
  group__in: { field: '_group', op: '$in', list: true },
};
const LIST_PARAMS = new Set(['where', 'order_by', 'limit', 'offset', 'return_total_count', 'keys', 'expand']);
const DETAIL_PARAMS = new Set(['keys', 'expand']);
/** `enable_trigger` is accepted and ignored on both PUTs: this service has no triggers (operator-api §6). */
const UPDATE_PARAMS = new Set(['enable_trigger', 'keys', 'expand']);
const BULK_PARAMS = new Set(['where', 'limit', 'offset', 'return_total_count', 'enable_trigger']);

/**
 * The statements of a list page (the final text of an example: operator/profile-list.sql): `page` reads one more
 * than `limit` (is there a next page?), `count` the total, with the filter's values only (`countValues`).
 */
export function profileListSql(
  condition: Condition | null,
  orderBy: string | undefined,
  schema: Map<string, FieldDef>,
  limit: number,
  offset: number,
  params: SqlParams,
) {
  const where = `${EXISTING_USER} AND ${compileWhere(condition, params)}`;
  const countValues = [...params.values];
  const order = compileOrderBy(orderBy, schema, params);
  return {
    page: `SELECT ${PROFILE_COLUMNS} FROM users u WHERE ${where} ORDER BY ${order} LIMIT ${params.add(limit + 1)} OFFSET ${params.add(offset)}`,
    count: `SELECT count(*) AS total FROM users u WHERE ${where}`,
    countValues,
  };
}

/** Query values arrive as strings; a repeated parameter (an array) is refused rather than guessed at. */
function assertStrings(query: Record<string, unknown>): asserts query is Record<string, string | undefined> {
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && typeof value !== 'string') throw badRequest(`${name} is given more than once`);
  }
}

function integerParam(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw badRequest(`${name} must be a whole number`);
  const value = Number(raw);
  if (value < min || value > max) throw badRequest(`${name} must be between ${min} and ${max}`);
  return value;
}

function assertKnownParams(query: Record<string, unknown>, known: Set<string>): void {
  for (const name of Object.keys(query)) if (!known.has(name)) throw badRequest(`unknown query parameter ${name}`);
  const trigger = query.enable_trigger;
  if (trigger !== undefined && !['0', '1', 'true', 'false'].includes(trigger as string)) throw badRequest('enable_trigger must be 0 or 1');
}

/** `?a=1&b=2` of the same path, keeping `where` and `order_by` (minapp's meta.next / previous). */
function pageUrl(path: string, params: Record<string, string | number | undefined>): string {
  const query = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${path}?${query}`;
}

/**
 * The where of a bulk `next` link is `{"$and":[W, {"id":{"$gt":n}}]}`. The following link uses W again rather than
 * nesting this where one level deeper on every page (which would hit the depth limit after 10 pages): the same users,
 * as the last id of a page is always > n.
 */
function withoutIdCursor(where: unknown): unknown {
  const and = (where as { $and?: unknown })?.$and;
  if (typeof where !== 'object' || where === null || Object.keys(where).length !== 1 || !Array.isArray(and) || and.length !== 2) return where;
  const cursor = and[1] as { id?: { $gt?: unknown } };
  const isCursor =
    typeof cursor === 'object' &&
    cursor !== null &&
    Object.keys(cursor).length === 1 &&
    typeof cursor.id === 'object' &&
    cursor.id !== null &&
    Object.keys(cursor.id).length === 1 &&
    typeof cursor.id.$gt === 'number';
  return isCursor ? and[0] : where;
}

/** Operator reads and writes of user profiles (operator-api §1–4). */
@Injectable()
export class ProfilesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly fields: UserFieldsService,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  /** `GET …/user_profile/`: `where`, `order_by`, `limit` (≤ 1000), `offset`, `return_total_count`; v2.0 legacy filters. */
  async list(path: string, query: Record<string, string | undefined>, legacy: boolean) {
    assertStrings(query);
    const { fields, schema } = await this.fields.schema();
    for (const name of Object.keys(query)) {
      if (!LIST_PARAMS.has(name) && !(legacy && name in LEGACY_FILTERS)) throw badRequest(`unknown query parameter ${name}`);
    }
    const shape = profileShape(query, schema);
    const limit = integerParam(query.limit, 'limit', 20, 1, 1000);
    const offset = integerParam(query.offset, 'offset', 0, 0, 100_000_000);
    const params = new SqlParams();
    try {
      const condition = conjunction([parseWhere(query.where, schema), legacy ? this.legacyCondition(query, schema) : null]);
      const sql = profileListSql(condition, query.order_by, schema, limit, offset, params);
      const { rows } = await readQuery<ProfileRow>(this.db, sql.page, params.values);
      const keep = { where: query.where, order_by: query.order_by, keys: query.keys, expand: query.expand };
      const meta: Record<string, unknown> = {
        limit,
        offset,
        next: rows.length > limit ? pageUrl(path, { ...keep, limit, offset: offset + limit }) : null,
        previous: offset > 0 ? pageUrl(path, { ...keep, limit, offset: Math.max(0, offset - limit) }) : null,
      };
      if (query.return_total_count === '1') {
        const {
          rows: [{ total }],
        } = await readQuery(this.db, sql.count, sql.countValues);
        meta.total_count = total;
      }
      return { meta, objects: rows.slice(0, limit).map((row) => shape(toProfile(row, fields, this.config.publicUrl))) };
    } catch (error) {
      throw asOperatorError(error);
    }
  }

  /** `GET …/user_profile/:id/` (`keys`, `expand`). */
  async get(id: number, query: Record<string, string | undefined> = {}, known = DETAIL_PARAMS) {
    assertStrings(query);
    assertKnownParams(query, known);
    const { fields, schema } = await this.fields.schema();
    const shape = profileShape(query, schema);
    const {
      rows: [row],
    } = await readQuery<ProfileRow>(this.db, `SELECT ${PROFILE_COLUMNS} FROM users u WHERE u.id = $1 AND ${EXISTING_USER}`, [id]);
    if (!row) throw notFound();
    return shape(toProfile(row, fields, this.config.publicUrl));
  }

  /** `PUT …/user_profile/:id/`: partial, atomic, all-or-nothing; answers the updated profile. */
  async update(admin: AdminActor, id: number, body: unknown, query: Record<string, string | undefined> = {}) {
    assertStrings(query);
    assertKnownParams(query, UPDATE_PARAMS);
    const { schema } = await this.fields.schema();
    profileShape(query, schema); // a bad keys / expand is refused before anything is written
    const params = new SqlParams();
    try {
      const custom = compileProfileUpdate(parseProfileUpdate(body, schema), params);
      await this.db.transaction(async (manager) => {
        await this.abilities.assertMayActOn(manager, admin.id, id);
        const written = await this.users.writeCustomProfiles(manager, custom, `u.id = ${params.add(id)}`, params);
        if (written.length !== 1) throw notFound();
        await this.audit.record(manager, admin, 'profile.update', id, { fields: Object.keys(body as object) });
      });
    } catch (error) {
      throw asOperatorError(error);
    }
    return this.get(id, query, UPDATE_PARAMS);
  }

  /**
   * `PUT …/user_profile/?where=…`: applies the body to one page of matching users in one transaction. Pages run over
   * ascending ids: `next` repeats the same `where` with `id > <last id of this page>`, so users that the update made
   * (not) match neither shift nor repeat the following pages; it is null when no matching user is left (one id is
   * read ahead). The UPDATE checks `where` again on the row it writes: a user changed by someone else between the
   * page read and the write so that it no longer matches is not updated (reported as an error entry, code 409).
   */
  async bulkUpdate(admin: AdminActor, path: string, query: Record<string, string | undefined>, body: unknown) {
    assertStrings(query);
    assertKnownParams(query, BULK_PARAMS);
    // `where=` names no users: it is missing too, never "every user".
    if (query.where === undefined || query.where === null || query.where.trim() === '')
      throw badRequest('where is required (send where={} to update every user)');
    const limit = integerParam(query.limit, 'limit', 20, 1, 1000);
    const offset = integerParam(query.offset, 'offset', 0, 0, 100_000_000);
    const { schema } = await this.fields.schema();
    try {
      const condition = parseWhere(query.where, schema);
      const updates = parseProfileUpdate(body, schema);
      return await this.db.transaction(async (manager) => {
        const params = new SqlParams();
        const where = `${EXISTING_USER} AND ${compileWhere(condition, params)}`;
        const filterValues = [...params.values];
        const found = (
          await runSql<{ id: number }>(
            manager,
            `SELECT u.id FROM users u WHERE ${where} ORDER BY u.id LIMIT ${params.add(limit + 1)} OFFSET ${params.add(offset)}`,
            params.values,
          )
        ).rows.map((r) => r.id);
        const ids = found.slice(0, limit);
        const totalCount =
          query.return_total_count === '1'
            ? (await runSql<{ total: number }>(manager, `SELECT count(*) AS total FROM users u WHERE ${where}`, filterValues)).rows[0].total
            : undefined;
        const outOfReach = await this.abilities.outOfReach(manager, admin.id, ids);
        const updated = await this.updatePage(
          manager,
          ids.filter((id) => !outOfReach.has(id)),
          condition,
          updates,
        );
        await this.audit.record(manager, admin, 'profile.bulk_update', null, { fields: Object.keys(body as object), ids: [...updated.keys()] });
        const nextWhere = JSON.stringify({ $and: [withoutIdCursor(JSON.parse(query.where!)), { id: { $gt: ids[ids.length - 1] } }] });
        return {
          operation_result: ids.map((id) =>
            updated.has(id)
              ? { success: { id, updated_at: updated.get(id) } }
              : outOfReach.has(id)
                ? { error: { err_msg: 'you may not act on this user', code: 403 } }
                : { error: { err_msg: 'the user no longer matches where', code: 409 } },
          ),
          succeed: updated.size,
          ...(totalCount === undefined ? {} : { total_count: totalCount }),
          offset,
          limit,
          next: found.length > limit ? pageUrl(path, { where: nextWhere, limit, offset: 0 }) : null,
        };
      });
    } catch (error) {
      throw asOperatorError(error);
    }
  }

  /** One UPDATE for the page; `where` is evaluated again on each row as it is written. Answers id → updated_at. */
  private async updatePage(manager: EntityManager, ids: number[], condition: Condition | null, updates: FieldUpdate[]): Promise<Map<number, number>> {
    if (!ids.length) return new Map();
    const params = new SqlParams();
    const custom = compileProfileUpdate(updates, params);
    const where = `u.id = ANY(${params.add(ids)}::bigint[]) AND ${compileWhere(condition, params)}`;
    const rows = await this.users.writeCustomProfiles(manager, custom, where, params);
    return new Map(rows.map((r) => [r.id, r.updated_unix]));
  }

  private legacyCondition(query: Record<string, string | undefined>, schema: Map<string, FieldDef>): Condition | null {
    const parts: Condition[] = [];
    for (const [name, filter] of Object.entries(LEGACY_FILTERS)) {
      const raw = query[name];
      if (raw === undefined) continue;
      const field = schema.get(filter.field)!;
      const parse = (text: string) => (['integer', 'unix', 'group'].includes(field.type) ? Number(text) : text);
      try {
        const value = filter.list ? raw.split(',').map((v) => scalarOf(field.type, parse(v.trim()), name)) : scalarOf(field.type, parse(raw), name);
        parts.push({ kind: 'compare', field, op: filter.op, value });
      } catch (error) {
        throw error instanceof QueryLanguageError ? error : badRequest(`${name} is invalid`);
      }
    }
    return conjunction(parts);
  }
}
