import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { IntervalJob } from '../common/interval-job.js';
import { isQuiet } from '../common/quiet-hours.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { BookingNotifications } from './booking-notifications.js';
import { BookingSeats } from './booking-seats.js';
import { type BookableSession, findSession } from './booking-sessions.repository.js';
import { BookingWebhooks } from './booking-webhooks.js';
import { rows } from '../database/sql.js';

const BATCH = 100;
const REMINDER_BEFORE_MS = 2 * 24 * 3600_000;
/**
 * Scheduled booking work, every DISPATCH_INTERVAL_MS on every instance: expired seat offers pass
 * to the next person; reminders go out two days before a session. Work is claimed with
 * FOR UPDATE SKIP LOCKED, so running it twice or on two instances changes nothing twice.
 */
@Injectable()
export class BookingJobs extends IntervalJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly seats: BookingSeats,
    private readonly notifications: BookingNotifications,
    private readonly webhooks: BookingWebhooks,
    private readonly clock: Clock,
    scheduler: SchedulerRegistry,
  ) {
    super('booking-jobs', config.dispatchIntervalMs, scheduler);
  }

  protected async run(): Promise<number> {
    const expired = await this.expireOffers();
    const reminded = await this.sendReminders();
    if (expired || reminded) this.logger.log(`expired ${expired} offer(s), sent ${reminded} reminder(s)`);
    return expired + reminded;
  }

  /**
   * Expired offers become `expired` (a booking.expired webhook event each, in the same transaction);
   * each seat passes to the next person (waitlist.promoted). Returns how many expired.
   */
  async expireOffers(): Promise<number> {
    const now = this.clock.now();
    const sessions = (await this.dataSource.query(
      `SELECT DISTINCT session_id FROM bookings WHERE status = 'offered' AND offer_expires_at <= $1 LIMIT ${BATCH}`,
      [now],
    )) as { session_id: string }[];
    let expired = 0;
    for (const { session_id: sessionId } of sessions) {
      expired += await this.dataSource.transaction(async (manager) => {
        // Claim the session; another instance working on it is skipped, not waited for.
        const [claimed] = (await manager.query('SELECT id FROM sessions WHERE id = $1 FOR UPDATE SKIP LOCKED', [sessionId])) as unknown[];
        if (!claimed) return 0;
        const session = (await findSession(manager, sessionId))!;
        const lapsed = rows<{ id: string; user_id: string; organisation_id: string | null }>(
          await manager.query(
            `UPDATE bookings SET status = 'expired', updated_at = $2
              WHERE session_id = $1 AND status = 'offered' AND offer_expires_at <= $2 RETURNING id, user_id, organisation_id`,
            [sessionId, now],
          ),
        );
        await this.webhooks.tellMany(
          manager,
          lapsed.map((row) => ({
            type: 'booking.expired' as const,
            booking: { id: row.id, sessionId, providerId: session.providerId, organisationId: row.organisation_id, status: 'expired' as const },
          })),
        );
        for (const row of lapsed) {
          await this.notifications.tell(manager, row.id, row.user_id, session, { kind: 'offerExpired' });
          await this.seats.release(manager, session);
        }
        return lapsed.length;
      });
    }
    return expired;
  }

  /** Reminders for confirmed bookings two days before the start, once per booking. Returns how many. */
  async sendReminders(): Promise<number> {
    const now = this.clock.now();
    if (isQuiet(now, this.config.quietHours)) return 0;
    return this.dataSource.transaction(async (manager) => {
      const due = rows<{ id: string; user_id: string; session_id: string }>(
        await manager.query(
        `UPDATE bookings b SET reminder_sent_at = $1
           FROM (SELECT b2.id FROM bookings b2 JOIN sessions s ON s.id = b2.session_id
                  WHERE b2.status = 'confirmed' AND b2.reminder_sent_at IS NULL AND s.status = 'scheduled'
                    AND s.starts_at > $1 AND s.starts_at <= $2 AND b2.confirmed_at < s.starts_at - interval '2 days'
                  ORDER BY s.starts_at LIMIT ${BATCH}
                  FOR UPDATE OF b2 SKIP LOCKED) due
          WHERE b.id = due.id RETURNING b.id, b.user_id, b.session_id`,
          [now, new Date(now.getTime() + REMINDER_BEFORE_MS)],
        ),
      );
      const sessions = new Map<string, BookableSession>();
      for (const row of due) {
        if (!sessions.has(row.session_id)) sessions.set(row.session_id, (await findSession(manager, row.session_id))!);
        await this.notifications.tell(manager, row.id, row.user_id, sessions.get(row.session_id)!, { kind: 'reminder' });
      }
      return due.length;
    });
  }
}

