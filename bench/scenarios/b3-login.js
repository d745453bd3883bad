'use strict';
// B3: password login over 1k accounts (bcrypt cost 10), against a raw `bcrypt.compare` loop; then B1 reads while
// the same login storm runs, on each server.
const bcrypt = require('bcrypt');
const { PASSWORD } = require('../lib/fixtures');
const { LOGIN_BY_NAME } = require('../lib/service-statements');
const { randomInt } = require('../lib/load');
const { verdict } = require('../lib/table');
const b1 = require('./b1-user-show');

const ACCOUNTS = 1000;

const loginLoad = (password) => ({
  method: 'POST',
  path: () => '/api/v2/auth/login',
  body: () => ({ login: `bench_u${randomInt(1, ACCOUNTS)}`, password }),
});

module.exports = {
  id: 'B3',
  title: 'POST /api/v2/auth/login',
  target: '≥ 0.85× bcrypt loop',

  async seed(db, fixtures) {
    await fixtures.ensureUsers(db, 100_000);
    await fixtures.ensurePasswords(db, ACCOUNTS);
  },

  explain: () => [{ label: 'B3 account by login name', sql: LOGIN_BY_NAME, params: ['bench_u17'] }],

  async run(ctx) {
    const logins = loginLoad(PASSWORD);
    const rows = [verdict(`${this.id} ${this.title}`, this.target, await ctx.compare(logins), { minRatio: 0.85 })];

    const storm = async (url) => {
      const [login, reads] = await ctx.together([
        { url, load: logins },
        { url, load: b1.load(ctx) },
      ]);
      return { login, reads };
    };
    const service = await storm(ctx.service);
    const baseline = await storm(ctx.baseline);
    const row = verdict(`${this.id} B1 p99 during login storm`, 'B1 p99 ≤ 100 ms', { service: service.reads, baseline: baseline.reads }, { maxP99: 100 });
    const meanwhile = `logins meanwhile: service ${service.login.rps.toFixed(0)}/s, baseline ${baseline.login.rps.toFixed(0)}/s`;
    row.notes = [row.notes, meanwhile].filter(Boolean).join('; ');
    rows.push(row);
    return rows;
  },

  baseline: [
    {
      method: 'POST',
      path: /^\/api\/v2\/auth\/login$/,
      async handle({ body, pool }) {
        const {
          rows: [user],
        } = await pool.query(LOGIN_BY_NAME, [body.login]);
        const ok = user?.password && (await bcrypt.compare(body.password, user.password.replace(/^\$2y\$/, '$2b$')));
        return ok ? { status: 200, body: { id: user.id } } : { status: 422, body: { message: 'bad_credentials' } };
      },
    },
  ],
};
