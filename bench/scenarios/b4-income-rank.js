'use strict';
// B4: the income ranking over 1M users and 10M points-ledger rows from the last 365 days.
//  - full refreshes of the standing (days, city) set, run by the service's own scheduled job: a second service
//    instance with an every-second cron refreshes twice (the half-period guard), and its run rows give the durations.
//    The first one also builds the running totals of the standing windows from the daily rows (what the first
//    refresh after installing this version does once); the second is the steady 3-minute refresh (top-N reads);
//  - the first request of combinations outside the standing set: a standing window in another city (a top-N read of
//    its running totals) and a window of days not kept (one live query over the daily aggregates);
//  - GET /api/v2/user/currency/income-rank?limit=100 as the viewer (served from the snapshot), against a baseline
//    doing the same statements.
const { join } = require('node:path');
const { Client } = require('pg');
const { RANK_SNAPSHOT_TIME, RANKED_USERS, MY_RANK, OWN_EARNED_TOTAL, USER_BY_ID, publicUser, ownerUser, topEarners } = require('../lib/service-statements');
const { startService } = require('../lib/service');
const { timing, verdict } = require('../lib/table');

const USERS = 1_000_000;
const LEDGER_ROWS = 10_000_000;
const DAYS = 365;
const LIMIT = 100;

/** rankKey, and SNAPSHOT_SIZE: how many positions a snapshot keeps (further down, "1000+"). */
const { rankKey, SNAPSHOT_SIZE } = require(join(__dirname, '..', '..', 'dist', 'src', 'ranking', 'income-rank.keys.js'));

/** The standing set: the default windows (all time, 1, 7, 30, 365 days) for every city and for one big city. */
const STANDING_CITIES = '北京';

async function withDb(url, work) {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

module.exports = {
  id: 'B4',
  title: 'income ranking',

  async seed(db, fixtures, log) {
    await fixtures.ensureUsers(db, USERS);
    await fixtures.ensureCurrencyLedger(db, LEDGER_ROWS, DAYS, log);
  },

  explain: () => [
    { label: 'B4 refresh, 30 days, every city (IncomeRankRefresher.compute, running totals)', ...topEarners(30, null, SNAPSHOT_SIZE) },
    { label: 'B4 refresh, 30 days, 北京 (running totals)', ...topEarners(30, '北京', SNAPSHOT_SIZE) },
    { label: 'B4 request, 90 days, 杭州 (daily rows)', ...topEarners(90, '杭州', SNAPSHOT_SIZE, false) },
    { label: 'B4 rank page', sql: RANKED_USERS, params: [rankKey({ days: null, city: null }), null, null, LIMIT, 0] },
  ],

  async run(ctx) {
    const rows = [];
    ctx.log('B4: one refresh of the standing set by a second instance');
    // A kept database (BENCH_DATABASE_NAME) has the totals from its last run: forget them, so the first refresh builds them.
    await withDb(ctx.databaseUrl, (db) => db.query('TRUNCATE currency_income_windows, currency_income_window_days'));
    const before = await withDb(ctx.databaseUrl, async (db) => Number((await db.query('SELECT coalesce(max(id), 0) AS id FROM income_rank_runs')).rows[0].id));
    const refresher = await startService({
      name: 'b4-refresher',
      env: { DATABASE_URL: ctx.databaseUrl, RANK_REFRESH_CRON: '* * * * * *', RANK_STANDING_CITIES: STANDING_CITIES },
    });
    const runs = [];
    for (let waited = 0; runs.length < 2 && waited < 300_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      runs.splice(
        0,
        runs.length,
        ...(await withDb(
          ctx.databaseUrl,
          async (db) => (await db.query('SELECT duration_ms, keys_refreshed FROM income_rank_runs WHERE id > $1 ORDER BY id LIMIT 2', [before])).rows,
        )),
      );
    }
    await refresher.proc.stop(30_000);
    const [building, steady] = runs;
    rows.push(
      building
        ? timing(`${this.id} first refresh, building the window totals (${building.keys_refreshed} combinations)`, '≤ 10 s', building.duration_ms / 1000, 10)
        : { id: `${this.id} first refresh`, target: '≤ 10 s', pass: false, notes: 'no refresh within 5 minutes' },
      steady
        ? timing(`${this.id} full refresh (${steady.keys_refreshed} combinations)`, '≤ 1 s (goal; spec ≤ 10 s)', steady.duration_ms / 1000, 1)
        : { id: `${this.id} full refresh`, target: '≤ 1 s', pass: false, notes: 'no second refresh within 5 minutes' },
    );

    const headers = { authorization: `Bearer ${ctx.viewer.token}` };
    for (const [days, what] of [
      [7, 'a standing window in another city'],
      [90, 'a window of days not kept'],
    ]) {
      const started = performance.now();
      const fresh = await fetch(`${ctx.service}/api/v2/user/currency/income-rank?days=${days}&city=${encodeURIComponent('杭州')}&limit=${LIMIT}`, { headers });
      const seconds = (performance.now() - started) / 1000;
      rows.push(
        timing(`${this.id} first request of ${days} days in 杭州 (${what})`, '≤ 1 s', seconds, 1, fresh.status === 200 ? '' : `status ${fresh.status}`),
      );
    }

    const load = { path: () => `/api/v2/user/currency/income-rank?limit=${LIMIT}`, headers, sameAnswer: true };
    rows.push(
      verdict(`${this.id} GET /api/v2/user/currency/income-rank?limit=100`, '≥ 2× baseline (same statements per request)', await ctx.compare(load), {
        minRatio: 2,
      }),
    );
    return rows;
  },

  baseline: [
    {
      method: 'GET',
      path: /^\/api\/v2\/user\/currency\/income-rank$/,
      async handle({ req, url, pool, authenticate }) {
        const viewer = await authenticate(req);
        const limit = Number(url.searchParams.get('limit') ?? LIMIT);
        const key = rankKey({ days: null, city: null });
        await pool.query(RANK_SNAPSHOT_TIME, [key]);
        const { rows } = await pool.query(RANKED_USERS, [key, viewer, viewer, limit, 0]);
        const body = { rank_list: rows.map((row, position) => ({ user: publicUser(row), amount_count: row.rank_amount, rank: String(position + 1) })) };
        if (viewer !== null) {
          const {
            rows: [owner],
          } = await pool.query(USER_BY_ID, [viewer, null, null, viewer]);
          const {
            rows: [ranked],
          } = await pool.query(MY_RANK, [key, viewer]);
          if (ranked) body.my_rank = { user: ownerUser(owner), amount_count: ranked.amount, rank: String(ranked.position) };
          else {
            const {
              rows: [own],
            } = await pool.query(OWN_EARNED_TOTAL, [viewer]);
            body.my_rank = { user: ownerUser(owner), amount_count: own?.amount ?? 0, rank: `${SNAPSHOT_SIZE}+` };
          }
        }
        return { status: 200, body };
      },
    },
  ],
};
