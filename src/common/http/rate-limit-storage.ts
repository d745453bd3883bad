import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';

type Increment = ThrottlerStorage['increment'];
type StorageRecord = Awaited<ReturnType<Increment>>;

interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * Per-process rate-limit counters: one fixed window per key, O(1) per request. (The throttler's default store keeps
 * a timestamp per hit and rescans them on every request: milliseconds per request at a few hundred requests/s.)
 */
export class FixedWindowRateLimitStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<StorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window || (window.expiresAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (window.expiresAt <= now) {
      window.expiresAt = now + ttl;
      window.hits = 0;
    }
    window.hits++;
    if (window.hits > limit && window.blockedUntil <= now) window.blockedUntil = now + Math.max(blockDuration, 1);
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.windows.clear();
  }

  private sweep(now = Date.now()): void {
    for (const [id, window] of this.windows) if (window.expiresAt <= now && window.blockedUntil <= now) this.windows.delete(id);
  }
}

/**
 * Rate-limit counters in Redis (`REDIS_URL`) so that every instance shares them. When Redis fails, the request is
 * counted in this process instead (limits become per instance for that moment) rather than failing or hanging.
 */
export class SharedRateLimitStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(SharedRateLimitStorage.name);
  private readonly redis: ThrottlerStorageRedisService;
  private readonly local = new FixedWindowRateLimitStorage();
  private lastWarning = 0;

  constructor(url: string) {
    this.redis = new ThrottlerStorageRedisService(url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 500,
      enableOfflineQueue: false,
      keyPrefix: 'user-service:rate-limit:',
    });
    this.redis.redis.on('error', () => undefined);
  }

  increment(...args: Parameters<Increment>): ReturnType<Increment> {
    return this.redis.increment(...args).catch((error: unknown) => {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Redis unavailable: rate limits are per process');
      }
      return this.local.increment(...args);
    });
  }

  onModuleDestroy(): void {
    this.redis.onModuleDestroy();
    this.local.onModuleDestroy();
  }
}
