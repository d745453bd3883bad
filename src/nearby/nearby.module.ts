import { Module } from '@nestjs/common';
import { NearbyController } from './nearby.controller';
import { NearbyService } from './nearby.service';

/** People nearby: owns `user_positions`. */
@Module({
  controllers: [NearbyController],
  providers: [NearbyService],
})
export class NearbyModule {}
