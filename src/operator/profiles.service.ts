import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AbilitiesService } from '../admin/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { AdminActor } from '../common/auth/viewer';
import { notFound } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SqlParams } from '../database/sql-params';
import { asOperatorError, badRequest } from './operator-errors';
import { compileProfileUpdate, parseProfileUpdate } from './profile-update';
import { PROFILE_COLUMNS, ProfileRow, toProfile } from './profile.view';
import { UserFieldsService } from './user-fields.service';
import { FieldDef } from './where/fields';
import { compileOrderBy } from './where/order-by';
import { compileWhere } from './where/where-compiler';
import { Condition, conjunction, Operator, parseWhere, QueryLanguageError, scalarOf } from './where/where-parser';

export interface ListParams {
  where?: string;
  order_by?: string;
  limit?: string;
  offset?: string;
  return_total_count?: string;
}

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
const LIST_PARAMS = new Set(['where', 'order_by', 'limit', 'offset', 'return_total_count']);
const LIVE_PROFILE = 'u.cancelled_at IS NULL';

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
    typeof cursor === 'object' && cursor !== null && Object.keys(cursor).length === 1 &&
    typeof cursor.id === 'object' && cursor.id !== null && Object.keys(cursor.id).length === 1 && typeof cursor.id.$gt === 'number';
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
  ) {}

  /** `GET …/user_profile/`: `where`, `order_by`, `limit` (≤ 1000), `offset`, `return_total_count`; v2.0 legacy filters. */
  async list(path: string, query: Record<string, string | undefined>, legacy: boolean) {
    assertStrings(query);
    const { fields, schema } = await this.fields.schema();
    for (const name of Object.keys(query)) {
      if (!LIST_PARAMS.has(name) && !(legacy && name in LEGACY_FILTERS)) throw badRequest(`unknown query parameter ${name}`);
    }
    const limit = integerParam(query.limit, 'limit', 20, 1, 1000);
    const offset = integerParam(query.offset, 'offset', 0, 0, 100_000_000);
    const params = new SqlParams();
    try {
      const condition = conjunction([parseWhere(query.where, schema), legacy ? this.legacyCondition(query, schema) : null]);
      const where = `${LIVE_PROFILE} AND ${compileWhere(condition, params)}`;
      const filterValues = [...params.values];
      const orderBy = compileOrderBy(query.order_by, schema, params);
      const rows: ProfileRow[] = await this.db.query(
        `SELECT ${PROFILE_COLUMNS} FROM users u WHERE ${where} ORDER BY ${orderBy} LIMIT ${params.add(limit + 1)} OFFSET ${params.add(offset)}`,
        params.values,
      );
      const keep = { where: query.where, order_by: query.order_by };
      const meta: Record<string, unknown> = {
        limit,
        offset,
        next: rows.length > limit ? pageUrl(path, { ...keep, limit, offset: offset + limit }) : null,
        previous: offset > 0 ? pageUrl(path, { ...keep, limit, offset: Math.max(0, offset - limit) }) : null,
      };
      if (query.return_total_count === '1') {
        const [{ total }] = await this.db.query(`SELECT count(*) AS total FROM users u WHERE ${where}`, filterValues);
        meta.total_count = total;
      }
      return { meta, objects: rows.slice(0, limit).map((row) => toProfile(row, fields, this.config.publicUrl)) };
    } catch (error) {
      throw asOperatorError(error);
    }
  }

  async get(id: number) {
    const { fields } = await this.fields.schema();
    const [row]: ProfileRow[] = await this.db.query(`SELECT ${PROFILE_COLUMNS} FROM users u WHERE u.id = $1 AND ${LIVE_PROFILE}`, [id]);
    if (!row) throw notFound();
    return toProfile(row, fields, this.config.publicUrl);
  }

  /** `PUT …/user_profile/:id/`: partial, atomic, all-or-nothing; answers the updated profile. */
  async update(admin: AdminActor, id: number, body: unknown) {
    const { schema } = await this.fields.schema();
    const params = new SqlParams();
    try {
      const updates = parseProfileUpdate(body, schema);
      const custom = compileProfileUpdate(updates, params);
      await this.db.transaction(async (manager) => {
        await this.abilities.assertMayActOn(manager, admin.id, id);
        await manager.query(`UPDATE users u SET custom = ${custom}, updated_at = now() WHERE u.id = ${params.add(id)}`, params.values);
        await this.audit.record(manager, admin, 'profile.update', id, { fields: Object.keys(body as object) });
      });
    } catch (error) {
      throw asOperatorError(error);
    }
    return this.get(id);
  }

  /**
   * `PUT …/user_profile/?where=…`: applies the body to one page of matching users in one transaction. Pages run over
   * ascending ids: `next` repeats the same `where` with `id > <last id of this page>`, so users that the update made
   * (not) match neither shift nor repeat the following pages.
   */
  async bulkUpdate(admin: AdminActor, path: string, query: Record<string, string | undefined>, body: unknown) {
    assertStrings(query);
    for (const name of Object.keys(query)) if (!LIST_PARAMS.has(name) || name === 'order_by') throw badRequest(`unknown query parameter ${name}`);
    // An empty `where=` arrives as null (spec README §1): it is missing too, never "every user".
    if (query.where === undefined || query.where === null) throw badRequest('where is required (send where={} to update every user)');
    const limit = integerParam(query.limit, 'limit', 20, 1, 1000);
    const offset = integerParam(query.offset, 'offset', 0, 0, 100_000_000);
    const { schema } = await this.fields.schema();
    try {
      const condition = parseWhere(query.where, schema);
      const updates = parseProfileUpdate(body, schema);
      return await this.db.transaction(async (manager) => {
        const params = new SqlParams();
        const where = `${LIVE_PROFILE} AND ${compileWhere(condition, params)}`;
        const filterValues = [...params.values];
        const ids: number[] = (
          await manager.query(`SELECT u.id FROM users u WHERE ${where} ORDER BY u.id LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`, params.values)
        ).map((r: { id: number }) => r.id);
        const totalCount = query.return_total_count === '1'
          ? (await manager.query(`SELECT count(*) AS total FROM users u WHERE ${where}`, filterValues))[0].total
          : undefined;
        const outOfReach = await this.abilities.outOfReach(manager, admin.id, ids);
        const setParams = new SqlParams();
        const custom = compileProfileUpdate(updates, setParams);
        const [rows] = await manager.query(
          `UPDATE users u SET custom = ${custom}, updated_at = now() WHERE u.id = ANY(${setParams.add(ids.filter((id) => !outOfReach.has(id)))}::bigint[])
           RETURNING u.id, floor(extract(epoch FROM u.updated_at))::bigint AS updated_unix`,
          setParams.values,
        );
        const updated = new Map<number, number>((rows as Array<{ id: number; updated_unix: number }>).map((r) => [r.id, r.updated_unix]));
        await this.audit.record(manager, admin, 'profile.bulk_update', null, { fields: Object.keys(body as object), ids: [...updated.keys()] });
        const last = ids[ids.length - 1];
        const nextWhere = JSON.stringify({ $and: [withoutIdCursor(JSON.parse(query.where!)), { id: { $gt: last } }] });
        return {
          operation_result: ids.map((id) =>
            updated.has(id) ? { success: { id, updated_at: updated.get(id) } }
              : outOfReach.has(id) ? { error: { err_msg: 'you may not act on this user', code: 403 } }
                : { error: { err_msg: 'the user changed during the update', code: 409 } },
          ),
          succeed: updated.size,
          ...(totalCount === undefined ? {} : { total_count: totalCount }),
          offset,
          limit,
          next: ids.length === limit ? pageUrl(path, { where: nextWhere, limit, offset: 0 }) : null,
        };
      });
    } catch (error) {
      throw asOperatorError(error);
    }
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
