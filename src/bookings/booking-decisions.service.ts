import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { BookingAccess, type AccessibleBooking, type BookingRelation } from './booking-access.js';
import { BookingNotifications } from './booking-notifications.js';
import { BookingSeats } from './booking-seats.js';
import { type BookingRef, BookingWebhooks } from './booking-webhooks.js';
import { type BookableSession, lockSession } from './booking-sessions.repository.js';
import { ACTIVE_STATUSES, SEAT_STATUSES, type BookingStatus } from './booking.entity.js';
import { BookingErrorCode } from './bookings.errors.js';
import type { BookingCreatedDto, CancelBookingDto, RejectBookingDto } from './dto/booking.dto.js';

interface LockedBooking {
  id: string;
  user_id: string;
  organisation_id: string | null;
  status: BookingStatus;
  offer_expires_at: Date | null;
}

function ref(session: BookableSession, booking: LockedBooking, status: BookingStatus): BookingRef {
  return { id: booking.id, sessionId: session.id, providerId: session.providerId, organisationId: booking.organisation_id, status };
}

/** What happens to a booking after it is made: approval, rejection, accepting an offer, cancelling. */
@Injectable()
export class BookingDecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccess,
    private readonly seats: BookingSeats,
    private readonly notifications: BookingNotifications,
    private readonly audit: AuditService,
    private readonly webhooks: BookingWebhooks,
    private readonly clock: Clock,
  ) {}

  approve(caller: AuthUser, bookingId: string): Promise<BookingCreatedDto> {
    return this.inLock(caller, bookingId, ['org_admin', 'coordinator'], async (manager, session, booking) => {
      if (booking.status !== 'pending_approval') throw AppError.conflict(BookingErrorCode.NOT_PENDING, 'The booking is not waiting for approval');
      if (session.startsAt <= this.clock.now()) throw AppError.conflict(BookingErrorCode.SESSION_PAST, 'The session has already started');
      await manager.query('UPDATE bookings SET decided_by_user_id = $2 WHERE id = $1', [booking.id, caller.id]);
      await this.audit.record(manager, { actorUserId: caller.id, action: 'booking.approved', subjectUserId: booking.user_id, organisationId: booking.organisation_id, details: { bookingId: booking.id } });
      if (await this.seats.take(manager, session.id)) {
        const now = this.clock.now();
        await manager.query(`UPDATE bookings SET status = 'confirmed', confirmed_at = $2, updated_at = $2 WHERE id = $1`, [booking.id, now]);
        await this.notifications.tell(manager, booking.id, booking.user_id, session, { kind: 'approved', confirmed: true, position: null });
        await this.webhooks.tell(manager, ['booking.approved', 'booking.confirmed'], ref(session, booking, 'confirmed'));
        return { id: booking.id, status: 'confirmed', waitlistPosition: null };
      }
      const position = await this.seats.joinWaitlist(manager, booking.id, session.id);
      await this.notifications.tell(manager, booking.id, booking.user_id, session, { kind: 'approved', confirmed: false, position });
      await this.webhooks.tell(manager, ['booking.approved', 'booking.waitlisted'], ref(session, booking, 'waitlisted'));
      return { id: booking.id, status: 'waitlisted', waitlistPosition: position };
    });
  }

  reject(caller: AuthUser, bookingId: string, dto: RejectBookingDto): Promise<BookingCreatedDto> {
    return this.inLock(caller, bookingId, ['org_admin', 'coordinator'], async (manager, session, booking) => {
      if (booking.status !== 'pending_approval') throw AppError.conflict(BookingErrorCode.NOT_PENDING, 'The booking is not waiting for approval');
      await manager.query(
        `UPDATE bookings SET status = 'rejected', rejection_reason = $2, decided_by_user_id = $3, updated_at = $4 WHERE id = $1`,
        [booking.id, dto.reason, caller.id, this.clock.now()],
      );
      await this.audit.record(manager, { actorUserId: caller.id, action: 'booking.rejected', subjectUserId: booking.user_id, organisationId: booking.organisation_id, details: { bookingId: booking.id } });
      await this.notifications.tell(manager, booking.id, booking.user_id, session, { kind: 'rejected', reason: dto.reason });
      await this.webhooks.tell(manager, ['booking.rejected'], ref(session, booking, 'rejected'));
      return { id: booking.id, status: 'rejected', waitlistPosition: null };
    });
  }

  acceptOffer(caller: AuthUser, bookingId: string): Promise<BookingCreatedDto> {
    return this.inLock(caller, bookingId, ['participant', 'org_admin', 'coordinator'], async (manager, session, booking) => {
      if (booking.status !== 'offered') throw AppError.conflict(BookingErrorCode.NO_OFFER, 'There is no seat on offer for this booking');
      const now = this.clock.now();
      if (booking.offer_expires_at! <= now) throw AppError.conflict(BookingErrorCode.OFFER_EXPIRED, 'The offer has expired');
      await manager.query(`UPDATE bookings SET status = 'confirmed', confirmed_at = $2, updated_at = $2 WHERE id = $1`, [booking.id, now]);
      await this.notifications.tell(manager, booking.id, booking.user_id, session, { kind: 'confirmed' });
      await this.webhooks.tell(manager, ['booking.confirmed'], ref(session, booking, 'confirmed'));
      return { id: booking.id, status: 'confirmed', waitlistPosition: null };
    });
  }

  /**
   * The participant or their org admin until the cancellation deadline (waitlisted, pending and
   * offered bookings any time); provider staff and coordinators at any time. A held seat goes to
   * the head of the waitlist in the same transaction.
   */
  cancel(caller: AuthUser, bookingId: string, dto: CancelBookingDto): Promise<BookingCreatedDto> {
    return this.inLock(caller, bookingId, ['participant', 'org_admin', 'provider', 'coordinator'], async (manager, session, booking, access) => {
      if (!ACTIVE_STATUSES.includes(booking.status)) throw AppError.conflict(BookingErrorCode.NOT_ACTIVE, 'The booking is no longer active');
      const privileged = access.relations.has('provider') || access.relations.has('coordinator');
      const now = this.clock.now();
      const deadline = session.cancellationDeadline ?? session.startsAt;
      if (booking.status === 'confirmed' && !privileged && now > deadline) {
        throw AppError.conflict(BookingErrorCode.CANCELLATION_DEADLINE_PASSED, 'The cancellation deadline has passed', { deadline: deadline.toISOString() });
      }
      await manager.query(
        `UPDATE bookings SET status = 'cancelled', cancelled_at = $2, cancelled_by_user_id = $3, cancellation_reason = $4, updated_at = $2 WHERE id = $1`,
        [booking.id, now, caller.id, dto.reason ?? null],
      );
      // Before the seat passes on, so that a receiver hears of the cancellation before the promotion it causes.
      await this.webhooks.tell(manager, ['booking.cancelled'], ref(session, booking, 'cancelled'));
      if (SEAT_STATUSES.includes(booking.status)) await this.seats.release(manager, session);
      if (booking.status === 'waitlisted') await this.seats.leaveWaitlist(manager, session.id);
      const byProvider = privileged && !access.relations.has('participant');
      await this.notifications.tell(manager, booking.id, booking.user_id, session, { kind: 'cancelled', byProvider });
      if (caller.id !== booking.user_id) {
        await this.audit.record(manager, { actorUserId: caller.id, action: 'booking.cancelled', subjectUserId: booking.user_id, organisationId: booking.organisation_id, details: { bookingId: booking.id } });
      }
      return { id: booking.id, status: 'cancelled', waitlistPosition: null };
    });
  }

  /** Checks access, then locks the session and the booking (in that order, everywhere) and acts. */
  private async inLock<T>(
    caller: AuthUser,
    bookingId: string,
    allowed: BookingRelation[],
    act: (manager: EntityManager, session: BookableSession, booking: LockedBooking, access: AccessibleBooking) => Promise<T>,
  ): Promise<T> {
    const access = await this.access.require(caller, bookingId, allowed);
    return this.dataSource.transaction(async (manager) => {
      const session = (await lockSession(manager, access.sessionId))!;
      const [booking] = (await manager.query(
        'SELECT id, user_id, organisation_id, status, offer_expires_at FROM bookings WHERE id = $1 FOR UPDATE',
        [bookingId],
      )) as LockedBooking[];
      return act(manager, session, booking, access);
    });
  }
}
