import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, OptionalAuth } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { notFound } from '../common/errors/api-error';
import { GeoQuery, NearbyQuery, PositionDto } from './dto/position.dto';
import { NearbyService } from './nearby.service';

/** People nearby, on the ThinkSNS+ `around-amap` routes (thinksns-compat §4). */
@ApiTags('nearby')
@Controller('api/v2/around-amap')
export class NearbyController {
  constructor(private readonly nearby: NearbyService) {}

  /** Users within `radius` m (default 3000, at most 50 000), nearest first, without the caller: AMap records. */
  @Get()
  @OptionalAuth()
  around(@Query() query: NearbyQuery, @CurrentViewer() viewer: Viewer | null) {
    return this.nearby.around(viewer?.id ?? null, query);
  }

  /** The centre of a place name: the divisions data shipped here has no coordinates, so always 404. */
  @Get('geo')
  @OptionalAuth()
  geo(@Query() _query: GeoQuery): never {
    throw notFound();
  }

  /** Sets the caller's position (kept rounded to ~100 m) → 201 `{message, _id}`. */
  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  async create(@CurrentViewer() viewer: Viewer, @Body() position: PositionDto) {
    await this.nearby.place(viewer.id, position);
    return { message: '位置创建成功', _id: String(viewer.id) };
  }

  /** Moves the caller's position → 201 `{message}`. */
  @Patch()
  @HttpCode(201)
  @ApiBearerAuth()
  async update(@CurrentViewer() viewer: Viewer, @Body() position: PositionDto) {
    await this.nearby.place(viewer.id, position);
    return { message: '位置更新成功' };
  }

  /** Removes the caller from people nearby → 204. */
  @Delete()
  @HttpCode(204)
  @ApiBearerAuth()
  async remove(@CurrentViewer() viewer: Viewer): Promise<void> {
    await this.nearby.remove(viewer.id);
  }
}
