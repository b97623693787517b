import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { ReferenceService } from '../reference/reference.service.js';
import { BookingNotifications, findRecipients } from './booking-notifications.js';
import { BookingSeats } from './booking-seats.js';
import { type BookableSession, findSession, lockSession } from './booking-sessions.repository.js';
import type { BookingStatus } from './booking.entity.js';
import { BookingErrorCode } from './bookings.errors.js';
import type { BookingCreatedDto, CreateBookingDto } from './dto/booking.dto.js';

interface Through {
  organisationId: string | null;
  /** The booker is an admin of that organisation (or a coordinator): no separate approval needed. */
  bookerApproves: boolean;
}

/** Booking a seat: who may book for whom, the booking window, and the seat itself. */
@Injectable()
export class BookingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reference: ReferenceService,
    private readonly seats: BookingSeats,
    private readonly notifications: BookingNotifications,
    private readonly clock: Clock,
  ) {}

  async book(caller: AuthUser, sessionId: string, dto: CreateBookingDto): Promise<BookingCreatedDto> {
    const requests = [...new Set(dto.accessibilityRequests ?? [])];
    const unknown = await this.reference.unknownCodes('accessibilityFeature', requests);
    if (unknown.length) {
      throw new AppError(400, 'VALIDATION_FAILED', `accessibilityRequests: unknown codes ${unknown.join(', ')}`, [
        { field: 'accessibilityRequests', messages: [`unknown accessibility feature codes: ${unknown.join(', ')}`] },
      ]);
    }
    const session = await findSession(this.dataSource.manager, sessionId);
    if (!session) throw AppError.notFound('Session', BookingErrorCode.SESSION_NOT_FOUND);
    const participantId = dto.participantUserId ?? caller.id;
    const through = await this.through(caller, participantId, dto.organisationId);
    const participant = (await findRecipients(this.dataSource.manager, [participantId])).get(participantId);
    if (!participant) throw AppError.forbidden('This person is not in your organisation', BookingErrorCode.PARTICIPANT_NOT_IN_ORGANISATION);
    this.assertBookable(session);
    const needsApproval = session.requiresApproval && !through.bookerApproves;
    if (needsApproval && !through.organisationId) {
      throw AppError.conflict(BookingErrorCode.NO_ORGANISATION_TO_APPROVE, 'This session needs an employer\'s approval, and you book through no organisation');
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const insert = (status: BookingStatus) => this.insert(manager, session.id, participantId, caller.id, through.organisationId, status, requests, dto.note ?? null);
        if (needsApproval) {
          const id = await insert('pending_approval');
          await this.notifications.requestApproval(manager, id, through.organisationId!, participant, session);
          return { id, status: 'pending_approval', waitlistPosition: null };
        }
        if (await this.takeSeat(manager, session)) {
          const id = await insert('confirmed');
          await this.notifications.tell(manager, id, participant, session, { kind: 'confirmed' });
          return { id, status: 'confirmed', waitlistPosition: null };
        }
        const id = await insert('waitlisted');
        const position = await this.seats.joinWaitlist(manager, id, session.id);
        await this.notifications.tell(manager, id, participant, session, { kind: 'waitlisted', position });
        return { id, status: 'waitlisted', waitlistPosition: position };
      });
    } catch (error) {
      if ((error as { constraint?: string }).constraint === 'uq_bookings_session_user_active') {
        throw AppError.conflict(BookingErrorCode.ALREADY_BOOKED, 'This person already has a booking on this session');
      }
      throw error;
    }
  }

  /**
   * The fast path is one conditional UPDATE. When it finds no seat, the session row is locked
   * and the count read again, so that a seat freed meanwhile is not missed and nobody joins the
   * waitlist while a cancellation is handing seats to it.
   */
  private async takeSeat(manager: EntityManager, session: BookableSession): Promise<boolean> {
    if (await this.seats.take(manager, session.id)) return true;
    await lockSession(manager, session.id);
    return this.seats.take(manager, session.id);
  }

  private async insert(
    manager: EntityManager,
    sessionId: string,
    userId: string,
    bookedBy: string,
    organisationId: string | null,
    status: BookingStatus,
    requests: string[],
    note: string | null,
  ): Promise<string> {
    const now = this.clock.now();
    const [row] = (await manager.query(
      `INSERT INTO bookings (session_id, user_id, booked_by_user_id, organisation_id, status, accessibility_requests, note, confirmed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
      [sessionId, userId, bookedBy, organisationId, status, requests, note, status === 'confirmed' ? now : null, now],
    )) as { id: string }[];
    return row.id;
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
   * member; coordinators may book anyone.
   */
  private async through(caller: AuthUser, participantId: string, organisationId: string | undefined): Promise<Through> {
    const rows = (await this.dataSource.query(
      'SELECT organisation_id, user_id, role FROM organisation_members WHERE user_id = ANY($1::uuid[])',
      [[participantId, caller.id]],
    )) as { organisation_id: string; user_id: string; role: string }[];
    const participantOrgs = rows.filter((r) => r.user_id === participantId).map((r) => r.organisation_id);
    const adminOf = new Set(rows.filter((r) => r.user_id === caller.id && r.role === 'org_admin').map((r) => r.organisation_id));
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
