import { Body, Get, Param, Post, Query } from '@nestjs/common';
import type { SessionDto, UpdateSessionDto } from '../../catalogue/dto/session.dto.js';
import { OfferingsService } from '../../catalogue/offerings.service.js';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { SessionsService } from '../../catalogue/sessions.service.js';
import { Clock } from '../../common/clock.js';
import { AppError, type FieldError } from '../../common/errors/app-error.js';
import { Page, PageContext, WebController } from '../page.js';
import { ReferenceListsService } from '../reference-lists.js';
import { fill } from '../views.js';
import { PROVIDER_MORE_TEXTS } from './more-texts.js';
import { readSession, stockholmInstant, stockholmParts } from './provider-forms.js';
import { managedSession } from './provider-access.js';
import { PROVIDER_TEXTS } from './texts.js';

const T = 'web/provider/templates';

/** A saved session as the form shows it. */
function sessionValues(s: SessionDto): Record<string, string | string[]> {
  const start = stockholmParts(s.startsAt);
  const closesAtStart = s.bookingClosesAt === s.startsAt;
  return {
    date: start.date,
    startTime: start.time,
    endTime: stockholmParts(s.endsAt).time,
    municipalityCode: s.municipalityCode ?? '',
    venue: s.venue ?? '',
    online: s.online ? ['yes'] : [],
    onlineUrl: s.onlineUrl ?? '',
    capacity: String(s.capacity),
    opensDate: stockholmParts(s.bookingOpensAt).date,
    closesDate: closesAtStart ? '' : stockholmParts(s.bookingClosesAt).date,
    requiresApproval: s.requiresApproval ? 'yes' : 'no',
    waitlistMode: s.waitlistMode,
  };
}

/**
 * Changing a session (`/anordnare/tillfallen/:id/andra`): the same form and rules as adding one,
 * through the catalogue's SessionsService.update (which checks the whole session again, refuses
 * fewer seats than are booked, and gives added seats to the waitlist). A start that stays where it
 * was may be in the past, as in the API.
 */
@WebController('anordnare')
export class SessionEditPages {
  constructor(
    private readonly access: ProviderAccess,
    private readonly offerings: OfferingsService,
    private readonly sessions: SessionsService,
    private readonly reference: ReferenceListsService,
    private readonly clock: Clock,
  ) {}

  private load(page: PageContext, id: string) {
    return managedSession({ access: this.access, sessions: this.sessions, offerings: this.offerings }, page, id);
  }

  @Get('tillfallen/:id/andra')
  async form(@Page() page: PageContext, @Param('id') id: string, @Query('klart') done?: string): Promise<void> {
    const { provider, session, offering } = await this.load(page, id);
    if (session.status === 'cancelled') return this.refuse(page, session, PROVIDER_MORE_TEXTS[page.lang].sessionCancelledCannotChange);
    const flash = done === 'saved' ? PROVIDER_MORE_TEXTS[page.lang].sessionSaved : undefined;
    page.render(`${T}/session-edit.njk`, { provider, session, offering, lists: await this.reference.lists(), values: sessionValues(session), flash });
  }

  @Post('tillfallen/:id/andra')
  async save(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { provider, session, offering } = await this.load(page, id);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    if (session.status === 'cancelled') return this.refuse(page, session, t.sessionCancelledCannotChange);
    const lists = await this.reference.lists();
    const typed = stockholmInstant(String(body?.date ?? '').trim(), String(body?.startTime ?? '').trim());
    const startSet = typed?.getTime() !== new Date(session.startsAt).getTime();
    const { form, dto } = readSession(body, page.lang, page.t.common.errors, lists, this.clock.now(), startSet);
    const again = (status: number) => page.render(`${T}/session-edit.njk`, { provider, session, offering, lists, values: form.values, errors: form.errors }, status);
    if (!dto) return again(400);
    const change: UpdateSessionDto = {
      startsAt: dto.startsAt,
      endsAt: dto.endsAt,
      municipalityCode: dto.municipalityCode ?? null,
      online: dto.online,
      venue: dto.venue ?? null,
      onlineUrl: dto.onlineUrl ?? null,
      capacity: dto.capacity,
      bookingOpensAt: dto.bookingOpensAt ?? null,
      bookingClosesAt: dto.bookingClosesAt,
      requiresApproval: dto.requiresApproval,
      waitlistMode: dto.waitlistMode,
    };
    try {
      await this.sessions.update(page.me, id, change);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.status === 409 && error.code === 'SESSION_CAPACITY_BELOW_TAKEN') {
        form.errors.add('capacity', fill(t.capacityBelowTaken, { taken: (error.details as { seatsTaken?: number })?.seatsTaken ?? '' }));
        return again(409);
      }
      if (error.status === 400 && Array.isArray(error.details)) {
        // The service's own check (a rule the form did not see, an unknown municipality): on the fields.
        const rules = PROVIDER_TEXTS[page.lang].rules as Record<string, string>;
        const fields: Record<string, string> = { startsAt: 'date', endsAt: 'endTime', municipalityCode: 'municipalityCode', bookingClosesAt: 'closesDate', bookingOpensAt: 'opensDate', cancellationDeadline: 'date' };
        for (const d of error.details as FieldError[]) form.errors.add(fields[d.field] ?? 'date', rules[d.field] ?? d.messages.join(', '));
        return again(400);
      }
      if (error.status === 409) return this.refuse(page, session, error.code === 'OFFERING_ARCHIVED' ? PROVIDER_TEXTS[page.lang].cannotChange : t.sessionCancelledCannotChange);
      throw error;
    }
    page.redirect(`/anordnare/tillfallen/${id}/andra?klart=saved`);
  }

  private refuse(page: PageContext, session: SessionDto, text: string): void {
    page.render('web/templates/message.njk', { title: page.t.common.errorPages[409].title, text, link: { href: `/anordnare/tillfallen/${session.id}`, text: PROVIDER_TEXTS[page.lang].back } }, 409);
  }
}
