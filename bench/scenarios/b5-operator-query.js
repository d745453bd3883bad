'use strict';
// B5: the operator query of quality.md §1 over 1M users, as the founder (ADMIN_NAME of the bench service):
// token check, ability check, custom-field schema, then the where query itself (one page of 100, newest first).
const { ADMIN_NAME, PASSWORD } = require('../lib/fixtures');
const { HOLDS_ABILITY, USER_FIELDS, PROFILES_CREATED_SINCE, operatorProfile } = require('../lib/service-statements');
const { randomInt } = require('../lib/load');
const { login } = require('../lib/service');
const { verdict } = require('../lib/table');

const USERS = 1_000_000;
const LIMIT = 100;
const PATH = '/userve/v2.2/miniapp/user_profile/';
const DAY = 86_400;

/** Users created in the last 1–365 days (the seed spreads 1M users over ~2 years): every page is full. */
const whereSince = () => JSON.stringify({ created_at: { $gte: Math.floor(Date.now() / 1000) - randomInt(1, 365) * DAY } });

module.exports = {
  id: 'B5',
  title: 'GET /userve/v2.2/miniapp/user_profile/?where={"created_at":{"$gte":…}}&limit=100',
  target: '≥ 0.9× baseline; p50 at the fixed rate ≤ 20 ms',

  async seed(db, fixtures) {
    await fixtures.ensureUsers(db, USERS);
  },

  explain: () => [{ label: 'B5 profiles created since', sql: PROFILES_CREATED_SINCE, params: [Date.now() / 1000 - 30 * DAY, LIMIT + 1, 0] }],

  async run(ctx) {
    const token = await login(ctx.service, ADMIN_NAME, PASSWORD);
    const load = {
      path: () => `${PATH}?where=${encodeURIComponent(whereSince())}&limit=${LIMIT}`,
      headers: { authorization: `Bearer ${token}` },
      sameAnswer: true,
    };
    return [verdict(`${this.id} operator where query`, this.target, await ctx.compare(load), { minRatio: 0.9, maxP50: 20 })];
  },

  baseline: [
    {
      method: 'GET',
      path: /^\/userve\/v2\.2\/miniapp\/user_profile\/?$/,
      async handle({ req, url, pool, authenticate }) {
        const viewer = await authenticate(req);
        if (!viewer) return { status: 401, body: { status: 'error', error_msg: 'Unauthenticated.' } };
        const {
          rows: [{ allowed }],
        } = await pool.query(HOLDS_ABILITY, [viewer, 'admin:user:show']);
        if (!allowed) return { status: 403, body: { status: 'error', error_msg: 'forbidden' } };
        await pool.query(USER_FIELDS, []);
        const where = url.searchParams.get('where');
        const since = JSON.parse(where).created_at.$gte;
        const limit = Number(url.searchParams.get('limit'));
        const { rows } = await pool.plain(PROFILES_CREATED_SINCE, [since, limit + 1, 0]);
        const meta = {
          limit,
          offset: 0,
          next: rows.length > limit ? `${url.pathname}?where=${encodeURIComponent(where)}&limit=${limit}&offset=${limit}` : null,
          previous: null,
        };
        return { status: 200, body: { meta, objects: rows.slice(0, limit).map(operatorProfile) } };
      },
    },
  ],
};
