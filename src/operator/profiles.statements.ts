import { SqlFile } from '../database/sql-file';
import { SqlParams } from '../database/sql-params';
import { profileListSql } from './profiles.service';
import { fieldSchema } from './where/fields';
import { parseWhere } from './where/where-parser';

const schema = fieldSchema([]);

/** `GET /userve/v2.2/miniapp/user_profile/?where={"created_at":{"$gte":t}}` (default order): `$1` t, `$2` limit + 1, `$3` offset. */
export const PROFILES_CREATED_SINCE = profileListSql(parseWhere('{"created_at":{"$gte":0}}', schema), undefined, schema, 0, 0, new SqlParams()).page;

export const PROFILE_SQL_FILES: SqlFile[] = [
  {
    path: 'src/operator/profile-list.sql',
    about: 'GET /userve/v2.2/miniapp/user_profile/?where={"created_at":{"$gte":t}}: $1 t (unix seconds), $2 limit + 1, $3 offset',
    sql: PROFILES_CREATED_SINCE,
  },
];
