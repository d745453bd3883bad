#!/usr/bin/env node
'use strict';
// `node bench/thinksns-import.js [--users 1000000] [--orders 5] [--mysql mysql://root@127.0.0.1:3306]
//   [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--batch-size 500] [--keep]`
// Fills a scratch MariaDB database with the original's tables (test/fixtures/thinksns-plus-2.4.sql): N users, three
// follows each, `--orders` points orders and as many wallet orders each (1M users × 5 × 2 = 10M ledger rows), balances
// that agree with the orders except for 1 % of accounts. Then times `node dist/src/thinksns-import/import.cli.js`
// (build first: `npm run build`) into a scratch PostgreSQL database and prints the throughput. Needs MariaDB (its
// Sequence engine generates the rows).
const { spawn } = require('node:child_process');
const { readFileSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { createConnection } = require('mysql2/promise');
const { Client } = require('pg');

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    orders: { type: 'string', default: '5' },
    mysql: { type: 'string', default: 'mysql://root@127.0.0.1:3306' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'batch-size': { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.users);
const ORDERS = Number(values.orders);
const NAME = `thinksns_bench_${process.pid}`;
const log = (message) => console.error(`[bench] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function fillSource(mysql) {
  await mysql.query(`CREATE DATABASE ${NAME} CHARACTER SET utf8mb4`);
  await mysql.query(`USE ${NAME}`);
  await mysql.query(readFileSync(join(__dirname, '..', 'test/fixtures/thinksns-plus-2.4.sql'), 'utf8'));
  await mysql.query('SET FOREIGN_KEY_CHECKS = 0');
  // One hash for everyone (bcrypt of "bench-pass", PHP prefix): hashing is not what is measured.
  const hash = '$2y$10$' + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0';
  const steps = [
    [
      'users',
      `INSERT INTO users (id, name, email, phone, password, bio, sex, location, created_at, updated_at)
      SELECT seq, concat('user', seq), concat('user', seq, '@example.com'), 13000000000 + seq, '${hash}', 'bio', seq % 3,
             '中国 四川省 成都市', '2019-01-01' + INTERVAL (seq % 1000) HOUR, '2020-01-01' FROM seq_1_to_${N}`,
    ],
    ['user_extras', `INSERT INTO user_extras (user_id, likes_count, comments_count, feeds_count) SELECT seq, seq % 50, seq % 7, seq % 11 FROM seq_1_to_${N}`],
    [
      'user_follow',
      `INSERT INTO user_follow (user_id, target, created_at)
      SELECT u.seq, (u.seq + k.seq * 7919) % ${N} + 1, '2020-01-01' FROM seq_1_to_${N} u JOIN seq_1_to_3 k WHERE (u.seq + k.seq * 7919) % ${N} + 1 <> u.seq`,
    ],
    [
      'currency_orders',
      `INSERT INTO currency_orders (owner_id, title, type, target_type, target_id, currency, amount, state, created_at)
      SELECT u.seq, IF(k.seq % 3 = 0, '兑换', '签到奖励'), IF(k.seq % 3 = 0, -1, 1), IF(k.seq % 3 = 0, 'commodity', 'task'), '0', 1,
             IF(k.seq % 3 = 0, 1, 10 + k.seq), 1, '2020-01-01' + INTERVAL k.seq DAY FROM seq_1_to_${N} u JOIN seq_1_to_${ORDERS} k`,
    ],
    [
      'wallet_orders',
      `INSERT INTO wallet_orders (owner_id, target_type, target_id, title, type, amount, state, created_at)
      SELECT u.seq, 'user', '1', IF(k.seq % 4 = 0, '转账', '收到转账'), IF(k.seq % 4 = 0, -1, 1), IF(k.seq % 4 = 0, 1, 100 * k.seq), 1,
             '2020-01-01' + INTERVAL k.seq DAY FROM seq_1_to_${N} u JOIN seq_1_to_${ORDERS} k`,
    ],
    [
      'currencies',
      `INSERT INTO currencies (owner_id, type, sum, updated_at)
      SELECT owner_id, 1, sum(type * CAST(amount AS SIGNED)) + IF(owner_id % 100 = 0, 7, 0), '2021-01-01' FROM currency_orders GROUP BY owner_id`,
    ],
    [
      'wallet',
      `INSERT INTO wallet (owner_id, balance, total_income, total_expenses, updated_at)
      SELECT owner_id, sum(type * CAST(amount AS SIGNED)) + IF(owner_id % 100 = 0, 3, 0), sum(IF(type = 1, amount, 0)), sum(IF(type = -1, amount, 0)), '2021-01-01'
        FROM wallet_orders GROUP BY owner_id`,
    ],
  ];
  for (const [table, sql] of steps) {
    const started = Date.now();
    await mysql.query(sql);
    log(`source ${table}: ${seconds(Date.now() - started)}`);
  }
}

function runImport(databaseUrl, storage) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '..', 'dist/src/thinksns-import/import.cli.js'),
        '--from',
        `${values.mysql}/${NAME}`,
        '--report',
        join(storage, 'report.jsonl'),
        '--batch-size',
        values['batch-size'],
      ],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, STORAGE_DIR: join(storage, 'storage'), DATA_DIR: storage, NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

async function main() {
  const mysql = await createConnection({ uri: values.mysql, multipleStatements: true });
  const admin = new Client({ connectionString: values.postgres });
  await admin.connect();
  const target = new URL(values.postgres);
  target.pathname = `/${NAME}`;
  const storage = mkdtempSync(join(tmpdir(), 'thinksns-bench-'));
  try {
    log(`generating ${N} users, ${N * ORDERS * 2} orders in MariaDB`);
    await fillSource(mysql);
    await admin.query(`CREATE DATABASE ${NAME}`);
    const started = Date.now();
    const { code, stdout } = await runImport(target.toString(), storage);
    const elapsed = Date.now() - started;
    console.log(stdout);
    const [[{ n: ledger }]] = await mysql.query('SELECT (SELECT count(*) FROM currency_orders) + (SELECT count(*) FROM wallet_orders) AS n');
    if (code !== 0) {
      console.log(`import failed (exit ${code}) after ${seconds(elapsed)}`);
      process.exitCode = 1;
      return;
    }
    console.log(
      `import of ${N} users / ${ledger} ledger rows: ${seconds(elapsed)}, ` +
        `${Math.round(N / (elapsed / 1000))} users/s, ${Math.round(Number(ledger) / (elapsed / 1000))} ledger rows/s`,
    );
  } finally {
    if (!values.keep) {
      await mysql.query(`DROP DATABASE IF EXISTS ${NAME}`);
      await admin.query(`DROP DATABASE IF EXISTS ${NAME}`);
      rmSync(storage, { recursive: true, force: true });
    }
    await mysql.end();
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
