import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The `Idempotency-Key` request header, or undefined. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest().headers['idempotency-key'];
  return typeof value === 'string' ? value : undefined;
});
