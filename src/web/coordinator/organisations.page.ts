import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { LEGAL_FORMS, SECTORS } from '../../organisations/organisation.entity.js';
import { MembersService } from '../../organisations/members.service.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { requireUuid } from '../provider/provider-access.js';
import { ReferenceListsService } from '../reference-lists.js';
import { requireCoordinator } from './coordinator.page.js';
import { ROUNDS_TEXTS } from './rounds-texts.js';

const T = 'web/coordinator/templates';
const PAGE_SIZE = 50;

const pick = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined => (typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined);

/**
 * The coordinator's organisations: search with filters (name or organisation number, county,
 * legal form, sector), an organisation's details and members, and appointing an admin (a member
 * made admin, or someone invited as admin by email), through the organisations module's services.
 */
@WebController('samordning/organisationer')
export class OrganisationsPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: MembersService,
    private readonly reference: ReferenceListsService,
  ) {}

  @Get()
  async list(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const choices = await this.reference.choices(page.lang);
    const legalForm = pick(query.legalForm, LEGAL_FORMS);
    const sector = pick(query.sector, SECTORS);
    const filters = {
      q: typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '',
      county: pick(query.county, choices.counties.map((c) => c.value)) ?? '',
      legalForm: legalForm ?? '',
      sector: sector ?? '',
    };
    const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(typeof query.sida === 'string' ? query.sida : '1', 10) || 1));
    const result = await this.organisations.list(page.me, {
      ...(filters.q ? { q: filters.q } : {}),
      ...(filters.county ? { county: filters.county } : {}),
      ...(legalForm ? { legalForm } : {}),
      ...(sector ? { sector } : {}),
      limit: PAGE_SIZE,
      offset: (pageNumber - 1) * PAGE_SIZE,
    });
    const counties = new Map(choices.counties.map((c) => [c.value, c.text]));
    const link = (n: number) => {
      const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
      if (n > 1) params.set('sida', String(n));
      const text = params.toString();
      return `/samordning/organisationer${text ? `?${text}` : ''}`;
    };
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    page.render(`${T}/organisations-list.njk`, {
      filters,
      counties: choices.counties,
      legalForms: LEGAL_FORMS,
      sectors: SECTORS,
      organisations: result.items.map((o) => ({ ...o, countyName: counties.get(o.countyCode) ?? o.countyCode })),
      total: result.total,
      paging: {
        previous: pageNumber > 1 ? link(pageNumber - 1) : null,
        next: pageNumber < pages ? link(pageNumber + 1) : null,
        page: pageNumber,
        pages,
      },
    });
  }

  @Get(':id')
  async organisation(@Page() page: PageContext, @Param('id') id: string, @Query('administrator') admin?: string, @Query('inbjuden') invited?: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    await this.show(page, id, { admin: typeof admin === 'string' ? admin.slice(0, 200) : undefined, invited: typeof invited === 'string' ? invited.slice(0, 254) : undefined });
  }

  private async show(page: PageContext, id: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const organisation = await this.organisations.get(page.me, id);
    const [members, invitations, choices] = await Promise.all([
      this.members.list(page.me, id, { limit: 500, offset: 0 }),
      this.members.listInvitations(page.me, id, { limit: 200, offset: 0 }),
      this.reference.choices(page.lang),
    ]);
    const countyName = choices.counties.find((c) => c.value === organisation.countyCode)?.text ?? organisation.countyCode;
    page.render(
      `${T}/organisations-organisation.njk`,
      { organisation, countyName, members: members.items, hasAdmin: members.items.some((m) => m.role === 'org_admin'), invitations: invitations.items, values: {}, ...data },
      status,
    );
  }

  @Post(':id/medlemmar/:userId/administrator')
  async makeAdmin(@Page() page: PageContext, @Param('id') id: string, @Param('userId') userId: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id, userId);
    const member = await this.members.update(page.me, id, userId, { role: 'org_admin' });
    page.redirect(`/samordning/organisationer/${id}?administrator=${encodeURIComponent(member.name ?? member.email)}`);
  }

  @Post(':id/bjud-in')
  async inviteAdmin(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const t = ROUNDS_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('email', { label: t.emailField, required: true, max: 254, email: true }).toLowerCase();
    if (form.errors.any) return this.show(page, id, { values: form.values, errors: form.errors }, 400);
    try {
      await this.members.invite(page.me, id, { email, role: 'org_admin', locale: page.lang });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      form.errors.add('email', t.alreadyMember);
      return this.show(page, id, { values: form.values, errors: form.errors }, 409);
    }
    page.redirect(`/samordning/organisationer/${id}?inbjuden=${encodeURIComponent(email)}`);
  }
}
