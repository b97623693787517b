import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { AttendanceService } from '../../bookings/attendance.service.js';
import { BookingQueriesService } from '../../bookings/booking-queries.service.js';
import { PROVIDER_KINDS } from '../../catalogue/provider.entity.js';
import { ProviderStaffService } from '../../catalogue/provider-staff.service.js';
import { ProvidersService } from '../../catalogue/providers.service.js';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors/app-error.js';
import { FollowUpStatusService } from '../../follow-up/follow-up-status.service.js';
import { MailService } from '../../mail/mail.service.js';
import { NeedsReportService } from '../../needs/needs-report.service.js';
import { NeedsRoundsService } from '../../needs/needs-rounds.service.js';
import { parseOrgNumber } from '../../organisations/org-number.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { ReferenceListsService } from '../reference-lists.js';
import { stockholmInstant, stockholmParts } from '../provider/provider-forms.js';
import { COORDINATOR_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const T = 'web/coordinator/templates';

/** Coordinators only: everyone else gets the 403 page before anything is read. */
export function requireCoordinator(page: PageContext): void {
  if (page.me.globalRole !== 'coordinator') throw AppError.forbidden('Only coordinators may open this page');
}

/**
 * The coordinator's pages: the programme's state (open rounds and their response rate, bookings
 * this month, sessions without attendance, mail failures) and the providers (register one and
 * invite its first staff member, the staff, invite more). Through the modules' own services.
 */
@WebController('samordning')
export class CoordinatorPages {
  constructor(
    private readonly rounds: NeedsRoundsService,
    private readonly reports: NeedsReportService,
    private readonly bookings: BookingQueriesService,
    private readonly attendance: AttendanceService,
    private readonly mail: MailService,
    private readonly providers: ProvidersService,
    private readonly staff: ProviderStaffService,
    private readonly reference: ReferenceListsService,
    private readonly clock: Clock,
    private readonly followUp: FollowUpStatusService,
  ) {}

  @Get()
  async dashboard(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    const now = this.clock.now();
    const monthStart = stockholmInstant(`${stockholmParts(now.toISOString()).date.slice(0, 8)}01`, '00:00')!;
    const [rounds, bookings, missing, mail, followUp] = await Promise.all([
      this.rounds.list(page.me, { limit: 100, offset: 0 }),
      this.bookings.countMadeSince(monthStart),
      this.attendance.missing(page.me, { limit: 10, offset: 0 }),
      this.mail.summary(),
      this.followUp.status(),
    ]);
    const open = await Promise.all(
      rounds.items.filter((r) => r.status === 'open').map(async (round) => ({ round, response: (await this.reports.report(round.id)).responseRate })),
    );
    page.render(`${T}/dashboard.njk`, { open, bookings, missing, mail, followUp });
  }

  @Get('anordnare')
  async providerList(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    const providers = await this.providers.list({ limit: 500, offset: 0 });
    page.render(`${T}/providers.njk`, { providers: providers.items });
  }

  @Get('anordnare/ny')
  async registerForm(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    page.render(`${T}/register.njk`, { lists: await this.reference.lists(), values: {} });
  }

  @Post('anordnare/ny')
  async register(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = COORDINATOR_TEXTS[page.lang];
    const lists = await this.reference.lists();
    const form = new FormReader(body, page.t.common.errors);
    const name = form.text('name', { label: t.nameField, required: true, min: 2, max: 200 });
    const kind = form.choice('kind', PROVIDER_KINDS, { label: t.kindField, required: true });
    form.errors.anchor('kind', 'kind');
    const orgText = form.text('orgNumber', { label: t.orgNumberLabel, max: 13 });
    const org = orgText ? parseOrgNumber(orgText) : undefined;
    if (org && 'problem' in org) form.errors.add('orgNumber', t.orgNumberError);
    const municipalityCode = form.choice('municipalityCode', lists.municipalities.map((m) => m.code), { label: t.municipalityField });
    const contactEmail = form.text('contactEmail', { label: t.contactLabel, max: 254, email: true }).toLowerCase();
    const staffEmail = form.text('staffEmail', { label: t.staffEmailField, required: true, max: 254, email: true }).toLowerCase();
    const again = (status: number) => page.render(`${T}/register.njk`, { lists, values: form.values, errors: form.errors }, status);
    if (form.errors.any) return again(400);
    let provider;
    try {
      provider = await this.providers.create(page.me, {
        name,
        kind: kind!,
        ...(org && 'value' in org ? { orgNumber: org.value } : {}),
        ...(municipalityCode ? { municipalityCode } : {}),
        ...(contactEmail ? { contactEmail } : {}),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      form.errors.add('name', t.nameTaken);
      return again(409);
    }
    await this.staff.invite(page.me, provider.id, { email: staffEmail, locale: page.lang });
    page.redirect(`/samordning/anordnare/${provider.id}?inbjuden=${encodeURIComponent(staffEmail)}&ny=1`);
  }

  @Get('anordnare/:id')
  async provider(@Page() page: PageContext, @Param('id') id: string, @Query('inbjuden') invited?: string, @Query('ny') fresh?: string): Promise<void> {
    requireCoordinator(page);
    if (!UUID.test(id)) throw AppError.notFound('page');
    await this.showProvider(page, id, { invited: typeof invited === 'string' ? invited.slice(0, 254) : undefined, fresh: fresh === '1' });
  }

  private async showProvider(page: PageContext, id: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const provider = await this.providers.get(id);
    const [staff, invitations] = await Promise.all([this.staff.list(page.me, id, { limit: 200, offset: 0 }), this.staff.listInvitations(page.me, id, { limit: 200, offset: 0 })]);
    page.render(`${T}/provider.njk`, { provider, staff: staff.items, invitations: invitations.items, values: {}, ...data }, status);
  }

  @Post('anordnare/:id/bjud-in')
  async invite(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    if (!UUID.test(id)) throw AppError.notFound('page');
    const t = COORDINATOR_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('email', { label: t.staffEmailField, required: true, max: 254, email: true }).toLowerCase();
    if (form.errors.any) return this.showProvider(page, id, { values: form.values, errors: form.errors }, 400);
    try {
      await this.staff.invite(page.me, id, { email, locale: page.lang });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      form.errors.add('email', t.alreadyStaff);
      return this.showProvider(page, id, { values: form.values, errors: form.errors }, 409);
    }
    page.redirect(`/samordning/anordnare/${id}?inbjuden=${encodeURIComponent(email)}`);
  }
}
