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

/** `/plus-pay/…`: the viewer's wallet (money in 分): ledger, transfers, conversion to points (mobile-api §8). */
@ApiTags('wallet')
@ApiBearerAuth()
@Controller('api/v2/plus-pay')
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get('orders')
  orders(@CurrentViewer() viewer: Viewer, @Query() query: LedgerQueryDto) {
    return this.wallet.orders(viewer.id, query);
  }

  @Post('transfer')
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  transfer(@CurrentViewer() viewer: Viewer, @Body() dto: TransferDto, @IdempotencyKey() key: string | undefined, @RequestLanguage() lang: Lang) {
    return this.wallet.transfer(viewer.id, dto, key, translate('transfer_ok', lang));
  }

  @Post('transform')
  @HttpCode(201)
  @ApiHeader(IDEMPOTENCY_HEADER)
  transform(@CurrentViewer() viewer: Viewer, @Body() dto: TransformDto, @IdempotencyKey() key: string | undefined, @RequestLanguage() lang: Lang) {
    return this.wallet.transform(viewer.id, dto, key, translate('operation_ok', lang));
  }
}

/** `/admin/wallet/:user`: an admin's adjustment of a user's wallet. */
@ApiTags('wallet')
@ApiBearerAuth()
@Controller('api/v2/admin/wallet')
export class AdminWalletController {
  constructor(private readonly wallet: WalletService) {}

  @Post(':user')
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

/** `/wallet`: the wallet settings the ThinkSNS+ clients read (thinksns-compat §6). */
@ApiTags('wallet')
@ApiBearerAuth()
@Controller('api/v2/wallet')
export class WalletSettingsController {
  constructor(private readonly wallet: WalletService) {}

  /** Labels, ratio, rule, withdrawal and recharge switches, wallet → points. */
  @Get()
  settings() {
    return this.wallet.settings();
  }
}
