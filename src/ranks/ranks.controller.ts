import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { ReplicaReads } from '../database/replica-reads';
import { RankPageQuery } from './dto/rank-page.query';
import { RanksService } from './ranks.service';

@ApiTags('ranks')
@ApiBearerAuth()
@ReplicaReads()
@Controller('api/v2/ranks')
export class RanksController {
  constructor(private readonly ranks: RanksService) {}

  /** Users by followers (most first, ties by id): `extra.rank`, `extra.count` = followers. */
  @Get('followers')
  @OptionalAuth()
  followers(@Query() query: RankPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.ranks.page('followers', query, viewer?.id ?? null);
  }

  /** Users by earned points (rewards received, check-ins, admin grants; not bought points): `extra.rank`, no amount. */
  @Get('income')
  @OptionalAuth()
  income(@Query() query: RankPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.ranks.page('income', query, viewer?.id ?? null);
  }

  /** Users by wallet balance (users with money only): `extra.rank`; the balance itself is never shown. */
  @Get('balance')
  @OptionalAuth()
  balance(@Query() query: RankPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.ranks.page('balance', query, viewer?.id ?? null);
  }
}

@ApiTags('ranks')
@ApiBearerAuth()
@ReplicaReads()
@Controller('api/v2/checkin-ranks')
export class CheckinRanksController {
  constructor(private readonly ranks: RanksService) {}

  /** Users by check-ins (most first, ties by id): `extra.rank`, `extra.count` = check-ins. */
  @Get()
  @OptionalAuth()
  checkins(@Query() query: RankPageQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.ranks.page('checkin', query, viewer?.id ?? null);
  }
}
