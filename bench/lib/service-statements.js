'use strict';
// The service's own SQL and view functions, from the build (dist/, `npm run build`): the baseline does the same
// database work and serialises the same JSON, with nothing copied by hand. The final texts are also in the .sql files
// beside the code that composes them (src/users/views/user-view.sql, src/ranking/income-rank.sql, …).
const { join } = require('node:path');

const SRC = join(__dirname, '..', '..', 'dist', 'src');
const load = (path) => require(join(SRC, path));

const { AUTHENTICATE_SQL } = load('auth/auth-sessions.service');
const { holdsAbilitySql } = load('auth/abilities/abilities.service');
const { ownEarningsSql, topEarnersSql } = load('currency/earned-income');
const { SqlParams } = load('database/sql-params');
const { PROFILES_CREATED_SINCE } = load('operator/profiles.statements');
const { toProfile } = load('operator/profile.view');
const { USER_FIELDS_SQL } = load('operator/user-fields.service');
const { MY_SNAPSHOT_RANK_SQL, RANKED_USERS, SNAPSHOT_TIME_SQL } = load('ranking/income-rank.statements');
const { rankPageSql, rankedUser } = load('ranks/ranks.service');
const { loginCandidateSql } = load('users/users.service');
const { USER_BY_ID, USER_LIST } = load('users/views/user.statements');
const { userFindSql, userListSql } = load('users/user-views.service');
const { toOwnerUser, toPublicUser } = load('users/views/user.view');

/** Files as the baseline serves them: relative URLs (PUBLIC_URL unset). */
const PUBLIC_URL = '';
/** The service's read-your-writes window with the default DATABASE_REPLICA_MAX_LAG (5 s): 2 × 5 + 2. */
const READ_YOUR_WRITES_SECONDS = 12;

/**
 * The refresh's statement for one (days, city) combination: the top `size` earners, with its parameters; `kept`: a
 * standing window of days (its running totals), else the daily rows up to today.
 */
function topEarners(days, city, size, kept = true) {
  const params = new SqlParams();
  const sql = topEarnersSql({ days, city }, size, params, { today: new Date().toISOString().slice(0, 10), kept });
  return { sql, params: params.values };
}

/** `GET /user` (UserViews.owner): `$1` the viewer, `$2` / `$3` null (no follow flags), `$4` the viewer. */
function ownerById() {
  const params = new SqlParams();
  return userFindSql(`u.id = ${params.add(0)}`, params, 0, { follower: null, following: null });
}

/** `GET /user/recommends` as a signed-in viewer (UserDirectory.recommended): `$1` the viewer, `$2` / `$3` the viewer, `$4` limit, `$5` offset. */
function recommendedUsers() {
  const params = new SqlParams();
  const where = [`u.id <> ${params.add(0)}::bigint`];
  return userListSql({
    from: 'recommended_users r JOIN users u ON u.id = r.user_id',
    where,
    orderBy: 'r.created_at DESC, u.id DESC',
    limit: 0,
    relativeTo: { follower: 0, following: 0 },
    params,
  });
}

/** `GET /user/populars` as a signed-in viewer (UserDirectory.populars): `$1` / `$2` the viewer, `$3` limit, `$4` offset. */
function popularUsers() {
  return userListSql({ orderBy: 'e.followers_count DESC, e.user_id DESC', limit: 0, relativeTo: { follower: 0, following: 0 }, params: new SqlParams() });
}

/** `GET /bootstrappers`: the settings the service announces, from the same configuration (no SQL). */
function bootstrappers() {
  const { bootstrapperSettings } = load('bootstrappers/bootstrapper-settings');
  const { loadConfig } = load('config/app-config');
  return bootstrapperSettings(loadConfig(process.env));
}

module.exports = {
  READ_YOUR_WRITES_SECONDS,
  /** The per-request token check: $1 session id, $2 user id, $3 the read-your-writes window (seconds). */
  AUTHENTICATE: AUTHENTICATE_SQL,
  USER_BY_ID,
  USER_LIST,
  OWNER_BY_ID: ownerById(),
  RECOMMENDED_USERS: recommendedUsers(),
  POPULAR_USERS: popularUsers(),
  bootstrappers,
  LOGIN_BY_NAME: loginCandidateSql('name'),
  HOLDS_ABILITY: `SELECT ${holdsAbilitySql('$1', '$2')} AS allowed`,
  USER_FIELDS: USER_FIELDS_SQL,
  PROFILES_CREATED_SINCE,
  RANK_SNAPSHOT_TIME: SNAPSHOT_TIME_SQL,
  RANKED_USERS,
  MY_RANK: MY_SNAPSHOT_RANK_SQL,
  /** All-time earned points of a viewer outside the top 1000 (`amount`): $1 viewer. */
  OWN_EARNED_TOTAL: ownEarningsSql(null),
  publicUser: (row) => toPublicUser(row, PUBLIC_URL),
  /** For users without a verification: no sealed data to open, so no cipher. */
  ownerUser: (row) => toOwnerUser(row, PUBLIC_URL, undefined),
  operatorProfile: (row) => toProfile(row, [], PUBLIC_URL),
  /** `GET /ranks/<name>` page: $1 / $2 the viewer (follow flags), $3 limit, $4 offset. */
  RANK_PAGE: rankPageSql,
  /** A row of RANK_PAGE at a position, as the service serialises it. */
  rankedUser: (row, position) => rankedUser(toPublicUser(row, PUBLIC_URL), row.rank_count, position),
  topEarners,
};
