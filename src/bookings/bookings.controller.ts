import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser, TokenSubject } from '../auth/auth-user.js';
import { AccountReadByHandler, ApiKeyAccess, CallerToken, CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { AttendanceService } from './attendance.service.js';
import { BookingDecisionsService } from './booking-decisions.service.js';
import { BookingQueriesService } from './booking-queries.service.js';
import { BookingsService } from './bookings.service.js';
import {
  AttendanceMissingDto,
  AttendanceMissingQueryDto,
  AttendanceRecordedDto,
  BookingCreatedDto,
  BookingStateDto,
  BookingDto,
  BookingListQueryDto,
  BookingPageDto,
  CancelBookingDto,
  CreateBookingDto,
  ParticipantDto,
  ParticipantPageDto,
  RecordAttendanceDto,
  RejectBookingDto,
  SessionBookingsQueryDto,
} from './dto/booking.dto.js';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller()
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly decisions: BookingDecisionsService,
    private readonly queries: BookingQueriesService,
    private readonly attendance: AttendanceService,
  ) {}

  @Post('sessions/:id/bookings')
  @ApiOperation({
    summary: 'Book a seat: for yourself, or (org_admin) for an employee of your organisation',
    description:
      'confirmed when a seat is free, waitlisted when full (with the position), pending_approval when the session needs the employer\'s approval ' +
      '(not when an org admin of that organisation books). 409 codes: BOOKING_SESSION_CANCELLED, BOOKING_OFFERING_NOT_PUBLISHED, BOOKING_SESSION_PAST, ' +
      'BOOKING_NOT_OPEN_YET, BOOKING_CLOSED, BOOKING_ALREADY_BOOKED, BOOKING_NO_ORGANISATION_TO_APPROVE. Accepts Idempotency-Key.',
  })
  @ApiCreatedResponse({ type: BookingCreatedDto })
  @ApiErrors(400, 401, 403, 404, 409)
  @AccountReadByHandler()
  book(@CallerToken() caller: TokenSubject, @UuidParam('id') id: string, @Body() dto: CreateBookingDto): Promise<BookingCreatedDto> {
    return this.bookings.book(caller.id, id, dto, caller.version);
  }

  @Get('sessions/:id/bookings')
  @ApiKeyAccess()
  @ApiOperation({
    summary: 'A session\'s bookings with accessibility requests (provider staff, coordinator); ?format=csv is a sign-in sheet',
    description: 'The CSV lists the confirmed participants (UTF-8 with BOM, semicolon-free, quoted).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ParticipantPageDto })
  @ApiErrors(400, 401, 403, 404)
  async ofSession(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: SessionBookingsQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Page<ParticipantDto> | string> {
    if (query.format !== 'csv') return this.queries.ofSession(user, id, query);
    const sheet = await this.queries.signInSheet(user, id);
    res.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${sheet.filename}"`);
    return sheet.csv;
  }

  @Post('sessions/:id/attendance')
  @ApiKeyAccess()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record attended / not attended per booking (provider staff, coordinator) once the session has started',
    description: 'Recording again corrects earlier records. Before the start → 409 BOOKING_SESSION_NOT_STARTED.',
  })
  @ApiOkResponse({ type: AttendanceRecordedDto })
  @ApiErrors(400, 401, 403, 404, 409)
  recordAttendance(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: RecordAttendanceDto): Promise<AttendanceRecordedDto> {
    return this.attendance.record(user, id, dto);
  }

  @Get('attendance-missing')
  @ApiKeyAccess()
  @ApiOperation({
    summary: 'Sessions ended over 24 h ago with bookings whose attendance is not recorded (provider staff with providerId, coordinator)',
    description: 'People are invited to evaluate a course only once their attendance is recorded, never silently: this list is what to record.',
  })
  @ApiOkResponse({ type: PageOf(AttendanceMissingDto) })
  @ApiErrors(400, 401, 403, 404)
  attendanceMissing(@CurrentUser() user: AuthUser, @Query() query: AttendanceMissingQueryDto): Promise<Page<AttendanceMissingDto>> {
    return this.attendance.missing(user, query);
  }

  @Get('me/bookings')
  @ApiOperation({ summary: 'Your bookings, latest session first, with your place on each waitlist' })
  @ApiOkResponse({ type: BookingPageDto })
  @ApiErrors(400, 401)
  mine(@CurrentUser() user: AuthUser, @Query() query: BookingListQueryDto): Promise<Page<BookingDto>> {
    return this.queries.mine(user, query);
  }

  @Get('organisations/:id/bookings')
  @ApiOperation({ summary: 'Bookings made through an organisation (org_admin, coordinator)' })
  @ApiOkResponse({ type: ParticipantPageDto })
  @ApiErrors(400, 401, 403, 404)
  ofOrganisation(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: BookingListQueryDto): Promise<Page<ParticipantDto>> {
    return this.queries.ofOrganisation(user, id, query);
  }

  @Get('bookings/:id')
  @ApiKeyAccess()
  @ApiOperation({ summary: 'One booking (the participant, their org admin, provider staff, coordinator)' })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<BookingDto> {
    return this.queries.get(user, id);
  }

  @Get('bookings/:id/calendar.ics')
  @ApiOperation({ summary: 'The calendar invitation of a confirmed booking (text/calendar, Europe/Stockholm)' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'An iCalendar file', schema: { type: 'string' } })
  @ApiErrors(400, 401, 403, 404, 409)
  async calendar(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    const ics = await this.queries.calendar(user, id);
    res.type('text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="kurstillfalle.ics"');
    return ics;
  }

  @Post('bookings/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending booking (org_admin of the organisation it was made through): confirmed, or waitlisted when full' })
  @ApiOkResponse({ type: BookingStateDto })
  @ApiErrors(400, 401, 403, 404, 409)
  approve(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<BookingStateDto> {
    return this.decisions.approve(user, id);
  }

  @Post('bookings/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending booking with a reason the person is told (org_admin)' })
  @ApiOkResponse({ type: BookingStateDto })
  @ApiErrors(400, 401, 403, 404, 409)
  reject(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: RejectBookingDto): Promise<BookingStateDto> {
    return this.decisions.reject(user, id, dto);
  }

  @Post('bookings/:id/accept-offer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a seat offered from the waitlist before the offer expires' })
  @ApiOkResponse({ type: BookingStateDto })
  @ApiErrors(400, 401, 403, 404, 409)
  acceptOffer(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<BookingStateDto> {
    return this.decisions.acceptOffer(user, id);
  }

  @Post('bookings/:id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a booking or leave the waitlist; a freed seat goes to the head of the waitlist',
    description:
      'The participant or their org admin until the cancellation deadline (confirmed bookings; later → 409 BOOKING_CANCELLATION_DEADLINE_PASSED); provider staff and coordinators any time.',
  })
  @ApiOkResponse({ type: BookingStateDto })
  @ApiErrors(400, 401, 403, 404, 409)
  cancel(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: CancelBookingDto): Promise<BookingStateDto> {
    return this.decisions.cancel(user, id, dto);
  }
}
