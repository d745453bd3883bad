'use strict';
// B7: the H5 client's first screen as a signed-in user: GET /api/v2/bootstrappers, /user, /user/recommends,
// /user/populars, one after the other per "screen" (the load cycles through them). Routes the service does not
// have yet (404 on the probe) are skipped with a printed note; the baseline serves those it has the SQL for.
const { OWNER_BY_ID, POPULAR_USERS, RECOMMENDED_USERS, bootstrappers, ownerUser, publicUser } = require('../lib/service-statements');
const { verdict } = require('../lib/table');

const ROUTES = ['/api/v2/bootstrappers', '/api/v2/user', '/api/v2/user/recommends', '/api/v2/user/populars'];
/** The baseline's bootstrappers answer, built once from the configuration (as the service does). */
let settings;
/** Users on the recommended list (admin-curated). */
const RECOMMENDED = 30;

module.exports = {
  id: 'B7',
  title: "the H5 client's first screen",
  target: '≥ 0.8× baseline',

  async seed(db, fixtures) {
    await fixtures.ensureUsers(db, 100_000);
    await db.query(
      `INSERT INTO recommended_users (user_id, created_at)
       SELECT id, now() - make_interval(mins => id::int) FROM generate_series(1, $1::int) AS id
       ON CONFLICT DO NOTHING`,
      [RECOMMENDED],
    );
  },

  async run(ctx) {
    const headers = { authorization: `Bearer ${ctx.viewer.token}` };
    const present = [];
    for (const path of ROUTES) {
      const [service, baseline] = await Promise.all([ctx.service, ctx.baseline].map((url) => fetch(url + path, { headers }).then((r) => r.status)));
      if (service === 404 || baseline === 404)
        ctx.log(`B7: ${path} skipped (service ${service}, baseline ${baseline}: ${service === 404 ? 'route not built yet' : 'no baseline handler yet'})`);
      else present.push(path);
    }
    if (!present.length) return [{ id: `${this.id} ${this.title}`, target: this.target, pass: false, notes: 'none of the routes exists' }];
    let next = 0;
    const load = { path: () => present[next++ % present.length], headers, sameAnswer: true };
    const skipped = ROUTES.filter((path) => !present.includes(path));
    const row = verdict(`${this.id} ${this.title} (${present.length} of ${ROUTES.length} routes)`, this.target, await ctx.compare(load), { minRatio: 0.8 });
    if (skipped.length) row.notes = [row.notes, `skipped (a 404 on the service or the baseline): ${skipped.join(', ')}`].filter(Boolean).join('; ');
    return [row];
  },

  baseline: [
    {
      method: 'GET',
      path: /^\/api\/v2\/bootstrappers$/,
      async handle() {
        settings ??= bootstrappers();
        return { status: 200, body: settings };
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/user\/populars$/,
      async handle({ req, url, pool, authenticate }) {
        const viewer = await authenticate(req);
        const limit = Number(url.searchParams.get('limit') ?? 15);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const { rows } = await pool.query(POPULAR_USERS, [viewer, viewer, limit, offset]);
        return { status: 200, body: rows.map(publicUser) };
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/user$/,
      async handle({ req, pool, authenticate }) {
        const viewer = await authenticate(req);
        if (viewer === null) return { status: 401, body: { message: 'unauthenticated' } };
        const {
          rows: [row],
        } = await pool.query(OWNER_BY_ID, [viewer, null, null, viewer]);
        return { status: 200, body: ownerUser(row) };
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/user\/recommends$/,
      async handle({ req, url, pool, authenticate }) {
        const viewer = await authenticate(req);
        if (viewer === null) return { status: 401, body: { message: 'unauthenticated' } };
        const limit = Number(url.searchParams.get('limit') ?? 20);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const { rows } = await pool.query(RECOMMENDED_USERS, [viewer, viewer, viewer, limit, offset]);
        return { status: 200, body: rows.map(publicUser) };
      },
    },
  ],
};
