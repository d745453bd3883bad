import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OptionalAuth } from '../common/auth/decorators';
import { invalid } from '../common/errors/api-error';
import { Lang, translate } from '../common/errors/messages';
import { clientIp } from '../common/http/client-ip';
import { RequestLanguage } from '../common/http/language';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { UsersService } from '../users/users.service';
import { RequestCodeDto } from './dto/request-code.dto';
import { CodeChannel } from './verify-code.entity';
import { VerifyCodesService } from './verify-codes.service';

function contactOf(dto: RequestCodeDto): { channel: CodeChannel; account: string } {
  if (dto.email != null) return { channel: 'mail', account: dto.email.toLowerCase() };
  return { channel: 'sms', account: normalizeCnPhone(dto.phone!)! };
}

@ApiTags('verify-codes')
@Controller('api/v2/verifycodes')
export class VerifyCodesController {
  constructor(
    private readonly codes: VerifyCodesService,
    private readonly users: UsersService,
  ) {}

  /** For registering or binding: the phone / e-mail must belong to nobody. */
  @Post('register')
  @OptionalAuth()
  @HttpCode(202)
  async forNewAccount(@Body() dto: RequestCodeDto, @Req() request: FastifyRequest, @RequestLanguage() lang: Lang) {
    const contact = contactOf(dto);
    if (await this.users.findIdByContact(contact.channel, contact.account)) {
      throw contact.channel === 'sms' ? invalid('phone', 'code_phone_taken') : invalid('email', 'code_email_taken');
    }
    await this.codes.send({ ...contact, purpose: 'register', ip: clientIp(request), lang, deliver: true });
    return { message: [translate('code_sent', lang)] };
  }

  /** For an existing account (code login, password retrieval, unbinding). Same answer whether or not it exists. */
  @Post()
  @OptionalAuth()
  @HttpCode(202)
  async forExistingAccount(@Body() dto: RequestCodeDto, @Req() request: FastifyRequest, @RequestLanguage() lang: Lang) {
    const contact = contactOf(dto);
    const exists = (await this.users.findIdByContact(contact.channel, contact.account)) !== null;
    await this.codes.send({ ...contact, purpose: 'account', ip: clientIp(request), lang, deliver: exists });
    return { message: [translate('code_sent', lang)] };
  }
}
