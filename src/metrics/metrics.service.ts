import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { poolOf } from '../database/prepared-query';
import { attachedReplicas } from '../database/read-replicas';
import { firstRow } from '../database/sql';

/** The Prometheus registry of one instance (`GET /metrics`); every metric the service exports is declared here. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly codesSent = new Counter({
    name: 'verify_codes_sent_total',
    help: 'One-time codes delivered, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly rankRefreshDuration = new Histogram({
    name: 'income_rank_refresh_duration_seconds',
    help: 'Duration of the income-rank refreshes run by this instance',
    buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() db: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (in_use, idle, waiting requests)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = poolOf(db);
        if (!p) return;
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    new Gauge({
      name: 'db_replicas',
      help: 'Read replicas (DATABASE_REPLICA_URLS) configured, and usable now (answering, in recovery, lag within the bound)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const counts = attachedReplicas(db)?.counts() ?? { configured: 0, usable: 0 };
        this.set({ state: 'configured' }, counts.configured);
        this.set({ state: 'usable' }, counts.usable);
      },
    });
    new Gauge({
      name: 'income_rank_snapshot_age_seconds',
      help: 'Seconds since the default income-rank snapshot (all time, every city) was refreshed',
      registers: [this.registry],
      async collect() {
        try {
          const row = await firstRow<{ age: number | null }>(
            db,
            `SELECT extract(epoch FROM now() - refreshed_at)::float8 AS age FROM income_rank_keys WHERE key = 'days=all;city='`,
          );
          if (row?.age != null) this.set(row.age);
        } catch {
          // database down: the gauge keeps its last value; /health/ready reports the outage
        }
      },
    });
  }
}
