'use strict';
// B2: the user list, first page of 50, as a guest (no token: the spec names no viewer for B2).
const { USER_LIST, publicUser } = require('../lib/service-statements');
const { verdict } = require('../lib/table');

module.exports = {
  id: 'B2',
  title: 'GET /api/v2/users?limit=50',
  target: '≥ 0.8× baseline',

  async seed(db, fixtures) {
    await fixtures.ensureUsers(db, 100_000);
  },

  explain: () => [{ label: 'B2 user list', sql: USER_LIST, params: [null, null, 50, 0] }],

  async run(ctx) {
    const result = await ctx.compare({ path: () => '/api/v2/users?limit=50', sameAnswer: true });
    return [verdict(`${this.id} ${this.title}`, this.target, result, { minRatio: 0.8 })];
  },

  baseline: [
    {
      method: 'GET',
      path: /^\/api\/v2\/users$/,
      async handle({ req, url, pool, authenticate }) {
        const viewer = req.headers.authorization ? await authenticate(req) : null;
        const limit = Number(url.searchParams.get('limit') ?? 20);
        const { rows } = await pool.query(USER_LIST, [viewer, viewer, limit, 0]);
        return { status: 200, body: rows.map(publicUser) };
      },
    },
  ],
};
