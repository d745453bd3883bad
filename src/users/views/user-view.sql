-- GET /api/v2/users/:id by a signed-in viewer: $1 id, $2 and $3 the viewer (follow flags), $4 the viewer
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT u.id, u.name, u.bio, u.sex, u.location, u.avatar, u.bg, u.invite_code,
  u.vip_level, u.vip_name, u.vip_end_time, u.created_at, u.updated_at,
  fa.mime AS avatar_mime, fa.size AS avatar_size, fa.width AS avatar_width, fa.height AS avatar_height,
  fb.mime AS bg_mime, fb.size AS bg_size, fb.width AS bg_width, fb.height AS bg_height,
  e.likes_count, e.comments_count, e.followers_count, e.followings_count, e.feeds_count, e.questions_count,
  e.answers_count, e.be_reward_count, e.checkin_count, e.last_checkin_count, e.updated_at AS extra_updated_at,
  v.type AS v_type, v.state AS v_state, v.desc AS v_desc, v.slogan AS v_slogan,
  v.org_name AS v_org_name, v.created_at AS v_created_at, v.updated_at AS v_updated_at, u.phone, u.email, u.password IS NOT NULL AS has_password,
  w.balance AS wallet_balance, w.total_income AS wallet_total_income, w.total_expenses AS wallet_total_expenses,
  c.sum AS currency_sum, v.user_id AS v_user_id, v.reject_reason AS v_reject_reason,
  v.phone_number AS v_phone_number, v.real_name_sealed AS v_real_name_sealed, v.id_number_sealed AS v_id_number_sealed,
  v.id_card_front AS v_id_card_front, v.id_card_rear AS v_id_card_rear, v.org_address AS v_org_address,
  v.org_certificate AS v_org_certificate, v.person_name_sealed AS v_person_name_sealed, v.person_number_sealed AS v_person_number_sealed,
  v.reviewed_by AS v_reviewed_by, vf.id AS vf_id, vr.id AS vr_id, vc.id AS vc_id,
  vf.mime AS vf_mime, vf.size AS vf_size, vf.width AS vf_width, vf.height AS vf_height,
  vr.mime AS vr_mime, vr.size AS vr_size, vr.width AS vr_width, vr.height AS vr_height,
  vc.mime AS vc_mime, vc.size AS vc_size, vc.width AS vc_width, vc.height AS vc_height, EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2::bigint AND f.followee_id = u.id) AS has_follower,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = u.id AND f.followee_id = $3::bigint) AS has_following,
              $4::bigint IS NOT NULL AND EXISTS (
    SELECT 1 FROM user_roles ur
      JOIN roles r ON r.id = ur.role_id
      LEFT JOIN role_abilities ra ON ra.role_id = r.id
      LEFT JOIN abilities a ON a.id = ra.ability_id
     WHERE ur.user_id = $4::bigint AND (r.grants_all OR a.name = 'admin:user:show')) AS viewer_is_admin,
              $4::bigint IS NOT NULL AND EXISTS (
    SELECT 1 FROM user_roles ur
      JOIN roles r ON r.id = ur.role_id
      LEFT JOIN role_abilities ra ON ra.role_id = r.id
      LEFT JOIN abilities a ON a.id = ra.ability_id
     WHERE ur.user_id = $4::bigint AND (r.grants_all OR a.name = 'admin:verification:review')) AS viewer_reviews
         FROM users u JOIN user_extras e ON e.user_id = u.id
  LEFT JOIN files fa ON fa.node = u.avatar
  LEFT JOIN files fb ON fb.node = u.bg
  LEFT JOIN verifications v ON v.user_id = u.id JOIN wallets w ON w.owner_id = u.id JOIN user_currencies c ON c.owner_id = u.id LEFT JOIN files vf ON vf.node = v.id_card_front
  LEFT JOIN files vr ON vr.node = v.id_card_rear
  LEFT JOIN files vc ON vc.node = v.org_certificate
        WHERE u.cancelled_at IS NULL AND u.disabled_at IS NULL AND u.id = $1::bigint
