import { fileUrl } from '../storage/file.view';
import { UserField } from './user-field.entity';

/** Columns of the operator profile, over `users u`. */
export const PROFILE_COLUMNS = `u.id, u.name, u.sex, u.avatar, u.location, u.city, u.language, u.openid, u.unionid,
  u.email, u.phone, u.email_verified, u.phone_verified, u.custom,
  floor(extract(epoch FROM u.created_at))::bigint AS created_unix,
  floor(extract(epoch FROM u.updated_at))::bigint AS updated_unix,
  coalesce((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_roles ur WHERE ur.user_id = u.id), '{}') AS user_group`;

export interface ProfileRow {
  id: number;
  name: string;
  sex: number;
  avatar: string | null;
  location: string | null;
  city: string | null;
  language: string;
  openid: string | null;
  unionid: string | null;
  email: string | null;
  phone: string | null;
  email_verified: boolean;
  phone_verified: boolean;
  custom: Record<string, unknown>;
  created_unix: number;
  updated_unix: number;
  user_group: number[];
}

/** Country and province from a free-text location ("中国 四川省 成都市"): what the profile shows, never filtered on. */
function region(location: string | null): { country: string | null; province: string | null } {
  const parts = (location ?? '').split(/[\s,，]+/).filter(Boolean);
  if (parts.length >= 3) return { country: parts[0], province: parts[1] };
  if (parts.length === 2) return { country: null, province: parts[0] };
  return { country: null, province: null };
}

/** The minapp `_userprofile` object (operator-api §2): built-ins, then every custom field (null when unset). */
export function toProfile(row: ProfileRow, fields: UserField[], publicUrl: string) {
  const profile: Record<string, unknown> = {
    id: row.id,
    user_id: row.id,
    nickname: row.name,
    _username: row.name,
    gender: row.sex,
    avatar: row.avatar ? fileUrl(publicUrl, row.avatar) : null,
    ...region(row.location),
    city: row.city,
    language: row.language,
    openid: row.openid,
    unionid: row.unionid,
    is_authorized: true,
    user_group: row.user_group,
    _email: row.email,
    _phone: row.phone,
    _email_verified: row.email_verified,
    _phone_verified: row.phone_verified,
    created_by: row.id,
    created_at: row.created_unix,
    updated_at: row.updated_unix,
  };
  for (const field of fields) {
    profile[field.name] = Object.prototype.hasOwnProperty.call(row.custom, field.name) ? row.custom[field.name] : null;
  }
  return profile;
}
