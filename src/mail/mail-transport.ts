import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { OutboxAttachment } from './outbox-message.entity.js';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: OutboxAttachment[] | null;
}

/** A permanent refusal (5xx): retrying will not help. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Only sends. Pooled SMTP from SMTP_URL, or .eml files in DATA_DIR/outbox when SMTP_URL is unset
 * (the default run needs no mail server; the path of each file is logged).
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  private readonly fileDir: string | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.smtpUrl) {
      this.transporter = nodemailer.createTransport({
        url: config.smtpUrl,
        pool: true,
        maxConnections: 5,
        maxMessages: 1000,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      } as SMTPPoolOptions);
    } else {
      this.fileDir = path.join(config.dataDir, 'outbox');
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transporter.sendMail({
      from: { name: 'Kompetenslyft', address: this.config.mailFrom },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      attachments: (mail.attachments ?? []).map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.method ? `${a.contentType}; method=${a.method}` : a.contentType,
      })),
    });
    if (this.fileDir) {
      await fs.mkdir(this.fileDir, { recursive: true });
      const file = path.join(this.fileDir, `${mail.messageId.replace(/[<>@]/g, '_')}.eml`);
      await fs.writeFile(file, (info as unknown as { message: Buffer }).message);
      this.logger.log(`email written to ${file}`);
    }
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
