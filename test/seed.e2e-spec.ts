import * as bcrypt from 'bcrypt';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PiiCipher } from '../src/common/crypto/pii-cipher';
import { seedDemoData, SeedResult } from '../src/seed/demo-data';
import { databaseUrl } from './support/databases';
import { bearer } from './support/fixtures';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';
import { earnedIncomeMismatches, ledgerMismatches } from './support/ledger-invariants';

const USERS = 120;
const PASSWORD = 'seed-pass-123';

/** quality.md §4 / issue 7: `npm run seed -- --users N` fills a database with realistic, consistent demo data. */
describe('demo data (npm run seed)', () => {
  let t: TestApp;
  let result: SeedResult;
  const progress: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    result = await seedDemoData(t.db, {
      users: USERS,
      batchSize: 50,
      cipher: new PiiCipher(t.config.piiEncryptionKey),
      password: PASSWORD,
      passwordHash: await bcrypt.hash(PASSWORD, 4),
      progress: (done, total, stage) => progress.push(`${stage} ${done}/${total}`),
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const count = async (sql: string, values: unknown[] = []) => Number((await t.db.query(sql, values)).rows[0].n);

  it('adds exactly N users, each with its counters, wallet and points rows, unique names, phones and invite codes', async () => {
    expect(result.users).toBe(USERS);
    expect(result.lastUserId - result.firstUserId + 1).toBe(USERS);
    const range = [result.firstUserId, result.lastUserId];
    expect(await count('SELECT count(*) AS n FROM users WHERE id BETWEEN $1 AND $2', range)).toBe(USERS);
    for (const table of ['user_extras e WHERE e.user_id', 'wallets w WHERE w.owner_id', 'user_currencies c WHERE c.owner_id']) {
      expect(await count(`SELECT count(*) AS n FROM ${table} BETWEEN $1 AND $2`, range)).toBe(USERS);
    }
    expect(await count('SELECT count(DISTINCT lower(name)) AS n FROM users WHERE id BETWEEN $1 AND $2', range)).toBe(USERS);
    expect(await count('SELECT count(DISTINCT invite_code) AS n FROM users WHERE id BETWEEN $1 AND $2', range)).toBe(USERS);
    expect(await count(`SELECT count(*) AS n FROM users WHERE id BETWEEN $1 AND $2 AND phone !~ '^1[3-9][0-9]{9}$'`, range)).toBe(0);
    // Chinese names and cities: most names and every city are non-ASCII.
    expect(await count(`SELECT count(*) AS n FROM users WHERE id BETWEEN $1 AND $2 AND name ~ '[^\\x01-\\x7f]'`, range)).toBeGreaterThan(USERS / 2);
    expect(await count(`SELECT count(*) AS n FROM users WHERE id BETWEEN $1 AND $2 AND city !~ '^[^\\x01-\\x7f]+$'`, range)).toBe(0);
  });

  it('reports what it made, and the rows are there: follows with exact counters, addresses within the limits', async () => {
    expect(result.follows).toBe(await count('SELECT count(*) AS n FROM follows'));
    expect(result.follows).toBeGreaterThan(USERS);
    expect(
      await count(`SELECT count(*) AS n FROM user_extras e
      WHERE e.followers_count <> (SELECT count(*) FROM follows f WHERE f.followee_id = e.user_id)
         OR e.followings_count <> (SELECT count(*) FROM follows f WHERE f.follower_id = e.user_id)`),
    ).toBe(0);
    expect(result.addresses).toBe(await count('SELECT count(*) AS n FROM addresses'));
    expect(result.addresses).toBeGreaterThan(0);
    expect(
      await count(
        'SELECT count(*) AS n FROM (SELECT user_id FROM addresses GROUP BY user_id HAVING count(*) > 20 OR count(*) FILTER (WHERE is_default) > 1) x',
      ),
    ).toBe(0);
  });

  it('makes verifications in every state and of both types, with the ID numbers and names sealed', async () => {
    const v = result.verifications;
    expect(v.pending).toBeGreaterThan(0);
    expect(v.rejected).toBeGreaterThan(0);
    expect(v.approved).toBeGreaterThan(0);
    expect(v.user).toBeGreaterThan(0);
    expect(v.org).toBeGreaterThan(0);
    const { rows } = await t.db.query('SELECT state, count(*)::int AS n FROM verifications GROUP BY state ORDER BY state');
    expect(rows).toEqual([
      { state: -1, n: v.pending },
      { state: 0, n: v.rejected },
      { state: 1, n: v.approved },
    ]);
    expect(
      await count(`SELECT count(*) AS n FROM verifications WHERE type = 'user' AND (id_number_sealed NOT LIKE 'v1:%' OR real_name_sealed NOT LIKE 'v1:%')`),
    ).toBe(0);
  });

  it('keeps the ledgers consistent: every balance is the sum of its ledger, and the ranking aggregates agree', async () => {
    expect(result.currencyLedger).toBe(await count('SELECT count(*) AS n FROM currency_ledger'));
    expect(result.walletLedger).toBe(await count('SELECT count(*) AS n FROM wallet_ledger'));
    expect(result.currencyLedger).toBeGreaterThan(0);
    expect(await ledgerMismatches(t.db)).toEqual([]);
    expect(await earnedIncomeMismatches(t.db)).toEqual([]);
  });

  it('reports progress per stage up to its total', () => {
    expect(progress).toContain(`users ${USERS}/${USERS}`);
    expect(progress.some((line) => line.startsWith('follows '))).toBe(true);
  });

  it('gives accounts the service can use: log in with the password, read the own verification in clear', async () => {
    const {
      rows: [verified],
    } = await t.db.query(`SELECT u.id, u.phone FROM users u JOIN verifications v ON v.user_id = u.id WHERE v.type = 'user' LIMIT 1`);
    const login = await t.http().post('/api/v2/auth/login').send({ login: verified.phone, password: PASSWORD });
    expect(login.status).toBe(200);
    const mine = await t.http().get('/api/v2/user/verification').set(bearer(login.body.access_token));
    expect(mine.status).toBe(200);
    expect(mine.body.data.id_card.number).toMatch(/^\d{17}[\dX]$/);
    // eslint-disable-next-line no-control-regex -- any ASCII character
    expect(mine.body.data.real_name).toMatch(/^[^\x01-\x7f]{2,4}$/);
  });
});

describe('npm run seed (the command)', () => {
  it('seeds a fresh database through DATABASE_URL and prints plain progress lines when not on a terminal', async () => {
    const name = await createTestDatabase();
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join('node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', 'src/seed/seed.cli.ts', '--users', '7'],
      {
        cwd: join(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: databaseUrl(name), NODE_ENV: 'development', DATA_DIR: mkdtempSync(join(tmpdir(), 'seed-cli-')) },
        timeout: 90_000,
      },
    );
    expect(stdout).toMatch(/users\s+7 \(ids/);
    expect(stderr).toMatch(/^users 7\/7$/m);
    // eslint-disable-next-line no-control-regex -- no carriage return nor terminal escape
    expect(stderr).not.toMatch(/\r|\x1b\[/);
  }, 120_000);
});
