import { SqlFile } from '../../database/sql-file';
import { SqlParams } from '../../database/sql-params';
import { userFindSql, userListSql } from '../user-views.service';

function userById(): string {
  const params = new SqlParams();
  return userFindSql(`u.id = ${params.add(0)}::bigint`, params, 0, { follower: 0, following: 0 });
}

/** `GET /api/v2/users/:id` seen by a signed-in viewer: `$1` id, `$2` / `$3` the viewer (follow flags), `$4` the viewer. */
export const USER_BY_ID = userById();

/** `GET /api/v2/users` (no filter, newest first): `$1` / `$2` the viewer (follow flags), `$3` limit, `$4` offset. */
export const USER_LIST = userListSql({ orderBy: 'u.id DESC', limit: 0, relativeTo: { follower: null, following: null }, params: new SqlParams() });

export const USER_SQL_FILES: SqlFile[] = [
  {
    path: 'src/users/views/user-view.sql',
    about: 'GET /api/v2/users/:id by a signed-in viewer: $1 id, $2 and $3 the viewer (follow flags), $4 the viewer',
    sql: USER_BY_ID,
  },
  {
    path: 'src/users/views/user-list.sql',
    about: 'GET /api/v2/users (no filter, newest first): $1 and $2 the viewer (follow flags), $3 limit, $4 offset',
    sql: USER_LIST,
  },
];
