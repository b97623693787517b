import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { FollowUpStatusDto } from './dto/status.dto.js';

/** The operational view for coordinators: where invitations are, and whether their emails got out. */
@Injectable()
export class FollowUpStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async status(): Promise<FollowUpStatusDto> {
    const now = this.clock.now();
    const [counts] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled,
              count(*) FILTER (WHERE status = 'scheduled' AND due_at <= $1)::int AS due,
              count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'answered')::int AS answered,
              count(*) FILTER (WHERE status = 'opted_out')::int AS opted_out,
              count(*) FILTER (WHERE status = 'expired')::int AS expired,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
              coalesce(sum(reminders_sent), 0)::int AS reminders
         FROM evaluation_invitations`,
      [now],
    )) as Record<string, number>[];
    // The outbox rows of invitations and reminders, found by their dedupe keys (see follow-up.dispatcher.ts).
    const deliveries = (await this.dataSource.query(
      `SELECT m.status, count(*)::int AS n FROM mail_outbox m
        WHERE m.dedupe_key LIKE 'evaluation:%' OR m.dedupe_key LIKE 'evaluation-reminder:%'
        GROUP BY m.status`,
    )) as { status: string; n: number }[];
    const by = (status: string) => deliveries.find((d) => d.status === status)?.n ?? 0;
    const quiet = this.config.quietHours;
    return {
      at: now.toISOString(),
      invitations: {
        scheduled: counts.scheduled,
        due: counts.due,
        sent: counts.sent,
        answered: counts.answered,
        optedOut: counts.opted_out,
        expired: counts.expired,
        cancelled: counts.cancelled,
      },
      remindersSent: counts.reminders,
      deliveries: { pending: by('pending'), sending: by('sending'), sent: by('sent'), failed: by('failed') },
      quietHours: quiet ? `${String(quiet.start).padStart(2, '0')}-${String(quiet.end).padStart(2, '0')}` : null,
    };
  }
}
