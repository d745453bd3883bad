import { isoSeconds } from '../../common/http/format';
import { PiiCipher } from '../../common/crypto/pii-cipher';
import { toFileView } from '../../storage/file.view';
import { toFullVerification, toPublicVerification, VerificationPublicRow, VerificationRow } from '../../verification/verification.view';

/** One row of the user-view query (UserViews): the user, its counters, images, verification and the follow flags. */
export interface UserViewRow extends VerificationPublicRow {
  id: number;
  name: string;
  bio: string | null;
  sex: number;
  location: string | null;
  avatar: string | null;
  avatar_mime: string | null;
  avatar_size: number | null;
  avatar_width: number | null;
  avatar_height: number | null;
  bg: string | null;
  bg_mime: string | null;
  bg_size: number | null;
  bg_width: number | null;
  bg_height: number | null;
  invite_code: string;
  vip_level: number | null;
  vip_name: string | null;
  vip_end_time: Date | null;
  created_at: Date;
  updated_at: Date;
  likes_count: number;
  comments_count: number;
  followers_count: number;
  followings_count: number;
  feeds_count: number;
  questions_count: number;
  answers_count: number;
  be_reward_count: number;
  checkin_count: number;
  last_checkin_count: number;
  extra_updated_at: Date;
  has_follower: boolean;
  has_following: boolean;
}

/** The owner's extra columns (login data and balances). */
export interface OwnerViewRow extends UserViewRow, VerificationRow {
  phone: string | null;
  email: string | null;
  has_password: boolean;
  wallet_balance: number;
  wallet_total_income: number;
  wallet_total_expenses: number;
  currency_sum: number;
}

function imageView(publicUrl: string, node: string | null, mime: string | null, size: number | null, width: number | null, height: number | null) {
  if (!node || !mime) return null;
  return toFileView(publicUrl, { node, mime, size: size ?? 0, width: width ?? 0, height: height ?? 0 });
}

function vipView(row: UserViewRow, now: Date) {
  if (row.vip_level == null || (row.vip_end_time && row.vip_end_time <= now)) return null;
  return { level: row.vip_level, name: row.vip_name, end_time: isoSeconds(row.vip_end_time) };
}

/**
 * The open-source clients' badge (thinksns-compat §1): shown once a verification is approved. No category icons are
 * stored, so `icon` is null; the description is the admin's slogan, else the applicant's description.
 */
function verifiedBadge(row: UserViewRow) {
  if (row.v_type === null || row.v_state !== 1) return null;
  return { type: row.v_type, icon: null, description: row.v_slogan ?? row.v_desc ?? '' };
}

export function toExtraView(row: UserViewRow) {
  return {
    user_id: row.id,
    likes_count: row.likes_count,
    comments_count: row.comments_count,
    followers_count: row.followers_count,
    followings_count: row.followings_count,
    feeds_count: row.feeds_count,
    questions_count: row.questions_count,
    answers_count: row.answers_count,
    be_reward_count: row.be_reward_count,
    checkin_count: row.checkin_count,
    last_checkin_count: row.last_checkin_count,
    updated_at: isoSeconds(row.extra_updated_at),
  };
}

/** What anyone may see of a user (mobile-api §4.1). Built field by field: nothing private can slip in. */
export function toPublicUser(row: UserViewRow, publicUrl: string, verification: unknown = toPublicVerification(row)) {
  return {
    id: row.id,
    name: row.name,
    bio: row.bio,
    sex: row.sex,
    location: row.location,
    avatar: imageView(publicUrl, row.avatar, row.avatar_mime, row.avatar_size, row.avatar_width, row.avatar_height),
    bg: imageView(publicUrl, row.bg, row.bg_mime, row.bg_size, row.bg_width, row.bg_height),
    invite_code: row.invite_code,
    verification,
    verified: verifiedBadge(row),
    extra: toExtraView(row),
    has_follower: row.has_follower,
    has_following: row.has_following,
    // The open-source clients' names for the same two flags (thinksns-compat §1).
    follower: row.has_follower,
    following: row.has_following,
    created_at: isoSeconds(row.created_at),
    updated_at: isoSeconds(row.updated_at),
    vip: vipView(row, new Date()),
  };
}

/** The user about themselves (and admins): the public view plus login data, balances and the full verification. */
export function toOwnerUser(row: OwnerViewRow, publicUrl: string, cipher: PiiCipher, personal = true) {
  const wallet = {
    owner_id: row.id,
    balance: row.wallet_balance,
    total_income: row.wallet_total_income,
    total_expenses: row.wallet_total_expenses,
  };
  return {
    ...toPublicUser({ ...row, has_follower: false, has_following: false }, publicUrl, toFullVerification(row, cipher, publicUrl, personal)),
    phone: row.phone,
    email: row.email,
    wallet,
    new_wallet: { ...wallet },
    currency: { owner_id: row.id, type: 1, sum: row.currency_sum },
    has_password: row.has_password,
  };
}

export type PublicUser = ReturnType<typeof toPublicUser>;
export type OwnerUser = ReturnType<typeof toOwnerUser>;
