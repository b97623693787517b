import type { DataSource, EntityManager } from 'typeorm';
import type { Page } from '../common/pagination.js';
import { queryPrepared } from '../database/prepared-query.js';
import type { BookingStatus } from './booking.entity.js';
import type { BookingDto, ParticipantDto } from './dto/booking.dto.js';

/** Columns every booking view needs, with the waitlist position computed in the database. */
const VIEW = `SELECT b.id, b.user_id, b.organisation_id, b.status, b.offer_expires_at, b.accessibility_requests, b.note,
       b.rejection_reason, b.attended, b.created_at, b.confirmed_at, b.cancelled_at,
       CASE WHEN b.status = 'waitlisted' THEN
         (SELECT count(*)::int FROM bookings w WHERE w.session_id = b.session_id AND w.status = 'waitlisted' AND w.waitlist_seq <= b.waitlist_seq)
       END AS waitlist_position,
       s.id AS session_id, o.title, p.name AS provider_name, s.starts_at, s.ends_at, s.status AS session_status,
       u.name AS participant_name, u.email AS participant_email, org.name AS organisation_name
  FROM bookings b
  JOIN sessions s ON s.id = b.session_id
  JOIN offerings o ON o.id = s.offering_id
  JOIN providers p ON p.id = o.provider_id
  JOIN users u ON u.id = b.user_id
  LEFT JOIN organisations org ON org.id = b.organisation_id`;

export interface BookingViewRow {
  id: string;
  user_id: string;
  organisation_id: string | null;
  status: BookingStatus;
  offer_expires_at: Date | null;
  accessibility_requests: string[];
  note: string | null;
  rejection_reason: string | null;
  attended: boolean | null;
  created_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  waitlist_position: number | null;
  session_id: string;
  title: string;
  provider_name: string;
  starts_at: Date;
  ends_at: Date;
  session_status: string;
  participant_name: string | null;
  participant_email: string | null;
  organisation_name: string | null;
}

export function toBookingDto(row: BookingViewRow): BookingDto {
  return {
    id: row.id,
    userId: row.user_id,
    organisationId: row.organisation_id,
    status: row.status,
    waitlistPosition: row.waitlist_position,
    offerExpiresAt: row.offer_expires_at?.toISOString() ?? null,
    accessibilityRequests: row.accessibility_requests,
    note: row.note,
    rejectionReason: row.rejection_reason,
    attended: row.attended,
    createdAt: row.created_at.toISOString(),
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    session: {
      id: row.session_id,
      title: row.title,
      providerName: row.provider_name,
      startsAt: row.starts_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
      status: row.session_status,
    },
  };
}

export function toParticipantDto(row: BookingViewRow): ParticipantDto {
  return {
    ...toBookingDto(row),
    participantName: row.participant_name,
    participantEmail: row.participant_email,
    organisationName: row.organisation_name,
  };
}

export async function findBookingView(manager: EntityManager, id: string): Promise<BookingViewRow | null> {
  const [row] = (await manager.query(`${VIEW} WHERE b.id = $1`, [id])) as BookingViewRow[];
  return row ?? null;
}

/** A page of bookings where `column` = `value` (user_id, organisation_id or session_id). */
export async function listBookings(
  manager: EntityManager,
  column: 'user_id' | 'organisation_id' | 'session_id',
  value: string,
  query: { status?: BookingStatus; limit: number; offset: number },
  order: string,
): Promise<Page<BookingViewRow>> {
  const where = `b.${column} = $1${query.status ? ' AND b.status = $2' : ''}`;
  const params: unknown[] = query.status ? [value, query.status] : [value];
  const [count] = (await manager.query(`SELECT count(*)::int AS n FROM bookings b WHERE ${where}`, params)) as { n: number }[];
  const rows = (await manager.query(`${VIEW} WHERE ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
    ...params,
    query.limit,
    query.offset,
  ])) as BookingViewRow[];
  return { items: rows, total: count.n };
}

/** A person's next bookings that still count (confirmed, waiting or offered), soonest first, without a count (the start page). */
export async function upcomingOfUser(dataSource: DataSource, userId: string, now: Date, limit: number): Promise<BookingViewRow[]> {
  return queryPrepared<BookingViewRow>(
    dataSource,
    `${VIEW} WHERE b.user_id = $1 AND b.status IN ('confirmed', 'pending_approval', 'waitlisted', 'offered') AND s.starts_at > $2 ORDER BY s.starts_at, b.id LIMIT $3`,
    [userId, now, limit],
  );
}

/** Every booking of a session with one status (for the sign-in sheet). */
export async function allOfSession(manager: EntityManager, sessionId: string, status: BookingStatus): Promise<BookingViewRow[]> {
  return (await manager.query(`${VIEW} WHERE b.session_id = $1 AND b.status = $2 ORDER BY u.name, u.email`, [sessionId, status])) as BookingViewRow[];
}
