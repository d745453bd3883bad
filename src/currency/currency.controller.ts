import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, CurrentViewer, RequireAbility } from '../common/auth/decorators';
import { AdminActor, Viewer } from '../common/auth/viewer';
import { Lang, translate } from '../common/errors/messages';
import { parseId } from '../common/http/ids';
import { RequestLanguage } from '../common/http/language';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.decorator';
import { AdminAdjustDto, LedgerQueryDto } from '../common/ledger/ledger.dto';
import { CurrencyService } from './currency.service';
import { RewardDto } from './dto/reward.dto';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'a repeat with the same key and body returns the first answer' };

/** `/currency`: the viewer's points and their ledger (mobile-api §8). */
@ApiTags('currency')
@ApiBearerAuth()
@Controller('api/v2/currency')
export class CurrencyController {
  constructor(private readonly currency: CurrencyService) {}

  @Get()
  balance(@CurrentViewer() viewer: Viewer) {
    return this.currency.balance(viewer.id);
  }

  @Get('orders')
  orders(@CurrentViewer() viewer: Viewer, @Query() query: LedgerQueryDto) {
    return this.currency.orders(viewer.id, query);
  }
}

/** `/user/:target/new-rewards`: points given to another user. */
@ApiTags('currency')
@ApiBearerAuth()
@Controller('api/v2/user/:target/new-rewards')
export class RewardsController {
  constructor(private readonly currency: CurrencyService) {}

  @Post()
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  reward(
    @CurrentViewer() viewer: Viewer,
    @Param('target') target: string,
    @Body() dto: RewardDto,
    @IdempotencyKey() key: string | undefined,
    @RequestLanguage() lang: Lang,
  ) {
    return this.currency.reward(viewer.id, parseId(target), dto, key, translate('reward_ok', lang));
  }
}

/** `/admin/currency/:user`: an admin's adjustment of a user's points. */
@ApiTags('currency')
@ApiBearerAuth()
@Controller('api/v2/admin/currency')
export class AdminCurrencyController {
  constructor(private readonly currency: CurrencyService) {}

  @Post(':user')
  @HttpCode(201)
  @RequireAbility('admin:currency:manage')
  @ApiHeader(IDEMPOTENCY_HEADER)
  adjust(
    @CurrentAdmin() admin: AdminActor,
    @Param('user') user: string,
    @Body() dto: AdminAdjustDto,
    @IdempotencyKey() key: string | undefined,
    @RequestLanguage() lang: Lang,
  ) {
    return this.currency.adjust(admin, parseId(user), dto, key, translate('operation_ok', lang));
  }
}
