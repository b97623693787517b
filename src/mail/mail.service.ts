import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxSummaryDto } from './dto/outbox-summary.dto.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../common/clock.js';
import type { Locale, RenderedMail } from './templates/layout.js';
import type { OutboxAttachment } from './outbox-message.entity.js';

export interface EnqueueMail {
  /** Unique per logical email (e.g. `magic-link:<tokenId>`): writing the same key twice sends once. */
  dedupeKey: string;
  to: string;
  template: string;
  locale: Locale;
  content: RenderedMail;
  attachments?: OutboxAttachment[];
  /** Not before this instant (scheduled mail); default now. */
  notBefore?: Date;
}

/** Writes emails to the outbox inside the caller's transaction; the dispatcher sends them. */
@Injectable()
export class MailService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Returns true when the row was written, false when the dedupe key already existed. */
  async enqueue(manager: EntityManager, mail: EnqueueMail): Promise<boolean> {
    const domain = this.config.mailFrom.split('@')[1] ?? 'kompetenslyft.local';
    const rows: unknown[] = await manager.query(
      `INSERT INTO mail_outbox
         (dedupe_key, to_address, template, locale, subject, text_body, html_body, attachments, next_attempt_at, message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '<' || gen_random_uuid() || '@' || $10 || '>')
       ON CONFLICT ON CONSTRAINT uq_mail_outbox_dedupe_key DO NOTHING
       RETURNING id`,
      [
        mail.dedupeKey,
        mail.to,
        mail.template,
        mail.locale,
        mail.content.subject,
        mail.content.text,
        mail.content.html,
        mail.attachments ? JSON.stringify(mail.attachments) : null,
        mail.notBefore ?? this.clock.now(),
        domain,
      ],
    );
    return rows.length > 0;
  }

  /** Outbox health for operators: counts per status and the latest permanent failures. */
  async summary(): Promise<OutboxSummaryDto> {
    const counts = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n, min(created_at) FILTER (WHERE status = 'pending') AS oldest
         FROM mail_outbox GROUP BY status`,
    )) as { status: string; n: number; oldest: Date | null }[];
    const failures = (await this.dataSource.query(
      `SELECT id, template, attempts, last_error, created_at FROM mail_outbox
        WHERE status = 'failed' ORDER BY created_at DESC LIMIT 20`,
    )) as { id: string; template: string; attempts: number; last_error: string | null; created_at: Date }[];
    const byStatus = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const row of counts) byStatus[row.status as keyof typeof byStatus] = row.n;
    const oldest = counts.find((row) => row.status === 'pending')?.oldest ?? null;
    return {
      byStatus,
      oldestPendingAt: oldest ? oldest.toISOString() : null,
      recentFailures: failures.map((f) => ({
        id: f.id,
        template: f.template,
        attempts: f.attempts,
        lastError: f.last_error,
        createdAt: f.created_at.toISOString(),
      })),
    };
  }}
