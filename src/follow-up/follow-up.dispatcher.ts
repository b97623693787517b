import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { newLinkToken } from '../common/crypto.js';
import { IntervalJob } from '../common/interval-job.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailDispatcher } from '../mail/mail-dispatcher.js';
import { MailService } from '../mail/mail.service.js';
import { evaluationMail } from '../mail/templates/evaluation.template.js';
import { addDuration } from './duration.js';
import { isQuiet } from '../common/quiet-hours.js';

interface ClaimedInvitation {
  id: string;
  locale: 'sv' | 'en';
  email: string;
  name: string | null;
  course_title: string | null;
  expires_at: Date | null;
  reminder_after: string | null;
  max_reminders: number;
  reminders_sent: number;
}

const BATCH = 200;

/** Dedupe keys in the outbox; the operational view joins on them. */
export const invitationMailKey = (id: string) => `evaluation:${id}`;
export const reminderMailKey = (id: string, n: number) => `evaluation-reminder:${id}:${n}`;

/**
 * Sends due evaluation invitations and reminders. Each batch is claimed with FOR UPDATE SKIP LOCKED
 * and, in the same transaction, gets fresh link tokens, its emails in the outbox (one dedupe key per
 * invitation and per reminder number) and its new state: any number of instances may run it and
 * each email is written once. Nothing is sent during the quiet hours; it waits until they end.
 */
@Injectable()
export class FollowUpDispatcher extends IntervalJob<{ invitations: number; reminders: number }> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailService,
    private readonly mailDispatcher: MailDispatcher,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    super('follow-up-dispatcher', config.dispatchIntervalMs, scheduler);
  }

  /** Writes the emails of every due invitation and reminder to the outbox; returns how many. */
  dispatchDue(): Promise<{ invitations: number; reminders: number }> {
    return this.runNow();
  }

  protected run(): Promise<{ invitations: number; reminders: number }> {
    return this.drain();
  }

  private async drain(): Promise<{ invitations: number; reminders: number }> {
    const done = { invitations: 0, reminders: 0 };
    const now = this.clock.now();
    await this.dataSource.query(
      `UPDATE evaluation_invitations SET status = 'expired' WHERE status IN ('scheduled', 'sent') AND expires_at <= $1`,
      [now],
    );
    if (isQuiet(now, this.config.quietHours)) return done;
    for (const kind of ['invitations', 'reminders'] as const) {
      for (;;) {
        if (this.stopped) break;
        // The time of each batch, not of the run's start: sent_at and reminder times stay true on long runs.
        const n = await this.dataSource.transaction((manager) => this.sendBatch(manager, kind, this.clock.now()));
        done[kind] += n;
        if (n < BATCH) break;
      }
    }
    if (done.invitations + done.reminders > 0) {
      this.logger.log(`queued ${done.invitations} evaluation invitation(s) and ${done.reminders} reminder(s)`);
      // Hand the new emails to the mail dispatcher now rather than at its next tick.
      void this.mailDispatcher.dispatchDue().catch((error: unknown) => this.logger.error({ err: error }, 'mail dispatch failed'));
    }
    return done;
  }

  private async sendBatch(manager: EntityManager, kind: 'invitations' | 'reminders', now: Date): Promise<number> {
    const due =
      kind === 'invitations'
        ? `i.status = 'scheduled' AND i.due_at <= $1`
        : `i.status = 'sent' AND i.next_reminder_at <= $1 AND i.reminders_sent < i.max_reminders`;
    const rows = (await manager.query(
      `SELECT i.id, i.locale, u.email, u.name, o.title AS course_title, i.expires_at, i.reminder_after, i.max_reminders, i.reminders_sent
         FROM evaluation_invitations i
         JOIN users u ON u.id = i.user_id
         LEFT JOIN offerings o ON o.id = i.offering_id
        WHERE ${due} AND (i.expires_at IS NULL OR i.expires_at > $1) AND u.erased_at IS NULL
        ORDER BY ${kind === 'invitations' ? 'i.due_at' : 'i.next_reminder_at'}
        LIMIT $2
        FOR UPDATE OF i SKIP LOCKED`,
      [now, BATCH],
    )) as ClaimedInvitation[];
    if (rows.length === 0) return 0;
    const tokens = rows.map(() => newLinkToken());
    await manager.query(
      `INSERT INTO evaluation_tokens (token_hash, invitation_id, created_at) SELECT * FROM unnest($1::char(64)[], $2::uuid[], $3::timestamptz[])`,
      [tokens.map((t) => t.hash), rows.map((r) => r.id), rows.map(() => now)],
    );
    const base = this.config.publicBaseUrl;
    // One INSERT for the whole batch: per-row inserts were the slowest step with 10 000 due at once.
    await this.mail.enqueueMany(
      manager,
      rows.map((row, i) => {
        const reminder = kind === 'reminders' ? row.reminders_sent + 1 : 0;
        const url = `${base}/survey/${tokens[i].token}`;
        return {
          dedupeKey: reminder ? reminderMailKey(row.id, reminder) : invitationMailKey(row.id),
          to: row.email,
          template: reminder ? 'evaluation-reminder' : 'evaluation-invitation',
          locale: row.locale,
          content: evaluationMail(row.locale, {
            name: row.name,
            courseTitle: row.course_title ?? (row.locale === 'en' ? 'the course' : 'kursen'),
            url,
            optOutUrl: `${url}/opt-out`,
            expiresAt: row.expires_at,
            reminder,
          }),
        };
      }),
    );
    const sentCount = rows.map((r) => (kind === 'reminders' ? r.reminders_sent + 1 : 0));
    const nextReminder = rows.map((r, i) =>
      r.reminder_after && sentCount[i] < r.max_reminders ? addDuration(now, r.reminder_after) : null,
    );
    await manager.query(
      `UPDATE evaluation_invitations i
          SET status = CASE WHEN i.status = 'scheduled' THEN 'sent' ELSE i.status END,
              sent_at = COALESCE(i.sent_at, $4), reminders_sent = u.sent, next_reminder_at = u.next_at
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS u(id, sent, next_at)
        WHERE i.id = u.id`,
      [rows.map((r) => r.id), sentCount, nextReminder, now],
    );
    return rows.length;
  }
}
