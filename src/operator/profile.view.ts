import { fileUrl } from '../storage/file.view';
import { badRequest } from './operator-errors';
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

type Profile = Record<string, unknown>;

/**
 * The `keys` and `expand` of a read (operator-api §6, the SDK's select() / expand()): `keys=a,b` keeps only those
 * fields (plus `id`), `keys=-a,-b` leaves them out; `expand=created_by` shows the creator as `{id, nickname, avatar}`
 * (the user is their own creator). Unknown names → 400. Answers the function that shapes each profile.
 */
export function profileShape(query: { keys?: string; expand?: string }, schema: Map<string, unknown>): (profile: Profile) => Profile {
  const expand = query.expand ? query.expand.split(',') : [];
  for (const name of expand) if (name !== 'created_by') throw badRequest(`expand: only created_by can be expanded (not ${name})`);
  const keys = query.keys === undefined ? null : query.keys.split(',');
  const excluding = keys !== null && keys.length > 0 && keys.every((key) => key.startsWith('-'));
  const names = new Set((keys ?? []).map((key) => (excluding ? key.slice(1) : key)));
  if (keys !== null && !excluding && keys.some((key) => key.startsWith('-')))
    throw badRequest('keys: either name the fields to keep or, each with "-", those to leave out');
  for (const name of names) if (!schema.has(name)) throw badRequest(`keys: unknown field ${name}`);
  return (profile) => {
    if (expand.length) profile.created_by = { id: profile.id, nickname: profile.nickname, avatar: profile.avatar };
    if (keys === null) return profile;
    return Object.fromEntries(Object.entries(profile).filter(([name]) => (excluding ? !names.has(name) : name === 'id' || names.has(name))));
  };
}
