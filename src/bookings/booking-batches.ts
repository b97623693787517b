import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '../database/prepared-query.js';
import { StatementBatcher } from '../database/statement-batcher.js';
import { Clock } from '../common/clock.js';
import { type EnqueueMail, MailService } from '../mail/mail.service.js';
import { BookingWebhooks } from './booking-webhooks.js';

/** A booking about to be written; its id is made beforehand, so that its emails can be rendered first. */
export interface NewBooking {
  id: string;
  sessionId: string;
  /** The course's provider (whose webhook endpoints hear of the booking). */
  providerId: string;
  userId: string;
  bookedBy: string;
  organisationId: string | null;
  requests: string[];
  note: string | null;
  /** When it was asked for: its created_at (and confirmed_at when confirmed). */
  at: Date;
}

/**
 * How many booking statements one instance has at the database at once (see StatementBatcher),
 * never two on one session. Two: the bookings that come while they run go together in the next,
 * and one statement waiting for a session another transaction holds leaves the other free.
 * Measured in bench/booking (RESULTS.md): 1 and 2 about equal spread over 2 000 sessions, 4 and 8
 * worse.
 */
export const BOOKINGS_IN_FLIGHT = 2;

/**
 * Stands for the waitlist position in a waitlisted email rendered before its statement runs; the
 * statement writes the position in its place (MailService.outboxInsert's `fill`).
 */
export const POSITION_MARKER = 9007199254740991;

/**
 * A session with at least this many free seats when a booking's context was read does not fill
 * before its statement runs but in a rush of several instances (one instance's statements take at
 * most BOOKINGS_IN_FLIGHT × 100 seats of it meanwhile): the booking's waitlist email is not
 * rendered. Should it fill after all, the statement leaves the booking to its own transaction.
 */
export const WAITLIST_UNLIKELY_FREE_SEATS = 400;

/** The emails of one booking, rendered beforehand: null where the statement may not take that way. */
export interface PlacementMails {
  confirmed: EnqueueMail | null;
  waitlisted: EnqueueMail | null;
}

/** What the statement did with a booking; null: nothing (the caller books it in a transaction of its own). */
export type Placement = { status: 'confirmed' } | { status: 'waitlisted'; position: number } | null;

interface Place {
  booking: NewBooking;
  mails: PlacementMails;
}

/**
 * Books many bookings in one statement, outside any transaction (group commit, see
 * StatementBatcher). The statement locks the sessions it books, in id order so that two statements
 * (of this instance or another) never deadlock, and only those still bookable at `now` (scheduled,
 * the offering published, booking open, not started: what the transactional path checks). Each
 * session's free seats go to its bookings in the order they came (confirmed, with the confirmation
 * email); the bookings after them join the waitlist in that order, their positions continuing the
 * waitlist (`sessions.waitlist_length`, read from the locked row, hence never stale), with the
 * waitlisted email carrying that position. So nobody is waitlisted while a seat is free, and the
 * positions stay 1..n. Bookings, seats, waitlist length, emails and webhook deliveries are written in that one
 * statement. A booking is not written (null) when its session is no longer bookable, or when it
 * would take a way its emails were not rendered for (a seat freed on a session read as full, a
 * session read far from full that filled; then none of that session's bookings in the statement is
 * written): the caller books it in a
 * transaction of its own, which re-reads the session and refuses with the exact reason, or books.
 * When the statement fails (one person booked twice, say), none of it is written, and its bookings
 * are tried again in halves, so that only the one at fault gets the error.
 */
@Injectable()
export class BookingBatches {
  readonly places = new StatementBatcher<Place, Placement>(
    (batch) => this.placeAll(batch),
    BOOKINGS_IN_FLIGHT,
    100,
    // One statement at a time per session: this instance's statements never queue for each other's locks.
    (one) => one.booking.sessionId,
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly webhooks: BookingWebhooks,
    private readonly clock: Clock,
  ) {}

  /** `mails`: at least one of them. */
  place(booking: NewBooking, mails: PlacementMails): Promise<Placement> {
    if (!mails.confirmed && !mails.waitlisted) throw new Error('BookingBatches.place: no email to write');
    return this.places.submit({ booking, mails });
  }

  private async placeAll(batch: Place[]): Promise<Placement[]> {
    const column = <T>(pick: (booking: NewBooking) => T) => batch.map((one) => pick(one.booking));
    const params: unknown[] = [
      column((b) => b.id),
      column((b) => b.sessionId),
      column((b) => b.userId),
      column((b) => b.bookedBy),
      column((b) => b.organisationId),
      column((b) => JSON.stringify(b.requests)),
      column((b) => b.note),
      column((b) => b.at),
      batch.map((one) => one.mails.confirmed !== null),
      batch.map((one) => one.mails.waitlisted !== null),
      this.clock.now(),
    ];
    // The emails rendered, each with its booking (1-based, as `req.nth`) and way (seat or waitlist):
    // `only` writes those of the way each booking went.
    const mails: EnqueueMail[] = [];
    const mailBooking: number[] = [];
    const mailSeat: boolean[] = [];
    batch.forEach((one, i) => {
      for (const [mail, seat] of [[one.mails.confirmed, true], [one.mails.waitlisted, false]] as const) {
        if (!mail) continue;
        mails.push(mail);
        mailBooking.push(i + 1);
        mailSeat.push(seat);
      }
    });
    params.push(mailBooking, mailSeat);
    const outbox = this.mail.outboxInsert(
      mails,
      params.length + 1,
      '(($12::int[])[m.nth], ($13::boolean[])[m.nth]) IN (SELECT nth, seat FROM written)',
      { marker: String(POSITION_MARKER), value: 'SELECT w.position FROM written w WHERE NOT ($13::boolean[])[m.nth] AND w.nth = ($12::int[])[m.nth]' },
    );
    // Webhook deliveries of what the statement booked, in the same statement.
    const hooks = this.webhooks.batchInsert(batch.map((one) => one.booking.providerId), params.length + outbox.params.length + 1);
    const rows = await queryPrepared<{ id: string; seat: boolean; position: number | null }>(
      this.dataSource,
      `WITH req AS (
         SELECT r.*, row_number() OVER (PARTITION BY r.session_id ORDER BY r.nth) AS place
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::jsonb[], $7::varchar[], $8::timestamptz[], $9::boolean[], $10::boolean[])
                WITH ORDINALITY AS r(id, session_id, user_id, booked_by, organisation_id, requests, note, at, may_confirm, may_wait, nth)),
       locked AS (
         SELECT s.id, s.capacity - s.seats_taken AS free, s.waitlist_length AS waiting FROM sessions s
          WHERE s.id IN (SELECT session_id FROM req) AND s.status = 'scheduled'
            AND s.booking_closes_at > $11 AND s.starts_at > $11 AND (s.booking_opens_at IS NULL OR s.booking_opens_at <= $11)
            AND EXISTS (SELECT 1 FROM offerings o WHERE o.id = s.offering_id AND o.status = 'published')
          ORDER BY s.id FOR UPDATE OF s),
       plan AS (
         SELECT r.*, r.place <= l.free AS seat, CASE WHEN r.place > l.free THEN l.waiting + r.place - l.free END AS position
           FROM req r JOIN locked l ON l.id = r.session_id),
       -- Sessions where a booking would go a way its emails were not rendered for: none of theirs is written here.
       blocked AS (SELECT DISTINCT session_id FROM plan WHERE (seat AND NOT may_confirm) OR (NOT seat AND NOT may_wait)),
       counts AS (
         SELECT session_id, count(*) FILTER (WHERE seat)::int AS seats, count(*) FILTER (WHERE NOT seat)::int AS waiting
           FROM plan WHERE session_id NOT IN (SELECT session_id FROM blocked) GROUP BY session_id),
       moved AS (
         UPDATE sessions s SET seats_taken = s.seats_taken + c.seats, waitlist_length = s.waitlist_length + c.waiting
           FROM counts c JOIN locked l ON l.id = c.session_id
          WHERE s.id = c.session_id AND s.seats_taken + c.seats <= s.capacity AND s.waitlist_length = l.waiting
         RETURNING s.id),
       written AS (SELECT p.* FROM plan p JOIN moved ON moved.id = p.session_id),
       -- Waitlist sequence numbers drawn in the order the bookings came (the subquery's order).
       queued AS (
         SELECT w.id, nextval('bookings_waitlist_seq') AS seq
           FROM (SELECT id FROM written WHERE NOT seat ORDER BY session_id, place OFFSET 0) w),
       booked AS (
         INSERT INTO bookings (session_id, id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note,
                               confirmed_at, waitlist_seq, waitlisted_at, created_at, updated_at)
         SELECT w.session_id, w.id, w.user_id, w.booked_by, w.organisation_id, CASE WHEN w.seat THEN 'confirmed' ELSE 'waitlisted' END,
                ARRAY(SELECT jsonb_array_elements_text(w.requests))::varchar[], w.note,
                CASE WHEN w.seat THEN w.at END, q.seq, CASE WHEN NOT w.seat THEN w.at END, w.at, w.at
           FROM written w LEFT JOIN queued q ON q.id = w.id
         RETURNING id),
       outbox AS (${outbox.sql}),
       hooks AS (${hooks.sql})
       -- Every row of written is inserted (or the statement fails): it is what the statement booked.
       SELECT w.id, w.seat, w.position::int AS position FROM written w`,
      [...params, ...outbox.params, ...hooks.params],
    );
    const placed = new Map(rows.map((row) => [row.id, row]));
    return batch.map((one) => {
      const row = placed.get(one.booking.id);
      if (!row) return null;
      return row.seat ? { status: 'confirmed' } : { status: 'waitlisted', position: row.position! };
    });
  }
}
