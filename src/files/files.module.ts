import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { FileVariantsService } from './file-variants.service';
import { FilesController } from './files.controller';

/** The legacy `/files` API on top of the storage module (which owns the files table and the file store). */
@Module({
  imports: [StorageModule],
  controllers: [FilesController],
  providers: [FileVariantsService],
})
export class FilesModule {}
