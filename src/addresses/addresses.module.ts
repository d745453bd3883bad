import { Module } from '@nestjs/common';
import { AddressesController } from './addresses.controller';
import { AddressesService } from './addresses.service';
import { UsersModule } from '../users/users.module';

@Module({ imports: [UsersModule], controllers: [AddressesController], providers: [AddressesService], exports: [AddressesService] })
export class AddressesModule {}
