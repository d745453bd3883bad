import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { availableParallelism } from 'node:os';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** Runs at most `limit` tasks at once; the rest wait in FIFO order. */
class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * bcrypt off the event loop (async API) with bounded concurrency, so a login storm queues here instead of filling
 * libuv's thread pool. Accepts ThinkSNS+ (Laravel) `$2y$` hashes.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly limit = new ConcurrencyLimit(Math.max(1, availableParallelism()));
  /** Compared against when the account does not exist, so both answers take the same time. */
  private dummyHash = '';

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password');
  }

  hash(password: string): Promise<string> {
    return this.limit.run(() => bcrypt.hash(password, this.config.bcryptRounds));
  }

  /** False for a missing hash too, after spending the same time as a real comparison. */
  verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const stored = hash ? hash.replace(/^\$2y\$/, '$2b$') : this.dummyHash;
    return this.limit.run(async () => (await bcrypt.compare(password, stored)) && Boolean(hash));
  }
}
