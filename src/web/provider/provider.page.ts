import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { AttendanceService } from '../../bookings/attendance.service.js';
import { BookingQueriesService } from '../../bookings/booking-queries.service.js';
import { OfferingsService } from '../../catalogue/offerings.service.js';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { ProvidersService } from '../../catalogue/providers.service.js';
import { SessionsService } from '../../catalogue/sessions.service.js';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors/app-error.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { ReferenceListsService } from '../reference-lists.js';
import { managedSession, requireUuid } from './provider-access.js';
import { offeringValues, readOffering, readSession, sessionDefaults } from './provider-forms.js';
import { PROVIDER_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FLASHES = ['published', 'archived', 'saved', 'sessionAdded'] as const;
const T = 'web/provider/templates';

function ids(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

/**
 * Provider staff's pages: their offerings (create, change, publish, archive), sessions (add,
 * cancel with a reason), a session's participants with their accessibility requests and the
 * sign-in sheet, and recording attendance (one tick per person, "everyone was there", then
 * confirm). Every page first checks, through the catalogue's ProviderAccess, that the person acts
 * for the provider (its staff, or a coordinator): another provider's staff get the 403 page.
 */
@WebController('anordnare')
export class ProviderPages {
  constructor(
    private readonly access: ProviderAccess,
    private readonly providers: ProvidersService,
    private readonly offerings: OfferingsService,
    private readonly sessions: SessionsService,
    private readonly bookings: BookingQueriesService,
    private readonly attendance: AttendanceService,
    private readonly reference: ReferenceListsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async home(@Page() page: PageContext): Promise<void> {
    const me = page.me;
    const providerIds = me.globalRole === 'coordinator' ? null : await this.access.providerIdsOf(me.id);
    if (providerIds?.length === 1) return page.redirect(`/anordnare/${providerIds[0]}`);
    const all = me.globalRole === 'coordinator' ? (await this.providers.list({ limit: 200, offset: 0 })).items : await Promise.all((providerIds ?? []).map((id) => this.providers.get(id)));
    page.render(`${T}/home.njk`, { providers: all });
  }

  @Get(':providerId')
  async provider(@Page() page: PageContext, @Param('providerId') providerId: string): Promise<void> {
    requireUuid(providerId);
    const provider = await this.access.require(page.me, providerId);
    const [offerings, missing] = await Promise.all([
      this.offerings.listForProvider(page.me, providerId, { limit: 200, offset: 0 }),
      this.attendance.missing(page.me, { providerId, limit: 50, offset: 0 }),
    ]);
    page.render(`${T}/offerings.njk`, { provider, offerings: offerings.items, missing });
  }

  @Get(':providerId/nytt')
  async newOffering(@Page() page: PageContext, @Param('providerId') providerId: string): Promise<void> {
    requireUuid(providerId);
    const provider = await this.access.require(page.me, providerId);
    page.render(`${T}/offering-form.njk`, { provider, lists: await this.reference.lists(), values: { priceSek: '0', themeCodes: [], targetGroups: ['social_economy'], accessibilityFeatures: [] }, action: `/anordnare/${providerId}/nytt` });
  }

  @Post(':providerId/nytt')
  async createOffering(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(providerId);
    const provider = await this.access.require(page.me, providerId);
    const lists = await this.reference.lists();
    const { form, dto } = readOffering(body, page.lang, page.t.common.errors, lists);
    if (form.errors.any) {
      return page.render(`${T}/offering-form.njk`, { provider, lists, values: form.values, errors: form.errors, action: `/anordnare/${providerId}/nytt` }, 400);
    }
    const created = await this.offerings.create(page.me, { providerId, ...dto } as Parameters<OfferingsService['create']>[1]);
    page.redirect(`/anordnare/utbud/${created.id}?klart=saved`);
  }

  /** The offering as its provider manages it; the access check comes first (published offerings are public in the API). */
  private async offering(page: PageContext, id: string) {
    requireUuid(id);
    const provider = await this.access.requireForOffering(page.me, id);
    return { provider, offering: await this.offerings.get(page.me, id) };
  }

  @Get('utbud/:id')
  async showOffering(@Page() page: PageContext, @Param('id') id: string, @Query('klart') done?: string): Promise<void> {
    const { provider, offering } = await this.offering(page, id);
    const flash = (FLASHES as readonly string[]).includes(done ?? '') ? done : undefined;
    page.render(`${T}/offering.njk`, { provider, offering, flash, names: await this.reference.names(page.lang) });
  }

  @Get('utbud/:id/andra')
  async editOffering(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    const { provider, offering } = await this.offering(page, id);
    page.render(`${T}/offering-form.njk`, { provider, offering, lists: await this.reference.lists(), values: offeringValues(offering), action: `/anordnare/utbud/${id}/andra` });
  }

  @Post('utbud/:id/andra')
  async updateOffering(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { provider, offering } = await this.offering(page, id);
    const lists = await this.reference.lists();
    const { form, dto } = readOffering(body, page.lang, page.t.common.errors, lists);
    if (form.errors.any) {
      return page.render(`${T}/offering-form.njk`, { provider, offering, lists, values: form.values, errors: form.errors, action: `/anordnare/utbud/${id}/andra` }, 400);
    }
    await this.refusedAs409(page, id, () => this.offerings.update(page.me, id, { level: undefined, hours: undefined, contactEmail: undefined, ...dto }), 'saved');
  }

  @Post('utbud/:id/publicera')
  async publish(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    await this.offering(page, id);
    await this.refusedAs409(page, id, () => this.offerings.publish(page.me, id), 'published');
  }

  @Post('utbud/:id/arkivera')
  async archive(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    await this.offering(page, id);
    await this.refusedAs409(page, id, () => this.offerings.archive(page.me, id), 'archived');
  }

  private async refusedAs409(page: PageContext, id: string, act: () => Promise<unknown>, flash: string): Promise<void> {
    try {
      await act();
      page.redirect(`/anordnare/utbud/${id}?klart=${flash}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      const t = PROVIDER_TEXTS[page.lang];
      const text = error.code === 'OFFERING_NO_UPCOMING_SESSION' ? t.cannotPublish : t.cannotChange;
      page.render('web/templates/message.njk', { title: page.t.common.errorPages[409].title, text, link: { href: `/anordnare/utbud/${id}`, text: t.back } }, 409);
    }
  }

  @Get('utbud/:id/tillfallen/nytt')
  async newSession(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    const { provider, offering } = await this.offering(page, id);
    page.render(`${T}/session-form.njk`, { provider, offering, lists: await this.reference.lists(), values: sessionDefaults(offering.sessions.at(-1)) });
  }

  @Post('utbud/:id/tillfallen/nytt')
  async addSession(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { provider, offering } = await this.offering(page, id);
    const lists = await this.reference.lists();
    const { form, dto } = readSession(body, page.lang, page.t.common.errors, lists, this.clock.now());
    if (!dto) return page.render(`${T}/session-form.njk`, { provider, offering, lists, values: form.values, errors: form.errors }, 400);
    await this.refusedAs409(page, id, () => this.sessions.create(page.me, id, dto), 'sessionAdded');
  }

  private session(page: PageContext, id: string) {
    return managedSession({ access: this.access, sessions: this.sessions, offerings: this.offerings }, page, id);
  }

  private async confirmed(page: PageContext, id: string) {
    return (await this.bookings.ofSession(page.me, id, { limit: 10_000, offset: 0, status: 'confirmed' })).items;
  }

  @Get('tillfallen/:id')
  async showSession(@Page() page: PageContext, @Param('id') id: string, @Query('narvaro') recorded?: string): Promise<void> {
    const { provider, session, offering } = await this.session(page, id);
    const participants = (await this.bookings.ofSession(page.me, id, { limit: 10_000, offset: 0 })).items;
    const count = recorded && /^\d{1,5}$/.test(recorded) ? Number(recorded) : undefined;
    page.render(`${T}/session.njk`, { provider, session, offering, participants, recorded: count, started: new Date(session.startsAt) <= this.clock.now(), names: await this.reference.names(page.lang) });
  }

  @Get('tillfallen/:id/deltagarlista.csv')
  async signInSheet(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const sheet = await this.bookings.signInSheet(page.me, id);
    page.reply.status(200).header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${sheet.filename}"`).header('Cache-Control', 'no-store').send(sheet.csv);
  }

  @Get('tillfallen/:id/narvaro')
  async attendanceForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    const { provider, session, offering } = await this.session(page, id);
    const people = await this.confirmed(page, id);
    const present = people.filter((p) => p.attended).map((p) => p.id);
    page.render(`${T}/attendance.njk`, { provider, session, offering, people, present, started: new Date(session.startsAt) <= this.clock.now() });
  }

  /** "Continue" or "everyone was there": the check page; "change" from there: the form again. */
  @Post('tillfallen/:id/narvaro')
  async attendanceCheck(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { provider, session, offering } = await this.session(page, id);
    const people = await this.confirmed(page, id);
    const known = new Set(people.map((p) => p.id));
    const chosen = ids(body?.present).filter((p) => known.has(p));
    const present = body?.action === 'all' ? [...known] : chosen;
    const started = new Date(session.startsAt) <= this.clock.now();
    if (body?.action === 'change' || !started) return page.render(`${T}/attendance.njk`, { provider, session, offering, people, present, started });
    page.render(`${T}/attendance-check.njk`, {
      provider,
      session,
      offering,
      present: people.filter((p) => present.includes(p.id)),
      absent: people.filter((p) => !present.includes(p.id)),
    });
  }

  @Post('tillfallen/:id/narvaro/bekrafta')
  async attendanceConfirm(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { offering } = await this.session(page, id);
    const t = PROVIDER_TEXTS[page.lang];
    const everyone = [...new Set(ids(body?.people))];
    const present = new Set(ids(body?.present));
    const valid = everyone.length > 0 && everyone.length <= 10_000 && everyone.every((p) => UUID.test(p)) && [...present].every((p) => everyone.includes(p));
    try {
      if (!valid) throw new AppError(400, 'VALIDATION_FAILED', 'people');
      const result = await this.attendance.record(page.me, id, { records: everyone.map((bookingId) => ({ bookingId, attended: present.has(bookingId) })) });
      page.redirect(`/anordnare/tillfallen/${id}?narvaro=${result.recorded}`);
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
      const text = error.status === 409 ? t.attendanceNotStarted : t.attendanceBad;
      page.render('web/templates/message.njk', { title: page.t.common.errorPages[error.status].title, text, link: { href: `/anordnare/tillfallen/${id}/narvaro`, text: offering.title } }, error.status);
    }
  }

  @Get('tillfallen/:id/stall-in')
  async cancelForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    const { provider, session, offering } = await this.session(page, id);
    if (session.status === 'cancelled') return page.redirect(`/anordnare/tillfallen/${id}`);
    page.render(`${T}/cancel.njk`, { provider, session, offering, values: {} });
  }

  @Post('tillfallen/:id/stall-in')
  async cancel(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { provider, session, offering } = await this.session(page, id);
    const t = PROVIDER_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const reason = form.text('reason', { label: t.reasonField, required: true, min: 3, max: 500 });
    if (form.errors.any) return page.render(`${T}/cancel.njk`, { provider, session, offering, values: form.values, errors: form.errors }, 400);
    try {
      await this.sessions.cancel(page.me, id, { reason });
      page.redirect(`/anordnare/tillfallen/${id}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      page.render('web/templates/message.njk', { title: page.t.common.errorPages[409].title, text: t.alreadyCancelled, link: { href: `/anordnare/tillfallen/${id}`, text: offering.title } }, 409);
    }
  }
}
