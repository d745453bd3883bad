import { Module } from '@nestjs/common';
import { BootstrappersController } from './bootstrappers.controller';

@Module({ controllers: [BootstrappersController] })
export class BootstrappersModule {}
