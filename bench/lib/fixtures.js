'use strict';
// Seeding with set-based SQL (generate_series), never one INSERT per row. Every helper is idempotent, so
// scenarios can each ask for what they need (`ensureUsers(db, 100_000)`, a later one `ensureUsers(db, 1_000_000)`).
const bcrypt = require('bcrypt');

const PASSWORD = 'bench-password-123';
const VIEWER_NAME = 'bench_viewer';
/** The founder the service creates from ADMIN_NAME / ADMIN_PASSWORD (B5's operator). */
const ADMIN_NAME = 'bench_admin';
/** 30 cities (users.city, and the location `中国 <city>市`); user `id` lives in CITIES[id % 30]. */
const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '成都',
  '杭州',
  '武汉',
  '西安',
  '南京',
  '重庆',
  '天津',
  '苏州',
  '长沙',
  '郑州',
  '东莞',
  '青岛',
  '沈阳',
  '宁波',
  '昆明',
  '合肥',
  '佛山',
  '福州',
  '无锡',
  '厦门',
  '哈尔滨',
  '济南',
  '温州',
  '大连',
  '南宁',
  '长春',
];

/**
 * The rows are consistent by construction, so a superuser skips the per-row foreign-key triggers for this
 * transaction (several times faster); on a server where we are not superuser the checks simply run.
 */
async function skipForeignKeyChecks(db) {
  const {
    rows: [{ rolsuper }],
  } = await db.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  if (rolsuper) await db.query('SET LOCAL session_replication_role = replica');
}

let hashPromise;
/** One bcrypt cost-10 hash of PASSWORD, computed once and reused for every account that has a password. */
function passwordHash() {
  hashPromise ??= bcrypt.hash(PASSWORD, 10);
  return hashPromise;
}

/**
 * Users 1..count named `bench_u<id>`, each with its user_extras, wallets and user_currencies rows; a mix of cities,
 * sexes, VIPs and activity; every 10th has an avatar file, every 25th a verification (user or org, any state);
 * everyone follows two others.
 */
async function ensureUsers(db, count) {
  const {
    rows: [{ max }],
  } = await db.query('SELECT coalesce(max(id), 0)::int AS max FROM users');
  if (max >= count) return;
  const from = max + 1;
  const range = `generate_series(${from}, ${count}) AS g(id)`;
  await db.query('BEGIN');
  await skipForeignKeyChecks(db);
  await db.query(
    `INSERT INTO users (id, name, password, bio, sex, location, city, avatar, invite_code, vip_level, vip_name, vip_end_time,
                        last_active_at, created_at, updated_at)
     SELECT id, 'bench_u' || id, '!', 'bench user ' || id, id % 3, '中国 ' || c.city || '市', c.city,
            CASE WHEN id % 10 = 0 THEN 'public:bench/avatar/' || id || '.jpg' END,
            'BU' || id,
            CASE WHEN id % 20 = 0 THEN 1 END, CASE WHEN id % 20 = 0 THEN 'gold' END,
            CASE WHEN id % 20 = 0 THEN now() + interval '30 days' END,
            CASE WHEN id % 3 = 0 THEN now() - (id % 10000) * interval '1 minute' END,
            now() - ($1::int - id) * interval '1 minute', now() - ($1::int - id) * interval '1 minute'
       FROM ${range}
      CROSS JOIN LATERAL (SELECT ($2::text[])[1 + id % array_length($2::text[], 1)] AS city) c`,
    [count, CITIES],
  );
  await db.query(
    `INSERT INTO user_extras (user_id, likes_count, comments_count, followers_count, followings_count, feeds_count)
     SELECT id, id % 997, id % 101, 2, 2, id % 53 FROM ${range}`,
  );
  await db.query(`INSERT INTO wallets (owner_id, balance, total_income) SELECT id, id % 10000, id % 20000 FROM ${range}`);
  await db.query(`INSERT INTO user_currencies (owner_id, sum) SELECT id, id % 5000 FROM ${range}`);
  await db.query(
    `INSERT INTO files (node, owner_id, mime, size, width, height)
     SELECT 'public:bench/avatar/' || id || '.jpg', id, 'image/jpeg', 20000 + id % 5000, 200, 200 FROM ${range} WHERE id % 10 = 0`,
  );
  await db.query(
    `INSERT INTO verifications (user_id, type, state, "desc", slogan, org_name, created_at, updated_at)
     SELECT id, CASE WHEN id % 100 = 0 THEN 'org' ELSE 'user' END, id % 3 - 1, 'verified bench user ' || id, 'slogan',
            CASE WHEN id % 100 = 0 THEN 'bench org ' || id END, now() - interval '1 day', now()
       FROM ${range} WHERE id % 25 = 0`,
  );
  await db.query(
    `INSERT INTO follows (follower_id, followee_id, created_at)
     SELECT g.id, (g.id - 1 + k * 7919) % $1::int + 1, now() - g.id * interval '1 second'
       FROM ${range} CROSS JOIN generate_series(1, 2) AS k
      WHERE (g.id - 1 + k * 7919) % $1::int + 1 <> g.id`,
    [count],
  );
  // Explicit ids do not advance the identity: later inserts (the viewer, registrations) must not collide.
  await db.query(`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`);
  await db.query('COMMIT');
}

/**
 * `rows` points-ledger rows over the last `days` days, spread over every seeded user (a multiplicative hash of the
 * row number picks the owner; the source comes from another digit of it, so that sources and cities are not
 * correlated), 10 % of them `recharge` (bought, not earned): all income, as rewards, admin grants,
 * tasks and recharges. Then what the service maintains as income lands, computed in bulk: balances and
 * `earned_total` (user_currencies) and the per-day earned aggregates (currency_income_daily). In 1M-row
 * transactions, so progress shows and a failure loses one chunk.
 */
async function ensureCurrencyLedger(db, rows, days, log = () => undefined) {
  const {
    rows: [{ users }],
  } = await db.query('SELECT max(id)::bigint AS users FROM users');
  const {
    rows: [{ have }],
  } = await db.query('SELECT coalesce(max(id), 0)::bigint AS have FROM currency_ledger');
  const chunk = 1_000_000;
  for (let from = Number(have) + 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await db.query('BEGIN');
    await skipForeignKeyChecks(db);
    await db.query(
      `INSERT INTO currency_ledger (id, owner_id, title, type, target_type, target_id, amount, created_at)
       SELECT g, 1 + (g * 2654435761) % $3::bigint, 'bench', 1,
              (ARRAY['user','user','user','user','user','user','admin','admin','task','recharge'])[1 + g / 10 % 10],
              CASE WHEN g / 10 % 10 < 6 THEN 1 + (g * 40503) % $3::bigint END,
              1 + (g * 31) % 200,
              now() - (g % $4::int) * interval '1 day' - (g % 86400) * interval '1 second'
         FROM generate_series($1::bigint, $2::bigint) AS g`,
      [from, to, users, days],
    );
    await db.query('COMMIT');
    log(`ledger rows ${to.toLocaleString('en-US')} / ${rows.toLocaleString('en-US')}`);
  }
  if (Number(have) >= rows) return;
  await db.query(`SELECT setval(pg_get_serial_sequence('currency_ledger', 'id'), $1)`, [rows]);
  log('aggregating balances and daily earned income');
  await db.query('BEGIN');
  await db.query(
    `UPDATE user_currencies c SET sum = s.total, earned_total = s.earned
       FROM (SELECT owner_id, sum(amount) AS total, coalesce(sum(amount) FILTER (WHERE target_type <> 'recharge'), 0) AS earned
               FROM currency_ledger GROUP BY owner_id) s
      WHERE c.owner_id = s.owner_id`,
  );
  await db.query('TRUNCATE currency_income_daily');
  await db.query(
    `INSERT INTO currency_income_daily (owner_id, day, amount)
     SELECT owner_id, (created_at AT TIME ZONE 'UTC')::date, sum(amount) FROM currency_ledger
      WHERE type = 1 AND target_type <> 'recharge' GROUP BY 1, 2 ORDER BY 1, 2`, // in key order: appends to the primary key
  );
  await db.query('COMMIT');
}

/** Users 1..count get the shared password hash (log in as `bench_u<id>` / PASSWORD). */
async function ensurePasswords(db, count) {
  await db.query('UPDATE users SET password = $1 WHERE id <= $2 AND password IS DISTINCT FROM $1', [await passwordHash(), count]);
}

/** The viewer of B1: follows every 100th user, every 50th follows it (both follow flags vary). Returns its id. */
async function ensureViewer(db) {
  const {
    rows: [found],
  } = await db.query('SELECT id FROM users WHERE name = $1', [VIEWER_NAME]);
  if (found) return Number(found.id);
  await db.query('BEGIN');
  const {
    rows: [{ id }],
  } = await db.query(`INSERT INTO users (name, password, invite_code, city, location) VALUES ($1, $2, 'BVIEWER', '北京', '中国 北京市') RETURNING id`, [
    VIEWER_NAME,
    await passwordHash(),
  ]);
  await db.query('INSERT INTO user_extras (user_id) VALUES ($1)', [id]);
  await db.query('INSERT INTO wallets (owner_id) VALUES ($1)', [id]);
  await db.query('INSERT INTO user_currencies (owner_id) VALUES ($1)', [id]);
  await db.query(`INSERT INTO follows (follower_id, followee_id) SELECT $1, id FROM users WHERE id % 100 = 0 AND id <> $1`, [id]);
  await db.query(`INSERT INTO follows (follower_id, followee_id) SELECT id, $1 FROM users WHERE id % 50 = 0 AND id <> $1`, [id]);
  await db.query('COMMIT');
  return Number(id);
}

module.exports = { PASSWORD, VIEWER_NAME, ADMIN_NAME, passwordHash, ensureUsers, ensurePasswords, ensureViewer, ensureCurrencyLedger };
