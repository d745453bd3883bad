import { ExecutionContext, SetMetadata } from '@nestjs/common';

const CONTACT_MATCH_THROTTLE = 'contact-match-throttle';

/** Marks contact matching (`POST /user/find-by-phone`): `CONTACT_MATCH_PER_HOUR` calls per user per hour. */
export const ContactMatchThrottle = () => SetMetadata(CONTACT_MATCH_THROTTLE, true);

export function isContactMatchThrottled(context: ExecutionContext): boolean {
  return Reflect.getMetadata(CONTACT_MATCH_THROTTLE, context.getHandler()) === true;
}
