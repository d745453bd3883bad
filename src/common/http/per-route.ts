import type { ExecutionContext, Type } from '@nestjs/common';

/** A route's handler and its controller class, as Reflector reads metadata from them (the handler's overrides the class's). */
export type RouteTargets = [handler: (...args: never[]) => unknown, controller: Type<unknown>];

/**
 * What a global guard derives from a route's decorators, read on the route's first request and kept: a route's
 * metadata is fixed once the app is built, and reading it through reflect-metadata on every request costs more than
 * the two map lookups here. Keyed by handler and controller, since an inherited handler serves several controllers.
 */
export class PerRoute<T> {
  private readonly byHandler = new WeakMap<object, WeakMap<object, T>>();

  constructor(private readonly read: (targets: RouteTargets) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.byHandler.get(handler);
    if (!byController) this.byHandler.set(handler, (byController = new WeakMap()));
    let value = byController.get(controller);
    if (value === undefined) {
      value = this.read([handler as RouteTargets[0], controller]);
      byController.set(controller, value);
    }
    return value;
  }
}
