'use strict';
// B6: start-up of the production build with no DATABASE_URL (embedded PostgreSQL): first start on an empty DATA_DIR
// (initdb + migrations), SIGTERM, then a second start on the same DATA_DIR. Time from spawn to /health/ready.
// NODE_ENV=development: production refuses to start without DATABASE_URL (the embedded server is for development).
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { freePort, onCleanup, tempDir } = require('../lib/processes');
const { startService } = require('../lib/service');
const { timing } = require('../lib/table');

/** If the service died without stopping its PostgreSQL, stop that postmaster (its pid is in postmaster.pid). */
function stopOrphanPostgres(dataDir) {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    // already gone
  }
}

module.exports = {
  id: 'B6',
  title: 'start-up (embedded PostgreSQL)',
  standalone: true,

  async run(ctx) {
    const dataDir = tempDir('b6');
    onCleanup(() => stopOrphanPostgres(dataDir));
    const env = { NODE_ENV: 'development', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
    const rows = [];
    for (const [label, target, limit] of [
      ['first start (initdb)', '≤ 15 s', 15],
      ['second start, same DATA_DIR', '≤ 5 s', 5],
    ]) {
      ctx.log(`B6: ${label}`);
      const { proc, readyMs } = await startService({ name: 'b6', env });
      const exit = await proc.stop(30_000);
      const clean = exit.code === 0 ? '' : `SIGTERM exit: ${JSON.stringify(exit)}`;
      rows.push(timing(`${this.id} ${label}`, target, readyMs / 1000, limit, clean));
    }
    return rows;
  },
};
