import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientIp } from '../http/client-ip';
import { AdminActor, Viewer } from './viewer';

export const ACCESS_KEY = 'access';
export type Access = 'guest' | 'optional' | 'user';
export const ABILITY_KEY = 'ability';

/** No token is read (the route works the same for everyone). Routes are `user` unless marked otherwise. */
export const Guest = () => SetMetadata(ACCESS_KEY, 'guest' satisfies Access);
/** A valid token identifies the viewer; no token or an invalid one means guest (spec README §2). */
export const OptionalAuth = () => SetMetadata(ACCESS_KEY, 'optional' satisfies Access);
/** A valid token of a user holding this ability (mobile-api §10); else 401 / 403. */
export const RequireAbility = (ability: string) => SetMetadata(ABILITY_KEY, ability);

/** The authenticated viewer, or null on guest / optional routes without a valid token. */
export const CurrentViewer = createParamDecorator((_: unknown, context: ExecutionContext): Viewer | null => {
  return context.switchToHttp().getRequest().user ?? null;
});

/** The authenticated admin of a `@RequireAbility()` route, with the request's IP and id (for the audit log). */
export const CurrentAdmin = createParamDecorator((_: unknown, context: ExecutionContext): AdminActor => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { user: Viewer }>();
  return { id: request.user.id, ip: clientIp(request), requestId: String(request.id) };
});
