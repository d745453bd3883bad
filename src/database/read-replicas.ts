import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { installInt8Parser } from './int8';
import { firstRow } from './sql';

export interface ReplicaSettings {
  urls: string[];
  /** seconds a replica may trail the primary and still serve */
  maxLagSeconds: number;
  poolSize: number;
  /** how often each replica's health and lag are read (ms) */
  checkIntervalMs?: number;
}

interface Replica {
  url: string;
  pool: Pool;
  usable: boolean;
}

/**
 * A replica's lag: 0 when it has replayed everything it received, else the time since the last transaction it
 * replayed (a replica that stopped replaying, or lost its primary while behind, ages).
 */
const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
       ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag`;

/**
 * The streaming replicas that serve heavy reads (DATABASE_REPLICA_URLS). Each is checked every second; one that does
 * not answer, is not a standby, or trails the primary by more than the bound is skipped until a check finds it well.
 */
export class ReadReplicas {
  private readonly replicas: Replica[];
  private next = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly settings: ReplicaSettings) {
    installInt8Parser();
    this.replicas = settings.urls.map((url) => {
      const pool = new Pool({
        connectionString: url,
        max: settings.poolSize,
        connectionTimeoutMillis: 1000,
        application_name: 'user-service-replica-reads',
        keepAlive: true,
      });
      // A replica going away must not crash the process: its idle clients report here.
      pool.on('error', () => undefined);
      return { url, pool, usable: false };
    });
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  async start(): Promise<void> {
    if (!this.configured) return;
    await this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkIntervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  /** A usable replica's pool, round robin; none when all are down or lagging. */
  pick(): Pool | undefined {
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length];
      if (replica.usable) {
        this.next = (this.next + i + 1) % this.replicas.length;
        return replica.pool;
      }
    }
    return undefined;
  }

  /** A query on this replica failed: skip it until the next check finds it well. */
  failed(pool: Pool): void {
    const replica = this.replicas.find((r) => r.pool === pool);
    if (replica) replica.usable = false;
  }

  /** How many replicas are configured, and how many serve reads now (metrics). */
  counts(): { configured: number; usable: number } {
    return { configured: this.replicas.length, usable: this.replicas.filter((r) => r.usable).length };
  }

  private async check(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (replica) => {
        try {
          const row = await firstRow<{ standby: boolean; lag: number }>(replica.pool, LAG_SQL);
          replica.usable = row?.standby === true && row.lag <= this.settings.maxLagSeconds;
        } catch {
          replica.usable = false;
        }
      }),
    );
  }
}

/** The replicas of each data source (set by the app module; absent without DATABASE_REPLICA_URLS). */
const replicasOf = new WeakMap<DataSource, ReadReplicas>();

export function attachReplicas(db: DataSource, replicas: ReadReplicas): void {
  replicasOf.set(db, replicas);
}

export function attachedReplicas(db: DataSource): ReadReplicas | undefined {
  return replicasOf.get(db);
}

/** Whether the code running now (a request marked @ReplicaReads, viewer without a recent write) may read a replica. */
export const replicaReadScope = new AsyncLocalStorage<boolean>();

/** Runs `work` with every read on the primary (e.g. right after the request wrote what it reads next). */
export function readsOnPrimary<T>(work: () => Promise<T>): Promise<T> {
  return replicaReadScope.run(false, work);
}

/** The replica pool for a read of `db` from here, if any is allowed and usable. */
export function replicaFor(db: DataSource): { replicas: ReadReplicas; pool: Pool } | undefined {
  if (!replicaReadScope.getStore()) return undefined;
  const replicas = replicasOf.get(db);
  const pool = replicas?.pick();
  return replicas && pool ? { replicas, pool } : undefined;
}
