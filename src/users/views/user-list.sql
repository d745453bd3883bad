-- GET /api/v2/users (no filter, newest first): $1 and $2 the viewer (follow flags), $3 limit, $4 offset
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT u.id, u.name, u.bio, u.sex, u.location, u.avatar, u.bg, u.invite_code,
  u.vip_level, u.vip_name, u.vip_end_time, u.created_at, u.updated_at,
  fa.mime AS avatar_mime, fa.size AS avatar_size, fa.width AS avatar_width, fa.height AS avatar_height,
  fb.mime AS bg_mime, fb.size AS bg_size, fb.width AS bg_width, fb.height AS bg_height,
  e.likes_count, e.comments_count, e.followers_count, e.followings_count, e.feeds_count, e.questions_count,
  e.answers_count, e.be_reward_count, e.checkin_count, e.last_checkin_count, e.updated_at AS extra_updated_at,
  v.type AS v_type, v.state AS v_state, v.desc AS v_desc, v.slogan AS v_slogan,
  v.org_name AS v_org_name, v.created_at AS v_created_at, v.updated_at AS v_updated_at, EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1::bigint AND f.followee_id = u.id) AS has_follower,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = u.id AND f.followee_id = $2::bigint) AS has_following FROM users u JOIN user_extras e ON e.user_id = u.id
  LEFT JOIN files fa ON fa.node = u.avatar
  LEFT JOIN files fb ON fb.node = u.bg
  LEFT JOIN verifications v ON v.user_id = u.id WHERE u.cancelled_at IS NULL AND u.disabled_at IS NULL ORDER BY u.id DESC LIMIT $3 OFFSET $4
