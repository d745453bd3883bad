'use strict';
// SQL copied from the service so the baseline does the same database work. KEEP IN SYNC with:
//   src/users/user-directory.service.ts  recommended()
//   src/users/user-views.service.ts      VIEW_COLUMNS, VIEW_JOINS, OWNER_COLUMNS, OWNER_JOINS, flagColumns, LIVE_USER
//   src/verification/verification.view.ts VERIFICATION_PUBLIC_COLUMNS, VERIFICATION_PRIVATE_COLUMNS, VERIFICATION_FILE_JOINS
//   src/admin/abilities.service.ts       holdsAbilitySql
//   src/auth/auth-sessions.service.ts    authenticate()
//   src/users/users.service.ts           findForLogin()
//   src/ranking/income-rank.service.ts  snapshotTime(), standing(), myRank(), ownAmount()
//   src/operator/profile.view.ts         PROFILE_COLUMNS, toProfile()
//   src/operator/user-fields.service.ts  all()
//   src/operator/where/*                 what `{"created_at":{"$gte":t}}` and the default order_by compile to
// (Parameter numbers are the ones the service ends up with for these requests.)

const VERIFICATION_PUBLIC_COLUMNS = `v.type AS v_type, v.state AS v_state, v.desc AS v_desc, v.slogan AS v_slogan,
  v.org_name AS v_org_name, v.created_at AS v_created_at, v.updated_at AS v_updated_at`;

const VERIFICATION_PRIVATE_COLUMNS = `v.user_id AS v_user_id, v.reject_reason AS v_reject_reason,
  v.phone_number AS v_phone_number, v.real_name_sealed AS v_real_name_sealed, v.id_number_sealed AS v_id_number_sealed,
  v.id_card_front AS v_id_card_front, v.id_card_rear AS v_id_card_rear, v.org_address AS v_org_address,
  v.org_certificate AS v_org_certificate, v.person_name_sealed AS v_person_name_sealed, v.person_number_sealed AS v_person_number_sealed,
  vf.mime AS vf_mime, vf.size AS vf_size, vf.width AS vf_width, vf.height AS vf_height,
  vr.mime AS vr_mime, vr.size AS vr_size, vr.width AS vr_width, vr.height AS vr_height,
  vc.mime AS vc_mime, vc.size AS vc_size, vc.width AS vc_width, vc.height AS vc_height`;

const VERIFICATION_FILE_JOINS = `LEFT JOIN files vf ON vf.node = v.id_card_front
  LEFT JOIN files vr ON vr.node = v.id_card_rear
  LEFT JOIN files vc ON vc.node = v.org_certificate`;

const LIVE_USER = 'u.cancelled_at IS NULL AND u.disabled_at IS NULL';

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

const flagColumns = (follower, following) => `EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${follower}::bigint AND f.followee_id = u.id) AS has_follower,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = u.id AND f.followee_id = ${following}::bigint) AS has_following`;

const holdsAbilitySql = (userParam, abilityParam) => `EXISTS (
    SELECT 1 FROM user_roles ur
      JOIN roles r ON r.id = ur.role_id
      LEFT JOIN role_abilities ra ON ra.role_id = r.id
      LEFT JOIN abilities a ON a.id = ra.ability_id
     WHERE ur.user_id = ${userParam} AND (r.grants_all OR a.name = ${abilityParam}))`;

/** The per-request token check: $1 session id, $2 user id. */
const AUTHENTICATE = `SELECT s.current_jti, s.revoked_at, u.disabled_at, u.cancelled_at,
              u.last_active_at IS NULL OR u.last_active_at < now() - interval '1 minute' AS activity_stale
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2`;

/** GET /users/:id (UserViews.findOne): $1 id, $2 follower, $3 following, $4 viewer. */
const USER_BY_ID = `SELECT ${VIEW_COLUMNS}, ${OWNER_COLUMNS}, ${flagColumns('$2', '$3')},
              $4::bigint IS NOT NULL AND ${holdsAbilitySql('$4::bigint', `'admin:user:show'`)} AS viewer_is_admin
         FROM users u ${VIEW_JOINS} ${OWNER_JOINS}
        WHERE ${LIVE_USER} AND u.id = $1::bigint`;

/** GET /user (UserViews.owner → findOne): $1 id, $2 follower, $3 following, $4 viewer. */
const OWNER_BY_ID = `SELECT ${VIEW_COLUMNS}, ${OWNER_COLUMNS}, ${flagColumns('$2', '$3')},
              $4::bigint IS NOT NULL AND ${holdsAbilitySql('$4::bigint', `'admin:user:show'`)} AS viewer_is_admin,
              $4::bigint IS NOT NULL AND ${holdsAbilitySql('$4::bigint', `'admin:verification:review'`)} AS viewer_reviews
         FROM users u ${VIEW_JOINS} ${OWNER_JOINS}
        WHERE ${LIVE_USER} AND u.id = $1`;

/** GET /user/recommends (UserDirectory.recommended): $1 viewer (excluded), $2 follower, $3 following, $4 limit, $5 offset. */
const RECOMMENDED_USERS = `SELECT ${VIEW_COLUMNS}, ${flagColumns('$2', '$3')}
  FROM recommended_users r JOIN users u ON u.id = r.user_id ${VIEW_JOINS}
 WHERE ${LIVE_USER} AND ($1::bigint IS NULL OR u.id <> $1::bigint) ORDER BY r.created_at DESC, u.id DESC LIMIT $4 OFFSET $5`;

/** GET /users?limit=n (UserViews.list, default order): $1 follower, $2 following, $3 limit, $4 offset. */
const USER_LIST = `SELECT ${VIEW_COLUMNS}, ${flagColumns('$1', '$2')} FROM users u ${VIEW_JOINS} WHERE ${LIVE_USER} ORDER BY u.id DESC LIMIT $3 OFFSET $4`;

/** POST /auth/login by name (UsersService.findForLogin): $1 name. */
const LOGIN_BY_NAME = `SELECT u.id, u.password, u.disabled_at FROM users u WHERE lower(u.name) = lower($1) AND u.cancelled_at IS NULL`;

/** When the snapshot of a key ($1) was computed (IncomeRankService.fromSnapshot). */
const RANK_SNAPSHOT_TIME = `SELECT refreshed_at FROM income_rank_keys WHERE key = $1`;

/** A rank page (IncomeRankService.standing → UserViews.listWith): $1 key, $2 follower, $3 following, $4 limit, $5 offset. */
const RANKED_USERS = `SELECT ${VIEW_COLUMNS}, r.amount AS rank_amount, k.refreshed_at AS snapshot_at, ${flagColumns('$2', '$3')}
  FROM income_rank_keys k JOIN income_rank_entries r ON r.key = k.key JOIN users u ON u.id = r.user_id ${VIEW_JOINS}
 WHERE ${LIVE_USER} AND k.key = $1 ORDER BY r.rank LIMIT $4 OFFSET $5`;

/** The viewer's place in a snapshot: $1 key, $2 viewer (IncomeRankService.myRank). */
const MY_RANK = `SELECT mine.amount, (SELECT count(*) FROM income_rank_entries e JOIN users u ON u.id = e.user_id
                             WHERE e.key = $1 AND e.rank <= mine.rank AND ${LIVE_USER}) AS position
         FROM income_rank_entries mine WHERE mine.key = $1 AND mine.user_id = $2`;

/** All-time earned points of a viewer outside the top 1000 (IncomeRankService.ownAmount). */
const OWN_EARNED_TOTAL = 'SELECT earned_total FROM user_currencies WHERE owner_id = $1';

/** Does the user ($1) hold the ability ($2)? (AbilitiesService.has) */
const HOLDS_ABILITY = `SELECT ${holdsAbilitySql('$1', '$2')} AS allowed`;

/** The custom-field schema, read by every operator request (UserFieldsService.all). */
const USER_FIELDS = 'SELECT name, type, created_at FROM user_fields ORDER BY created_at, name';

const PROFILE_COLUMNS = `u.id, u.name, u.sex, u.avatar, u.location, u.city, u.language, u.openid, u.unionid,
  u.email, u.phone, u.email_verified, u.phone_verified, u.custom,
  floor(extract(epoch FROM u.created_at))::bigint AS created_unix,
  floor(extract(epoch FROM u.updated_at))::bigint AS updated_unix,
  coalesce((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_roles ur WHERE ur.user_id = u.id), '{}') AS user_group`;

/** GET /userve/v2.2/miniapp/user_profile/?where={"created_at":{"$gte":$1}}&limit=n (ProfilesService.list): $2 limit + 1, $3 offset. */
const PROFILES_CREATED_SINCE = `SELECT ${PROFILE_COLUMNS} FROM users u WHERE u.cancelled_at IS NULL AND u.created_at >= to_timestamp($1::double precision) ORDER BY u.created_at DESC, u.id DESC LIMIT $2 OFFSET $3`;

// The JSON shape of src/users/views/user.view.ts (public view), so the baseline serialises the same amount.
const iso = (d) => (d == null ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const image = (node, mime, size, width, height) =>
  node && mime ? { url: `/api/v2/storage/${node}`, vendor: 'local', mime, size, dimension: { width, height }, node } : null;

function verification(r) {
  if (r.v_type === null) return null;
  const view = { type: r.v_type, state: r.v_state, desc: r.v_desc, slogan: r.v_slogan, created_at: iso(r.v_created_at), updated_at: iso(r.v_updated_at) };
  return r.v_type === 'org' ? { ...view, org: { name: r.v_org_name } } : view;
}

function publicUser(r) {
  return {
    id: r.id, name: r.name, bio: r.bio, sex: r.sex, location: r.location,
    avatar: image(r.avatar, r.avatar_mime, r.avatar_size, r.avatar_width, r.avatar_height),
    bg: image(r.bg, r.bg_mime, r.bg_size, r.bg_width, r.bg_height),
    invite_code: r.invite_code, verification: verification(r),
    extra: {
      user_id: r.id, likes_count: r.likes_count, comments_count: r.comments_count, followers_count: r.followers_count,
      followings_count: r.followings_count, feeds_count: r.feeds_count, questions_count: r.questions_count,
      answers_count: r.answers_count, be_reward_count: r.be_reward_count, checkin_count: r.checkin_count,
      last_checkin_count: r.last_checkin_count, updated_at: iso(r.extra_updated_at),
    },
    has_follower: r.has_follower, has_following: r.has_following,
    created_at: iso(r.created_at), updated_at: iso(r.updated_at),
    vip: r.vip_level == null || (r.vip_end_time && r.vip_end_time <= new Date()) ? null : { level: r.vip_level, name: r.vip_name, end_time: iso(r.vip_end_time) },
  };
}

/** The minapp profile of src/operator/profile.view.ts (toProfile), for a schema without custom fields. */
function operatorProfile(r) {
  const parts = (r.location ?? '').split(/[\s,，]+/).filter(Boolean);
  const region = parts.length >= 3 ? { country: parts[0], province: parts[1] } : parts.length === 2 ? { country: null, province: parts[0] } : { country: null, province: null };
  return {
    id: r.id, user_id: r.id, nickname: r.name, _username: r.name, gender: r.sex,
    avatar: r.avatar ? `/api/v2/storage/${r.avatar}` : null,
    ...region, city: r.city, language: r.language, openid: r.openid, unionid: r.unionid, is_authorized: true,
    user_group: r.user_group, _email: r.email, _phone: r.phone, _email_verified: r.email_verified, _phone_verified: r.phone_verified,
    created_by: r.id, created_at: r.created_unix, updated_at: r.updated_unix,
  };
}

/** The owner view of src/users/views/user.view.ts (toOwnerUser) for a user without a verification. */
function ownerUser(r) {
  const wallet = { owner_id: r.id, balance: r.wallet_balance, total_income: r.wallet_total_income, total_expenses: r.wallet_total_expenses };
  return {
    ...publicUser({ ...r, has_follower: false, has_following: false }),
    phone: r.phone, email: r.email, wallet, new_wallet: { ...wallet },
    currency: { owner_id: r.id, type: 1, sum: r.currency_sum }, has_password: r.has_password,
  };
}

module.exports = {
  RANK_SNAPSHOT_TIME, RANKED_USERS, MY_RANK, OWN_EARNED_TOTAL, ownerUser,
  AUTHENTICATE, USER_BY_ID, OWNER_BY_ID, RECOMMENDED_USERS, USER_LIST, LOGIN_BY_NAME, HOLDS_ABILITY, USER_FIELDS, PROFILES_CREATED_SINCE, publicUser, operatorProfile,
};
