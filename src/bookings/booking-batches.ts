import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '../database/prepared-query.js';
import { StatementBatcher } from '../database/statement-batcher.js';
import { type EnqueueMail, MailService } from '../mail/mail.service.js';

/** A booking about to be written; its id is made beforehand, so that its emails can be rendered first. */
export interface NewBooking {
  id: string;
  sessionId: string;
  userId: string;
  bookedBy: string;
  organisationId: string | null;
  requests: string[];
  note: string | null;
  /** When it was asked for: its created_at (and confirmed_at when confirmed). */
  at: Date;
}

/**
 * How many confirm statements one instance has at the database at once (see StatementBatcher),
 * never two on one session. Two: the bookings that come while they run go together in the next,
 * and one statement waiting for a session another transaction holds leaves the other free.
 * Measured in bench/booking (RESULTS.md): 1 and 2 about equal spread over 2 000 sessions, 4 and 8
 * worse.
 */
export const CONFIRMS_IN_FLIGHT = 2;

interface Confirm {
  booking: NewBooking;
  mail: EnqueueMail;
}

/**
 * Confirms bookings where a seat is free, many in one statement, outside any transaction (group
 * commit, see StatementBatcher). The statement locks the sessions it books, in id order so that
 * two statements (of this instance or another) never deadlock, gives each session's free seats to
 * its bookings in the order they came, and writes exactly those bookings and their confirmation
 * emails (rendered beforehand). A booking that got no seat (its session full, or cancelled since
 * it was read) is not written (`false`): the caller then books it in a transaction of its own,
 * which re-reads the session and waitlists or refuses. When the statement fails (one person booked
 * twice, say), none of it is written and each booking is tried again alone, so that only the one
 * at fault gets the error.
 */
@Injectable()
export class BookingBatches {
  readonly confirms = new StatementBatcher<Confirm, boolean>(
    (batch) => this.confirmAll(batch),
    CONFIRMS_IN_FLIGHT,
    100,
    // One statement at a time per session: this instance's statements never queue for each other's locks.
    (one) => one.booking.sessionId,
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
  ) {}

  /** True when `booking` was confirmed (and its `mail` written); false when its session was full or cancelled. */
  confirm(booking: NewBooking, mail: EnqueueMail): Promise<boolean> {
    return this.confirms.submit({ booking, mail });
  }

  private async confirmAll(batch: Confirm[]): Promise<boolean[]> {
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
    ];
    const outbox = this.mail.outboxInsert(
      batch.map((one) => one.mail),
      params.length + 1,
      'm.nth IN (SELECT nth FROM chosen)',
    );
    const rows = await queryPrepared<{ id: string }>(
      this.dataSource,
      `WITH req AS (
         SELECT r.*, row_number() OVER (PARTITION BY r.session_id ORDER BY r.nth) AS place
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::jsonb[], $7::varchar[], $8::timestamptz[])
                WITH ORDINALITY AS r(id, session_id, user_id, booked_by, organisation_id, requests, note, at, nth)),
       wanted AS (SELECT session_id, count(*)::int AS n FROM req GROUP BY session_id),
       locked AS (
         SELECT s.id, s.capacity - s.seats_taken AS free FROM sessions s
          WHERE s.id IN (SELECT session_id FROM wanted) AND s.status = 'scheduled' ORDER BY s.id FOR UPDATE OF s),
       seat AS (
         UPDATE sessions s SET seats_taken = s.seats_taken + least(w.n, l.free)
           FROM locked l JOIN wanted w ON w.session_id = l.id
          WHERE s.id = l.id AND l.free > 0 AND s.seats_taken + least(w.n, l.free) <= s.capacity
         RETURNING s.id, least(w.n, l.free) AS n),
       chosen AS (SELECT r.* FROM req r JOIN seat ON seat.id = r.session_id WHERE r.place <= seat.n),
       booked AS (
         INSERT INTO bookings (session_id, id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note, confirmed_at, created_at, updated_at)
         SELECT c.session_id, c.id, c.user_id, c.booked_by, c.organisation_id, 'confirmed',
                ARRAY(SELECT jsonb_array_elements_text(c.requests))::varchar[], c.note, c.at, c.at, c.at
           FROM chosen c
         RETURNING id),
       outbox AS (${outbox.sql})
       SELECT id FROM booked`,
      [...params, ...outbox.params],
    );
    const confirmed = new Set(rows.map((row) => row.id));
    return batch.map((one) => confirmed.has(one.booking.id));
  }
}
