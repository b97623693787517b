import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../common/clock.js';
import { IntervalJob } from '../common/interval-job.js';
import { withoutAddresses } from '../common/logging.js';
import { backoffDelay, type ClaimedRow, OutboxQueue } from '../common/outbox-queue.js';
import { isPermanentFailure, MailTransport } from './mail-transport.js';

interface MailRow extends ClaimedRow {
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: null | [];
  message_id: string;
}

const BATCH = 50;
const PARALLEL = 5;
const MAX_BACKOFF_MS = 6 * 3600_000;

/**
 * Claims due outbox rows with FOR UPDATE SKIP LOCKED and sends them. Safe on any number of
 * instances: a row is held by one of them (a row lock in a transaction open while it is sent); a
 * crash lets go of it and another sends it (at-least-once, with a stable Message-ID).
 */
/** How often a dispatcher deletes emails past retention (real time: the cut-off itself follows the clock). */
const PURGE_EVERY_MS = 3600_000;

@Injectable()
export class MailDispatcher extends IntervalJob {
  /** Emails this instance has sent since it started (for operators and tests). */
  sentTotal = 0;
  private lastPurge = 0;
  private readonly queue: OutboxQueue<MailRow>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    super('mail-dispatcher', config.dispatchIntervalMs, scheduler);
    this.queue = new OutboxQueue<MailRow>(dataSource, clock, {
      table: 'mail_outbox',
      columns: ['q.to_address', 'q.subject', 'q.text_body', 'q.html_body', 'q.attachments', 'q.message_id'],
      batch: BATCH,
      parallel: PARALLEL,
      // The bodies held live link tokens (sign-in, invitation, survey): once sent they are blanked.
      // Kept for operations: recipient, subject, template, Message-ID, status and times (until MAIL_RETENTION_DAYS).
      onSent: `text_body = '', html_body = '', attachments = NULL`,
    });
  }

  /** Sends everything due now; returns how many emails were sent. */
  dispatchDue(): Promise<number> {
    return this.runNow();
  }

  protected run(): Promise<number> {
    return this.drain();
  }

  private async drain(): Promise<number> {
    const sent = await this.queue.drain({ send: (row) => this.deliver(row), stopped: () => this.stopped });
    this.sentTotal += sent;
    if (sent > 0) this.logger.log(`sent ${sent} email(s)`);
    if (Date.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      await this.purgeOld();
    }
    return sent;
  }

  /** Retention: sent and permanently failed emails older than MAIL_RETENTION_DAYS are deleted. */
  async purgeOld(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.mailRetentionDays * 24 * 3600_000);
    const purged = await this.queue.purge(cutoff);
    if (purged > 0) this.logger.log(`purged ${purged} email(s) past retention`);
    return purged;
  }

  private async deliver(row: MailRow): Promise<boolean> {
    try {
      await this.transport.send({
        messageId: row.message_id,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        attachments: row.attachments,
      });
      return true; // marked sent with the rest of its batch
    } catch (error) {
      // SMTP errors usually quote the recipient: the address is masked before it is stored or logged.
      const message = withoutAddresses(error instanceof Error ? error.message : String(error)).slice(0, 1000);
      const permanent = isPermanentFailure(error) || row.attempts >= this.config.mailMaxAttempts;
      const delay = backoffDelay(row.attempts, this.config.mailRetryBaseMs, MAX_BACKOFF_MS);
      await this.queue.retryLater(row.id, permanent ? null : new Date(this.clock.now().getTime() + delay), message);
      this.logger.warn(`email ${row.id} attempt ${row.attempts} failed${permanent ? ' permanently' : ''}: ${message}`);
      return false;
    }
  }
}
