import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Guest } from '../common/auth/decorators';
import { LocationSearchQuery } from './dto/location-search.dto';
import { LocationsService } from './locations.service';

/** The location picker of the ThinkSNS+ clients (thinksns-compat §4), from GB/T 2260 divisions shipped with the service. */
@ApiTags('locations')
@Controller('api/v2/locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  /** Up to 5 divisions whose name contains `name`: `[{tree: {id, name, pid, extends, parent: {…}}, items: [...] | null}]`. */
  @Get('search')
  @Guest()
  search(@Query() query: LocationSearchQuery) {
    return this.locations.search(query.name);
  }

  /** Hot cities: `["北京市", "四川省 成都市", …]` (LOCATION_HOTS, else the cities with the most users). */
  @Get('hots')
  @Guest()
  hots() {
    return this.locations.hots();
  }
}
