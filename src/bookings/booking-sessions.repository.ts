import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import type { WaitlistMode } from '../catalogue/session.entity.js';
import { queryPrepared } from '../database/prepared-query.js';
import { StatementBatcher } from '../database/statement-batcher.js';
import type { BookingMailSession } from '../mail/templates/booking.template.js';
import type { OrgRole } from '../organisations/organisation-member.entity.js';
import type { Recipient } from './booking-notifications.js';

/** A session as bookings need it: the rules of the booking window and what emails say about it. */
export interface BookableSession extends BookingMailSession {
  id: string;
  providerId: string;
  offeringStatus: string;
  status: 'scheduled' | 'cancelled';
  capacity: number;
  seatsTaken: number;
  bookingOpensAt: Date | null;
  bookingClosesAt: Date;
  cancellationDeadline: Date | null;
  requiresApproval: boolean;
  waitlistMode: WaitlistMode;
  cancellationReason: string | null;
}

const COLUMNS = `s.id, o.provider_id, o.status AS offering_status, s.status, s.capacity, s.seats_taken,
       s.booking_opens_at, s.booking_closes_at, s.cancellation_deadline, s.requires_approval, s.waitlist_mode,
       s.cancellation_reason, s.starts_at, s.ends_at, s.online, s.online_url, s.venue,
       m.name AS municipality_name, o.title, p.name AS provider_name`;

const TABLES = `sessions s
  JOIN offerings o ON o.id = s.offering_id
  JOIN providers p ON p.id = o.provider_id
  LEFT JOIN municipalities m ON m.code = s.municipality_code`;

interface Row {
  id: string;
  provider_id: string;
  offering_status: string;
  status: 'scheduled' | 'cancelled';
  capacity: number;
  seats_taken: number;
  booking_opens_at: Date | null;
  booking_closes_at: Date;
  cancellation_deadline: Date | null;
  requires_approval: boolean;
  waitlist_mode: WaitlistMode;
  cancellation_reason: string | null;
  starts_at: Date;
  ends_at: Date;
  online: boolean;
  online_url: string | null;
  venue: string | null;
  municipality_name: string | null;
  title: string;
  provider_name: string;
}

function toSession(row: Row): BookableSession {
  return {
    id: row.id,
    providerId: row.provider_id,
    offeringStatus: row.offering_status,
    status: row.status,
    capacity: row.capacity,
    seatsTaken: row.seats_taken,
    bookingOpensAt: row.booking_opens_at,
    bookingClosesAt: row.booking_closes_at,
    cancellationDeadline: row.cancellation_deadline,
    requiresApproval: row.requires_approval,
    waitlistMode: row.waitlist_mode,
    cancellationReason: row.cancellation_reason,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    online: row.online,
    onlineUrl: row.online_url,
    venue: row.venue,
    municipalityName: row.municipality_name,
    title: row.title,
    providerName: row.provider_name,
  };
}

/** Reads of the catalogue's session rows that bookings need (the catalogue owns the tables). */
export async function findSession(manager: EntityManager, id: string): Promise<BookableSession | null> {
  const [row] = (await manager.query(`SELECT ${COLUMNS} FROM ${TABLES} WHERE s.id = $1`, [id])) as Row[];
  return row ? toSession(row) : null;
}

/**
 * Locks the session row (FOR UPDATE) and returns it fresh. Every path that moves seats between
 * people takes this lock first and booking rows second, so they never deadlock and the waitlist
 * is seen whole.
 */
export async function lockSession(manager: EntityManager, id: string): Promise<BookableSession | null> {
  await manager.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [id]);
  return findSession(manager, id);
}

export interface Membership {
  organisationId: string;
  userId: string;
  role: OrgRole;
}

/** What booking a seat decides on, read before anything is written. */
export interface BookingContext {
  /** The caller when theirs is an active (not erased) account, with its token version. */
  caller: (AuthUser & { authVersion: number }) | null;
  /** Null when there is no such session. */
  session: BookableSession | null;
  /** The organisation memberships of the caller and of the participant. */
  memberships: Membership[];
  /** The participant when theirs is an active (not erased) account, as `findRecipients` gives it. */
  participant: Recipient | null;
}

/**
 * How many booking-context reads one instance has at the database at once (see StatementBatcher).
 * Reads wait for no row lock; 1 and 2 measured about equal in bench/booking, 4 and 8 worse.
 */
export const CONTEXT_READS_IN_FLIGHT = 2;

interface ContextKey {
  sessionId: string;
  callerId: string;
  participantId: string;
}

/**
 * The caller's account (as the JWT guard reads it, with the token version it compares), the session (as `findSession` reads it), the
 * memberships and the participant, in one prepared statement that reads them for every booking
 * waiting at that moment (see StatementBatcher).
 */
@Injectable()
export class BookingContexts {
  readonly reads = new StatementBatcher<ContextKey, BookingContext>((keys) => this.readAll(keys), CONTEXT_READS_IN_FLIGHT);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(sessionId: string, callerId: string, participantId: string): Promise<BookingContext> {
    return this.reads.submit({ sessionId, callerId, participantId });
  }

  private async readAll(keys: ContextKey[]): Promise<BookingContext[]> {
    const rows = await queryPrepared<Row & { caller: BookingContext['caller']; memberships: Membership[]; participant: Recipient | null }>(
      this.dataSource,
      `SELECT ${COLUMNS},
              (SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'globalRole', u.global_role, 'locale', u.locale,
                                  'authVersion', u.auth_version)
                 FROM users u WHERE u.id = r.caller_id AND u.erased_at IS NULL) AS caller,
              (SELECT coalesce(json_agg(json_build_object('organisationId', om.organisation_id, 'userId', om.user_id, 'role', om.role)), '[]')
                 FROM organisation_members om WHERE om.user_id IN (r.caller_id, r.participant_id)) AS memberships,
              (SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'locale', u.locale)
                 FROM users u WHERE u.id = r.participant_id AND u.erased_at IS NULL) AS participant
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS r(session_id, caller_id, participant_id, nth)
         LEFT JOIN (${TABLES}) ON s.id = r.session_id
        ORDER BY r.nth`,
      [keys.map((k) => k.sessionId), keys.map((k) => k.callerId), keys.map((k) => k.participantId)],
    );
    return rows.map((row) => ({ caller: row.caller, session: row.id ? toSession(row) : null, memberships: row.memberships, participant: row.participant }));
  }
}
