import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageSender, OutgoingMessage } from './message-sender';

/** One JSON file per message in `MESSAGE_DIR` (`channel`, `to`, `code`, `text`): for tests and for integrations. */
export class FileMessageSender extends MessageSender {
  constructor(private readonly dir: string) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${Date.now()}-${randomBytes(6).toString('hex')}.json`;
    const body = {
      channel: message.channel,
      to: message.to,
      code: message.code,
      subject: message.subject,
      text: message.text,
      sent_at: new Date().toISOString(),
    };
    // Written beside the folder, then renamed in (atomic on one file system): a reader never sees half a file.
    const partialDir = `${this.dir}.partial`;
    await mkdir(partialDir, { recursive: true });
    await writeFile(join(partialDir, name), JSON.stringify(body), { mode: 0o600 });
    await rename(join(partialDir, name), join(this.dir, name));
  }
}
