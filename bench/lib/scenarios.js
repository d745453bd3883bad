'use strict';
// Every bench/scenarios/*.js, in file-name order. A scenario module exports:
//   id, title, target          table labels ('B1', 'GET /api/v2/users/:id', '≥ 0.7× baseline, p99 ≤ 50 ms')
//   standalone                 true: needs neither the seeded database nor the running service (B6)
//   seed(db, fixtures)         optional: seeds what it needs with lib/fixtures.js (idempotent helpers)
//   run(ctx) → rows            measures (see lib/load.js for ctx) and returns table rows (lib/table.js verdict())
//   baseline: [{ method, path: RegExp, handle({ req, url, match, body, pool, authenticate }) → { status, body } }]
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const DIR = join(__dirname, '..', 'scenarios');

function loadScenarios() {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.js'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((file) => require(join(DIR, file)));
}

module.exports = { loadScenarios };
