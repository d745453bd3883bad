import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
import { notFound } from '../common/errors/api-error';
import { DEFAULT_LIMIT } from '../common/pagination/paging';
import { classifyLogin, LoginIdentifier } from '../common/validation/login-classifier';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { escapeLike, SqlParams } from '../database/sql-params';
import { ListUsersQuery, UserLookupQuery } from './dto/user-queries.dto';
import { FlagsRelativeTo, UserViews } from './user-views.service';
import { OwnerUser, PublicUser } from './views/user.view';

const ACTIVE_ORDER = 'u.last_active_at DESC NULLS LAST, u.id DESC';

/** The condition of a `:user` lookup on its value (`$1`), by what the value names. */
const LOOKUP_CONDITIONS: Record<LoginIdentifier['kind'], string> = {
  email: 'lower(u.email) = $1',
  phone: 'u.phone = $1',
  name: 'lower(u.name) = lower($1)',
  id: 'u.id = $1::bigint',
};

/** Page size of the ThinkSNS+ discovery lists (populars, latests, search, find-by-tags) when none is asked for. */
export const DISCOVERY_LIMIT = 15;

/** A user found by one of the phones the caller sent, with that phone as sent (`mobi`). */
export type ContactMatch = PublicUser & { mobi: string };

/** Finding other users: lookups by name / e-mail / phone / id, and the discovery lists (mobile-api §4.2). */
@Injectable()
export class UserDirectory {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: UserViews,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `GET /users/:user`. Phone and e-mail lookups only find the user for that user or an admin, so a guest cannot
   * map phone numbers to accounts, unless PUBLIC_CONTACT_LOOKUP is on (then anyone gets the public view, which never
   * holds the phone or e-mail); the owner view goes to the same two.
   */
  async lookup(key: string, viewerId: number | null, query: UserLookupQuery = {}): Promise<PublicUser | OwnerUser> {
    const identifier = classifyLogin(key);
    if (!identifier) throw notFound();
    const relativeTo: FlagsRelativeTo = { follower: query.follower ?? viewerId, following: query.following ?? viewerId };
    const found = await this.views.findOne(LOOKUP_CONDITIONS[identifier.kind], identifier.value, viewerId, relativeTo);
    if (!found) throw notFound();
    const byContact = identifier.kind === 'phone' || identifier.kind === 'email';
    if (byContact && !found.privileged && !this.config.publicContactLookup) throw notFound();
    if (found.privileged) {
      const owner = this.views.toOwner(found.row, found.personal);
      // The owner view clears the flags (own object); an admin looking at someone else still sees the relationship.
      if (found.row.id === viewerId) return owner;
      const { has_follower, has_following } = found.row;
      return { ...owner, has_follower, has_following, follower: has_follower, following: has_following };
    }
    return this.views.toPublic(found.row);
  }

  /** The id of a live user named by `:user` (name or id; phone / e-mail only for the privileged, as in lookup). */
  async resolveId(key: string, viewerId: number | null): Promise<number> {
    const user = await this.lookup(key, viewerId);
    return user.id;
  }

  /** `GET /users`: keyset pagination by id (`since`), filters by name or ids; `active=1` orders by activity. */
  list(query: ListUsersQuery, viewerId: number | null): Promise<PublicUser[]> {
    const params = new SqlParams();
    const where: string[] = [];
    const limit = query.limit ?? DEFAULT_LIMIT;
    const relativeTo = { follower: viewerId, following: viewerId };
    if (query.active === '1' || query.active === 'true') {
      where.push('u.last_active_at IS NOT NULL');
      return this.views.list({ where, orderBy: ACTIVE_ORDER, limit, offset: query.offset, relativeTo, params });
    }
    const ascending = query.order === 'asc';
    if (query.since != null) where.push(`u.id ${ascending ? '>' : '<'} ${params.add(query.since)}::bigint`);
    if (query.id != null) where.push(`u.id = ANY(${params.add(query.id.split(',').map(Number))}::bigint[])`);
    if (query.name != null) {
      if (query.fetch_by === 'username') {
        const names = query.name
          .split(',')
          .map((n) => n.trim().toLowerCase())
          .filter(Boolean)
          .slice(0, 50);
        where.push(`lower(u.name) = ANY(${params.add(names)}::text[])`);
      } else {
        where.push(`lower(u.name) LIKE ${params.add(`%${escapeLike(query.name.toLowerCase())}%`)}`);
      }
    }
    return this.views.list({ where, orderBy: `u.id ${ascending ? 'ASC' : 'DESC'}`, limit, relativeTo, params });
  }

  /** `GET /user/recommends`: newest recommendation first, without the viewer. */
  recommended(viewerId: number | null, limit = DEFAULT_LIMIT, offset = 0): Promise<PublicUser[]> {
    const params = new SqlParams();
    const where = viewerId === null ? [] : [`u.id <> ${params.add(viewerId)}::bigint`];
    return this.views.list({
      from: 'recommended_users r JOIN users u ON u.id = r.user_id',
      where,
      orderBy: 'r.created_at DESC, u.id DESC',
      limit,
      offset,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
    });
  }

  /** `GET /user/nearby` (同城): users of the viewer's city, most recently active first. */
  async nearby(viewerId: number, limit = DEFAULT_LIMIT, offset = 0): Promise<PublicUser[]> {
    const {
      rows: [viewer],
    } = await preparedQuery(this.db, 'SELECT city FROM users WHERE id = $1', [viewerId]);
    if (!viewer?.city) return [];
    const params = new SqlParams();
    const where = [`u.city = ${params.add(viewer.city)}`, `u.id <> ${params.add(viewerId)}::bigint`];
    return this.views.list({ where, orderBy: ACTIVE_ORDER, limit, offset, relativeTo: { follower: viewerId, following: viewerId }, params });
  }

  /** `GET /user/populars`: most followers first. */
  populars(viewerId: number | null, limit = DISCOVERY_LIMIT, offset = 0): Promise<PublicUser[]> {
    const relativeTo = { follower: viewerId, following: viewerId };
    return this.views.list({ orderBy: 'e.followers_count DESC, e.user_id DESC', limit, offset, relativeTo, params: new SqlParams() });
  }

  /** `GET /user/latests`: newest accounts first. */
  latests(viewerId: number | null, limit = DISCOVERY_LIMIT, offset = 0): Promise<PublicUser[]> {
    const relativeTo = { follower: viewerId, following: viewerId };
    return this.views.list({ orderBy: 'u.created_at DESC, u.id DESC', limit, offset, relativeTo, params: new SqlParams() });
  }

  /** `GET /user/search`: names containing the keyword, newest id first; without a keyword the recommended users. */
  search(keyword: string | undefined, viewerId: number | null, limit = DISCOVERY_LIMIT, offset = 0): Promise<PublicUser[]> {
    if (!keyword) return this.recommended(viewerId, limit, offset);
    const params = new SqlParams();
    const where = [`lower(u.name) LIKE ${params.add(`%${escapeLike(keyword.toLowerCase())}%`)}`];
    return this.views.list({ where, orderBy: 'u.id DESC', limit, offset, relativeTo: { follower: viewerId, following: viewerId }, params });
  }

  /**
   * `POST /user/find-by-phone` (contact matching): the users among the phones the caller sent, each with `mobi`, the
   * phone as the caller sent it. Strings that are no mainland mobile number match nothing.
   */
  async findByPhones(phones: string[], viewerId: number): Promise<ContactMatch[]> {
    const sentAs = new Map<string, string>();
    for (const phone of phones) {
      const normalized = normalizeCnPhone(phone.replace(/[\s\-()]/g, ''));
      if (normalized && !sentAs.has(normalized)) sentAs.set(normalized, phone);
    }
    if (!sentAs.size) return [];
    const params = new SqlParams();
    const found = await this.views.listWith<{ phone: string }>({
      where: [`u.phone = ANY(${params.add([...sentAs.keys()])}::varchar[])`],
      select: 'u.phone',
      orderBy: 'u.id',
      limit: sentAs.size,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
    });
    return found.map(({ user, row }) => ({ ...user, mobi: sentAs.get(row.phone)! }));
  }
}
