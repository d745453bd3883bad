#!/usr/bin/env node
'use strict';
// `npm run build && node bench/cpu-per-request.js [--rounds 6] [--duration 5]`
// Where B1's CPU goes: CPU time per answered request of the service, the baseline, PostgreSQL (every postgres
// process on the machine) and the load generator (this process), from /proc/<pid>/stat, over closed-loop runs of
// B1 (64 connections) that alternate between the two servers. The first round warms up and is not counted; the
// medians of the others are printed. Linux only. A throughput ratio is (pg + load + baseline) / (pg + load + service)
// when the cores are saturated, so this shows which part of a request a change moved.
const { readdirSync, readFileSync } = require('node:fs');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { startDatabase } = require('./lib/database');
const fixtures = require('./lib/fixtures');
const { cleanup } = require('./lib/processes');
const { login, startBaseline, startService } = require('./lib/service');
const b1 = require('./scenarios/b1-user-show');

const MICROS_PER_TICK = 1e6 / 100; // USER_HZ

function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
}

/** Every postgres process, including backends that exit during a round (their time is then lost: rounds are short). */
function postgresMicros() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) total += cpuMicros(pid);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

async function round(url, pid, load, duration) {
  const before = { server: cpuMicros(pid), postgres: postgresMicros(), load: process.cpuUsage() };
  const result = await autocannon({
    url,
    connections: 64,
    duration,
    pipelining: 1,
    headers: load.headers,
    requests: [
      {
        setupRequest(req) {
          req.path = load.path();
          return req;
        },
      },
    ],
  });
  const used = process.cpuUsage(before.load);
  const answered = result['2xx'];
  return {
    rps: answered / result.duration,
    server: (cpuMicros(pid) - before.server) / answered,
    postgres: (postgresMicros() - before.postgres) / answered,
    load: (used.user + used.system) / answered,
  };
}

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' }, duration: { type: 'string', default: '5' } } });
  const log = (message) => console.error(`[cpu] ${message}`);
  const databaseUrl = await startDatabase({ log });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await b1.seed(db, fixtures);
  const viewer = { id: await fixtures.ensureViewer(db) };
  await db.query('VACUUM ANALYZE');
  await db.end();
  const service = await startService({ env: { DATABASE_URL: databaseUrl } });
  const baseline = await startBaseline({ databaseUrl });
  viewer.token = await login(service.url, fixtures.VIEWER_NAME, fixtures.PASSWORD);
  const load = b1.load({ viewer });
  const servers = { service, baseline };
  const rows = { service: [], baseline: [] };
  for (let i = 0; i < Number(values.rounds); i++) {
    for (const [name, server] of Object.entries(servers)) {
      const row = await round(server.url, server.proc.child.pid, load, Number(values.duration));
      log(
        `${i === 0 ? 'warm-up ' : ''}${name}: ${Object.entries(row)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}`,
      );
      if (i > 0) rows[name].push(row);
    }
  }
  const median = (list, key) => list.map((row) => row[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
  console.log('| B1, median of rounds | req/s | server µs/req | PostgreSQL µs/req | load generator µs/req |\n|---|---|---|---|---|');
  for (const [name, list] of Object.entries(rows)) {
    console.log(`| ${name} | ${['rps', 'server', 'postgres', 'load'].map((key) => median(list, key).toFixed(0)).join(' | ')} |`);
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
