'use strict';
// The production build (`node dist/src/main.js`) and the baseline, as child processes.
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const { ADMIN_NAME, PASSWORD } = require('./fixtures');
const { freePort, startNode, tempDir, waitForHttp } = require('./processes');

const ROOT = join(__dirname, '..', '..');
const JWT_SECRET = randomBytes(48).toString('base64');
const PII_ENCRYPTION_KEY = randomBytes(32).toString('hex');

/** Production settings; the rate limits are at their maximum so the load is never throttled. */
function serviceEnv(extra) {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET,
    PII_ENCRYPTION_KEY,
    RATE_LIMIT_PER_MINUTE: '10000000',
    // The founder account of B5 (created at start when no founder exists).
    ADMIN_NAME: ADMIN_NAME,
    ADMIN_PASSWORD: PASSWORD,
    // The scheduled rank refresh would load the machine during other scenarios; B4 runs and times one on its own.
    RANK_REFRESH_CRON: 'off',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000000',
    VERIFY_CODE_IP_HOURLY_LIMIT: '10000000',
    ...extra,
  };
}

/**
 * Spawns the service (DATA_DIR defaults to a fresh temp dir; no DATABASE_URL → embedded PostgreSQL) and waits for
 * /health/ready. Returns { proc, url, readyMs }.
 */
async function startService({ name = 'service', env = {}, timeoutMs = 120_000 } = {}) {
  const port = await freePort();
  // e.g. BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the service under load.
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = startNode(name, join(ROOT, 'dist', 'src', 'main.js'), serviceEnv({ PORT: String(port), DATA_DIR: env.DATA_DIR ?? tempDir('data'), ...env }), {
    cwd: ROOT,
    nodeArgs,
  });
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await waitForHttp(`${url}/health/ready`, proc, timeoutMs);
  return { proc, url, readyMs };
}

async function startBaseline({ databaseUrl }) {
  const port = await freePort();
  const proc = startNode('baseline', join(__dirname, 'baseline-server.js'), { DATABASE_URL: databaseUrl, PORT: String(port), JWT_SECRET });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health/ready`, proc, 30_000);
  return { proc, url };
}

/** An access token for `name` from the service's own login route. */
async function login(url, name, password) {
  const response = await fetch(`${url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: name, password }),
  });
  const body = await response.json();
  if (!body.access_token) throw new Error(`login of ${name} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

module.exports = { startService, startBaseline, login };
