import { ExecutionContext, SetMetadata } from '@nestjs/common';

export const LOGIN_THROTTLE = 'login-throttle';

/** Marks routes limited per account + IP by `LOGIN_RATE_LIMIT_PER_MINUTE` (login, password retrieval). */
export const LoginThrottle = () => SetMetadata(LOGIN_THROTTLE, true);

export function isLoginThrottled(context: ExecutionContext): boolean {
  return Reflect.getMetadata(LOGIN_THROTTLE, context.getHandler()) === true;
}

/** The account a login-like request names, for the per-account limit. */
export function loginThrottleKey(request: { ip?: string; body?: unknown }): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const account = [body.login, body.phone, body.email].find((v) => typeof v === 'string') as string | undefined;
  return `${request.ip}|${(account ?? '').trim().toLowerCase()}`;
}
