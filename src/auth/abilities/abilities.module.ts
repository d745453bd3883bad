import { Global, Module } from '@nestjs/common';
import { AbilitiesService } from './abilities.service';

/** Ability checks alone, so that the guard and any module can use them without the admin routes. */
@Global()
@Module({ providers: [AbilitiesService], exports: [AbilitiesService] })
export class AbilitiesModule {}
