#!/usr/bin/env node
'use strict';
// `npm run bench -- [--duration 20] [--connections 64] [--warmup 2] [--scenarios B1,B2,B3,B6] [--explain]`
// See bench/README.md. Builds nothing itself: `npm run bench` runs `npm run build` first.
const { mkdirSync, writeFileSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { Client } = require('pg');
const { startDatabase } = require('./lib/database');
const fixtures = require('./lib/fixtures');
const { createContext } = require('./lib/load');
const { cleanup } = require('./lib/processes');
const { loadScenarios } = require('./lib/scenarios');
const { login, startBaseline, startService } = require('./lib/service');
const { render } = require('./lib/table');

const log = (message) => console.error(`[bench] ${message}`);

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '2' },
      scenarios: { type: 'string' },
      explain: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const all = loadScenarios();
  if (values.help) {
    console.log('npm run bench -- [--duration s] [--connections n] [--warmup s] [--scenarios B1,B2] [--explain]\n');
    for (const s of all) console.log(`  ${s.id}  ${s.title}`);
    process.exit(0);
  }
  const wanted = values.scenarios
    ? values.scenarios
        .toUpperCase()
        .split(',')
        .map((s) => s.trim())
    : all.map((s) => s.id);
  const unknown = wanted.filter((id) => !all.some((s) => s.id === id));
  if (unknown.length) {
    console.error(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.map((s) => s.id).join(', ')}`);
    process.exit(2);
  }
  return {
    scenarios: all.filter((s) => wanted.includes(s.id)),
    duration: Number(values.duration),
    connections: Number(values.connections),
    warmup: Number(values.warmup),
    explain: values.explain,
  };
}

/** Database, seed, viewer, service and baseline: what every non-standalone scenario shares. */
async function prepare(opts) {
  const databaseUrl = await startDatabase({ log });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let viewer;
  try {
    const seeding = performance.now();
    for (const scenario of opts.scenarios) if (scenario.seed) await scenario.seed(db, fixtures, log);
    viewer = { id: await fixtures.ensureViewer(db) };
    await db.query('VACUUM ANALYZE');
    log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const service = await startService({ env: { DATABASE_URL: databaseUrl } });
    const baseline = await startBaseline({ databaseUrl });
    log(`service ${service.url}, baseline ${baseline.url}`);
    viewer.token = await login(service.url, fixtures.VIEWER_NAME, fixtures.PASSWORD);
    viewer.sessionId = JSON.parse(Buffer.from(viewer.token.split('.')[1], 'base64url')).sid;
    if (opts.explain) await explain(db, opts.scenarios, viewer);
    return { service: service.url, baseline: baseline.url, viewer, databaseUrl };
  } finally {
    await db.end();
  }
}

/** --explain: EXPLAIN ANALYZE of each scenario's SQL on the seeded data. */
async function explain(db, scenarios, viewer) {
  for (const scenario of scenarios) {
    for (const { label, sql, params } of scenario.explain?.(viewer) ?? []) {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      console.log(`\n-- ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
  }
}

async function main() {
  const opts = options();
  const shared = opts.scenarios.some((s) => !s.standalone) ? await prepare(opts) : {};
  const ctx = createContext({ options: opts, log, ...shared });
  const rows = [];
  for (const scenario of opts.scenarios) {
    log(`${scenario.id} ${scenario.title}`);
    try {
      rows.push(...(await scenario.run(ctx)));
    } catch (error) {
      console.error(error);
      rows.push({ id: `${scenario.id} ${scenario.title}`, target: scenario.target ?? '', pass: false, notes: `error: ${error.message.split('\n')[0]}` });
    }
  }
  const heading =
    `${new Date().toISOString()} · node ${process.version} · ${availableParallelism()} CPUs · ` +
    `${opts.duration} s per run after ${opts.warmup} s warm-up · ${opts.connections} connections · ratio = service / baseline req/s`;
  const table = render(rows);
  console.log(`\n${heading}\n\n${table}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), `# npm run bench\n\n${heading}\n\n${table}\n`);
  log(`written to ${join(dir, 'latest.md')}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
