import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { BookingStatus } from './booking.entity.js';
import { BookingErrorCode } from './bookings.errors.js';

/** How the caller stands to a booking. */
export type BookingRelation = 'participant' | 'org_admin' | 'provider' | 'coordinator';

export interface AccessibleBooking {
  id: string;
  sessionId: string;
  userId: string;
  organisationId: string | null;
  status: BookingStatus;
  relations: Set<BookingRelation>;
}

/**
 * The one place that decides who may act on a booking: the participant, an org admin of the
 * organisation it was made through, staff of the session's provider, coordinators. Unknown id → 404;
 * a booking that is not yours (in one of the allowed ways) → 403.
 */
@Injectable()
export class BookingAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async require(user: AuthUser, bookingId: string, allowed: BookingRelation[], manager: EntityManager = this.dataSource.manager): Promise<AccessibleBooking> {
    const [row] = (await manager.query(
      `SELECT b.id, b.session_id, b.user_id, b.organisation_id, b.status,
              EXISTS (SELECT 1 FROM organisation_members m
                       WHERE m.organisation_id = b.organisation_id AND m.user_id = $2 AND m.role = 'org_admin') AS is_org_admin,
              (o.provider_id = $3 OR EXISTS (SELECT 1 FROM provider_staff ps WHERE ps.provider_id = o.provider_id AND ps.user_id = $2)) AS is_staff
         FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN offerings o ON o.id = s.offering_id
        WHERE b.id = $1`,
      // An API key acts as its provider's staff ($3); a person's id is never a key's.
      [bookingId, user.id, user.apiKey?.providerId ?? null],
    )) as { id: string; session_id: string; user_id: string; organisation_id: string | null; status: BookingStatus; is_org_admin: boolean; is_staff: boolean }[];
    if (!row) throw AppError.notFound('Booking', BookingErrorCode.BOOKING_NOT_FOUND);
    const relations = new Set<BookingRelation>();
    if (row.user_id === user.id) relations.add('participant');
    if (row.is_org_admin) relations.add('org_admin');
    if (row.is_staff) relations.add('provider');
    if (user.globalRole === 'coordinator') relations.add('coordinator');
    if (!allowed.some((relation) => relations.has(relation))) {
      throw AppError.forbidden('You may not do this with this booking', BookingErrorCode.BOOKING_ACCESS_DENIED);
    }
    return { id: row.id, sessionId: row.session_id, userId: row.user_id, organisationId: row.organisation_id, status: row.status, relations };
  }
}
