import { toCsv } from '../common/csv.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import { BookingAccess } from './booking-access.js';
import { BookingNotifications } from './booking-notifications.js';
import { findSession } from './booking-sessions.repository.js';
import { BookingErrorCode } from './bookings.errors.js';
import { allOfSession, findBookingView, listBookings, toBookingDto, toParticipantDto, upcomingOfUser } from './bookings.repository.js';
import type { BookingDto, BookingListQueryDto, ParticipantDto } from './dto/booking.dto.js';

const ALL: Array<'participant' | 'org_admin' | 'provider' | 'coordinator'> = ['participant', 'org_admin', 'provider', 'coordinator'];

/** Reading bookings: one booking, the caller's, an organisation's, a session's participant list. */
@Injectable()
export class BookingQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccess,
    private readonly providers: ProviderAccess,
    private readonly organisations: OrganisationAccess,
    private readonly notifications: BookingNotifications,
  ) {}

  async get(caller: AuthUser, id: string): Promise<BookingDto> {
    await this.access.require(caller, id, ALL);
    return toBookingDto((await findBookingView(this.dataSource.manager, id))!);
  }

  async mine(caller: AuthUser, query: BookingListQueryDto): Promise<Page<BookingDto>> {
    const page = await listBookings(this.dataSource.manager, 'user_id', caller.id, query, 's.starts_at DESC, b.id');
    return { items: page.items.map(toBookingDto), total: page.total };
  }

  /** The caller's next bookings that still count, soonest first (one statement; the start page). */
  async upcoming(caller: AuthUser, now: Date, limit: number): Promise<BookingDto[]> {
    return (await upcomingOfUser(this.dataSource, caller.id, now, limit)).map(toBookingDto);
  }

  async ofOrganisation(caller: AuthUser, organisationId: string, query: BookingListQueryDto): Promise<Page<ParticipantDto>> {
    await this.organisations.require(caller, organisationId, 'admin');
    const page = await listBookings(this.dataSource.manager, 'organisation_id', organisationId, query, 's.starts_at DESC, b.id');
    return { items: page.items.map(toParticipantDto), total: page.total };
  }

  /** How many bookings were made since an instant (the coordinator's dashboard: this month's). */
  async countMadeSince(from: Date): Promise<number> {
    const [row] = (await this.dataSource.query('SELECT count(*)::int AS n FROM bookings WHERE created_at >= $1', [from])) as { n: number }[];
    return row.n;
  }

  async ofSession(caller: AuthUser, sessionId: string, query: BookingListQueryDto): Promise<Page<ParticipantDto>> {
    await this.providers.requireForSession(caller, sessionId);
    const page = await listBookings(
      this.dataSource.manager,
      'session_id',
      sessionId,
      query,
      `array_position(ARRAY['confirmed','offered','waitlisted','pending_approval']::varchar[], b.status) NULLS LAST, b.waitlist_seq NULLS FIRST, u.name, b.id`,
    );
    return { items: page.items.map(toParticipantDto), total: page.total };
  }

  /** The sign-in sheet: confirmed participants with what they asked for, a column to sign. */
  async signInSheet(caller: AuthUser, sessionId: string): Promise<{ filename: string; csv: string }> {
    await this.providers.requireForSession(caller, sessionId);
    const rows = await allOfSession(this.dataSource.manager, sessionId, 'confirmed');
    // Accessibility features by their Swedish names (reference data), as the people who asked read them.
    const features = new Map(
      ((await this.dataSource.query('SELECT code, name_sv FROM accessibility_features')) as { code: string; name_sv: string }[]).map((f) => [f.code, f.name_sv]),
    );
    const header = ['Namn', 'E-post', 'Organisation', 'Tillgänglighet', 'Meddelande', 'Närvarande', 'Signatur'];
    const lines = rows.map((row) => [
      row.participant_name ?? '',
      row.participant_email ?? '',
      row.organisation_name ?? '',
      row.accessibility_requests.map((code) => features.get(code) ?? code).join(', '),
      row.note ?? '',
      '',
      '',
    ]);
    return { filename: `deltagarlista-${sessionId}.csv`, csv: toCsv([header, ...lines]) };
  }

  async calendar(caller: AuthUser, bookingId: string): Promise<string> {
    const booking = await this.access.require(caller, bookingId, ALL);
    if (booking.status !== 'confirmed') throw AppError.conflict(BookingErrorCode.NOT_CONFIRMED, 'Only a confirmed booking has a calendar invitation');
    const session = (await findSession(this.dataSource.manager, booking.sessionId))!;
    const [participant] = (await this.dataSource.query('SELECT email FROM users WHERE id = $1', [booking.userId])) as { email: string }[];
    return this.notifications.calendar(booking.id, session, participant.email);
  }
}
