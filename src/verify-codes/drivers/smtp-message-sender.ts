import { createTransport, Transporter } from 'nodemailer';
import { MessageSender, OutgoingMessage } from './message-sender';

/** E-mail through `SMTP_URL`. SMS needs a gateway driver, which this one is not: SMS codes fail to send. */
export class SmtpMessageSender extends MessageSender {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport(url);
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'mail') throw new Error('the smtp driver cannot send SMS');
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }
}
