import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin, CurrentViewer, RequireAbility } from '../common/auth/decorators';
import { AdminActor, Viewer } from '../common/auth/viewer';
import { Lang, translate } from '../common/errors/messages';
import { parseId } from '../common/http/ids';
import { RequestLanguage } from '../common/http/language';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.decorator';
import { AdminAdjustDto, LedgerQueryDto } from '../common/ledger/ledger.dto';
import { TransferDto, TransformDto } from './dto/wallet.dto';
import { WalletService } from './wallet.service';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'a repeat with the same key and body returns the first answer' };

@ApiTags('wallet')
@ApiBearerAuth()
@Controller('api/v2')
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  /** The wallet settings the clients read (labels, ratio, rule, withdrawal and recharge switches). */
  @Get('wallet')
  settings() {
    return this.wallet.settings();
  }

  @Get('plus-pay/orders')
  orders(@CurrentViewer() viewer: Viewer, @Query() query: LedgerQueryDto) {
    return this.wallet.orders(viewer.id, query);
  }

  @Post('plus-pay/transfer')
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  transfer(@CurrentViewer() viewer: Viewer, @Body() dto: TransferDto, @IdempotencyKey() key: string | undefined, @RequestLanguage() lang: Lang) {
    return this.wallet.transfer(viewer.id, dto, key, translate('transfer_ok', lang));
  }

  @Post('plus-pay/transform')
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  transform(@CurrentViewer() viewer: Viewer, @Body() dto: TransformDto, @IdempotencyKey() key: string | undefined, @RequestLanguage() lang: Lang) {
    return this.wallet.transform(viewer.id, dto, key, translate('operation_ok', lang));
  }

  @Post('admin/wallet/:user')
  @HttpCode(201)
  @RequireAbility('admin:wallet:manage')
  @ApiHeader(IDEMPOTENCY_HEADER)
  adjust(
    @CurrentAdmin() admin: AdminActor,
    @Param('user') user: string,
    @Body() dto: AdminAdjustDto,
    @IdempotencyKey() key: string | undefined,
    @RequestLanguage() lang: Lang,
  ) {
    return this.wallet.adjust(admin, parseId(user), dto, key, translate('operation_ok', lang));
  }
}
