import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { tokenRevoked, tokenWithoutAccount } from '../auth/auth.errors.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { ReferenceService } from '../reference/reference.service.js';
import { BookingNotifications } from './booking-notifications.js';
import { type NewBooking, BookingBatches, POSITION_MARKER, WAITLIST_UNLIKELY_FREE_SEATS } from './booking-batches.js';
import { BookingSeats } from './booking-seats.js';
import { BookingWebhooks } from './booking-webhooks.js';
import { type BookableSession, BookingContexts, lockSession, type Membership } from './booking-sessions.repository.js';
import type { BookingStatus } from './booking.entity.js';
import { BookingErrorCode } from './bookings.errors.js';
import type { BookingCreatedDto, CreateBookingDto } from './dto/booking.dto.js';

interface Through {
  organisationId: string | null;
  /** The booker is an admin of that organisation (or a coordinator): no separate approval needed. */
  bookerApproves: boolean;
}

/** The INSERT of a new booking, in a transaction (the waitlist and approval paths). */
function bookingInsert(booking: NewBooking, status: BookingStatus): [string, unknown[]] {
  return [
    `INSERT INTO bookings (session_id, id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note, confirmed_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
    [booking.sessionId, booking.id, booking.userId, booking.bookedBy, booking.organisationId, status, booking.requests, booking.note, status === 'confirmed' ? booking.at : null, booking.at],
  ];
}

/** Booking a seat: who may book for whom, the booking window, and the seat itself. */
@Injectable()
export class BookingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reference: ReferenceService,
    private readonly seats: BookingSeats,
    private readonly notifications: BookingNotifications,
    private readonly batches: BookingBatches,
    private readonly contexts: BookingContexts,
    private readonly webhooks: BookingWebhooks,
    private readonly clock: Clock,
  ) {}

  /**
   * `callerId`: the subject of a valid token, its account read here (see AccountReadByHandler);
   * `tokenVersion`: the token's version, compared with the account's here (absent when the caller
   * checked it, as web sessions do).
   */
  async book(callerId: string, sessionId: string, dto: CreateBookingDto, tokenVersion?: number): Promise<BookingCreatedDto> {
    const participantId = dto.participantUserId ?? callerId;
    const { caller, session, memberships, participant } = await this.contexts.find(sessionId, callerId, participantId);
    if (!caller) throw tokenWithoutAccount();
    if (tokenVersion !== undefined && caller.authVersion !== tokenVersion) throw tokenRevoked();
    const requests = [...new Set(dto.accessibilityRequests ?? [])];
    const unknown = await this.reference.unknownCodes('accessibilityFeature', requests);
    if (unknown.length) {
      throw new AppError(400, 'VALIDATION_FAILED', `accessibilityRequests: unknown codes ${unknown.join(', ')}`, [
        { field: 'accessibilityRequests', messages: [`unknown accessibility feature codes: ${unknown.join(', ')}`] },
      ]);
    }
    if (!session) throw AppError.notFound('Session', BookingErrorCode.SESSION_NOT_FOUND);
    const through = this.through(caller, participantId, dto.organisationId, memberships);
    if (!participant) throw AppError.forbidden('This person is not in your organisation', BookingErrorCode.PARTICIPANT_NOT_IN_ORGANISATION);
    this.assertBookable(session);
    const needsApproval = session.requiresApproval && !through.bookerApproves;
    if (needsApproval && !through.organisationId) {
      throw AppError.conflict(BookingErrorCode.NO_ORGANISATION_TO_APPROVE, 'This session needs an employer\'s approval, and you book through no organisation');
    }
    // Told in the participant's email when someone else booked for them.
    const bookerName = caller.id === participantId ? null : caller.name ?? caller.email;
    const booking: NewBooking = {
      id: randomUUID(),
      sessionId: session.id,
      providerId: session.providerId,
      userId: participantId,
      bookedBy: caller.id,
      organisationId: through.organisationId,
      requests,
      note: dto.note ?? null,
      at: this.clock.now(),
    };
    try {
      if (!needsApproval) {
        // One statement books it with many others (BookingBatches): a seat if one is free, else the
        // waitlist. Each email is rendered only when the booking may go that way (a seat free when
        // read; the session near full); should it go the other way, the transaction below books it.
        const free = session.capacity - session.seatsTaken;
        const mails = {
          confirmed: free > 0 ? this.notifications.mailFor(booking.id, participant, session, { kind: 'confirmed', bookedBy: bookerName }) : null,
          waitlisted: free < WAITLIST_UNLIKELY_FREE_SEATS && this.markerFree(session, participant, bookerName)
            ? this.notifications.mailFor(booking.id, participant, session, { kind: 'waitlisted', position: POSITION_MARKER, bookedBy: bookerName })
            : null,
        };
        const placed = mails.confirmed || mails.waitlisted ? await this.batches.place(booking, mails) : null;
        if (placed?.status === 'confirmed') return { id: booking.id, status: 'confirmed', waitlistPosition: null };
        if (placed?.status === 'waitlisted') return { id: booking.id, status: 'waitlisted', waitlistPosition: placed.position };
      }
      return await this.dataSource.transaction(async (manager) => {
        const insert = async (status: BookingStatus) => {
          await manager.query(...bookingInsert(booking, status));
          const next = status === 'confirmed' ? 'booking.confirmed' : status === 'waitlisted' ? 'booking.waitlisted' : null;
          await this.webhooks.tell(manager, next ? ['booking.created', next] : ['booking.created'], { ...booking, status });
        };
        if (needsApproval) {
          await insert('pending_approval');
          await this.notifications.requestApproval(manager, booking.id, through.organisationId!, participant, session);
          return { id: booking.id, status: 'pending_approval', waitlistPosition: null };
        }
        // The statement did not book it: the session is locked and read again, so that it is
        // refused with the exact reason (cancelled, closed, …), or a seat freed meanwhile is not
        // missed, and nobody joins the waitlist while a cancellation is handing seats to it.
        const locked = await lockSession(manager, session.id);
        if (!locked) throw AppError.notFound('Session', BookingErrorCode.SESSION_NOT_FOUND);
        this.assertBookable(locked);
        if (await this.seats.take(manager, session.id)) {
          await insert('confirmed');
          await this.notifications.tell(manager, booking.id, participant, session, { kind: 'confirmed', bookedBy: bookerName });
          return { id: booking.id, status: 'confirmed', waitlistPosition: null };
        }
        await insert('waitlisted');
        const position = await this.seats.joinWaitlist(manager, booking.id, session.id);
        await this.notifications.tell(manager, booking.id, participant, session, { kind: 'waitlisted', position, bookedBy: bookerName });
        return { id: booking.id, status: 'waitlisted', waitlistPosition: position };
      });
    } catch (error) {
      if ((error as { constraint?: string }).constraint === 'uq_bookings_session_user_active') {
        throw AppError.conflict(BookingErrorCode.ALREADY_BOOKED, 'This person already has a booking on this session');
      }
      throw error;
    }
  }

  /** True when no text the waitlisted email shows could hold POSITION_MARKER (it would be replaced there too). */
  private markerFree(session: BookableSession, participant: { name: string | null; email: string }, bookerName: string | null): boolean {
    const marker = String(POSITION_MARKER);
    return ![session.title, session.providerName, session.venue, session.municipalityName, session.onlineUrl, participant.name, participant.email, bookerName].some((text) =>
      text?.includes(marker),
    );
  }

  /** Booking window and session state, in the order a person would ask about them. */
  private assertBookable(session: BookableSession): void {
    const now = this.clock.now();
    if (session.status === 'cancelled') throw AppError.conflict(BookingErrorCode.SESSION_CANCELLED, 'The session is cancelled');
    if (session.offeringStatus !== 'published') throw AppError.conflict(BookingErrorCode.NOT_PUBLISHED, 'The course is not published');
    if (session.startsAt <= now) throw AppError.conflict(BookingErrorCode.SESSION_PAST, 'The session has already started');
    if (session.bookingOpensAt && session.bookingOpensAt > now) {
      throw AppError.conflict(BookingErrorCode.NOT_OPEN_YET, 'Booking has not opened yet', { opensAt: session.bookingOpensAt.toISOString() });
    }
    if (session.bookingClosesAt <= now) throw AppError.conflict(BookingErrorCode.CLOSED, 'Booking has closed');
  }

  /**
   * The organisation a booking is made through. For yourself: your organisation (you choose when
   * you have several). For someone else: an organisation where you are org_admin and they are a
   * member; coordinators may book anyone. `memberships`: those of the caller and the participant.
   */
  private through(caller: AuthUser, participantId: string, organisationId: string | undefined, memberships: Membership[]): Through {
    const participantOrgs = memberships.filter((m) => m.userId === participantId).map((m) => m.organisationId);
    const adminOf = new Set(memberships.filter((m) => m.userId === caller.id && m.role === 'org_admin').map((m) => m.organisationId));
    const self = participantId === caller.id;
    const coordinator = caller.globalRole === 'coordinator';
    const candidates = self || coordinator ? participantOrgs : participantOrgs.filter((id) => adminOf.has(id));
    const denied = () => AppError.forbidden('This person is not in your organisation', BookingErrorCode.PARTICIPANT_NOT_IN_ORGANISATION);
    let chosen: string | null;
    if (organisationId) {
      if (!candidates.includes(organisationId)) throw denied();
      chosen = organisationId;
    } else if (candidates.length > 1) {
      throw new AppError(400, BookingErrorCode.ORGANISATION_REQUIRED, 'organisationId: required when the participant belongs to several organisations', [
        { field: 'organisationId', messages: ['required when the participant belongs to several organisations'] },
      ]);
    } else if (candidates.length === 1) {
      chosen = candidates[0];
    } else {
      if (!self && !coordinator) throw denied();
      chosen = null;
    }
    return { organisationId: chosen, bookerApproves: coordinator || (chosen !== null && adminOf.has(chosen)) };
  }
}
