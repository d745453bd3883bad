import { isEmail } from 'class-validator';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { isUsername, usernameSkeleton } from '../common/validation/username';
import { cityOf } from '../users/city';
import { ReportEntries } from './report';

/** A row of the original's `users` table (2014_10_12_000000_create_users_table). */
export interface SourceUser {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  password: string | null;
  bio: string | null;
  sex: number | null;
  location: string | null;
  avatar: string | null;
  bg: string | null;
  register_ip: string | null;
  last_login_ip: string | null;
  created_at: Date | null;
  updated_at: Date | null;
  deleted_at: Date | null;
}

/** The values of one `users` row of this service. */
export interface TargetUser {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  password: string | null;
  bio: string | null;
  sex: number;
  location: string | null;
  city: string | null;
  invite_code: string;
  register_ip: string | null;
  last_login_ip: string | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Names, e-mails (lower case) and phones already held by live accounts, grown as users are planned. */
export interface TakenContacts {
  names: Set<string>;
  emails: Set<string>;
  phones: Set<string>;
}

/** Laravel / PHP `password_hash` bcrypt: `$2y$` (and `$2a$` / `$2b$`), cost, 53 characters of salt and hash. */
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const NAME_MAX = 64;
const EMAIL_MAX = 128;
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * 'T' + the id in base 32 (8 characters): unique per id, never equal to a service code (8 characters) or a seeded one
 * ('D' + 8), the same on every run.
 */
export function importedInviteCode(id: number): string {
  let code = '';
  let rest = BigInt(id);
  for (let i = 0; i < 8; i++) {
    code = INVITE_ALPHABET[Number(rest % 32n)] + code;
    rest /= 32n;
  }
  return `T${code}`;
}

const clip = (text: string | null, max: number) => (text == null ? null : text.slice(0, max));
const ipOrNull = (ip: string | null) => (ip && ip.length <= 45 && ip !== '::1' ? ip : null);

/**
 * A source user in this service's rules: names by the username rule (else `user_<id>`), phones normalised to the
 * 11-digit mainland form, e-mails checked; a name, phone or e-mail a live account (or an earlier id of the import)
 * already holds is renamed or dropped. Every change is reported. `taken` is updated with what the user now holds.
 */
export function planUser(source: SourceUser, taken: TakenContacts, report: ReportEntries): TargetUser {
  const id = source.id;
  const alter = (reason: string, detail: string | null) => report.altered('users', id, id, reason, detail);

  let name = source.name?.trim().normalize('NFKC') ?? '';
  if (!name) {
    name = `user_${id}`;
    alter('name_missing', `named ${name}`);
  } else if (!isUsername(name) || name.length > NAME_MAX) {
    const renamed = `user_${id}`;
    alter('name_invalid', `${JSON.stringify(name)} renamed ${renamed}`);
    name = renamed;
  }
  if (taken.names.has(usernameSkeleton(name))) {
    const renamed = `${name.slice(0, NAME_MAX - String(id).length - 1)}_${id}`;
    alter('name_duplicate', `${JSON.stringify(name)} looks like the name of another account (confusable skeleton): renamed ${renamed}`);
    name = renamed;
  }
  taken.names.add(usernameSkeleton(name));

  let phone: string | null = null;
  if (source.phone?.trim()) {
    phone = normalizeCnPhone(source.phone.replace(/[\s-]/g, ''));
    if (!phone) alter('phone_invalid', `${JSON.stringify(source.phone)} is not a mainland mobile number: dropped`);
    else if (taken.phones.has(phone)) {
      alter('phone_duplicate', `${JSON.stringify(source.phone)} is held by another account: dropped`);
      phone = null;
    } else if (phone !== source.phone) alter('phone_normalised', `${JSON.stringify(source.phone)} stored as ${phone}`);
  }
  if (phone) taken.phones.add(phone);

  let email: string | null = null;
  if (source.email?.trim()) {
    const trimmed = source.email.trim();
    if (trimmed.length > EMAIL_MAX || !isEmail(trimmed)) alter('email_invalid', `${JSON.stringify(source.email)} is not an e-mail address: dropped`);
    else if (taken.emails.has(trimmed.toLowerCase())) {
      alter('email_duplicate', `${JSON.stringify(source.email)} is held by another account (e-mails ignore case): dropped`);
    } else email = trimmed;
  }
  if (email) taken.emails.add(email.toLowerCase());

  let password: string | null = source.password || null;
  if (password && !BCRYPT.test(password)) {
    alter('password_unusable', 'not a bcrypt hash: the account signs in with a code or resets its password');
    password = null;
  }

  let sex = source.sex ?? 0;
  if (![0, 1, 2].includes(sex)) {
    alter('sex_invalid', `${sex} stored as 0 (secret)`);
    sex = 0;
  }
  if (source.bio && source.bio.length > 255) alter('bio_truncated', 'cut to 255 characters');

  const created = source.created_at ?? source.updated_at ?? new Date(0);
  const location = clip(source.location?.trim() || null, 255);
  return {
    id,
    name,
    email,
    phone,
    password,
    bio: clip(source.bio, 255),
    sex,
    location,
    city: cityOf(location),
    invite_code: importedInviteCode(id),
    register_ip: ipOrNull(source.register_ip),
    last_login_ip: ipOrNull(source.last_login_ip),
    disabled_at: source.deleted_at,
    created_at: created,
    updated_at: source.updated_at ?? created,
  };
}
