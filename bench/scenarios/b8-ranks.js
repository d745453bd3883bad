'use strict';
// B8: the ThinkSNS+ rank pages (thinksns-compat §6) over the B4 data (1M users, earned totals from 10M ledger rows):
// GET /api/v2/ranks/{followers,income,balance}?limit=15&offset=… as a guest (the H5 client's page size), each one
// index walk (user_extras_followers_rank_idx, user_currencies_earned_idx, wallets_balance_rank_idx), against a
// baseline running the same statement.
const { RANK_PAGE, rankedUser } = require('../lib/service-statements');
const { randomInt } = require('../lib/load');
const { verdict } = require('../lib/table');

const USERS = 1_000_000;
const LEDGER_ROWS = 10_000_000;
const DAYS = 365;
const LIMIT = 15;
/** Pages a client scrolls through: the first 20. */
const PAGES = 20;
const RANKS = ['followers', 'income', 'balance'];

const load = (name) => ({
  path: () => `/api/v2/ranks/${name}?limit=${LIMIT}&offset=${LIMIT * randomInt(0, PAGES - 1)}`,
  sameAnswer: true,
});

module.exports = {
  id: 'B8',
  title: 'GET /api/v2/ranks/*',
  target: '≥ 0.7× baseline, p99 ≤ 50 ms',

  async seed(db, fixtures, log) {
    await fixtures.ensureUsers(db, USERS);
    await fixtures.ensureCurrencyLedger(db, LEDGER_ROWS, DAYS, log);
  },

  explain: () => RANKS.map((name) => ({ label: `B8 /ranks/${name} page 3`, sql: RANK_PAGE(name), params: [null, null, LIMIT, 2 * LIMIT] })),

  async run(ctx) {
    const rows = [];
    for (const name of RANKS) {
      rows.push(verdict(`${this.id} GET /api/v2/ranks/${name}?limit=${LIMIT}`, this.target, await ctx.compare(load(name)), { minRatio: 0.7, maxP99: 50 }));
    }
    return rows;
  },

  baseline: [
    {
      method: 'GET',
      path: /^\/api\/v2\/ranks\/(followers|income|balance)$/,
      async handle({ url, match, pool }) {
        const limit = Number(url.searchParams.get('limit') ?? 10);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const { rows } = await pool.query(RANK_PAGE(match[1]), [null, null, limit, offset]);
        return { status: 200, body: rows.map((row, i) => rankedUser(row, offset + i + 1)) };
      },
    },
  ],
};
