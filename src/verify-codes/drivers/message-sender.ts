import { CodeChannel } from '../verify-code.entity';

export interface OutgoingMessage {
  channel: CodeChannel;
  to: string;
  code: string;
  subject: string;
  text: string;
}

/** Delivers a one-time code (`MESSAGE_DRIVER`); throws when delivery failed. */
export abstract class MessageSender {
  abstract send(message: OutgoingMessage): Promise<void>;
}
