import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../common/auth/decorators';
import { Viewer } from '../common/auth/viewer';
import { parseId } from '../common/http/ids';
import { AddressesService } from './addresses.service';
import { CreateAddressDto, UpdateAddressDto } from './dto/address.dto';

/** The caller's shipping addresses; someone else's id is 404 (never "forbidden": it does not exist for you). */
@ApiTags('addresses')
@ApiBearerAuth()
@Controller('api/v2/user/addresses')
export class AddressesController {
  constructor(private readonly addresses: AddressesService) {}

  @Get()
  list(@CurrentViewer() viewer: Viewer) {
    return this.addresses.list(viewer.id);
  }

  @Get(':id')
  show(@CurrentViewer() viewer: Viewer, @Param('id') id: string) {
    return this.addresses.get(viewer.id, parseId(id));
  }

  @Post()
  @HttpCode(201)
  create(@CurrentViewer() viewer: Viewer, @Body() dto: CreateAddressDto) {
    return this.addresses.create(viewer.id, dto);
  }

  @Put(':id')
  replace(@CurrentViewer() viewer: Viewer, @Param('id') id: string, @Body() dto: UpdateAddressDto) {
    return this.addresses.update(viewer.id, parseId(id), dto);
  }

  @Patch(':id')
  update(@CurrentViewer() viewer: Viewer, @Param('id') id: string, @Body() dto: UpdateAddressDto) {
    return this.addresses.update(viewer.id, parseId(id), dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentViewer() viewer: Viewer, @Param('id') id: string): Promise<void> {
    await this.addresses.remove(viewer.id, parseId(id));
  }
}
