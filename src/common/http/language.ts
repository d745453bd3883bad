import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Lang, languageOf } from '../errors/messages';

/** The language of the caller (`Accept-Language`), for texts the service writes (code messages). */
export const RequestLanguage = createParamDecorator((_: unknown, context: ExecutionContext): Lang =>
  languageOf(context.switchToHttp().getRequest().headers['accept-language']),
);
