'use strict';
// Child processes, ports, temp dirs and the cleanup that runs on success, error and Ctrl-C.
const { spawn } = require('node:child_process');
const { mkdtempSync, chmodSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const cleanups = [];
let cleaning = null;

/** Registers work for the end of the run; it runs last-in first-out, once. */
function onCleanup(fn) {
  cleanups.push(fn);
}

function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (error) {
        console.error(`cleanup: ${error.message}`);
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping children and removing temp dirs…`);
    cleanup().finally(() => process.exit(130));
  });
}

/** A temporary directory (traversable: the embedded PostgreSQL runs as user `postgres` when we are root). */
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  chmodSync(dir, 0o755);
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Only what a process needs from our environment: no DATABASE_URL, PORT, … leaks into the children. */
function baseEnv() {
  const env = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
}

/**
 * Starts `node <script>` with the given environment. The last lines of its output are kept for error messages;
 * `stop()` sends SIGTERM, then SIGKILL after `graceMs`. It is stopped at cleanup if still running.
 */
function startNode(name, script, env, { cwd = process.cwd(), nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((info) => (exitInfo = info));

  async function stop(graceMs = 10_000) {
    if (exitInfo) return exitInfo;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const info = await exited;
    clearTimeout(timer);
    return info;
  }
  onCleanup(() => stop());
  return {
    name,
    child,
    exited,
    stop,
    output: () => tail.join('\n'),
    get exitInfo() {
      return exitInfo;
    },
  };
}

/** Polls `url` until it answers 200; fails early when the process exits. Resolves with the elapsed ms. */
async function waitForHttp(url, proc, timeoutMs = 60_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (proc?.exitInfo) throw new Error(`${proc.name} exited (${JSON.stringify(proc.exitInfo)}) before ${url} was ready:\n${proc.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms${proc ? `:\n${proc.output()}` : ''}`);
}

module.exports = { onCleanup, cleanup, tempDir, freePort, startNode, waitForHttp };
