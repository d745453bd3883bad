import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { holdsAbilitySql } from '../auth/abilities/abilities.service';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared-query';
import { SqlParams } from '../database/sql-params';
import { VERIFICATION_FILE_JOINS, VERIFICATION_PRIVATE_COLUMNS, VERIFICATION_PUBLIC_COLUMNS } from '../verification/verification.view';
import { OwnerUser, OwnerViewRow, PublicUser, toOwnerUser, toPublicUser, UserViewRow } from './views/user.view';

import { LIVE_USER } from './live-user';

/** Whose relationship the follow flags describe: by default the viewer's (mobile-api §4.1). */
export interface FlagsRelativeTo {
  /** `has_follower`: this id follows the listed user. */
  follower: number | null;
  /** `has_following`: the listed user follows this id. */
  following: number | null;
}

export interface UserListQuery {
  /** FROM clause that names the users `u` (default `users u`; follow lists start from the relation). */
  from?: string;
  where?: string[];
  orderBy: string;
  limit: number;
  offset?: number;
  relativeTo: FlagsRelativeTo;
  /** Holds the parameters already used by `from` / `where`. */
  params: SqlParams;
  /** More columns of the FROM clause to return beside each user (`r.amount AS rank_amount`); see listWith(). */
  select?: string;
}

const VIEW_COLUMNS = `u.id, u.name, u.bio, u.sex, u.location, u.avatar, u.bg, u.invite_code,
  u.vip_level, u.vip_name, u.vip_end_time, u.created_at, u.updated_at,
  fa.mime AS avatar_mime, fa.size AS avatar_size, fa.width AS avatar_width, fa.height AS avatar_height,
  fb.mime AS bg_mime, fb.size AS bg_size, fb.width AS bg_width, fb.height AS bg_height,
  e.likes_count, e.comments_count, e.followers_count, e.followings_count, e.feeds_count, e.questions_count,
  e.answers_count, e.be_reward_count, e.checkin_count, e.last_checkin_count, e.updated_at AS extra_updated_at,
  ${VERIFICATION_PUBLIC_COLUMNS}`;

const VIEW_JOINS = `JOIN user_extras e ON e.user_id = u.id
  LEFT JOIN files fa ON fa.node = u.avatar
  LEFT JOIN files fb ON fb.node = u.bg
  LEFT JOIN verifications v ON v.user_id = u.id`;

const OWNER_COLUMNS = `u.phone, u.email, u.password IS NOT NULL AS has_password,
  w.balance AS wallet_balance, w.total_income AS wallet_total_income, w.total_expenses AS wallet_total_expenses,
  c.sum AS currency_sum, ${VERIFICATION_PRIVATE_COLUMNS}`;

const OWNER_JOINS = `JOIN wallets w ON w.owner_id = u.id JOIN user_currencies c ON c.owner_id = u.id ${VERIFICATION_FILE_JOINS}`;

function flagColumns(params: SqlParams, relativeTo: FlagsRelativeTo): string {
  const follower = params.add(relativeTo.follower);
  const following = params.add(relativeTo.following);
  return `EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${follower}::bigint AND f.followee_id = u.id) AS has_follower,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = u.id AND f.followee_id = ${following}::bigint) AS has_following`;
}

/** The statement of UserViews.listWith(): one page of public views (the final text: users/views/user-list.sql). */
export function userListSql(query: UserListQuery): string {
  const { params } = query;
  const flags = flagColumns(params, query.relativeTo);
  const where = [LIVE_USER, ...(query.where ?? [])].join(' AND ');
  const paging = `LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset ?? 0)}`;
  const columns = query.select ? `${VIEW_COLUMNS}, ${query.select}` : VIEW_COLUMNS;
  return `SELECT ${columns}, ${flags} FROM ${query.from ?? 'users u'} ${VIEW_JOINS} WHERE ${where} ORDER BY ${query.orderBy} ${paging}`;
}

/** The statement of UserViews.findOne(): one user with both views' columns (the final text: users/views/user-view.sql). */
export function userFindSql(condition: string, params: SqlParams, viewerId: number | null, relativeTo: FlagsRelativeTo): string {
  const flags = flagColumns(params, relativeTo);
  const viewer = params.add(viewerId);
  return `SELECT ${VIEW_COLUMNS}, ${OWNER_COLUMNS}, ${flags},
              ${viewer}::bigint IS NOT NULL AND ${holdsAbilitySql(`${viewer}::bigint`, `'admin:user:show'`)} AS viewer_is_admin,
              ${viewer}::bigint IS NOT NULL AND ${holdsAbilitySql(`${viewer}::bigint`, `'admin:verification:review'`)} AS viewer_reviews
         FROM users u ${VIEW_JOINS} ${OWNER_JOINS}
        WHERE ${LIVE_USER} AND ${condition}`;
}

const findStatements = new Map<string, string>();

/**
 * userFindSql() of a condition on `$1` (the follow flags `$2` / `$3`, the viewer `$4`), composed once per condition:
 * the conditions are constants of the code, so the map stays small.
 */
function userFindStatement(condition: string): string {
  let text = findStatements.get(condition);
  if (text === undefined) {
    const params = new SqlParams();
    params.add(null);
    text = userFindSql(condition, params, null, { follower: null, following: null });
    findStatements.set(condition, text);
  }
  return text;
}

/**
 * Builds user objects for any audience with ONE SQL statement, whatever the number of users: counters, images and
 * follow flags are joined or computed inside the query, never fetched per user (mobile-api §4.1, no N+1).
 */
@Injectable()
export class UserViews {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: PiiCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: UserListQuery): Promise<PublicUser[]> {
    return (await this.listWith(query)).map(({ user }) => user);
  }

  /** list(), each user beside its row (which carries the `select` columns of the query). */
  async listWith<Extra = Record<string, never>>(query: UserListQuery): Promise<Array<{ user: PublicUser; row: UserViewRow & Extra }>> {
    const { rows } = await preparedQuery<UserViewRow & Extra>(this.db, userListSql(query), query.params.values);
    return rows.map((row) => ({ user: toPublicUser(row, this.config.publicUrl), row }));
  }

  /**
   * One user found by a constant condition on `$1` (`u.id = $1`, …; `value` is bound to it) with everything either
   * view needs, and whether the viewer may see the owner view (it is the viewer, or the viewer holds `admin:user:show`).
   */
  async findOne(condition: string, value: unknown, viewerId: number | null, relativeTo: FlagsRelativeTo) {
    const {
      rows: [row],
    } = await preparedQuery<OwnerViewRow & { viewer_is_admin: boolean; viewer_reviews: boolean }>(this.db, userFindStatement(condition), [
      value,
      relativeTo.follower,
      relativeTo.following,
      viewerId,
    ]);
    if (!row) return null;
    const privileged = row.id === viewerId || row.viewer_is_admin;
    // Real names and ID numbers: the user themselves, and admins who review verifications (as for the ID photos).
    const personal = row.id === viewerId || row.viewer_reviews;
    return { row, privileged, personal };
  }

  toOwner(row: OwnerViewRow, personal = true): OwnerUser {
    return toOwnerUser(row, this.config.publicUrl, this.cipher, personal);
  }

  toPublic(row: UserViewRow): PublicUser {
    return toPublicUser(row, this.config.publicUrl);
  }

  /** The owner view of one user (GET /user). */
  async owner(userId: number): Promise<OwnerUser | null> {
    const found = await this.findOne('u.id = $1', userId, userId, { follower: null, following: null });
    return found ? this.toOwner(found.row) : null;
  }
}
