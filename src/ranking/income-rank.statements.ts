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
  { path: 'src/ranking/income-rank.sql', about: 'GET /api/v2/user/currency/income-rank, a snapshot page: $1 key, $2 and $3 the viewer (follow flags), $4 limit, $5 offset', sql: RANKED_USERS },
  { path: 'src/ranking/my-rank.sql', about: "the viewer's place in a snapshot: $1 key, $2 the viewer", sql: MY_SNAPSHOT_RANK_SQL },
];
