import * as bcrypt from 'bcrypt';
import type { Client, Pool, PoolClient, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { cityOf } from '../users/city';
import { fillNameSkeletons } from '../users/name-skeletons';
import { runSql } from '../database/sql';
import { residentIdNumber } from './resident-id';
import {
  ADDRESS_ALIASES,
  BIOS,
  CITIES,
  COMMUNITIES,
  EMAIL_DOMAINS,
  FEMALE_GIVEN,
  MALE_GIVEN,
  NICKNAMES,
  ORG_KINDS,
  ORG_WORDS,
  PHONE_PREFIXES,
  REJECT_REASONS,
  ORG_SLOGANS,
  SLOGANS,
  STREETS,
  SURNAMES,
  VERIFICATION_DESCS,
  VIP_NAMES,
} from './vocabulary';

/** The password of every seeded account. */
export const DEMO_PASSWORD = 'demo-123456';

/** The stages in the order they run; `progress` reports each one from 0 to its total. */
export type SeedStage = 'users' | 'follows' | 'addresses' | 'verifications' | 'points' | 'wallets' | 'ledgers' | 'totals';

/** `done` of `total` units of a stage (users for the per-user stages, statements for `ledgers` and `totals`). */
export type SeedProgress = (done: number, total: number, stage: SeedStage) => void;

export interface SeedOptions {
  /** how many users to add (0 adds nothing) */
  users: number;
  /** seals the verifications' ID numbers and names: use the service's PII key, or it cannot read them */
  cipher: PiiCipher;
  progress?: SeedProgress;
  /** password of every seeded account (default DEMO_PASSWORD); hashed once with bcrypt cost 10 */
  password?: string;
  /** a bcrypt hash of `password` to use instead of computing one */
  passwordHash?: string;
  /** users per statement (default 10 000) */
  batchSize?: number;
  /** ANALYZE the filled tables after the commit, so the planner sees the new sizes at once (default true) */
  analyze?: boolean;
}

export interface SeedResult {
  /** the new users are exactly the ids firstUserId..lastUserId (none when users = 0: lastUserId < firstUserId) */
  firstUserId: number;
  lastUserId: number;
  users: number;
  follows: number;
  addresses: number;
  verifications: { pending: number; rejected: number; approved: number; user: number; org: number };
  currencyLedger: number;
  walletLedger: number;
  incomeDays: number;
  password: string;
  /** one seeded account to log in with (name, phone or e-mail + password); null when users = 0 */
  sample: { id: number; name: string; phone: string } | null;
  elapsedMs: number;
}

/** A pg Pool (a client is taken for the run), an already connected pg Client / PoolClient, or a TypeORM DataSource. */
export type SeedDatabase = Pool | PoolClient | Client | DataSource;

interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists as SQL array parameters (weights expanded by repetition).

const weighted = <T>(items: T[], weight: (item: T) => number): T[] => items.flatMap((item) => Array<T>(weight(item)).fill(item));

const SURNAME_POOL = weighted(SURNAMES, ([, , w]) => w);
const GIVEN = [...MALE_GIVEN, ...FEMALE_GIVEN];

interface Location {
  location: string;
  province: string;
  cityFull: string;
  district: string;
  city: string;
  postcode: string;
  division: string;
}

/** Every district of every city ("四川省 成都市 武侯区", municipalities "北京市 朝阳区"), city = cityOf(location). */
const LOCATIONS: Location[] = CITIES.flatMap((c) =>
  c.districts.map(([district, division]) => {
    const location = [c.province, c.city, district].filter(Boolean).join(' ');
    const city = cityOf(location);
    if (!city) throw new Error(`no city in ${location}`);
    return { location, province: c.province ?? c.city, cityFull: c.city, district, city, postcode: c.postcode, division };
  }),
);
/** Where users live, weighted by city size. */
const LOCATION_POOL = CITIES.flatMap((c) => {
  const mine = LOCATIONS.filter((l) => l.cityFull === c.city && l.province === (c.province ?? c.city));
  return weighted(mine, () => c.weight);
});
const DIVISION_OF = new Map(LOCATIONS.map((l) => [l.location, l]));

const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/**
 * Invite codes: 'D' + 8 characters of a 40-bit bijective scramble (multiply, xor-shift, multiply, xor-shift) of
 * (id, attempt). Nine characters never equal a service code (eight), and two seeded users never share one.
 * INVITE_CODE_JOINS computes it from `g.id`; every product stays below 2^63.
 */
const INVITE_MASK = 1099511627775;
const INVITE_CODE_SQL = `'D' || ${[35, 30, 25, 20, 15, 10, 5, 0]
  .map((shift) => `substr('${INVITE_ALPHABET}', ((ic.x4 >> ${shift}) & 31)::int + 1, 1)`)
  .join(' || ')}`;
const INVITE_CODE_JOINS = `
  CROSS JOIN LATERAL (SELECT ((g.id + $5::bigint * 1073741824) * 6364137) & ${INVITE_MASK} AS x1) ic1
  CROSS JOIN LATERAL (SELECT ((ic1.x1 # (ic1.x1 >> 19)) * 5237269) & ${INVITE_MASK} AS x3) ic3
  CROSS JOIN LATERAL (SELECT ic3.x3 # (ic3.x3 >> 21) AS x4) ic`;

// ---------------------------------------------------------------------------------------------------------------
// SQL of the stages. The seeded rows are consistent by construction; counters and balances are then derived from
// the rows themselves, so they are exact.

/** $1 from, $2 to, $3 first id of the run, $4 users in the run, $5 attempt, $6 password hash, $7.. word lists. */
const INSERT_USERS = `
WITH g AS MATERIALIZED (
  SELECT s.id, random() AS r_sex, random() AS r_sur, random() AS r_given, random() AS r_nick, random() AS r_loc,
         random() AS r_mail, random() AS r_bio, random() AS r_act, random() AS r_act2, random() AS r_vip, random() AS r_created
    FROM generate_series($1::bigint, $2::bigint) AS s(id)
   WHERE NOT EXISTS (SELECT 1 FROM users x WHERE x.id = s.id)
), p AS MATERIALIZED (
  SELECT g.*,
         CASE WHEN r_sex < 0.2 THEN 0 WHEN r_sex < 0.6 THEN 1 ELSE 2 END AS sex,
         1 + floor(r_sur * cardinality($7::text[]))::int AS si,
         CASE WHEN r_sex < 0.1 OR (r_sex >= 0.2 AND r_sex < 0.6) THEN 1 + floor(r_given * $11::int)::int
              ELSE $11::int + 1 + floor(r_given * (cardinality($9::text[]) - $11::int))::int END AS gi,
         CASE WHEN r_loc < 0.92 THEN 1 + floor(r_loc / 0.92 * cardinality($14::text[]))::int END AS li,
         now() - interval '730 days'
           + ((g.id - $3::bigint) + r_created) * (730 * 86400.0 / $4::int) * interval '1 second' AS created_at
    FROM g
), n AS MATERIALIZED (
  SELECT p.*,
         CASE WHEN r_nick < 0.15 THEN ($12::text[])[1 + floor(r_nick / 0.15 * cardinality($12::text[]))::int] || '_' || p.id
              ELSE ($7::text[])[si] || ($9::text[])[gi] || p.id END
           || CASE WHEN $5::int > 0 THEN '_' || $5::int ELSE '' END AS name,
         CASE WHEN r_mail < 0.35 THEN
           CASE WHEN r_nick < 0.15 THEN 'user' ELSE ($8::text[])[si] || CASE WHEN r_mail < 0.12 THEN '.' ELSE '' END || ($10::text[])[gi] END
           || p.id || CASE WHEN $5::int > 0 THEN 'x' || $5::int ELSE '' END
           || '@' || ($17::text[])[1 + floor(r_mail / 0.35 * cardinality($17::text[]))::int] END AS email,
         CASE WHEN r_act < 0.6 THEN now() - power(r_act2, 2) * least(interval '7 days', now() - created_at)
              WHEN r_act < 0.88 THEN now() - r_act2 * least(interval '90 days', now() - created_at) END AS active_at
    FROM p
)
INSERT INTO users (id, name, email, phone, email_verified, phone_verified, password, bio, sex, location, city, invite_code,
                   register_ip, last_login_ip, last_login_at, last_active_at, vip_level, vip_name, vip_end_time, created_at, updated_at)
SELECT g.id, g.name, g.email,
       ($16::text[])[1 + (g.id * 13 % cardinality($16::text[]))::int]
         || lpad(((g.id * 73939133 + 4206917 + $5::bigint * 1000003) % 100000000)::text, 8, '0'),
       g.email IS NOT NULL, true, $6::text,
       CASE WHEN r_bio < 0.65 THEN ($13::text[])[1 + floor(r_bio / 0.65 * cardinality($13::text[]))::int] END,
       g.sex, ($14::text[])[g.li], ($15::text[])[g.li],
       ${INVITE_CODE_SQL},
       (ARRAY['113', '117', '183', '221', '36', '58', '106', '123', '171', '223'])[1 + floor(random() * 10)::int]
         || '.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int || '.' || (1 + floor(random() * 254)::int),
       CASE WHEN g.active_at IS NOT NULL THEN '10.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int || '.' || (1 + floor(random() * 254)::int) END,
       g.active_at, g.active_at,
       CASE WHEN r_vip < 0.05 THEN 1 + floor(r_vip / 0.05 * 3)::int END,
       CASE WHEN r_vip < 0.05 THEN ($18::text[])[1 + floor(r_vip / 0.05 * 3)::int] END,
       CASE WHEN r_vip < 0.05 THEN now() + (random() * 365 - 60) * interval '1 day' END,
       g.created_at, coalesce(g.active_at, g.created_at)
  FROM n AS g ${INVITE_CODE_JOINS}
    ON CONFLICT DO NOTHING`;

/** $1 from, $2 to, $3 first id, $4 users in the run: a few follows each, popular (older) users more often. */
const INSERT_FOLLOWS = `
WITH f AS MATERIALIZED (
  SELECT u.id, u.created_at, floor(power(random(), 1.5) * 9)::int AS n FROM users u WHERE u.id BETWEEN $1 AND $2
), t AS MATERIALIZED (
  SELECT DISTINCT f.id AS follower_id, f.created_at,
         $3::bigint + floor(CASE WHEN random() < 0.5 THEN power(random(), 2.5) ELSE random() END * $4::int)::bigint AS followee_id
    FROM f CROSS JOIN LATERAL generate_series(1, f.n) AS k
)
INSERT INTO follows (follower_id, followee_id, created_at)
SELECT t.follower_id, t.followee_id,
       greatest(t.created_at, u.created_at) + random() * (now() - greatest(t.created_at, u.created_at))
  FROM t JOIN users u ON u.id = t.followee_id
 WHERE t.followee_id <> t.follower_id`;

/** $1 from, $2 to, $3.. word lists: 0–3 addresses per user, at most one default, within the GB18030 limits. */
const INSERT_ADDRESSES = `
WITH u AS MATERIALIZED (
  SELECT u.id, u.name, u.phone, u.created_at, l.idx AS home,
         CASE WHEN r < 0.4 THEN 0 WHEN r < 0.7 THEN 1 WHEN r < 0.9 THEN 2 ELSE 3 END AS n, random() < 0.8 AS has_default
    FROM (SELECT u.*, random() AS r FROM users u WHERE u.id BETWEEN $1 AND $2) u
    LEFT JOIN seed_locations l ON l.location = u.location
), a AS MATERIALIZED (
  SELECT u.*, k, random() AS r_loc, random() AS r_alias, random() AS r_s, random() AS r_g, random() AS r_street,
         random() AS r_comm, u.created_at + random() * (now() - u.created_at) AS at
    FROM u CROSS JOIN LATERAL generate_series(1, u.n) AS k
)
INSERT INTO addresses (user_id, alias, name, phone, province, city, county, detail, postcode, is_default, created_at, updated_at)
SELECT a.id,
       CASE WHEN a.k = 1 THEN CASE WHEN a.r_alias < 0.6 THEN '家' END
            WHEN a.k = 2 THEN CASE WHEN a.r_alias < 0.7 THEN '公司' END
            ELSE ($3::text[])[1 + floor(a.r_alias * cardinality($3::text[]))::int] END,
       CASE WHEN a.k = 1 AND position('_' in a.name) = 0 THEN regexp_replace(a.name, '[0-9]+$', '')
            ELSE ($4::text[])[1 + floor(a.r_s * cardinality($4::text[]))::int] || ($5::text[])[1 + floor(a.r_g * cardinality($5::text[]))::int] END,
       CASE WHEN a.k = 1 THEN a.phone
            ELSE ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int] || lpad(floor(random() * 100000000)::int::text, 8, '0') END,
       l.province, l.city_full, l.district,
       ($6::text[])[1 + floor(a.r_street * cardinality($6::text[]))::int] || (1 + floor(random() * 300)::int) || '号'
         || ($7::text[])[1 + floor(a.r_comm * cardinality($7::text[]))::int] || (1 + floor(random() * 20)::int) || '栋'
         || (1 + floor(random() * 4)::int) || '单元' || (1 + floor(random() * 30)::int) || lpad((1 + floor(random() * 4)::int)::text, 2, '0') || '室',
       l.postcode, a.k = 1 AND a.has_default, a.at, a.at
  FROM a JOIN seed_locations l ON l.idx = CASE WHEN a.k = 1 AND a.home IS NOT NULL THEN a.home
                                               ELSE 1 + floor(a.r_loc * $9::int)::int END`;

/**
 * $1 from, $2 to, $3 first id. Points events: incomes (签到 / 任务 'task', admin grants, 'recharge'), expenses each
 * matched to an earlier income of at least its amount (so no balance is ever negative, at any moment), and for a tip
 * ('user') the recipient's mirror income. Users only tip users created before them.
 */
const GENERATE_POINTS = `
WITH u AS MATERIALIZED (
  SELECT id, greatest(created_at, now() - interval '365 days') AS since, floor(power(random(), 0.8) * 7)::int AS n
    FROM users WHERE id BETWEEN $1 AND $2
), inc AS MATERIALIZED (
  SELECT u.id AS owner_id, u.since + random() * (now() - u.since) AS at, random() AS r_src, random() AS r_amt,
         random() AS r_exp, random() AS r_frac, random() AS r_delay, random() AS r_kind, random() AS r_target
    FROM u CROSS JOIN LATERAL generate_series(1, u.n) AS k
), incomes AS MATERIALIZED (
  SELECT owner_id, at, r_exp, r_frac, r_delay, r_kind, r_target, kind,
         CASE kind WHEN 'checkin' THEN 5 + floor(r_amt * 16) WHEN 'task' THEN 10 * (1 + floor(r_amt * 10))
                   WHEN 'admin' THEN 50 * (1 + floor(r_amt * 10)) ELSE 100 * (1 + floor(power(r_amt, 2) * 50)) END::bigint AS amount
    FROM (SELECT inc.*, CASE WHEN r_src < 0.35 THEN 'checkin' WHEN r_src < 0.55 THEN 'task' WHEN r_src < 0.7 THEN 'admin'
                             ELSE 'recharge' END AS kind FROM inc) s
), spent AS MATERIALIZED (
  SELECT owner_id, at + r_delay * (now() - at) * 0.5 AS at, greatest(1, floor(amount * (0.1 + 0.8 * r_frac)))::bigint AS amount,
         CASE WHEN r_kind < 0.7 AND owner_id > $3::bigint THEN $3::bigint + floor(r_target * (owner_id - $3::bigint))::bigint END AS target
    FROM incomes WHERE r_exp < 0.45
)
INSERT INTO seed_points (owner_id, title, type, target_type, target_id, amount, at)
SELECT owner_id, CASE kind WHEN 'checkin' THEN '签到奖励' WHEN 'task' THEN '完成任务奖励' WHEN 'admin' THEN '系统赠送积分' ELSE '充值积分' END,
       1, CASE kind WHEN 'checkin' THEN 'task' ELSE kind END, NULL::bigint, amount, at FROM incomes
UNION ALL
SELECT owner_id, CASE WHEN target IS NULL THEN '系统扣除积分' ELSE '打赏用户' END, -1,
       CASE WHEN target IS NULL THEN 'admin' ELSE 'user' END, target, amount, at FROM spent
UNION ALL
SELECT target, '收到打赏', 1, 'user', owner_id, amount, at FROM spent WHERE target IS NOT NULL`;

/** $1 from, $2 to, $3 first id. Money events in 分: top-ups ('recharge'), task rewards, admin credits, transfers. */
const GENERATE_MONEY = `
WITH u AS MATERIALIZED (
  SELECT id, greatest(created_at, now() - interval '365 days') AS since, floor(random() * 4)::int AS n
    FROM users WHERE id BETWEEN $1 AND $2
), inc AS MATERIALIZED (
  SELECT u.id AS owner_id, u.since + random() * (now() - u.since) AS at, random() AS r_src, random() AS r_amt,
         random() AS r_exp, random() AS r_frac, random() AS r_delay, random() AS r_kind, random() AS r_target
    FROM u CROSS JOIN LATERAL generate_series(1, u.n) AS k
), incomes AS MATERIALIZED (
  SELECT owner_id, at, r_exp, r_frac, r_delay, r_kind, r_target, kind,
         CASE kind WHEN 'recharge' THEN 1000 * (1 + floor(power(r_amt, 2) * 50)) WHEN 'task' THEN 100 * (1 + floor(r_amt * 20))
                   ELSE 500 * (1 + floor(r_amt * 20)) END::bigint AS amount
    FROM (SELECT inc.*, CASE WHEN r_src < 0.6 THEN 'recharge' WHEN r_src < 0.75 THEN 'task' ELSE 'admin' END AS kind FROM inc) s
), spent AS MATERIALIZED (
  SELECT owner_id, at + r_delay * (now() - at) * 0.5 AS at, greatest(1, floor(amount * (0.1 + 0.8 * r_frac)))::bigint AS amount,
         CASE WHEN r_kind < 0.6 AND owner_id > $3::bigint THEN $3::bigint + floor(r_target * (owner_id - $3::bigint))::bigint END AS target
    FROM incomes WHERE r_exp < 0.5
)
INSERT INTO seed_money (owner_id, title, type, target_type, target_id, amount, at)
SELECT owner_id, CASE kind WHEN 'recharge' THEN '余额充值' WHEN 'task' THEN '任务奖励' ELSE '充值' END, 1, kind, NULL::bigint, amount, at
  FROM incomes
UNION ALL
SELECT owner_id, CASE WHEN target IS NULL THEN '扣款' ELSE '转账' END, -1, CASE WHEN target IS NULL THEN 'admin' ELSE 'user' END,
       target, amount, at FROM spent
UNION ALL
SELECT target, '收到转账', 1, 'user', owner_id, amount, at FROM spent WHERE target IS NOT NULL`;

/** Ledger rows go in by time (one slice of the year per statement), so ids grow with created_at like real ones. */
const LEDGER_SLICES = 8;
const WRITE_LEDGER = (ledger: string, events: string) => `
INSERT INTO ${ledger} (owner_id, title, type, target_type, target_id, amount, created_at)
SELECT owner_id, title, type, target_type, target_id, amount, at FROM ${events}
 WHERE at >= now() - interval '365 days' * (1 - $1::int / ${LEDGER_SLICES}.0)
   AND ($1::int = ${LEDGER_SLICES - 1} OR at < now() - interval '365 days' * (1 - ($1::int + 1) / ${LEDGER_SLICES}.0))
 ORDER BY at`;

/** $1 first, $2 last: counters from the relation rows and the ledger (exact), the rest plausible. */
const INSERT_EXTRAS = `
INSERT INTO user_extras (user_id, likes_count, comments_count, followers_count, followings_count, feeds_count, questions_count,
                         answers_count, be_reward_count, checkin_count, last_checkin_count, updated_at)
SELECT u.id, floor(power(random(), 3) * 3000)::int, floor(power(random(), 3) * 800)::int, coalesce(fr.n, 0), coalesce(fg.n, 0),
       floor(power(random(), 2) * 200)::int, floor(power(random(), 4) * 20)::int, floor(power(random(), 3) * 50)::int,
       coalesce(p.rewards, 0), coalesce(p.checkins, 0), least(coalesce(p.checkins, 0), floor(random() * 8)::int), now()
  FROM generate_series($1::bigint, $2::bigint) AS u(id)
  LEFT JOIN (SELECT followee_id AS id, count(*)::int AS n FROM follows WHERE followee_id BETWEEN $1 AND $2 GROUP BY 1) fr USING (id)
  LEFT JOIN (SELECT follower_id AS id, count(*)::int AS n FROM follows WHERE follower_id BETWEEN $1 AND $2 GROUP BY 1) fg USING (id)
  LEFT JOIN (SELECT owner_id AS id, count(*) FILTER (WHERE title = '收到打赏')::int AS rewards,
                    count(*) FILTER (WHERE title = '签到奖励')::int AS checkins
               FROM seed_points GROUP BY 1) p USING (id)`;

/** sum = incomes − expenses; earned_total = incomes that are not 'recharge' (mobile-api §9). */
const INSERT_CURRENCIES = `
INSERT INTO user_currencies (owner_id, type, sum, earned_total, created_at, updated_at)
SELECT u.id, 1, coalesce(l.net, 0), coalesce(l.earned, 0), u.created_at, coalesce(l.last_at, u.created_at)
  FROM users u
  LEFT JOIN (SELECT owner_id, sum(type * amount)::bigint AS net,
                    coalesce(sum(amount) FILTER (WHERE type = 1 AND target_type <> 'recharge'), 0)::bigint AS earned,
                    max(at) AS last_at
               FROM seed_points GROUP BY owner_id) l ON l.owner_id = u.id
 WHERE u.id BETWEEN $1 AND $2`;

const INSERT_WALLETS = `
INSERT INTO wallets (owner_id, balance, total_income, total_expenses, created_at, updated_at)
SELECT u.id, coalesce(l.income, 0) - coalesce(l.expenses, 0), coalesce(l.income, 0), coalesce(l.expenses, 0),
       u.created_at, coalesce(l.last_at, u.created_at)
  FROM users u
  LEFT JOIN (SELECT owner_id, coalesce(sum(amount) FILTER (WHERE type = 1), 0)::bigint AS income,
                    coalesce(sum(amount) FILTER (WHERE type = -1), 0)::bigint AS expenses, max(at) AS last_at
               FROM seed_money GROUP BY owner_id) l ON l.owner_id = u.id
 WHERE u.id BETWEEN $1 AND $2`;

/** The ranking's per-day aggregate: earned income per owner and UTC day (src/ranking/earned-income.ts). */
const INSERT_INCOME_DAILY = `
INSERT INTO currency_income_daily (owner_id, day, amount)
SELECT owner_id, (at AT TIME ZONE 'UTC')::date, sum(amount)
  FROM seed_points WHERE type = 1 AND target_type <> 'recharge'
 GROUP BY 1, 2`;

const ANALYZED_TABLES = [
  'users',
  'user_extras',
  'wallets',
  'user_currencies',
  'follows',
  'addresses',
  'verifications',
  'currency_ledger',
  'wallet_ledger',
  'currency_income_daily',
];

// ---------------------------------------------------------------------------------------------------------------

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (from: number, to: number) => from + Math.random() * (to - from);

async function connect(db: SeedDatabase): Promise<{ client: Queryable; release: () => Promise<void> }> {
  if ('createQueryRunner' in db) {
    const runner = db.createQueryRunner();
    const client = (await runner.connect()) as Queryable;
    return { client, release: () => runner.release() };
  }
  if (typeof (db as Pool).totalCount === 'number') {
    const client = await (db as Pool).connect();
    return { client, release: async () => client.release() };
  }
  return { client: db as Client, release: async () => undefined };
}

interface SeededUser {
  id: number;
  name: string;
  sex: number;
  phone: string;
  location: string | null;
  created_at: Date;
}

/** A real name for a verification: the user name without its numeric suffix, or a new one for nicknames. */
function realNameOf(user: SeededUser): string {
  if (!user.name.includes('_')) return user.name.replace(/\d+$/, '');
  const [surname] = pick(SURNAME_POOL);
  const [given] = pick(user.sex === 2 ? FEMALE_GIVEN : user.sex === 1 ? MALE_GIVEN : GIVEN);
  return surname + given;
}

function randomIdNumber(user: SeededUser): string {
  const home = (user.location && DIVISION_OF.get(user.location)) || pick(LOCATIONS);
  const birth = new Date(Date.UTC(1965, 0, 1) + Math.random() * (Date.UTC(2004, 11, 31) - Date.UTC(1965, 0, 1)));
  const male = user.sex === 0 ? Math.random() < 0.5 : user.sex === 1;
  return residentIdNumber(home.division, birth, Math.floor(Math.random() * 1000), male);
}

/**
 * Verifications for every 10th user of the batch. The k-th one gets state 1, -1, 0, 1, 1, -1, 0, 1, 1, 1 (k mod 10),
 * so any run of 30+ users has all three; every 5th block of ten is organisations.
 */
async function insertVerifications(client: Queryable, cipher: PiiCipher, from: number, to: number, first: number, nowMs: number) {
  const { rows } = await runSql<SeededUser>(
    client,
    'SELECT id, name, sex, phone, location, created_at FROM users WHERE id BETWEEN $1 AND $2 AND (id - $3) % 10 = 0 ORDER BY id',
    [from, to, first],
  );
  const STATES = [1, -1, 0, 1, 1, -1, 0, 1, 1, 1] as const;
  const columns = {
    user_id: [] as number[],
    type: [] as string[],
    state: [] as number[],
    desc: [] as Array<string | null>,
    slogan: [] as Array<string | null>,
    reject_reason: [] as Array<string | null>,
    phone_number: [] as string[],
    real_name_sealed: [] as Array<string | null>,
    id_number_sealed: [] as Array<string | null>,
    org_name: [] as Array<string | null>,
    org_address: [] as Array<string | null>,
    person_name_sealed: [] as Array<string | null>,
    person_number_sealed: [] as Array<string | null>,
    reviewed_at: [] as Array<string | null>,
    created_at: [] as string[],
    updated_at: [] as string[],
  };
  const counts = { pending: 0, rejected: 0, approved: 0, user: 0, org: 0 };
  for (const user of rows) {
    const k = Math.floor((Number(user.id) - first) / 10);
    const state = STATES[k % 10];
    const type = Math.floor(k / 10) % 5 === 1 ? 'org' : 'user';
    const name = realNameOf(user);
    const number = randomIdNumber(user);
    const createdMs = between(new Date(user.created_at).getTime(), nowMs);
    const reviewedMs = state === -1 ? null : between(createdMs, nowMs);
    const home = (user.location && DIVISION_OF.get(user.location)) || pick(LOCATIONS);
    columns.user_id.push(Number(user.id));
    columns.type.push(type);
    columns.state.push(state);
    columns.desc.push(pick(VERIFICATION_DESCS));
    columns.slogan.push(state === 1 ? pick(type === 'org' ? ORG_SLOGANS : SLOGANS) : null);
    columns.reject_reason.push(state === 0 ? pick(REJECT_REASONS) : null);
    columns.phone_number.push(user.phone);
    columns.real_name_sealed.push(type === 'user' ? cipher.encrypt(name) : null);
    columns.id_number_sealed.push(type === 'user' ? cipher.encrypt(number) : null);
    columns.org_name.push(type === 'org' ? `${home.city}${pick(ORG_WORDS)}${pick(ORG_KINDS)}有限公司` : null);
    columns.org_address.push(type === 'org' ? `${home.location} ${pick(STREETS)}${1 + Math.floor(Math.random() * 300)}号${pick(COMMUNITIES)}` : null);
    columns.person_name_sealed.push(type === 'org' ? cipher.encrypt(name) : null);
    columns.person_number_sealed.push(type === 'org' ? cipher.encrypt(number) : null);
    columns.reviewed_at.push(reviewedMs === null ? null : new Date(reviewedMs).toISOString());
    columns.created_at.push(new Date(createdMs).toISOString());
    columns.updated_at.push(new Date(reviewedMs ?? createdMs).toISOString());
    counts[state === -1 ? 'pending' : state === 0 ? 'rejected' : 'approved']++;
    counts[type]++;
  }
  if (!columns.user_id.length) return counts;
  await runSql(
    client,
    `INSERT INTO verifications (user_id, type, state, "desc", slogan, reject_reason, phone_number, real_name_sealed, id_number_sealed,
                                org_name, org_address, person_name_sealed, person_number_sealed, reviewed_at, created_at, updated_at)
     SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::smallint[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[],
                          $8::text[], $9::text[], $10::varchar[], $11::varchar[], $12::text[], $13::text[],
                          $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])`,
    Object.values(columns),
  );
  return counts;
}

/**
 * Adds `options.users` demo users with everything around them, in ONE transaction (all or nothing), with set-based
 * SQL in batches of `batchSize` users: users (Chinese names, phones, some e-mails, the demo password, cities,
 * activity) with their user_extras / wallets / user_currencies rows; follows; addresses; verifications of ~10% of
 * the users in every state (ID numbers and names sealed with `cipher`); points and wallet ledgers over the last
 * year. Counters, balances, totals, earned_total and currency_income_daily are derived from the inserted rows, so
 * they match exactly. Safe on a database that already has users: the new ids are reserved from the identity
 * sequence (beyond every existing id), and generated names, phones, e-mails and invite codes are unique by
 * construction (a clash with a row from elsewhere is retried with other values). Two seeders run one after the other.
 *
 * The database must be migrated. As a superuser, foreign-key triggers are skipped for the transaction (the rows
 * are consistent by construction); otherwise they run.
 */
export async function seedDemoData(db: SeedDatabase, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const total = Math.max(0, Math.floor(options.users));
  const batchSize = Math.max(1, options.batchSize ?? 10_000);
  const password = options.password ?? DEMO_PASSWORD;
  const hash = options.passwordHash ?? (await bcrypt.hash(password, 10));
  const progress = options.progress ?? (() => undefined);
  const { client, release } = await connect(db);
  const q = <T = Record<string, string>>(text: string, values?: unknown[]) => runSql<T>(client, text, values);

  let first = 0;
  const result: SeedResult = {
    firstUserId: 0,
    lastUserId: -1,
    users: 0,
    follows: 0,
    addresses: 0,
    verifications: { pending: 0, rejected: 0, approved: 0, user: 0, org: 0 },
    currencyLedger: 0,
    walletLedger: 0,
    incomeDays: 0,
    password,
    sample: null,
    elapsedMs: 0,
  };
  const batches = function* () {
    for (let from = first; from < first + total; from += batchSize) yield [from, Math.min(from + batchSize - 1, first + total - 1)];
  };
  /** Runs `work` per batch of users and reports the stage's progress; returns the summed row counts. */
  const perBatch = async (stage: SeedStage, work: (from: number, to: number) => Promise<number>) => {
    let rows = 0;
    progress(0, total, stage);
    for (const [from, to] of batches()) {
      rows += await work(from, to);
      progress(to - first + 1, total, stage);
    }
    return rows;
  };

  try {
    await q('BEGIN');
    await q('SET LOCAL statement_timeout = 0');
    await q('SET LOCAL idle_in_transaction_session_timeout = 0');
    await q("SET LOCAL work_mem = '128MB'");
    const {
      rows: [{ rolsuper }],
    } = await q('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    if (rolsuper) await q('SET LOCAL session_replication_role = replica');
    // One seeder at a time; the reservation below must not interleave with another one's.
    await q(`SELECT pg_advisory_xact_lock(hashtext('user-service:seed-demo-data'))`);
    // Reserve ids: past every existing id and every id the sequence handed out; registrations running meanwhile
    // get ids after the reserved range.
    const {
      rows: [{ base, now }],
    } = await q(
      total > 0
        ? `SELECT setval(pg_get_serial_sequence('users', 'id'),
                         greatest((SELECT coalesce(max(id), 0) FROM users),
                                  coalesce(pg_sequence_last_value(pg_get_serial_sequence('users', 'id')::regclass), 0)) + $1::bigint
                         ) - $1::bigint AS base, now() AS now`
        : 'SELECT coalesce(max(id), 0) AS base, now() AS now FROM users',
      total > 0 ? [total] : [],
    );
    first = Number(base) + 1;
    const last = first + total - 1;
    const nowMs = new Date(now).getTime();
    result.firstUserId = first;
    result.lastUserId = last;

    if (total > 0) {
      await q(`CREATE TEMP TABLE seed_locations (idx int PRIMARY KEY, location text, province text, city_full text, district text,
                                                 postcode text) ON COMMIT DROP`);
      await q(`INSERT INTO seed_locations SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`, [
        LOCATIONS.map((_, i) => i + 1),
        LOCATIONS.map((l) => l.location),
        LOCATIONS.map((l) => l.province),
        LOCATIONS.map((l) => l.cityFull),
        LOCATIONS.map((l) => l.district),
        LOCATIONS.map((l) => l.postcode),
      ]);
      const ledgerTemp = `(owner_id bigint, title text, type smallint, target_type text, target_id bigint, amount bigint, at timestamptz)`;
      await q(`CREATE TEMP TABLE seed_points ${ledgerTemp} ON COMMIT DROP`);
      await q(`CREATE TEMP TABLE seed_money ${ledgerTemp} ON COMMIT DROP`);

      const userLists = [
        SURNAME_POOL.map(([s]) => s),
        SURNAME_POOL.map(([, p]) => p),
        GIVEN.map(([g]) => g),
        GIVEN.map(([, p]) => p),
        MALE_GIVEN.length,
        NICKNAMES,
        BIOS,
        LOCATION_POOL.map((l) => l.location),
        LOCATION_POOL.map((l) => l.city),
        PHONE_PREFIXES,
        EMAIL_DOMAINS,
        VIP_NAMES,
      ];
      result.users = await perBatch('users', async (from, to) => {
        let inserted = 0;
        for (let attempt = 0; ; attempt++) {
          const res = await q(INSERT_USERS, [from, to, first, total, attempt, hash, ...userLists]);
          inserted += res.rowCount ?? 0;
          if (inserted === to - from + 1) {
            await fillNameSkeletons(q, from, to);
            return inserted;
          }
          // A name, phone, e-mail or invite code that somebody else already has: those users again, other values.
          if (attempt >= 20) throw new Error(`could not find unique values for users ${from}..${to}`);
        }
      });

      result.follows = await perBatch('follows', async (from, to) => (await q(INSERT_FOLLOWS, [from, to, first, total])).rowCount ?? 0);

      const addressLists = [ADDRESS_ALIASES, SURNAME_POOL.map(([s]) => s), GIVEN.map(([g]) => g), STREETS, COMMUNITIES, PHONE_PREFIXES, LOCATIONS.length];
      result.addresses = await perBatch('addresses', async (from, to) => (await q(INSERT_ADDRESSES, [from, to, ...addressLists])).rowCount ?? 0);

      await perBatch('verifications', async (from, to) => {
        const counts = await insertVerifications(client, options.cipher, from, to, first, nowMs);
        for (const key of Object.keys(counts) as Array<keyof typeof counts>) result.verifications[key] += counts[key];
        return 0;
      });

      await perBatch('points', async (from, to) => (await q(GENERATE_POINTS, [from, to, first])).rowCount ?? 0);
      await perBatch('wallets', async (from, to) => (await q(GENERATE_MONEY, [from, to, first])).rowCount ?? 0);

      progress(0, 2 * LEDGER_SLICES, 'ledgers');
      for (let slice = 0; slice < LEDGER_SLICES; slice++) {
        result.currencyLedger += (await q(WRITE_LEDGER('currency_ledger', 'seed_points'), [slice])).rowCount ?? 0;
        progress(slice + 1, 2 * LEDGER_SLICES, 'ledgers');
      }
      for (let slice = 0; slice < LEDGER_SLICES; slice++) {
        result.walletLedger += (await q(WRITE_LEDGER('wallet_ledger', 'seed_money'), [slice])).rowCount ?? 0;
        progress(LEDGER_SLICES + slice + 1, 2 * LEDGER_SLICES, 'ledgers');
      }

      const totals = [INSERT_EXTRAS, INSERT_CURRENCIES, INSERT_WALLETS];
      progress(0, totals.length + 1, 'totals');
      for (const [i, sql] of totals.entries()) {
        await q(sql, [first, last]);
        progress(i + 1, totals.length + 1, 'totals');
      }
      result.incomeDays = (await q(INSERT_INCOME_DAILY)).rowCount ?? 0;
      progress(totals.length + 1, totals.length + 1, 'totals');

      const {
        rows: [sample],
      } = await q('SELECT id, name, phone FROM users WHERE id = $1', [first]);
      result.sample = { id: Number(sample.id), name: sample.name, phone: sample.phone };
    }
    await q('COMMIT');
  } catch (error) {
    await q('ROLLBACK').catch(() => undefined);
    await release();
    throw error;
  }
  try {
    if (total > 0 && options.analyze !== false) await q(`ANALYZE ${ANALYZED_TABLES.join(', ')}`);
  } finally {
    await release();
  }
  result.elapsedMs = Date.now() - started;
  return result;
}
