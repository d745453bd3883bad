'use strict';
// The baseline: node:http + pg, no framework. It serves every route the scenarios declare in `baseline`
// (bench/scenarios/*.js), with the same SQL as the service (lib/service-statements.js, from the build).
// Env: DATABASE_URL, PORT, JWT_SECRET, DATABASE_POOL_SIZE (default 20, as the service).
const { createHash, createHmac, timingSafeEqual } = require('node:crypto');
const { createServer } = require('node:http');
const { Pool, types } = require('pg');
const { AUTHENTICATE, READ_YOUR_WRITES_SECONDS } = require('./service-statements');
const { loadScenarios } = require('./scenarios');

types.setTypeParser(types.builtins.INT8, Number);
const pg = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
/** Named prepared statements, as the service's src/database/prepared-query.ts runs its hot-path reads. */
const pool = {
  query: (text, values) => pg.query({ name: `p_${createHash('sha1').update(text).digest('base64url')}`, text, values }),
  /** Unprepared, for SQL the service composes per request (operator where) and so does not prepare either. */
  plain: (text, values) => pg.query(text, values),
  end: () => pg.end(),
};
const secret = process.env.JWT_SECRET;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** HS256 JWT check (signature, exp) + the service's session query. Returns the viewer id, or null. */
async function authenticate(req) {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!match) return null;
  const [header, payload, signature] = match[1].split('.');
  if (!signature) return null;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (JSON.parse(Buffer.from(header, 'base64url')).alg !== 'HS256') return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url'));
  if (claims.typ !== 'access' || !(claims.exp > Date.now() / 1000) || !UUID.test(claims.sid) || !UUID.test(claims.jti)) return null;
  const {
    rows: [row],
  } = await pool.query(AUTHENTICATE, [claims.sid, Number(claims.sub), READ_YOUR_WRITES_SECONDS]);
  if (!row || row.revoked_at || row.disabled_at || row.cancelled_at || row.current_jti !== claims.jti) return null;
  return Number(claims.sub);
}

const routes = loadScenarios().flatMap((scenario) => scenario.baseline ?? []);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length ? JSON.parse(Buffer.concat(chunks)) : undefined));
    req.on('error', reject);
  });
}

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    for (const route of routes) {
      const match = req.method === route.method && route.path.exec(url.pathname);
      if (!match) continue;
      const body = req.method === 'GET' ? undefined : await readBody(req);
      const { status, body: answer } = await route.handle({ req, url, match, body, pool, authenticate });
      return send(res, status, answer);
    }
    if (url.pathname === '/health/ready') return send(res, 200, { status: 'ok' });
    send(res, 404, { message: 'not found' });
  } catch (error) {
    send(res, 500, { message: error.message });
  }
}).listen(Number(process.env.PORT), '127.0.0.1');

process.once('SIGTERM', () => pool.end().finally(() => process.exit(0)));
