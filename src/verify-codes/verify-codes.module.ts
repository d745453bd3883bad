import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { FileMessageSender } from './drivers/file-message-sender';
import { LogMessageSender } from './drivers/log-message-sender';
import { MessageSender } from './drivers/message-sender';
import { SmtpMessageSender } from './drivers/smtp-message-sender';
import { VerifyCodesController } from './verify-codes.controller';
import { VerifyCodesService } from './verify-codes.service';

function messageSenderFor(config: AppConfig): MessageSender {
  switch (config.messageDriver) {
    case 'file':
      return new FileMessageSender(config.messageDir);
    case 'smtp':
      return new SmtpMessageSender(config.smtpUrl!, config.smtpFrom);
    default:
      return new LogMessageSender(config.production);
  }
}

@Module({
  imports: [UsersModule],
  controllers: [VerifyCodesController],
  providers: [VerifyCodesService, { provide: MessageSender, inject: [APP_CONFIG], useFactory: messageSenderFor }],
  exports: [VerifyCodesService],
})
export class VerifyCodesModule {}
