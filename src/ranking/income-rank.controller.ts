import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { ReplicaReads } from '../database/replica-reads';
import { Viewer } from '../common/auth/viewer';
import { isoSeconds } from '../common/http/format';
import { IncomeRankQuery } from './dto/income-rank.query';
import { IncomeRankService } from './income-rank.service';

@ApiTags('ranking')
@ApiBearerAuth()
@ReplicaReads()
@Controller('api/v2/user/currency/income-rank')
export class IncomeRankController {
  constructor(private readonly ranking: IncomeRankService) {}

  /** The points-income ranking: a standing combination from its last snapshot, any other live; its time is in `X-Rank-Updated-At`. */
  @Get()
  @OptionalAuth()
  async standing(@Query() query: IncomeRankQuery, @CurrentViewer() viewer: Viewer | null, @Res({ passthrough: true }) reply: FastifyReply) {
    const { body, refreshedAt } = await this.ranking.standing(query, viewer?.id ?? null);
    reply.header('X-Rank-Updated-At', isoSeconds(refreshedAt));
    // A cached page answers JSON built once per snapshot: sent as it is.
    if (typeof body === 'string') reply.type('application/json; charset=utf-8');
    return body;
  }
}
