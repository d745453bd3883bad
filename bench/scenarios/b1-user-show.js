'use strict';
// B1: one user by id, with a viewer token (token check + the single user-view query with both follow flags).
const { AUTHENTICATE, READ_YOUR_WRITES_SECONDS, USER_BY_ID, publicUser } = require('../lib/service-statements');
const { randomInt } = require('../lib/load');
const { verdict } = require('../lib/table');

const USERS = 100_000;

/** Random ids among the seeded users, as the viewer. Also used by B3's "reads during a login storm". */
const load = (ctx) => ({
  path: () => `/api/v2/users/${randomInt(1, USERS)}`,
  sameAnswer: true,
  headers: { authorization: `Bearer ${ctx.viewer.token}` },
});

module.exports = {
  id: 'B1',
  title: 'GET /api/v2/users/:id',
  target: '≥ 0.85× baseline; p99 at the fixed rate ≤ 1.5× baseline p99',
  load,

  async seed(db, fixtures) {
    await fixtures.ensureUsers(db, USERS);
  },

  explain: (viewer) => [
    { label: 'B1 token check', sql: AUTHENTICATE, params: [viewer.sessionId, viewer.id, READ_YOUR_WRITES_SECONDS] },
    { label: 'B1 user by id', sql: USER_BY_ID, params: [4250, viewer.id, viewer.id, viewer.id] },
  ],

  async run(ctx) {
    return [verdict(`${this.id} ${this.title}`, this.target, await ctx.compare(load(ctx)), { minRatio: 0.85, maxP99Ratio: 1.5 })];
  },

  baseline: [
    {
      method: 'GET',
      path: /^\/api\/v2\/users\/(\d+)$/,
      async handle({ req, match, pool, authenticate }) {
        const viewer = await authenticate(req);
        const {
          rows: [row],
        } = await pool.query(USER_BY_ID, [Number(match[1]), viewer, viewer, viewer]);
        return row ? { status: 200, body: publicUser(row) } : { status: 404, body: { message: 'not found' } };
      },
    },
  ],
};
