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
    return (await this.enqueueMany(manager, [mail])) === 1;
  }

  /**
   * `enqueue` for many emails in one statement (scheduled work that writes hundreds per batch).
   * Returns how many rows were written (dedupe keys that already existed are skipped).
   */
  async enqueueMany(manager: EntityManager, mails: EnqueueMail[]): Promise<number> {
    if (mails.length === 0) return 0;
    const insert = this.outboxInsert(mails, 1);
    const rows: unknown[] = await manager.query(`${insert.sql} RETURNING id`, insert.params);
    return rows.length;
  }

  /**
   * `enqueueMany` as SQL to embed in the caller's own statement, so that emails are written in the
   * same statement as the rows they are about: `INSERT INTO mail_outbox … SELECT … FROM unnest(…) AS m`,
   * its ten parameters numbered from `$<first>`. `only`, when given, is a condition on `m.nth` (an
   * email's 1-based position in `mails`) that picks which of them are written. A dedupe key that
   * already exists writes nothing. The text is the same for any number of emails (it can be prepared).
   * `fill`, when given, replaces `marker` (digits only) in the subject and bodies with the SQL
   * expression `value` (over `m.nth`; where it is NULL the text is kept): for a number the statement decides,
   * such as a waitlist position.
   */
  outboxInsert(mails: EnqueueMail[], first: number, only?: string, fill?: { marker: string; value: string }): { sql: string; params: unknown[] } {
    const $ = (n: number) => `$${first + n}`;
    if (fill && !/^\d+$/.test(fill.marker)) throw new Error('outboxInsert: the marker must be digits');
    // replace() is strict: where the value is NULL it is not called, and the text stays as it is.
    const filled = (column: string) => (fill ? `coalesce(replace(${column}, '${fill.marker}', (${fill.value})::text), ${column})` : column);
    const now = this.clock.now();
    const column = <T>(pick: (mail: EnqueueMail) => T) => mails.map(pick);
    return {
      sql: `INSERT INTO mail_outbox
         (dedupe_key, to_address, template, locale, subject, text_body, html_body, attachments, next_attempt_at, message_id)
       SELECT m.dedupe_key, m.to_address, m.template, m.locale, ${filled('m.subject')}, ${filled('m.text_body')}, ${filled('m.html_body')}, m.attachments, m.next_attempt_at,
              '<' || gen_random_uuid() || '@' || ${$(9)}::text || '>'
         FROM unnest(${$(0)}::varchar[], ${$(1)}::varchar[], ${$(2)}::varchar[], ${$(3)}::varchar[], ${$(4)}::varchar[], ${$(5)}::text[], ${$(6)}::text[],
                     ${$(7)}::jsonb[], ${$(8)}::timestamptz[]) WITH ORDINALITY
           AS m(dedupe_key, to_address, template, locale, subject, text_body, html_body, attachments, next_attempt_at, nth)${only ? `
        WHERE ${only}` : ''}
       ON CONFLICT ON CONSTRAINT uq_mail_outbox_dedupe_key DO NOTHING`,
      params: [
        column((m) => m.dedupeKey),
        column((m) => m.to),
        column((m) => m.template),
        column((m) => m.locale),
        column((m) => m.content.subject),
        column((m) => m.content.text),
        column((m) => m.content.html),
        column((m) => (m.attachments ? JSON.stringify(m.attachments) : null)),
        column((m) => m.notBefore ?? now),
        this.messageIdDomain(),
      ],
    };
  }

  /** The right-hand side of generated Message-IDs: the sender's domain. */
  private messageIdDomain(): string {
    return this.config.mailFrom.split('@')[1] ?? 'kompetenslyft.local';
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
