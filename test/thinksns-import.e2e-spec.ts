import * as bcrypt from 'bcrypt';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection } from 'mysql2/promise';
import { Pool } from 'pg';
import { databaseUrl } from './support/databases';
import { bearer } from './support/fixtures';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';
import { IMPORT_LOCK_KEY } from '../src/thinksns-import/importer';
import { expectSamePixels, jpeg, png } from './support/images';
import { ledgerMismatches } from './support/ledger-invariants';

/**
 * Issue 15: `npm run import:thinksns -- --from mysql://…` moves a ThinkSNS+ 2.4 database over. Runs against the real
 * MariaDB / MySQL at 127.0.0.1:3306 (root, no password; THINKSNS_TEST_MYSQL_URL overrides): a scratch database gets
 * the original's tables (test/fixtures/thinksns-plus-2.4.sql) and dirty data, the command runs as a child process.
 */
const MYSQL_URL = process.env.THINKSNS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const SOURCE_DB = `thinksns_src_${process.pid}_${Date.now()}`;
const ROOT = join(__dirname, '..');

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** A PHP password_hash() hash of the password (`$2y$`, as the original stored them). */
const phpHash = (password: string) => bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$');

async function mysqlAnswers(): Promise<Connection | null> {
  try {
    return await createConnection({ uri: MYSQL_URL, multipleStatements: true, timezone: 'Z' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EHOSTUNREACH') return null;
    throw error;
  }
}

async function fillSource(mysql: Connection, storage: string): Promise<void> {
  await mysql.query(`CREATE DATABASE ${SOURCE_DB} CHARACTER SET utf8mb4`);
  await mysql.query(`USE ${SOURCE_DB}`);
  await mysql.query("SET time_zone = '+00:00'");
  await mysql.query(readFileSync(join(ROOT, 'test/fixtures/thinksns-plus-2.4.sql'), 'utf8'));
  // Laravel's default collation ignores case, but databases created with a binary one (utf8mb4_bin) let the
  // original store names and e-mails that differ only in case: the dirtiest data a community can bring.
  await mysql.query('ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  const at = '2019-03-04 05:06:07';
  const users: Array<[number, string | null, string | null, string | null, string | null, string | null, string | null, string | null]> = [
    // id, name, email, phone, password, avatar, bg, deleted_at
    [1, 'founder_admin', 'Admin@Example.com', '13800000001', phpHash('old-pass-1'), 'public:2019/01/02/avatar1.png', null, null],
    [2, 'Alice', 'alice@example.com', '+86 13800000002', phpHash('alice-pass'), null, 'public:2019/01/02/gone.jpg', null],
    [3, 'alice', 'ALICE@example.com', '13800000002', phpHash('third-pass'), null, null, null],
    [4, 'bob', 'not-an-email', '12345', phpHash('bob-pass'), null, null, null],
    [5, 'deleted_dan', 'dan@example.com', '13800000005', phpHash('dan-pass'), null, null, '2020-01-01 00:00:00'],
    [6, null, null, '15900000006', phpHash('six-pass'), null, null, null],
    [7, 'carol', 'carol@example.com', '13800000007', 'plain-text-password', null, null, null],
    [8, 'erin 张', 'erin@example.com', '13800000008', phpHash('erin-pass'), null, null, null],
  ];
  await mysql.query('INSERT INTO users (id, name, email, phone, password, avatar, bg, deleted_at, bio, sex, location, created_at, updated_at) VALUES ?', [
    users.map((u) => [...u, u[0] === 6 ? 'bio\0of 6' : `bio of ${u[0]}`, u[0] % 3, '中国 四川省 成都市', at, at]),
  ]);
  await mysql.query(`INSERT INTO user_extras (user_id, likes_count, comments_count, followers_count, followings_count, feeds_count) VALUES
    (1, 7, 3, 999, 999, 12), (2, 1, 0, 5, 5, 0), (2, 9, 9, 9, 9, 9)`);
  await mysql.query(
    `INSERT INTO roles (id, name, display_name, non_delete) VALUES (1, 'founder', '创始人', 1), (2, 'owner', '普通用户', 1), (3, 'developer', '开发/运维人员', 0)`,
  );
  await mysql.query(
    `INSERT INTO abilities (id, name, display_name) VALUES (1, 'admin: login', '后台'), (2, 'admin:user:show', '查看用户'), (3, 'admin:user:delete', '删除用户'), (4, 'login', '登录')`,
  );
  await mysql.query('INSERT INTO ability_role (ability_id, role_id) VALUES (1, 1), (2, 1), (3, 1), (4, 2), (2, 3)');
  await mysql.query('INSERT INTO role_user (user_id, role_id) VALUES (1, 1), (1, 2), (2, 2), (3, 2), (4, 2), (4, 3), (5, 2)');
  // Orphans: the original's foreign keys were not always there (MyISAM, manual clean-ups).
  await mysql.query('SET FOREIGN_KEY_CHECKS = 0');
  await mysql.query(`INSERT INTO user_follow (id, user_id, target, created_at) VALUES
    (1, 1, 2, '${at}'), (2, 2, 1, '${at}'), (3, 3, 1, '${at}'), (4, 4, 1, '${at}'), (5, 5, 1, '${at}'), (6, 1, 99, '${at}'), (7, 2, 2, '${at}'), (8, 6, 8, '${at}')`);
  await mysql.query('SET FOREIGN_KEY_CHECKS = 1');
  await mysql.query(`INSERT INTO users_recommended (id, user_id, created_at) VALUES (1, 2, '${at}'), (2, 2, '${at}'), (3, 99, '${at}')`);
  await mysql.query(`INSERT INTO currencies (owner_id, type, sum) VALUES (1, 1, 0), (2, 1, 100), (4, 1, 50), (5, 1, -10), (6, 1, 0)`);
  await mysql.query(`INSERT INTO currency_orders (id, owner_id, title, type, target_type, target_id, currency, amount, state, created_at) VALUES
    (1, 2, '签到奖励', 1, 'default', '0', 1, 100, 1, '${at}'),
    (2, 4, '签到奖励', 1, 'task', '0', 1, 30, 1, '${at}'),
    (3, 4, '失败的充值', 1, 'recharge', 'x-1', 1, 999, -1, '${at}'),
    (4, 99, '孤儿', 1, 'default', '0', 1, 5, 1, '${at}')`);
  await mysql.query(`INSERT INTO wallet (owner_id, balance, total_income, total_expenses) VALUES (2, 250, 250, 0), (4, 500, 1000, 300)`);
  await mysql.query(`INSERT INTO wallet_orders (id, owner_id, target_type, target_id, title, type, amount, state, created_at) VALUES
    (1, 2, 'recharge_ping_p_p', 'ch_1', '充值', 1, 250, 1, '${at}'),
    (2, 4, 'user', '2', '收到转账', 1, 1000, 1, '${at}'),
    (3, 4, 'user', '2', '转账', -1, 300, 1, '${at}'),
    (4, 4, 'widthdraw', '1', '提现', -1, 100, 0, '${at}')`);
  await mysql.query(`INSERT INTO wallet_cashes (user_id, value, type, account, status) VALUES (4, 100, 'alipay', 'bob@alipay', 0)`);
  await mysql.query(`INSERT INTO tags (id, name, tag_category_id) VALUES (1, '摄影', 1), (2, '旅行', 1)`);
  await mysql.query(`INSERT INTO taggables (tag_id, taggable_type, taggable_id) VALUES (1, 'users', 2), (2, 'users', 2)`);
  await mysql.query(`INSERT INTO files (id, hash, filename, mime, width, height, created_at) VALUES
    (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '2019/01/03/front.png', 'image/png', 6, 4, '${at}'),
    (2, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', '2019/01/03/rear.jpg', 'image/jpeg', 6, 4, '${at}'),
    (3, 'cccccccccccccccccccccccccccccccc', '2019/01/03/licence-lost.png', 'image/png', 6, 4, '${at}')`);
  await mysql.query(
    `INSERT INTO file_withs (id, file_id, user_id, channel, raw) VALUES (1, 1, 2, 'certification:file', 2), (2, 2, 2, 'certification:file', 2), (3, 3, 8, 'certification:file', 8)`,
  );
  await mysql.query('INSERT INTO certifications (id, certification_name, user_id, data, examiner, status, created_at, updated_at) VALUES ?', [
    [
      [1, 'user', 2, JSON.stringify({ name: '王小丽', phone: '13800000002', number: '510104199001011234', desc: '摄影师', files: [1, 2] }), 1, 1, at, at],
      [2, 'org', 7, '{"name": "broken', 0, 0, at, at],
      [
        3,
        'org',
        8,
        JSON.stringify({
          name: '张三',
          phone: '138',
          number: '91510100MA6C',
          desc: '机构',
          files: [3],
          org_name: '某某公司',
          org_address: '成都',
          reject_content: '证件不清晰',
        }),
        1,
        2,
        at,
        at,
      ],
    ],
  ]);
  mkdirSync(join(storage, 'public/2019/01/02'), { recursive: true });
  mkdirSync(join(storage, 'public/2019/01/03'), { recursive: true });
  writeFileSync(join(storage, 'public/2019/01/02/avatar1.png'), png(5, 3));
  writeFileSync(join(storage, 'public/2019/01/03/front.png'), png(6, 4));
  writeFileSync(join(storage, 'public/2019/01/03/rear.jpg'), await jpeg(6, 4));
}

/** Runs the command as an operator would (ts-node entry, its own process), against a database of this service. */
function runImport(t: TestApp, database: string, storageDir: string, report: string, env: Record<string, string> = {}, extra: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'src/thinksns-import/import.cli.ts',
        '--from',
        `${MYSQL_URL}/${SOURCE_DB}`,
        '--storage',
        storageFrom,
        '--report',
        report,
        ...extra,
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATABASE_URL: databaseUrl(database),
          PII_ENCRYPTION_KEY: t.config.piiEncryptionKey.toString('hex'),
          STORAGE_DIR: storageDir,
          DATA_DIR: storageDir,
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
        resolve({ code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0, signal: failure?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** Everything the import writes, without generated ids and random ciphertexts: equal fingerprints = same data. */
async function fingerprint(db: Pool): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    users: `SELECT id, name, email, phone, password, disabled_at, avatar, bg, invite_code, created_at FROM users ORDER BY id`,
    user_extras: 'SELECT user_id, likes_count, followers_count, followings_count, feeds_count FROM user_extras ORDER BY user_id',
    follows: 'SELECT follower_id, followee_id FROM follows ORDER BY 1, 2',
    currency_ledger: 'SELECT owner_id, title, type, target_type, amount, created_at FROM currency_ledger ORDER BY 1, 2, 3, 4, 5',
    wallet_ledger: 'SELECT owner_id, title, type, target_type, amount, created_at FROM wallet_ledger ORDER BY 1, 2, 3, 4, 5',
    balances:
      'SELECT w.owner_id, w.balance, w.total_income, w.total_expenses, c.sum, c.earned_total FROM wallets w JOIN user_currencies c USING (owner_id) ORDER BY 1',
    verifications: 'SELECT user_id, type, state, phone_number, id_card_front, id_card_rear, org_certificate, reject_reason FROM verifications ORDER BY 1',
    files: 'SELECT node, owner_id, mime, size, private FROM files ORDER BY node',
    roles: 'SELECT ur.user_id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id ORDER BY 1, 2',
    recommended: 'SELECT user_id FROM recommended_users ORDER BY 1',
    income_daily: 'SELECT owner_id, day, amount FROM currency_income_daily ORDER BY 1, 2',
    report: 'SELECT source_table, source_key, action, reason FROM thinksns_import.report ORDER BY 1, 2, 4',
  };
  const result: Record<string, string> = {};
  for (const [name, sql] of Object.entries(tables)) result[name] = JSON.stringify((await db.query(sql)).rows);
  return result;
}

let storageFrom = '';

describe('import from ThinkSNS+ (npm run import:thinksns)', () => {
  let mysql: Connection | null = null;
  let t: TestApp;
  let scratch: string;
  let first: Run;
  let report: Array<Record<string, string>>;

  beforeAll(async () => {
    mysql = await mysqlAnswers();
    if (!mysql) {
      console.log(`thinksns-import e2e: no MySQL / MariaDB answers at ${MYSQL_URL}: these tests check nothing on this machine`);
      return;
    }
    scratch = mkdtempSync(join(tmpdir(), 'thinksns-import-'));
    storageFrom = join(scratch, 'original-storage');
    await fillSource(mysql, storageFrom);
    t = await createTestApp();
    first = await runImport(t, t.databaseName, t.config.storageDir, join(scratch, 'report.jsonl'));
    report = readFileSync(join(scratch, 'report.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }, 180_000);

  afterAll(async () => {
    if (!mysql) return;
    await mysql.query(`DROP DATABASE IF EXISTS ${SOURCE_DB}`);
    await mysql.end();
    await t?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const login = (name: string, password: string) => t.http().post('/api/v2/auth/login').send({ login: name, password });
  const reported = (table: string, key: string | number, reason: string) =>
    report.find((e) => e.source_table === table && e.source_key === String(key) && e.reason === reason);

  it('exits 0 after a verification that finds every source row imported or reported, with plain progress lines', () => {
    if (!mysql) return;
    expect({ code: first.code, stderr: first.stderr.includes('Error') ? first.stderr : '' }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/Users: 8 imported, 0 skipped/);
    expect(first.stdout).not.toMatch(/FAIL/);
    expect(first.stdout).toMatch(/ok {3}users +source 8 {2}target 8 {2}reported 0/);
    expect(first.stderr).toMatch(/^users 8\/8$/m);
    expect(first.stderr).toMatch(/^follows 8\/8$/m);
  });

  it('keeps ids and old $2y$ passwords: users sign in with their old password, by name, phone or e-mail', async () => {
    if (!mysql) return;
    const admin = await login('founder_admin', 'old-pass-1').expect(200);
    const me = await t.http().get('/api/v2/user').set(bearer(admin.body.access_token)).expect(200);
    expect(me.body).toMatchObject({ id: 1, name: 'founder_admin', phone: '13800000001' });
    await login('13800000002', 'alice-pass').expect(200);
    await login('admin@example.com', 'old-pass-1').expect(200);
    await login('founder_admin', 'wrong-pass').expect(422);
  });

  it('normalises phones and resolves duplicates differing in case: the earlier id keeps the value, the report names the change', async () => {
    if (!mysql) return;
    const { rows } = await t.db.query('SELECT id, name, email, phone, password IS NOT NULL AS has_password FROM users ORDER BY id');
    expect(rows.map((r) => [r.id, r.name, r.email, r.phone, r.has_password])).toEqual([
      [1, 'founder_admin', 'Admin@Example.com', '13800000001', true],
      [2, 'Alice', 'alice@example.com', '13800000002', true],
      [3, 'alice_3', null, null, true],
      [4, 'bob', null, null, true],
      [5, 'deleted_dan', 'dan@example.com', '13800000005', true],
      [6, 'user_6', null, '15900000006', true],
      [7, 'carol', 'carol@example.com', '13800000007', false],
      [8, 'user_8', 'erin@example.com', '13800000008', true],
    ]);
    await login('alice_3', 'third-pass').expect(200);
    // A NUL character (MySQL stores it, PostgreSQL text cannot) is dropped instead of failing the user.
    expect((await t.db.query('SELECT bio, city FROM users WHERE id = 6')).rows).toEqual([{ bio: 'bioof 6', city: '成都' }]);
    for (const [key, reason] of [
      [2, 'phone_normalised'],
      [3, 'name_duplicate'],
      [3, 'phone_duplicate'],
      [3, 'email_duplicate'],
      [4, 'phone_invalid'],
      [4, 'email_invalid'],
      [6, 'name_missing'],
      [7, 'password_unusable'],
      [8, 'name_invalid'],
    ] as const) {
      expect(reported('users', key, reason)).toMatchObject({ action: 'altered', user_id: key });
    }
  });

  it('imports soft-deleted users as disabled: they cannot sign in', async () => {
    if (!mysql) return;
    const response = await login('deleted_dan', 'dan-pass').expect(403);
    expect(JSON.stringify(response.body)).toMatch(/禁用|disabled/);
  });

  it('maps admin roles: the founder holds every ability, a role keeps the abilities that exist here, the register role is reported', async () => {
    if (!mysql) return;
    const { rows } = await t.db.query(`SELECT ur.user_id, r.name, array(SELECT a.name FROM role_abilities ra JOIN abilities a ON a.id = ra.ability_id
      WHERE ra.role_id = r.id ORDER BY 1) AS abilities FROM user_roles ur JOIN roles r ON r.id = ur.role_id ORDER BY 1, 2`);
    expect(rows).toEqual([
      { user_id: 1, name: 'founder', abilities: [] },
      { user_id: 4, name: 'developer', abilities: ['admin:user:show'] },
    ]);
    expect(reported('roles', 2, 'role_without_known_ability')?.detail).toMatch(/owner: its 5 members/);
    const admin = await login('founder_admin', 'old-pass-1').expect(200);
    const bob = await login('bob', 'bob-pass').expect(200);
    // The founder may review verifications (an ability of this service); the developer may not.
    await t.http().get('/api/v2/admin/verifications').set(bearer(admin.body.access_token)).expect(200);
    await t.http().get('/api/v2/admin/verifications').set(bearer(bob.body.access_token)).expect(403);
  });

  it('imports follows between imported users, counters recomputed from the rows; self-follows and orphans reported', async () => {
    if (!mysql) return;
    const founder = await t.http().get('/api/v2/users/1').expect(200);
    expect(founder.body.extra).toMatchObject({ followers_count: 4, followings_count: 1, likes_count: 7, feeds_count: 12 });
    const alice = await t.http().get('/api/v2/users/2').expect(200);
    expect(alice.body.extra).toMatchObject({ followers_count: 1, followings_count: 1 });
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM user_extras e
      WHERE e.followers_count <> (SELECT count(*) FROM follows f WHERE f.followee_id = e.user_id)
         OR e.followings_count <> (SELECT count(*) FROM follows f WHERE f.follower_id = e.user_id)`);
    expect(rows[0].n).toBe(0);
    expect(reported('user_follow', 6, 'user_not_imported')).toBeDefined();
    expect(reported('user_follow', 7, 'self_follow')).toBeDefined();
    expect((await t.db.query('SELECT user_id FROM recommended_users')).rows).toEqual([{ user_id: 2 }]);
    expect(reported('users_recommended', 2, 'duplicate')).toBeDefined();
    expect(reported('users_recommended', 3, 'user_not_imported')).toBeDefined();
  });

  it('imports points and wallet as ledgers whose sums equal the imported balances, with one labelled adjustment where they disagreed', async () => {
    if (!mysql) return;
    expect(await ledgerMismatches(t.db)).toEqual([]);
    const bob = await login('bob', 'bob-pass').expect(200);
    const me = await t.http().get('/api/v2/user').set(bearer(bob.body.access_token)).expect(200);
    expect(me.body.new_wallet.balance).toBe(500);
    expect(me.body.currency.sum).toBe(50);
    const orders = await t.http().get('/api/v2/plus-pay/orders').set(bearer(bob.body.access_token)).expect(200);
    expect(orders.body.map((o: { title: string; type: number; amount: number }) => [o.title, o.type, o.amount]).sort()).toEqual(
      [
        ['导入校正', -1, 200],
        ['收到转账', 1, 1000],
        ['转账', -1, 300],
      ].sort(),
    );
    expect(reported('wallet', 4, 'balance_differs_from_orders')).toMatchObject({ action: 'adjusted' });
    expect(reported('currencies', 4, 'balance_differs_from_orders')?.detail).toMatch(/adjustment \+20/);
    expect(reported('currencies', 5, 'balance_negative')).toBeDefined();
    expect(reported('wallet_orders', 4, 'order_pending')).toBeDefined();
    expect(reported('currency_orders', 3, 'order_failed')).toBeDefined();
    expect(reported('currency_orders', 4, 'owner_missing')).toBeDefined();
    // No adjustment where balance and orders agreed; the original's target type names are ours.
    const { rows } = await t.db.query(`SELECT owner_id, target_type FROM wallet_ledger WHERE owner_id = 2`);
    expect(rows).toEqual([{ owner_id: 2, target_type: 'recharge' }]);
  });

  it('imports certifications as verifications: PII sealed, clear for its owner, masked for others, ID photos private', async () => {
    if (!mysql) return;
    const { rows } = await t.db.query('SELECT user_id, real_name_sealed, id_number_sealed FROM verifications WHERE user_id = 2');
    expect(rows[0].real_name_sealed).toMatch(/^v1:/);
    expect(rows[0].id_number_sealed).not.toContain('510104');
    const alice = await login('Alice', 'alice-pass').expect(200);
    const own = await t.http().get('/api/v2/user/verification').set(bearer(alice.body.access_token)).expect(200);
    expect(own.body).toMatchObject({
      type: 'user',
      state: 1,
      desc: '摄影师',
      user_id: 2,
      data: {
        real_name: '王小丽',
        phone_number: '13800000002',
        id_card: { number: '510104199001011234', front: { mime: 'image/png' }, rear: { mime: 'image/jpeg' } },
      },
    });
    const publicView = await t.http().get('/api/v2/users/2').expect(200);
    expect(publicView.body.verification).toMatchObject({ type: 'user', state: 1, desc: '摄影师' });
    expect(JSON.stringify(publicView.body)).not.toMatch(/王小丽|510104|id_card/);
    const path = own.body.data.id_card.front.url as string;
    const bytes = await t.http().get(path).set(bearer(alice.body.access_token)).expect(200);
    await expectSamePixels(bytes.body, png(6, 4));
    const bob = await login('bob', 'bob-pass').expect(200);
    await t.http().get(path).set(bearer(bob.body.access_token)).expect(404);
    await t.http().get(path).expect(404);
    // Broken JSON and a missing file are reported; the rejected org keeps its reason.
    expect(reported('certifications', 2, 'certification_data_broken')).toBeDefined();
    expect(reported('file_withs', 3, 'certification_file_missing')).toBeDefined();
    expect((await t.db.query('SELECT state, reject_reason, org_certificate FROM verifications WHERE user_id = 8')).rows).toEqual([
      { state: 0, reject_reason: '证件不清晰', org_certificate: null },
    ]);
  });

  it('copies avatars into storage and serves them; a missing file is reported, not fatal', async () => {
    if (!mysql) return;
    const founder = await t.http().get('/api/v2/users/1').expect(200);
    expect(founder.body.avatar).toMatchObject({ mime: 'image/png', dimension: { width: 5, height: 3 } });
    const bytes = await t.http().get(founder.body.avatar.url).expect(200);
    await expectSamePixels(bytes.body, png(5, 3));
    expect(reported('users', 2, 'bg_missing')).toBeDefined();
    expect(reported('tags', '*', 'no_tags_table')?.detail).toMatch(/2 tags and 2 user tags/);
  });

  it('moves the id sequence past the imported ids: a new account gets the next id', async () => {
    if (!mysql) return;
    const { rows } = await t.db.query(`SELECT nextval(pg_get_serial_sequence('users', 'id'))::int AS n`);
    expect(rows[0].n).toBe(9);
  });

  it('changes nothing when run again', async () => {
    if (!mysql) return;
    const before = await fingerprint(t.db);
    const again = await runImport(t, t.databaseName, t.config.storageDir, join(scratch, 'report-2.jsonl'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Users: 0 imported, 0 skipped, 8 imported by an earlier run/);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('refuses to run while another import into the same database holds the lock, and writes nothing', async () => {
    if (!mysql) return;
    const before = await fingerprint(t.db);
    const holder = await t.db.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [IMPORT_LOCK_KEY]);
      const refused = await runImport(t, t.databaseName, t.config.storageDir, join(scratch, 'refused.jsonl'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/another import into this database is running/);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [IMPORT_LOCK_KEY]);
      holder.release();
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('completes without duplicates when a run is killed half-way and started again', async () => {
    if (!mysql) return;
    const database = await createTestDatabase();
    const storage = join(scratch, 'resumed-storage');
    const db = new Pool({ connectionString: databaseUrl(database), max: 2 });
    try {
      const killed = await runImport(t, database, storage, join(scratch, 'killed.jsonl'), { THINKSNS_IMPORT_CRASH_AFTER_USERS: '2' }, ['--batch-size', '2']);
      expect(killed.signal).toBe('SIGKILL');
      const { rows } = await db.query('SELECT count(*)::int AS n FROM users');
      expect(rows[0].n).toBe(2);
      const resumed = await runImport(t, database, storage, join(scratch, 'resumed.jsonl'), {}, ['--batch-size', '2']);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/Users: 6 imported, 0 skipped, 2 imported by an earlier run/);
      const clean = await fingerprint(t.db);
      expect(await fingerprint(db)).toEqual(clean);

      // The final check notices a row that is neither here nor in the report, and the exit status says so.
      await db.query(`DELETE FROM wallet_ledger WHERE owner_id = 4 AND title = '转账'`);
      const checked = await runImport(t, database, storage, join(scratch, 'checked.jsonl'));
      expect(checked.code).toBe(1);
      expect(checked.stdout).toMatch(/FAIL wallet_orders +source 4 {2}target 2 {2}reported 1/);
      expect(checked.stdout).toMatch(/FAIL wallet balance = ledger/);
    } finally {
      await db.end();
    }
  });

  it('leaves an account that already has an id, a name or a phone alone: the source user is skipped or altered, and reported', async () => {
    if (!mysql) return;
    const database = await createTestDatabase();
    const db = new Pool({ connectionString: databaseUrl(database), max: 2 });
    try {
      await db.query(`INSERT INTO users (id, name, phone, invite_code) VALUES (1, 'ALICE', '13800000007', 'PRE00001')`);
      const run = await runImport(t, database, join(scratch, 'taken-storage'), join(scratch, 'taken.jsonl'));
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Users: 7 imported, 1 skipped/);
      expect(run.stdout).toMatch(/ok {3}users +source 8 {2}target 7 {2}reported 1/);
      const { rows } = await db.query('SELECT id, name, phone FROM users WHERE id IN (1, 2, 7) ORDER BY id');
      expect(rows).toEqual([
        { id: 1, name: 'ALICE', phone: '13800000007' },
        { id: 2, name: 'Alice_2', phone: '13800000002' },
        { id: 7, name: 'carol', phone: null },
      ]);
      const entries = readFileSync(join(scratch, 'taken.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const reasons = entries.map((e) => `${e.source_table}:${e.source_key}:${e.reason}`);
      expect(reasons).toEqual(
        expect.arrayContaining([
          'users:1:id_taken',
          'users:2:name_duplicate',
          'users:7:phone_duplicate',
          'role_user:1:1:owner_not_imported',
          'user_follow:1:user_not_imported',
        ]),
      );
      expect((await db.query('SELECT count(*)::int AS n FROM follows WHERE follower_id = 1 OR followee_id = 1')).rows[0].n).toBe(0);

      // Once the account holding the id is gone, a rerun brings the user in with its rows and the report forgets it.
      await db.query('DELETE FROM users WHERE id = 1');
      const rerun = await runImport(t, database, join(scratch, 'taken-storage'), join(scratch, 'taken-2.jsonl'));
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toMatch(/Users: 1 imported, 0 skipped, 7 imported by an earlier run/);
      expect(rerun.stdout).toMatch(/ok {3}user_follow +source 8 {2}target 6 {2}reported 2/);
      const after = readFileSync(join(scratch, 'taken-2.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(after.map((e) => `${e.source_table}:${e.source_key}:${e.reason}`)).not.toEqual(expect.arrayContaining(['users:1:id_taken']));
      expect(after.some((e) => e.reason === 'owner_not_imported' || (e.source_table === 'user_follow' && e.source_key === '1'))).toBe(false);
      expect(
        (await db.query(`SELECT u.name, r.name AS role FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE u.id = 1`))
          .rows,
      ).toEqual([{ name: 'founder_admin', role: 'founder' }]);
    } finally {
      await db.end();
    }
  });
});
