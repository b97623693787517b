import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { monthText } from '../../mail/templates/time-report.template.js';
import { AppError, CommonErrorCode } from '../../common/errors/app-error.js';
import { MembersService } from '../../organisations/members.service.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { formatNumber, requireUuid } from '../../programmes/pages/page-helpers.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { sortTable } from '../../web/tables.js';
import { ParticipantIdentityService } from '../participant-identity.service.js';
import { IDENTITY_EXPLANATION } from '../participant-texts.js';
import { ParticipantErrorCode } from '../participants.errors.js';
import { TimeReportsService } from '../time-reports.service.js';
import { ESF_TEXTS } from './esf-texts.js';

const T = 'participants/pages';

/**
 * An org admin's ESF pages (/organisation/:id/…): the members' time reports, co-signing a
 * certified one, and entering a member's personnummer or samordningsnummer (shown masked
 * afterwards, with why it is asked for). The services check that the caller administers the
 * organisation (403 page otherwise), before anything is read.
 */
@WebController('organisation')
export class OrganisationEsfPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly members: MembersService,
    private readonly reports: TimeReportsService,
    private readonly identities: ParticipantIdentityService,
  ) {}

  @Get(':id/tidrapporter')
  async timeReports(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireUuid(id);
    await this.renderReports(page, id, query, { flash: query.klart === 'underskriven' ? ESF_TEXTS[page.lang].cosigned : '' });
  }

  @Post(':id/tidrapporter/:reportId/skriv-under')
  async cosign(@Page() page: PageContext, @Param('id') id: string, @Param('reportId') reportId: string): Promise<void> {
    requireUuid(id, reportId);
    const t = ESF_TEXTS[page.lang];
    try {
      await this.reports.cosign(page.me, id, reportId);
    } catch (error) {
      const messages: Record<string, string> = {
        [ParticipantErrorCode.COSIGN_NOT_REQUIRED]: t.cosignNotRequired,
        [ParticipantErrorCode.TIME_REPORT_NOT_CERTIFIED]: t.notCertified,
      };
      if (!(error instanceof AppError) || !messages[error.code]) throw error;
      return this.renderReports(page, id, {}, { problem: messages[error.code] }, 409);
    }
    page.redirect(`/organisation/${id}/tidrapporter?klart=underskriven`);
  }

  @Get(':id/personnummer')
  async identitiesPage(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const [organisation, members] = await Promise.all([this.organisations.get(page.me, id), this.members.list(page.me, id, { limit: 500, offset: 0 })]);
    const masked = await this.identities.maskedOf(members.items.map((m) => m.userId));
    const rows = members.items.map((m) => ({ ...m, masked: masked.get(m.userId) ?? null }));
    page.render(`${T}/org-identities.njk`, { organisation, members: rows });
  }

  @Get(':id/medlemmar/:userId/personnummer')
  async identityForm(@Page() page: PageContext, @Param('id') id: string, @Param('userId') userId: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireUuid(id, userId);
    await this.renderIdentity(page, id, userId, { saved: query.klart === 'sparat' });
  }

  @Post(':id/medlemmar/:userId/personnummer')
  async setIdentity(@Page() page: PageContext, @Param('id') id: string, @Param('userId') userId: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(id, userId);
    const t = ESF_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const number = form.text('personalIdentityNumber', { label: t.identityField, required: true, max: 20 });
    // What was typed is never shown again: an identity number leaves only in the monthly file.
    const again = (status: number) => this.renderIdentity(page, id, userId, { errors: form.errors }, status);
    if (form.errors.any) return again(400);
    try {
      await this.identities.setForMember(page.me, id, userId, number);
    } catch (error) {
      if (error instanceof AppError && error.code === CommonErrorCode.VALIDATION_FAILED) {
        form.errors.add('personalIdentityNumber', t.identityInvalid);
        return again(400);
      }
      if (error instanceof AppError && error.code === ParticipantErrorCode.NOT_IN_ESF_PROGRAMME) {
        form.errors.add('personalIdentityNumber', t.notInEsf);
        return again(409);
      }
      throw error;
    }
    page.redirect(`/organisation/${id}/medlemmar/${userId}/personnummer?klart=sparat`);
  }

  private async renderIdentity(page: PageContext, id: string, userId: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const [organisation, members] = await Promise.all([this.organisations.get(page.me, id), this.members.list(page.me, id, { limit: 500, offset: 0 })]);
    const member = members.items.find((m) => m.userId === userId);
    if (!member) throw AppError.notFound('Member of this organisation', ParticipantErrorCode.NOT_A_MEMBER);
    const masked = (await this.identities.maskedOf([userId])).get(userId) ?? null;
    page.render(`${T}/org-identity.njk`, { organisation, member, masked, explanation: IDENTITY_EXPLANATION[page.lang], ...data }, status);
  }

  private async renderReports(page: PageContext, id: string, query: Record<string, unknown>, data: Record<string, unknown>, status = 200): Promise<void> {
    const t = ESF_TEXTS[page.lang];
    const reports = await this.reports.ofOrganisationWithPeople(page.me, id);
    const [organisation, members] = await Promise.all([this.organisations.get(page.me, id), this.members.list(page.me, id, { limit: 500, offset: 0 })]);
    const names = new Map(members.items.map((m) => [m.userId, m.name ?? m.email]));
    const rows = reports.map(({ report, userId }) => ({
      ...report,
      personText: names.get(userId) ?? '',
      monthText: monthText(report.month, page.lang),
      hoursText: formatNumber(report.hours, page.lang),
      statusText: (t.reportStatuses as Record<string, string>)[report.status] ?? report.status,
      canCosign: report.cosignRequired && report.status === 'certified',
    }));
    const table = sortTable(rows, {
      path: `/organisation/${id}/tidrapporter`,
      query,
      id: 'time-reports',
      columns: [
        { key: 'person', text: t.person, value: (r) => r.personText },
        { key: 'programme', text: t.programme, value: (r) => r.programmeTitle },
        { key: 'month', text: t.month, value: (r) => r.month },
        { key: 'hours', text: t.hours, value: (r) => r.hours, numeric: true },
        { key: 'status', text: t.status, value: (r) => r.statusText },
        { key: 'action', text: t.cosign },
      ],
      initial: { sort: 'month', dir: 'desc' },
    });
    page.render(`${T}/org-time-reports.njk`, { organisation, table, ...data }, status);
  }
}
