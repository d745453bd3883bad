import { ApiError } from '../common/errors/api-error';

/**
 * At most `running` jobs at once and `waiting` more in line; past that a request gets 503 at once instead of
 * queueing work without bound. Jobs with the same key share one run (a burst for one thumbnail renders it once).
 */
export class BoundedWork<T> {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  run(key: string, job: () => Promise<T>): Promise<T> {
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    if (this.active >= this.running && this.queue.length >= this.waiting) {
      throw new ApiError(503, 'image_busy', {}, [], { 'Retry-After': '1' });
    }
    const result = this.whenFree()
      .then(job)
      .finally(() => {
        this.inFlight.delete(key);
        this.active--;
        this.queue.shift()?.();
      });
    this.inFlight.set(key, result);
    return result;
  }

  private whenFree(): Promise<void> {
    if (this.active < this.running) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.queue.push(() => {
        this.active++;
        resolve();
      }),
    );
  }
}
