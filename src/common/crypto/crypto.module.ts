import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PiiCipher } from './pii-cipher';

@Global()
@Module({
  providers: [{ provide: PiiCipher, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new PiiCipher(config.piiEncryptionKey) }],
  exports: [PiiCipher],
})
export class CryptoModule {}
