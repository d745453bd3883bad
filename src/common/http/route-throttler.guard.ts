import { ExecutionContext, Injectable } from '@nestjs/common';
import { Resolvable, ThrottlerGenerateKeyFunction, ThrottlerGetTrackerFunction, ThrottlerGuard, ThrottlerOptions } from '@nestjs/throttler';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_KEY_GENERATOR,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TRACKER,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';
import { PerRoute, RouteTargets } from './per-route';

/** One throttler as it applies to one route: its `@Throttle()` overrides merged with the module's options. */
interface RouteThrottle {
  throttler: ThrottlerOptions & { name: string };
  limit: Resolvable<number>;
  ttl: Resolvable<number>;
  /** Undefined: the ttl. */
  blockDuration: Resolvable<number> | undefined;
  getTracker: ThrottlerGetTrackerFunction;
  generateKey: ThrottlerGenerateKeyFunction;
}

/**
 * ThrottlerGuard with the route's throttle settings (`@SkipThrottle()`, `@Throttle()`, trackers, key generators)
 * read once per route instead of on every request: ThrottlerGuard.canActivate reads six metadata keys per throttler
 * and request. `skipIf`, limits given as functions, counting, headers and the 429 stay ThrottlerGuard's own
 * (handleRequest), per request and in the same order.
 */
@Injectable()
export class RouteThrottlerGuard extends ThrottlerGuard {
  private readonly routes = new PerRoute((targets) => this.throttlesOf(targets));

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    let passes = true;
    for (const { throttler, limit, ttl, blockDuration, getTracker, generateKey } of this.routes.of(context)) {
      const skipIf = throttler.skipIf || this.commonOptions.skipIf;
      if (skipIf?.(context)) continue;
      const limitCount = await resolveNumber(context, limit, 'limit', throttler.name);
      const ttlMs = await resolveNumber(context, ttl, 'ttl', throttler.name);
      const blockMs = blockDuration === undefined ? ttlMs : await resolveNumber(context, blockDuration, 'blockDuration', throttler.name);
      const request = { context, throttler, limit: limitCount, ttl: ttlMs, blockDuration: blockMs, getTracker, generateKey };
      if (!(await this.handleRequest(request))) passes = false;
    }
    return passes;
  }

  /** The throttlers that apply to a route (not skipped by `@SkipThrottle()`), in ThrottlerGuard's order. */
  private throttlesOf(targets: RouteTargets): RouteThrottle[] {
    const read = <T>(key: string, throttler: ThrottlerOptions & { name: string }) =>
      this.reflector.getAllAndOverride<T | undefined>(key + throttler.name, targets);
    return (this.throttlers as Array<ThrottlerOptions & { name: string }>)
      .filter((throttler) => !read<boolean>(THROTTLER_SKIP, throttler))
      .map((throttler) => ({
        throttler,
        limit: read<Resolvable<number>>(THROTTLER_LIMIT, throttler) ?? throttler.limit,
        ttl: read<Resolvable<number>>(THROTTLER_TTL, throttler) ?? throttler.ttl,
        blockDuration: read<Resolvable<number>>(THROTTLER_BLOCK_DURATION, throttler) ?? throttler.blockDuration,
        getTracker: read<ThrottlerGetTrackerFunction>(THROTTLER_TRACKER, throttler) || throttler.getTracker || this.commonOptions.getTracker!,
        generateKey: read<ThrottlerGenerateKeyFunction>(THROTTLER_KEY_GENERATOR, throttler) || throttler.generateKey || this.commonOptions.generateKey!,
      }));
  }
}

/** ThrottlerGuard's resolveValue + toNumber: a function of the request is called each time; a number is used as is. */
async function resolveNumber(context: ExecutionContext, value: Resolvable<number>, option: string, throttlerName: string): Promise<number> {
  const resolved: unknown = typeof value === 'function' ? await value(context) : value;
  const number = typeof resolved === 'string' && resolved.trim() !== '' ? Number(resolved) : resolved;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw new Error(`Invalid "${option}" for the "${throttlerName}" throttler: expected a number, got ${JSON.stringify(resolved)}.`);
  }
  return number;
}
