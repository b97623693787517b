import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SessionEvents } from '../catalogue/session-events.js';
import { Clock } from '../common/clock.js';
import { WebhookEvents } from '../integrations/webhook-events.js';
import { PersonalDataRegistry } from '../common/personal-data.js';
import { BookingNotifications, findRecipients } from './booking-notifications.js';
import { BookingSeats } from './booking-seats.js';
import { BookingWebhooks } from './booking-webhooks.js';
import { lockSession } from './booking-sessions.repository.js';
import { affected, rows } from '../database/sql.js';
import { RetentionRegistry } from '../common/retention.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/**
 * Bookings' part in changes made elsewhere, in the same transaction as those changes: a cancelled
 * session cancels its bookings and tells everyone; raised capacity goes to the waitlist; erasure
 * of a person leaves only the user id on their bookings; messages and accessibility requests are
 * cleared a while after the session (retention).
 */
@Injectable()
export class BookingSessionListeners implements OnModuleInit {
  constructor(
    private readonly sessionEvents: SessionEvents,
    private readonly personalData: PersonalDataRegistry,
    private readonly seats: BookingSeats,
    private readonly notifications: BookingNotifications,
    private readonly webhooks: BookingWebhooks,
    private readonly events: WebhookEvents,
    private readonly clock: Clock,
    private readonly retention: RetentionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sessionEvents.on('cancelled', async (manager, sessionId) => {
      await this.sessionCancelled(manager, sessionId);
    });
    this.sessionEvents.on('capacityRaised', async (manager, sessionId) => {
      const session = await lockSession(manager, sessionId);
      if (session) await this.seats.fillFromWaitlist(manager, session);
    });
    // Free text and accessibility requests are needed around the session, not for statistics.
    this.retention.register({
      name: 'bookings.notes',
      description: 'A booking\'s message and accessibility requests: BOOKING_NOTES_RETENTION_DAYS after its session ended',
      purge: (manager, now) =>
        affected(
          manager,
          `UPDATE bookings b SET note = NULL, accessibility_requests = '{}'
             FROM sessions s WHERE s.id = b.session_id AND s.ends_at < $1 AND (b.note IS NOT NULL OR b.accessibility_requests <> '{}')`,
          [new Date(now.getTime() - this.config.bookingNotesRetentionDays * 24 * 3600_000)],
        ),
    });
    this.personalData.register({
      key: 'bookings',
      export: (manager, userId) => this.export(manager, userId),
      erase: (manager, userId) => this.erase(manager, userId),
    });
  }

  async sessionCancelled(manager: EntityManager, sessionId: string): Promise<number> {
    const session = await lockSession(manager, sessionId);
    if (!session) return 0;
    const now = this.clock.now();
    const cancelled = rows<{ id: string; user_id: string; organisation_id: string | null }>(
      await manager.query(
        `UPDATE bookings SET status = 'cancelled', cancelled_at = $2, cancellation_reason = 'session_cancelled', offer_expires_at = NULL, updated_at = $2
          WHERE session_id = $1 AND status IN ('pending_approval', 'confirmed', 'waitlisted', 'offered')
          RETURNING id, user_id, organisation_id`,
        [sessionId, now],
      ),
    );
    await manager.query('UPDATE sessions SET seats_taken = 0, waitlist_length = 0 WHERE id = $1', [sessionId]);
    await this.events.record(manager, [
      { type: 'session.cancelled', providerId: session.providerId, organisationId: null, data: { sessionId, providerId: session.providerId } },
    ]);
    await this.webhooks.tellMany(
      manager,
      cancelled.map((row) => ({
        type: 'booking.cancelled' as const,
        booking: { id: row.id, sessionId, providerId: session.providerId, organisationId: row.organisation_id, status: 'cancelled' as const },
      })),
    );
    const recipients = await findRecipients(manager, cancelled.map((row) => row.user_id));
    for (const row of cancelled) {
      const to = recipients.get(row.user_id);
      if (to) await this.notifications.tell(manager, row.id, to, session, { kind: 'sessionCancelled', reason: session.cancellationReason });
    }
    return cancelled.length;
  }

  private async export(manager: EntityManager, userId: string): Promise<unknown> {
    return manager.query(
      `SELECT b.id, b.status, o.title, s.starts_at AS "startsAt", s.ends_at AS "endsAt", b.accessibility_requests AS "accessibilityRequests",
              b.note, b.attended, b.created_at AS "createdAt", b.cancelled_at AS "cancelledAt", b.rejection_reason AS "rejectionReason"
         FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offerings o ON o.id = s.offering_id
        WHERE b.user_id = $1 ORDER BY s.starts_at`,
      [userId],
    );
  }

  /**
   * Future bookings are cancelled (their seats go to the waitlist, without emails to an account
   * that is going away); every booking keeps its row for statistics, stripped of free text and
   * accessibility requests, holding only the (anonymised) user id.
   */
  private async erase(manager: EntityManager, userId: string): Promise<void> {
    const now = this.clock.now();
    const active = (await manager.query(
      `SELECT b.id, b.session_id, b.status, b.organisation_id FROM bookings b JOIN sessions s ON s.id = b.session_id
        WHERE b.user_id = $1 AND b.status IN ('pending_approval', 'confirmed', 'waitlisted', 'offered') AND s.starts_at > $2
        ORDER BY b.session_id`,
      [userId, now],
    )) as { id: string; session_id: string; status: string; organisation_id: string | null }[];
    for (const booking of active) {
      const session = (await lockSession(manager, booking.session_id))!;
      // The status read again under the session's lock: a promotion may have moved it meanwhile.
      const [current] = (await manager.query('SELECT status FROM bookings WHERE id = $1 FOR UPDATE', [booking.id])) as { status: string }[];
      if (!['pending_approval', 'confirmed', 'waitlisted', 'offered'].includes(current.status)) continue;
      await manager.query(
        `UPDATE bookings SET status = 'cancelled', cancelled_at = $2, cancellation_reason = 'account_erased', updated_at = $2 WHERE id = $1`,
        [booking.id, now],
      );
      await this.webhooks.tell(manager, ['booking.cancelled'], { id: booking.id, sessionId: session.id, providerId: session.providerId, organisationId: booking.organisation_id, status: 'cancelled' });
      if (current.status === 'confirmed' || current.status === 'offered') await this.seats.release(manager, session);
      if (current.status === 'waitlisted') await this.seats.leaveWaitlist(manager, session.id);
    }
    await manager.query(
      `UPDATE bookings SET note = NULL, accessibility_requests = '{}', rejection_reason = NULL,
              cancellation_reason = CASE WHEN cancellation_reason IN ('session_cancelled', 'account_erased') THEN cancellation_reason END
        WHERE user_id = $1`,
      [userId],
    );
  }
}
