-- GET /userve/v2.2/miniapp/user_profile/?where={"created_at":{"$gte":t}}: $1 t (unix seconds), $2 limit + 1, $3 offset
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT u.id, u.name, u.sex, u.avatar, u.location, u.city, u.language, u.openid, u.unionid,
  u.email, u.phone, u.email_verified, u.phone_verified, u.custom,
  floor(extract(epoch FROM u.created_at))::bigint AS created_unix,
  floor(extract(epoch FROM u.updated_at))::bigint AS updated_unix,
  coalesce((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_roles ur WHERE ur.user_id = u.id), '{}') AS user_group FROM users u WHERE u.cancelled_at IS NULL AND u.created_at >= to_timestamp($1::double precision) ORDER BY u.created_at DESC, u.id DESC LIMIT $2 OFFSET $3
