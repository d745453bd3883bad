import { SqlFile } from '../database/sql-file';
import { SqlParams } from '../database/sql-params';
import { LIVE_USER } from '../users/live-user';
import { UserListQuery, userListSql } from '../users/user-views.service';

/** When the snapshot of a key (`$1`) was computed. */
export const SNAPSHOT_TIME_SQL = 'SELECT refreshed_at FROM income_rank_keys WHERE key = $1';

/** The viewer's (`$2`) position among the live users of the snapshot of a key (`$1`), and their amount. */
export const MY_SNAPSHOT_RANK_SQL = `SELECT mine.amount, (SELECT count(*) FROM income_rank_entries e JOIN users u ON u.id = e.user_id
                             WHERE e.key = $1 AND e.rank <= mine.rank AND ${LIVE_USER}) AS position
         FROM income_rank_entries mine WHERE mine.key = $1 AND mine.user_id = $2`;

/**
 * A page of a snapshot: users in rank order with their public views (follow flags relative to the viewer) and
 * amounts (`rank_amount`), joined with the users still live, so positions close up over users gone since the refresh.
 */
export function snapshotPageQuery(key: string, limit: number, viewerId: number | null): UserListQuery {
  const params = new SqlParams();
  return {
    from: 'income_rank_keys k JOIN income_rank_entries r ON r.key = k.key JOIN users u ON u.id = r.user_id',
    where: [`k.key = ${params.add(key)}`],
    orderBy: 'r.rank',
    select: 'r.amount AS rank_amount, k.refreshed_at AS snapshot_at',
    params,
    limit,
    relativeTo: { follower: viewerId, following: viewerId },
  };
}

/**
 * The public part of a snapshot's first `size` live users (no viewer: follow flags false), built once per refresh
 * (IncomeRankService caches it), with each entry's snapshot rank.
 */
export function snapshotPublicPageQuery(key: string, size: number): UserListQuery {
  const params = new SqlParams();
  return {
    from: 'income_rank_keys k JOIN income_rank_entries r ON r.key = k.key JOIN users u ON u.id = r.user_id',
    where: [`k.key = ${params.add(key)}`],
    orderBy: 'r.rank',
    select: 'r.amount AS rank_amount, r.rank AS snapshot_rank, k.refreshed_at AS snapshot_at',
    params,
    limit: size,
    relativeTo: { follower: null, following: null },
  };
}

/** What SNAPSHOT_PAGE_STATE_SQL answers. */
export interface SnapshotPageState {
  refreshed_at: Date | null;
  gone: Array<number | string>;
  live: number;
  followed: Array<number | string>;
  followers: Array<number | string>;
}

/**
 * Per request, for a cached page (`$1` key, ranks up to `$2`, `$3` the viewer): the snapshot's time, the users of
 * those ranks who are no longer live (disabled or cancelled since, by any instance: they leave at once), how many are
 * live, and the viewer's follow flags among them. One pass over those ranks, each flag a primary-key probe of
 * `follows` per entry (a subplan, so even the generic plan of the prepared statement stays a walk of the ranks).
 */
export const SNAPSHOT_PAGE_STATE_SQL = `SELECT k.refreshed_at, coalesce(s.gone, '{}') AS gone, s.live,
    coalesce(s.followed, '{}') AS followed, coalesce(s.followers, '{}') AS followers
  FROM income_rank_keys k,
       LATERAL (SELECT array_agg(e.user_id) FILTER (WHERE NOT (${LIVE_USER})) AS gone, count(*) FILTER (WHERE ${LIVE_USER})::int AS live,
                       array_agg(e.user_id) FILTER (WHERE $3::bigint IS NOT NULL
                         AND (SELECT true FROM follows f WHERE f.follower_id = $3::bigint AND f.followee_id = e.user_id)) AS followed,
                       array_agg(e.user_id) FILTER (WHERE $3::bigint IS NOT NULL
                         AND (SELECT true FROM follows f WHERE f.follower_id = e.user_id AND f.followee_id = $3::bigint)) AS followers
                  FROM income_rank_entries e JOIN users u ON u.id = e.user_id
                 WHERE e.key = k.key AND e.rank <= $2) s
 WHERE k.key = $1`;

/** A page of a ranking computed on request: the users of `shown` in its order, with their amounts. */
export function livePageQuery(shown: Array<{ owner_id: number; amount: number }>, limit: number, viewerId: number | null): UserListQuery {
  const params = new SqlParams();
  const ids = params.add(shown.map((entry) => entry.owner_id));
  const amounts = params.add(shown.map((entry) => entry.amount));
  return {
    from: `unnest(${ids}::bigint[], ${amounts}::bigint[]) WITH ORDINALITY AS r(user_id, amount, position) JOIN users u ON u.id = r.user_id`,
    orderBy: 'r.position',
    select: 'r.amount AS rank_amount',
    params,
    limit,
    relativeTo: { follower: viewerId, following: viewerId },
  };
}

/** The page of the all-time snapshot: `$1` key, `$2` / `$3` the viewer (follow flags), `$4` limit, `$5` offset. */
export const RANKED_USERS = userListSql(snapshotPageQuery('days=all;city=', 0, null));

export const RANK_SQL_FILES: SqlFile[] = [
  {
    path: 'src/ranking/income-rank.sql',
    about: 'GET /api/v2/user/currency/income-rank, a snapshot page: $1 key, $2 and $3 the viewer (follow flags), $4 limit, $5 offset',
    sql: RANKED_USERS,
  },
  { path: 'src/ranking/my-rank.sql', about: "the viewer's place in a snapshot: $1 key, $2 the viewer", sql: MY_SNAPSHOT_RANK_SQL },
];
