import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../common/clock.js';
import { IntervalJob } from '../common/interval-job.js';
import { withoutAddresses } from '../common/logging.js';
import { rows as rowsOf, run } from '../database/sql.js';
import { isPermanentFailure, MailTransport } from './mail-transport.js';

interface ClaimedRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: null | [];
  attempts: number;
  message_id: string;
}

const BATCH = 50;
const PARALLEL = 5;
/** How long a claim holds; longer than any SMTP timeout, so a live sender is never overtaken. */
const CLAIM_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 6 * 3600_000;

/**
 * Claims due outbox rows with FOR UPDATE SKIP LOCKED and sends them. Safe on any number of
 * instances: a row is claimed by one of them; a crash leaves it to be claimed again when the
 * claim expires (at-least-once, with a stable Message-ID).
 */
/** How often a dispatcher deletes emails past retention (real time: the cut-off itself follows the clock). */
const PURGE_EVERY_MS = 3600_000;

@Injectable()
export class MailDispatcher extends IntervalJob {
  /** Emails this instance has sent since it started (for operators and tests). */
  sentTotal = 0;
  private lastPurge = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    super('mail-dispatcher', config.dispatchIntervalMs, scheduler);
  }

  /** Sends everything due now; returns how many emails were sent. */
  dispatchDue(): Promise<number> {
    return this.runNow();
  }

  protected run(): Promise<number> {
    return this.drain();
  }

  private async drain(): Promise<number> {
    let sent = 0;
    let next = this.claim();
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      if (this.stopped) {
        await this.release(rows);
        break;
      }
      // Claim the next batch while this one is on the wire.
      next = rows.length === BATCH ? this.claim() : Promise.resolve([]);
      const sentIds = await this.sendAll(rows);
      if (sentIds.length) {
        await this.dataSource.query(
          // The bodies held live link tokens (sign-in, invitation, survey): once sent they are blanked.
          // Kept for operations: recipient, subject, template, Message-ID, status and times (until MAIL_RETENTION_DAYS).
          `UPDATE mail_outbox SET status = 'sent', sent_at = $2, locked_until = NULL, last_error = NULL,
                  text_body = '', html_body = '', attachments = NULL
            WHERE id = ANY($1::uuid[])`,
          [sentIds, this.clock.now()],
        );
      }
      sent += sentIds.length;
    }
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
    const { affected: purged } = await run(
      this.dataSource.manager,
      `DELETE FROM mail_outbox WHERE status IN ('sent', 'failed') AND coalesce(sent_at, created_at) < $1`,
      [cutoff],
    );
    if (purged > 0) this.logger.log(`purged ${purged} email(s) past retention`);
    return purged;
  }

  /** PARALLEL workers (one per pooled SMTP connection) pull from the batch; returns the ids sent. */
  private async sendAll(rows: ClaimedRow[]): Promise<string[]> {
    const sentIds: string[] = [];
    let index = 0;
    const worker = async () => {
      while (index < rows.length) {
        const row = rows[index++];
        if (await this.deliver(row)) sentIds.push(row.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, rows.length) }, worker));
    return sentIds;
  }

  /** Hands claimed but unsent rows back at shutdown, so that another instance sends them at once. */
  private async release(rows: ClaimedRow[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET status = 'pending', attempts = attempts - 1, locked_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [rows.map((row) => row.id)],
    );
  }

  private async claim(): Promise<ClaimedRow[]> {
    const now = this.clock.now();
    return rowsOf<ClaimedRow>(await this.dataSource.query(
      `UPDATE mail_outbox m
          SET status = 'sending', attempts = m.attempts + 1, locked_until = $2
        WHERE m.id IN (
          SELECT id FROM mail_outbox
           WHERE (status = 'pending' AND next_attempt_at <= $1)
              OR (status = 'sending' AND locked_until <= $1)
           ORDER BY next_attempt_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.to_address, m.subject, m.text_body, m.html_body, m.attachments, m.attempts, m.message_id`,
      [now, new Date(now.getTime() + CLAIM_MS), BATCH],
    ));
  }

  private async deliver(row: ClaimedRow): Promise<boolean> {
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
      const delay = Math.min(this.config.mailRetryBaseMs * 2 ** (row.attempts - 1), MAX_BACKOFF_MS);
      await this.dataSource.query(
        `UPDATE mail_outbox
            SET status = $2, next_attempt_at = $3, locked_until = NULL, last_error = $4
          WHERE id = $1`,
        [row.id, permanent ? 'failed' : 'pending', new Date(this.clock.now().getTime() + delay), message],
      );
      this.logger.warn(`email ${row.id} attempt ${row.attempts} failed${permanent ? ' permanently' : ''}: ${message}`);
      return false;
    }
  }
}
