import { Module } from '@nestjs/common';
import { AbilitiesModule } from '../auth/abilities/abilities.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { createFileStore, FILE_STORE } from './file-store';
import { StorageController } from './storage.controller';
import { StorageService } from './storage.service';
import { UploadTasksService } from './upload-tasks.service';

@Module({
  imports: [AbilitiesModule],
  controllers: [StorageController],
  providers: [StorageService, UploadTasksService, { provide: FILE_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createFileStore(config) }],
  exports: [StorageService, FILE_STORE],
})
export class StorageModule {}
