import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BookingNotifications } from './booking-notifications.js';
import { BookingWebhooks } from './booking-webhooks.js';
import type { BookableSession } from './booking-sessions.repository.js';
import { rows } from '../database/sql.js';

/** How long a waitlisted person has to accept an offered seat (never past the booking window). */
export const OFFER_HOURS = 48;

/**
 * Seats live in `sessions.seats_taken` (confirmed + offered bookings), the waitlist's length in
 * `sessions.waitlist_length`. They are changed only here (and by BookingBatches, and to zero when a
 * session is cancelled), by UPDATEs in the caller's transaction or statement under the session's
 * lock: the database, not this process, decides whether a seat is free.
 */
@Injectable()
export class BookingSeats {
  constructor(
    private readonly clock: Clock,
    private readonly notifications: BookingNotifications,
    private readonly webhooks: BookingWebhooks,
  ) {}

  /** Takes a seat if one is free; true when taken. */
  async take(manager: EntityManager, sessionId: string): Promise<boolean> {
    const taken = rows(
      await manager.query('UPDATE sessions SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats_taken < capacity RETURNING seats_taken', [sessionId]),
    );
    return taken.length === 1;
  }

  /**
   * Puts a booking at the tail of the session's waitlist; returns its position (the waitlist's new
   * length: the caller holds the session lock, so nobody else joins or leaves meanwhile).
   */
  async joinWaitlist(manager: EntityManager, bookingId: string, sessionId: string): Promise<number> {
    await manager.query(
      `UPDATE bookings SET status = 'waitlisted', waitlist_seq = nextval('bookings_waitlist_seq'), waitlisted_at = $2, updated_at = $2 WHERE id = $1`,
      [bookingId, this.clock.now()],
    );
    const [row] = rows<{ waitlist_length: number }>(
      await manager.query('UPDATE sessions SET waitlist_length = waitlist_length + 1 WHERE id = $1 RETURNING waitlist_length', [sessionId]),
    );
    return row.waitlist_length;
  }

  /** A waitlisted booking left the waitlist (cancelled): the caller holds the session lock. */
  async leaveWaitlist(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.query('UPDATE sessions SET waitlist_length = waitlist_length - 1 WHERE id = $1', [sessionId]);
  }

  /**
   * A seat-holding booking left: the seat goes to the head of the waitlist, or back to the pool.
   * The caller holds the session lock (see lockSession).
   */
  async release(manager: EntityManager, session: BookableSession): Promise<void> {
    await manager.query('UPDATE sessions SET seats_taken = seats_taken - 1 WHERE id = $1', [session.id]);
    await this.fillFromWaitlist(manager, session);
  }

  /**
   * While seats are free and people wait, the head of the waitlist gets the seat: confirmed in
   * `auto` mode, offered with a deadline in `offer` mode. Not once booking has closed or the
   * session has started. The caller holds the session lock.
   */
  async fillFromWaitlist(manager: EntityManager, session: BookableSession): Promise<number> {
    const now = this.clock.now();
    if (session.status !== 'scheduled' || now >= session.bookingClosesAt || now >= session.startsAt) return 0;
    let promoted = 0;
    for (;;) {
      const [head] = (await manager.query(
        `SELECT id, user_id, organisation_id FROM bookings WHERE session_id = $1 AND status = 'waitlisted'
          ORDER BY waitlist_seq LIMIT 1 FOR UPDATE`,
        [session.id],
      )) as { id: string; user_id: string; organisation_id: string | null }[];
      if (!head) return promoted;
      const promoted_ = (row: typeof head) => ({ id: row.id, sessionId: session.id, providerId: session.providerId, organisationId: row.organisation_id });
      // The head leaves the waitlist and takes the seat, if one is free.
      const taken = rows(
        await manager.query(
          `UPDATE sessions SET seats_taken = seats_taken + 1, waitlist_length = waitlist_length - 1
            WHERE id = $1 AND seats_taken < capacity RETURNING seats_taken`,
          [session.id],
        ),
      );
      if (taken.length === 0) return promoted;
      if (session.waitlistMode === 'auto') {
        await manager.query(
          `UPDATE bookings SET status = 'confirmed', confirmed_at = $2, updated_at = $2 WHERE id = $1`,
          [head.id, now],
        );
        await this.notifications.tell(manager, head.id, head.user_id, session, { kind: 'confirmed' });
        await this.webhooks.tell(manager, ['waitlist.promoted', 'booking.confirmed'], { ...promoted_(head), status: 'confirmed' });
      } else {
        const deadline = new Date(Math.min(now.getTime() + OFFER_HOURS * 3600_000, session.bookingClosesAt.getTime()));
        await manager.query(
          `UPDATE bookings SET status = 'offered', offered_at = $2, offer_expires_at = $3, updated_at = $2 WHERE id = $1`,
          [head.id, now, deadline],
        );
        await this.notifications.tell(manager, head.id, head.user_id, session, { kind: 'offered', expiresAt: deadline });
        await this.webhooks.tell(manager, ['waitlist.promoted'], { ...promoted_(head), status: 'offered' });
      }
      promoted++;
    }
  }
}
