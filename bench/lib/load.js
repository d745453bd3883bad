'use strict';
// Driving a server (keep-alive). Closed loop with autocannon for throughput; at a fixed offered rate (open-loop.js)
// for latency. A load is
//   { method = 'GET', path: () => string, headers = {}, body?: () => object }
// where path() / body() are called per request (random ids, random accounts).
const autocannon = require('autocannon');
const { openLoop } = require('./open-loop');

function run(url, load, { duration, connections }) {
  const headers = { ...(load.headers ?? {}) };
  if (load.body) headers['content-type'] = 'application/json';
  const request = {
    method: load.method ?? 'GET',
    headers,
    setupRequest(req) {
      req.path = load.path();
      if (load.body) req.body = JSON.stringify(load.body());
      return req;
    },
  };
  return autocannon({ url, connections, duration, requests: [request], pipelining: 1 });
}

/** req/s counts 2xx answers only; anything else is reported as errors (and fails the scenario). */
function summarise(result) {
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

function send(url, load, path = load.path(), body = load.body?.()) {
  return fetch(url + path, {
    method: load.method ?? 'GET',
    headers: { ...(load.headers ?? {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** One request before the load: a wrong token or route shows up here with its answer, not only as a count. */
async function probe(url, load) {
  const response = await send(url, load);
  const text = await response.text();
  if (response.status >= 300) console.error(`[bench] probe ${url}: ${response.status} ${text.slice(0, 300)}`);
}

/** The first path where two JSON values differ, or null. */
function firstDifference(a, b, path = '$') {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const found = firstDifference(a[key], b[key], `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/**
 * `load.sameAnswer`: the service and the baseline must answer a few identical requests with identical JSON, which
 * catches a baseline whose copied SQL no longer matches the service. Returns a note for the table ('' when equal).
 */
async function sameAnswers(service, baseline, load, samples = 5) {
  for (let i = 0; i < samples; i++) {
    const path = load.path();
    const body = load.body?.();
    const [a, b] = await Promise.all([service, baseline].map(async (url) => (await send(url, load, path, body)).json()));
    const difference = firstDifference(a, b);
    if (difference) return `baseline answer differs (${path} ${difference.slice(0, 120)})`;
  }
  return '';
}

/**
 * Waits for a run, then for one more request of the same kind: a server keeps working on the requests autocannon
 * abandoned at the end (bcrypt queues), and that backlog must not eat into the next measurement.
 */
async function drained(url, load, running) {
  const result = await running;
  await probe(url, load);
  return result;
}

/**
 * The context a scenario's run(ctx) gets. `service` and `baseline` are base URLs; measurements run one after
 * the other (never both servers at once: they share the cores), each after a short warm-up.
 */
function createContext({ options, service, baseline, viewer, databaseUrl, log }) {
  const settings = (overrides) => ({ duration: options.duration, connections: options.connections, ...overrides });

  /** Closed loop (autocannon), or at a fixed offered rate when `overrides.rate` is set (open-loop.js). */
  async function measure(url, load, overrides = {}, warmup = options.warmup) {
    const s = settings(overrides);
    const go = (duration) => (s.rate ? openLoop(url, load, { ...s, duration }) : run(url, load, { ...s, duration }).then(summarise));
    await probe(url, load);
    if (warmup > 0) await drained(url, load, go(warmup));
    return drained(url, load, go(s.duration));
  }

  /**
   * Service and baseline in alternating slices (ROUNDS of each, warm-up before the first): on a shared machine a
   * burst of someone else's load then hits both rather than whichever happened to run at that moment.
   */
  async function alternate(load, overrides, rounds = ROUNDS) {
    const duration = settings(overrides).duration / rounds;
    const slices = { service: [], baseline: [] };
    for (let round = 0; round < rounds; round++) {
      for (const [name, url] of [
        ['service', service],
        ['baseline', baseline],
      ]) {
        slices[name].push(await measure(url, load, { ...overrides, duration }, round === 0 ? options.warmup : 0));
      }
    }
    return { service: combine(slices.service), baseline: combine(slices.baseline) };
  }

  /** Several loads at once (e.g. reads during a login storm): [{ url, load, connections? }] → stats in order. */
  async function together(parts, overrides = {}) {
    const go = async (duration) => {
      const results = await Promise.all(
        parts.map((p) => run(p.url, p.load, settings({ ...overrides, duration, ...(p.connections ? { connections: p.connections } : {}) }))),
      );
      for (const p of parts) await probe(p.url, p.load);
      return results;
    };
    if (options.warmup > 0) await go(options.warmup);
    return (await go(settings(overrides).duration)).map(summarise);
  }

  /**
   * Throughput (closed loop, service then baseline), then latency at a fixed offered rate: half the baseline's
   * saturated req/s from this run, the same rate for both (quality.md §1: latency is never read off a saturated run).
   */
  async function compare(load, overrides = {}) {
    const mismatch = load.sameAnswer ? await sameAnswers(service, baseline, load) : '';
    if (mismatch) log(mismatch);
    const { service: serviceStats, baseline: baselineStats } = await alternate(load, overrides);
    const rate = Math.max(1, Math.round(baselineStats.rps / 2));
    log(`fixed rate ${rate} req/s (half the baseline's ${Math.round(baselineStats.rps)})`);
    // Alternating slices here too, and more of them: a slice's p99 is its slowest 1 %, which one stall of the machine
    // (a checkpoint, someone else's burst) decides; the median slice is the figure.
    const fixed = { rate, ...(await alternate(load, { ...overrides, rate }, FIXED_RATE_ROUNDS)) };
    return { service: serviceStats, baseline: baselineStats, fixed, mismatch };
  }

  return { options, service, baseline, viewer, databaseUrl, log, measure, together, compare };
}

/** Slices of equal duration: mean req/s, median p50 / p99, summed counts. */
function combine(slices) {
  const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    rps: slices.reduce((sum, s) => sum + s.rps, 0) / slices.length,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    total: slices.reduce((sum, s) => sum + s.total, 0),
  };
}

/** Throughput runs alternate service and baseline this many times (see alternate()); fixed-rate runs, FIXED_RATE_ROUNDS. */
const ROUNDS = 3;
const FIXED_RATE_ROUNDS = 5;

const randomInt = (min, max) => min + Math.floor(Math.random() * (max - min + 1));

module.exports = { createContext, randomInt };
