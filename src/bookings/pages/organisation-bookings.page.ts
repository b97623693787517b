import { Body, Get, Param, Post } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { BookingDecisionsService } from '../booking-decisions.service.js';
import { BookingQueriesService } from '../booking-queries.service.js';
import { BOOKING_TEXTS } from './texts.js';
import '../../organisations/pages/texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireUuid(...ids: string[]): void {
  for (const id of ids) if (!UUID.test(id)) throw AppError.notFound('page');
}

/**
 * The organisation admin's bookings: the organisation's bookings, with those waiting for approval
 * first (approve, or reject with a reason). The bookings module's services check that the caller
 * is the admin of the booking's organisation.
 */
@WebController('organisation')
export class OrganisationBookingPages {
  constructor(
    private readonly queries: BookingQueriesService,
    private readonly decisions: BookingDecisionsService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get(':id/bokningar')
  async list(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const organisation = await this.organisations.get(page.me, id);
    const bookings = await this.queries.ofOrganisation(page.me, id, { limit: 100, offset: 0 });
    page.render('bookings/pages/organisation-bookings.njk', {
      organisation,
      pending: bookings.items.filter((b) => b.status === 'pending_approval'),
      others: bookings.items.filter((b) => b.status !== 'pending_approval'),
    });
  }

  @Post(':id/bokningar/:bookingId/godkann')
  async approve(@Page() page: PageContext, @Param('id') id: string, @Param('bookingId') bookingId: string): Promise<void> {
    requireUuid(id, bookingId);
    await this.decide(page, id, () => this.decisions.approve(page.me, bookingId));
  }

  @Get(':id/bokningar/:bookingId/avsla')
  async rejectForm(@Page() page: PageContext, @Param('id') id: string, @Param('bookingId') bookingId: string): Promise<void> {
    requireUuid(id, bookingId);
    page.render('bookings/pages/reject.njk', await this.rejectContext(page, id, bookingId));
  }

  @Post(':id/bokningar/:bookingId/avsla')
  async reject(@Page() page: PageContext, @Param('id') id: string, @Param('bookingId') bookingId: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(id, bookingId);
    const t = page.t.organisation as Record<string, string>;
    const form = new FormReader(body, page.t.common.errors);
    const reason = form.text('reason', { label: t.reasonLabel, required: true, max: 500 });
    if (form.errors.any) return page.render('bookings/pages/reject.njk', { ...(await this.rejectContext(page, id, bookingId)), values: form.values, errors: form.errors }, 400);
    await this.decide(page, id, () => this.decisions.reject(page.me, bookingId, { reason }));
  }

  private async rejectContext(page: PageContext, id: string, bookingId: string) {
    const organisation = await this.organisations.get(page.me, id);
    const booking = await this.queries.get(page.me, bookingId);
    if (booking.organisationId !== id) throw AppError.notFound('booking');
    const participants = await this.queries.ofOrganisation(page.me, id, { limit: 100, offset: 0, status: 'pending_approval' });
    const participant = participants.items.find((p) => p.id === bookingId);
    return { organisation, booking, name: participant?.participantName ?? participant?.participantEmail ?? '', values: {} };
  }

  private async decide(page: PageContext, id: string, act: () => Promise<unknown>): Promise<void> {
    try {
      await act();
      page.redirect(`/organisation/${id}/bokningar`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      const t = BOOKING_TEXTS[page.lang];
      page.render('web/templates/message.njk', { title: t.cannotChangeTitle, text: (t.cannotChange as Record<string, string>).other, link: { href: `/organisation/${id}/bokningar`, text: t.backToBooking } }, 409);
    }
  }
}
