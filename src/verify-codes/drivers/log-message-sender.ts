import { MessageSender, OutgoingMessage } from './message-sender';

/**
 * Development driver: prints the message on stdout, outside the structured log. In production the code is masked
 * (logs never hold codes), so production needs the `file` or `smtp` driver.
 */
export class LogMessageSender extends MessageSender {
  constructor(private readonly production: boolean) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    const text = this.production ? message.text.replace(message.code, '******') : message.text;
    process.stdout.write(`[verify-code] ${message.channel} to ${message.to}: ${text}\n`);
  }
}
