import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { MembershipDirectory } from '../../common/personal-data.js';
import { MembersService } from '../../organisations/members.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { SessionsService } from '../../catalogue/sessions.service.js';
import { OfferingsService } from '../../catalogue/offerings.service.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import { formatInstant } from '../../web/views.js';
import { BookingDecisionsService } from '../booking-decisions.service.js';
import { BookingQueriesService } from '../booking-queries.service.js';
import { BookingsService } from '../bookings.service.js';
import type { BookingDto } from '../dto/booking.dto.js';
import { BOOKING_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIVE = ['confirmed', 'pending_approval', 'waitlisted', 'offered'];

function requireUuid(id: string, what: string): void {
  if (!UUID.test(id)) throw AppError.notFound(what);
}

/**
 * Booking a session (GOV.UK's pattern: the question page, "check your answers", a confirmation)
 * and my bookings (upcoming and past, cancel with the deadline's rule, accept an offered seat,
 * leave the waitlist, the calendar file). Every booking email links to `/bokningar/:id`.
 */
@WebController()
export class BookingPages {
  constructor(
    private readonly bookings: BookingsService,
    private readonly queries: BookingQueriesService,
    private readonly decisions: BookingDecisionsService,
    private readonly sessions: SessionsService,
    private readonly offerings: OfferingsService,
    private readonly reference: ReferenceListsService,
    private readonly clock: Clock,
    private readonly members: MembersService,
    private readonly memberships: MembershipDirectory,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Who the person may book for: themselves, and as an organisation's admin its members
   * (`<organisationId>:<userId>`), grouped by organisation.
   */
  private async participants(page: PageContext): Promise<{ value: string; text: string; organisation: string }[]> {
    const admin = (await this.memberships.of(this.dataSource.manager, page.me.id)).filter((m) => m.kind === 'organisation' && m.role === 'org_admin');
    const choices: { value: string; text: string; organisation: string }[] = [];
    for (const organisation of admin) {
      const list = await this.members.list(page.me, organisation.id, { limit: 100, offset: 0 });
      for (const member of list.items) {
        if (member.userId === page.me.id) continue;
        choices.push({ value: `${organisation.id}:${member.userId}`, text: member.name ?? member.email, organisation: organisation.name });
      }
    }
    return choices;
  }

  private async sessionAndOffering(page: PageContext, sessionId: string) {
    requireUuid(sessionId, 'session');
    const session = await this.sessions.get(page.me, sessionId);
    const offering = await this.offerings.get(page.me, session.offeringId);
    return { session, offering };
  }

  /** Reads the booking form (accessibility requests, note); the same rules as the API's CreateBookingDto. */
  private async readForm(page: PageContext, body: Record<string, unknown>) {
    const t = BOOKING_TEXTS[page.lang];
    const lists = await this.reference.lists();
    const form = new FormReader(body, page.t.common.errors);
    const accessibility = form.list('accessibility', lists.accessibility.map((a) => a.code), { label: t.accessibilityLabel });
    const note = form.text('note', { label: t.noteLabel, max: 1000 });
    const participants = await this.participants(page);
    const participant = participants.length ? form.choice('participant', ['me', ...participants.map((p) => p.value)], { label: t.participantLabel, required: true }) : 'me';
    if (form.errors.has('accessibility')) form.errors.anchor('accessibility', 'accessibility');
    if (form.errors.has('participant')) form.errors.anchor('participant', 'participant');
    const chosen = participants.find((p) => p.value === participant);
    return { form, accessibility, note, lists, participants, participant, participantName: chosen?.text };
  }

  @Get('boka/:sessionId')
  async bookForm(@Page() page: PageContext, @Param('sessionId') sessionId: string): Promise<void> {
    const { session, offering } = await this.sessionAndOffering(page, sessionId);
    page.render('bookings/pages/book.njk', { session, offering, lists: await this.reference.lists(), participants: await this.participants(page), values: { accessibility: [], participant: 'me' } });
  }

  /** The form's answers: shown again with errors, or on the "check your answers" page. */
  @Post('boka/:sessionId')
  async check(@Page() page: PageContext, @Param('sessionId') sessionId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { session, offering } = await this.sessionAndOffering(page, sessionId);
    const { form, accessibility, note, lists, participants, participant, participantName } = await this.readForm(page, body);
    if (form.errors.any || body?.step === 'change') {
      return page.render('bookings/pages/book.njk', { session, offering, lists, participants, values: form.values, errors: form.errors.any ? form.errors : undefined }, form.errors.any ? 400 : 200);
    }
    page.render('bookings/pages/check.njk', { session, offering, accessibility, note, participant, participantName, names: await this.reference.names(page.lang) });
  }

  @Post('boka/:sessionId/bekrafta')
  async confirm(@Page() page: PageContext, @Param('sessionId') sessionId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { session, offering } = await this.sessionAndOffering(page, sessionId);
    const { form, accessibility, note, lists, participants, participant } = await this.readForm(page, body);
    if (form.errors.any) return page.render('bookings/pages/book.njk', { session, offering, lists, participants, values: form.values, errors: form.errors }, 400);
    const [organisationId, participantUserId] = participant && participant !== 'me' ? participant.split(':') : [];
    try {
      const created = await this.bookings.book(page.me.id, sessionId, {
        accessibilityRequests: accessibility,
        ...(note ? { note } : {}),
        ...(participantUserId ? { participantUserId, organisationId } : {}),
      });
      page.redirect(`/bokningar/${created.id}?ny=1`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      const t = BOOKING_TEXTS[page.lang];
      const cannot = t.cannotBook as Record<string, string>;
      page.render('web/templates/message.njk', { title: t.cannotBookTitle, text: cannot[error.code] ?? cannot.other, link: { href: `/kurser/${offering.id}`, text: offering.title } }, 409);
    }
  }

  @Get('bokningar')
  async mine(@Page() page: PageContext): Promise<void> {
    const mine = await this.queries.mine(page.me, { limit: 100, offset: 0 });
    const now = this.clock.now().toISOString();
    const upcoming = mine.items.filter((b) => ACTIVE.includes(b.status) && b.session.endsAt > now);
    const past = mine.items.filter((b) => !upcoming.includes(b));
    upcoming.sort((a, b) => a.session.startsAt.localeCompare(b.session.startsAt));
    page.render('bookings/pages/mine.njk', { upcoming, past });
  }

  @Get('bokningar/:id')
  async booking(@Page() page: PageContext, @Param('id') id: string, @Query('ny') fresh?: string): Promise<void> {
    requireUuid(id, 'booking');
    const booking = await this.queries.get(page.me, id);
    page.render('bookings/pages/booking.njk', { booking, fresh: fresh === '1', names: await this.reference.names(page.lang), ...(await this.rules(page, booking)) });
  }

  @Get('bokningar/:id/kalender.ics')
  async calendar(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id, 'booking');
    const ics = await this.queries.calendar(page.me, id);
    page.reply.status(200).header('Content-Type', 'text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="kurstillfalle.ics"').header('Cache-Control', 'no-store').send(ics);
  }

  @Get('bokningar/:id/avboka')
  async cancelPage(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id, 'booking');
    const booking = await this.queries.get(page.me, id);
    if (!ACTIVE.includes(booking.status)) return page.redirect(`/bokningar/${id}`);
    page.render('bookings/pages/cancel.njk', { booking, ...(await this.rules(page, booking)) });
  }

  @Post('bokningar/:id/avboka')
  async cancel(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id, 'booking');
    await this.change(page, id, () => this.decisions.cancel(page.me, id, {}));
  }

  @Post('bokningar/:id/acceptera')
  async accept(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id, 'booking');
    await this.change(page, id, () => this.decisions.acceptOffer(page.me, id));
  }

  private async change(page: PageContext, id: string, act: () => Promise<unknown>): Promise<void> {
    try {
      await act();
      page.redirect(`/bokningar/${id}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      const t = BOOKING_TEXTS[page.lang];
      const cannot = t.cannotChange as Record<string, string>;
      page.render('web/templates/message.njk', { title: t.cannotChangeTitle, text: cannot[error.code] ?? cannot.other, link: { href: `/bokningar/${id}`, text: t.backToBooking } }, 409);
    }
  }

  /** The cancellation rule for this booking, in words (the deadline, or the session's start when none is set). */
  private async rules(page: PageContext, booking: BookingDto): Promise<{ deadline: string; deadlinePassed: boolean; canCancel: boolean }> {
    let deadlineAt = booking.session.startsAt;
    try {
      const session = await this.sessions.get(page.me, booking.session.id);
      deadlineAt = session.cancellationDeadline ?? session.startsAt;
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 404) throw error;
    }
    const deadlinePassed = new Date(deadlineAt).getTime() < this.clock.now().getTime();
    return {
      deadline: formatInstant(deadlineAt, page.lang, 'dateTime'),
      deadlinePassed,
      canCancel: ACTIVE.includes(booking.status) && !(booking.status === 'confirmed' && deadlinePassed),
    };
  }
}
