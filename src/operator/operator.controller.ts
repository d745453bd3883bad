import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentAdmin, CurrentViewer, RequireAbility } from '../common/auth/decorators';
import { AdminActor, Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { VerbatimInput } from '../common/http/normalize-input';
import { ReplicaReads } from '../database/replica-reads';
import { CreateUserFieldDto } from './dto/user-field.dto';
import { OperatorAccountService } from './operator-account.service';
import { ProfilesService } from './profiles.service';
import { UserFieldsService } from './user-fields.service';

const pathOf = (request: FastifyRequest) => request.url.split('?')[0];
const WHERE_DOC = { name: 'where', required: false, description: 'JSON where (operator-api §3), URL-encoded' };
const KEYS_DOC = { name: 'keys', required: false, description: 'a,b = only these fields (plus id); -a,-b = all but these' };
const EXPAND_DOC = { name: 'expand', required: false, description: 'created_by = {id, nickname, avatar} in place of the id' };
const TRIGGER_DOC = { name: 'enable_trigger', required: false, description: '0 or 1; accepted and ignored (no triggers)' };

/**
 * minapp `userve` user_profile routes (operator-api §1). Trailing slashes are optional on every route. Values are
 * taken exactly as sent (operator-api §6): the mobile API's trim / `""` → null rule does not apply here.
 */
@VerbatimInput()
@ApiTags('operator')
@ApiBearerAuth()
@Controller('userve')
export class OperatorController {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly account: OperatorAccountService,
  ) {}

  @Get('v2.2/miniapp/user_profile')
  @ReplicaReads()
  @RequireAbility('admin:user:show')
  @ApiQuery(WHERE_DOC)
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  list(@Req() request: FastifyRequest, @Query() query: Record<string, string>) {
    return this.profiles.list(pathOf(request), query, false);
  }

  /** Also accepts the v2.0 filters nickname, nickname__contains, gender, created_at__gt/gte/lt/lte, openid, unionid, user_id, group__in. */
  @Get('v2.0/miniapp/user_profile')
  @ReplicaReads()
  @RequireAbility('admin:user:show')
  @ApiQuery(WHERE_DOC)
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  listLegacy(@Req() request: FastifyRequest, @Query() query: Record<string, string>) {
    return this.profiles.list(pathOf(request), query, true);
  }

  @Get('v2.2/miniapp/user_profile/:id')
  @ReplicaReads()
  @RequireAbility('admin:user:show')
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  show(@Param('id') id: string, @Query() query: Record<string, string>) {
    return this.profiles.get(parseId(id), query);
  }

  @Get('v2.0/miniapp/user_profile/:id')
  @ReplicaReads()
  @RequireAbility('admin:user:show')
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  showLegacy(@Param('id') id: string, @Query() query: Record<string, string>) {
    return this.profiles.get(parseId(id), query);
  }

  @Get('v1/user-profile')
  @RequireAbility('admin:user:show')
  me(@CurrentViewer() viewer: Viewer) {
    return this.account.me(viewer.id);
  }

  @Put('v2.6/miniapp/user_profile/:id')
  @RequireAbility('admin:user:update')
  @ApiQuery(TRIGGER_DOC)
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  update(@CurrentAdmin() admin: AdminActor, @Param('id') id: string, @Body() body: unknown, @Query() query: Record<string, string>) {
    return this.profiles.update(admin, parseId(id), body, query);
  }

  @Put('v2.0/miniapp/user_profile/:id')
  @RequireAbility('admin:user:update')
  @ApiQuery(TRIGGER_DOC)
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  updateLegacy(@CurrentAdmin() admin: AdminActor, @Param('id') id: string, @Body() body: unknown, @Query() query: Record<string, string>) {
    return this.profiles.update(admin, parseId(id), body, query);
  }

  @Put('v2.6/miniapp/user_profile')
  @RequireAbility('admin:user:update')
  @ApiQuery(WHERE_DOC)
  @ApiQuery(TRIGGER_DOC)
  @ApiOperation({
    summary: 'Bulk update of the users matching where',
    description:
      'One page (limit ≤ 1000, default 20) of matching users in ascending id order, updated in one transaction. `next` ' +
      'continues with the same where AND id > the last id of this page (offset 0), so an update that changes which users ' +
      'match cannot make the next page skip or repeat users; `next` is null when no matching user is left. Each row is ' +
      'checked against `where` again as it is written: a user that stopped matching in between is not updated (an error ' +
      'entry with code 409). `where` is required; send where={} for every user. `enable_trigger` is accepted and ignored.',
  })
  bulkUpdate(@CurrentAdmin() admin: AdminActor, @Req() request: FastifyRequest, @Query() query: Record<string, string>, @Body() body: unknown) {
    return this.profiles.bulkUpdate(admin, pathOf(request), query, body);
  }

  @Put('v2.2/miniapp/user/account/:id')
  @RequireAbility('admin:user:update')
  changeAccount(@CurrentAdmin() admin: AdminActor, @Param('id') id: string, @Body() body: unknown) {
    return this.account.change(admin, parseId(id), body);
  }
}

/** The custom-field schema behind the operator profiles. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v2/admin/user-fields')
export class UserFieldsController {
  constructor(private readonly fields: UserFieldsService) {}

  @Get()
  @RequireAbility('admin:user:show')
  list() {
    return this.fields.list();
  }

  @Get(':name')
  @RequireAbility('admin:user:show')
  @ApiQuery(KEYS_DOC)
  @ApiQuery(EXPAND_DOC)
  show(@Param('name') name: string) {
    return this.fields.get(name);
  }

  @Post()
  @HttpCode(201)
  @RequireAbility('admin:user-field:manage')
  create(@CurrentAdmin() admin: AdminActor, @Body() dto: CreateUserFieldDto) {
    return this.fields.create(admin, dto.name, dto.type);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireAbility('admin:user-field:manage')
  async remove(@CurrentAdmin() admin: AdminActor, @Param('name') name: string): Promise<void> {
    await this.fields.remove(admin, name);
  }
}
