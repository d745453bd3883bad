'use strict';
// Latency at a fixed offered rate (quality.md §1). Requests start on a schedule, evenly spaced at `rate` per second,
// whatever the answers; they share at most `connections` kept-alive connections, and one that finds them all busy
// waits for one. Its latency counts from its scheduled start, so a server that falls behind shows it (no coordinated
// omission). autocannon's `overallRate` is not used for this: it lets each connection send its quota for the second
// back to back at the start of every second, so at half the saturated rate the server sees a saturated burst for
// half of each second, and the latency read off it is the time to drain that burst (throughput again).
const http = require('node:http');

/** Resolves with { rps, p50, p99, errors, total } like load.js's summarise (milliseconds, to 0.1 ms). */
function openLoop(url, load, { duration, connections, rate }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(url);
  const headers = { ...(load.headers ?? {}) };
  if (load.body) headers['content-type'] = 'application/json';
  const total = Math.max(1, Math.round(rate * duration));
  const latencies = [];
  let ok = 0;
  let errors = 0;
  let sent = 0;
  return new Promise((resolve) => {
    const start = performance.now();
    const settle = (scheduled, success) => {
      latencies.push(performance.now() - scheduled);
      if (success) ok++;
      else errors++;
      if (latencies.length < total) return;
      agent.destroy();
      resolve(summary(latencies, ok, errors, (performance.now() - start) / 1000));
    };
    const fire = (scheduled) => {
      const body = load.body ? JSON.stringify(load.body()) : undefined;
      let settled = false;
      const finish = (success) => {
        if (settled) return;
        settled = true;
        settle(scheduled, success);
      };
      const request = http.request({ agent, hostname, port, method: load.method ?? 'GET', path: load.path(), headers }, (response) => {
        response.resume();
        response.once('end', () => finish(response.statusCode < 300));
        response.once('error', () => finish(false));
      });
      request.once('error', () => finish(false));
      // As autocannon: a request without an answer after 10 s counts as an error (a run always ends).
      request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
      request.end(body);
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) fire(start + (sent++ * 1000) / rate);
      if (sent === total) clearInterval(timer);
    }, 1);
  });
}

function summary(latencies, ok, errors, seconds) {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10;
  return { rps: ok / seconds, p50: at(0.5), p99: at(0.99), errors, total: latencies.length };
}

module.exports = { openLoop };
