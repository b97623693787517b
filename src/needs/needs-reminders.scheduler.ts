import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { IntervalJob } from '../common/interval-job.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { needsRoundReminderMail } from '../mail/templates/needs-round.template.js';
import { NeedsOrganisationsRepository } from './needs-organisations.repository.js';
import { roundLink } from './needs-rounds.service.js';
import { nextSendTime } from '../common/quiet-hours.js';

const BATCH = 100;
/** Reminders go out from this long before a round closes. */
export const REMINDER_BEFORE_MS = 7 * 24 * 3600_000;

interface DueRow {
  round_id: string;
  organisation_id: string;
  title: string;
  closes_at: Date;
}

/**
 * Once per invited organisation that has not answered (no statement, no assessment), from a week
 * before the round closes: an email to its admins. Due invitations are claimed with FOR UPDATE
 * SKIP LOCKED and marked `reminded_at` in the same transaction as the outbox rows (whose dedupe
 * keys are per round, organisation and admin), so any number of instances send each reminder once.
 */
@Injectable()
export class NeedsRemindersScheduler extends IntervalJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organisations: NeedsOrganisationsRepository,
    private readonly mail: MailService,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    super('needs-reminders', config.dispatchIntervalMs, scheduler);
  }

  /** Claims and reminds every due organisation now; returns how many organisations were reminded. */
  sendDue(): Promise<number> {
    return this.runNow();
  }

  protected run(): Promise<number> {
    return this.drain();
  }

  private async drain(): Promise<number> {
    let reminded = 0;
    for (;;) {
      if (this.stopped) break;
      const count = await this.remindBatch();
      reminded += count;
      if (count < BATCH) break;
    }
    if (reminded > 0) this.logger.log(`reminded ${reminded} organisation(s) about needs rounds`);
    return reminded;
  }

  private remindBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const rows = (await manager.query(
        `SELECT i.round_id, i.organisation_id, r.title, r.closes_at
           FROM needs_round_organisations i
           JOIN needs_rounds r ON r.id = i.round_id
          WHERE r.status = 'open' AND i.reminded_at IS NULL
            AND r.opens_at <= $1 AND r.closes_at > $1 AND r.closes_at <= $2
            AND NOT EXISTS (SELECT 1 FROM needs_statements s WHERE s.round_id = i.round_id AND s.organisation_id = i.organisation_id)
            AND NOT EXISTS (SELECT 1 FROM needs_assessments a WHERE a.round_id = i.round_id AND a.organisation_id = i.organisation_id)
          ORDER BY r.closes_at, i.round_id, i.organisation_id
          LIMIT $3
          FOR UPDATE OF i SKIP LOCKED`,
        [now, new Date(now.getTime() + REMINDER_BEFORE_MS), BATCH],
      )) as DueRow[];
      if (rows.length === 0) return 0;
      const notBefore = nextSendTime(now, this.config.quietHours);
      for (const row of rows) {
        const admins = await this.organisations.adminsOf(manager, row.round_id, [row.organisation_id]);
        for (const admin of admins) {
          await this.mail.enqueue(manager, {
            dedupeKey: `needs-round-reminder:${row.round_id}:${row.organisation_id}:${admin.userId}`,
            to: admin.email,
            template: 'needs-round-reminder',
            locale: admin.locale,
            notBefore,
            content: needsRoundReminderMail(admin.locale, {
              roundTitle: row.title,
              organisationName: admin.organisationName,
              closesAt: row.closes_at,
              url: roundLink(this.config, row.round_id, row.organisation_id),
            }),
          });
        }
        await manager.query('UPDATE needs_round_organisations SET reminded_at = $3 WHERE round_id = $1 AND organisation_id = $2', [
          row.round_id,
          row.organisation_id,
          now,
        ]);
      }
      return rows.length;
    });
  }
}
