import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { formatNumber, queryText, requireCoordinator, requireUuid, sendFile } from '../../programmes/pages/page-helpers.js';
import { readDate } from '../../programmes/pages/programme-forms.js';
import { ProgrammesService } from '../../programmes/programmes.service.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { sortTable } from '../../web/tables.js';
import { fill } from '../../web/views.js';
import type { EsfParticipantDto } from '../dto/register.dto.js';
import { XLSX } from '../download.js';
import { MonthlyFileService } from '../monthly-file.service.js';
import { ParticipantIdentityService } from '../participant-identity.service.js';
import { ParticipantErrorCode } from '../participants.errors.js';
import { ProgrammeReportsService } from '../programme-reports.service.js';
import { RegisterService } from '../register.service.js';
import { ESF_TEXTS } from './esf-texts.js';

const T = 'participants/pages';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Coordinators' ESF pages of a programme with esfReporting (/samordning/program/:id/esf…): the
 * participant register (identity numbers only masked), ending a participation, the indicators,
 * the co-financing, and the monthly files (download, audit-logged by the service; mark as sent).
 */
@WebController('samordning/program')
export class EsfRegisterPages {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly register: RegisterService,
    private readonly identities: ParticipantIdentityService,
    private readonly reports: ProgrammeReportsService,
    private readonly files: MonthlyFileService,
  ) {}

  @Get(':id/esf')
  async registerPage(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    const programme = await this.programme(page, id);
    const t = ESF_TEXTS[page.lang];
    const { items, evidenceKeptUntil } = await this.register.page(id, { limit: 10_000, offset: 0 });
    const masked = await this.identities.maskedOf(items.map((p) => p.userId));
    const rows = items.map((p) => this.participantRow(page, p, masked.get(p.userId)));
    const table = sortTable(rows, {
      path: `/samordning/program/${id}/esf`,
      query,
      id: 'register',
      columns: [
        { key: 'name', text: t.name, value: (r) => r.nameText },
        { key: 'orgNumber', text: t.orgNumber, value: (r) => r.orgNumber },
        { key: 'startedOn', text: t.startedOn, value: (r) => r.startedOn },
        { key: 'endedOn', text: t.endedOn, value: (r) => r.endedOn },
        { key: 'hoursAttended', text: t.hoursAttended, value: (r) => r.hoursAttended, numeric: true },
        { key: 'certifiedHours', text: t.certifiedHours, value: (r) => r.certifiedHours, numeric: true },
        { key: 'gender', text: t.gender, value: (r) => r.genderText },
        { key: 'identity', text: t.identity },
        { key: 'action', text: t.end },
      ],
      initial: { sort: 'startedOn', dir: 'asc' },
    });
    const flash = query.klart === 'avslutad' ? t.ended : '';
    page.render(`${T}/esf-register.njk`, { programme, table, flash, keptUntil: evidenceKeptUntil, section: 'register' });
  }

  /** The register, the co-financing and the indicators as CSV or xlsx (the same exports as the API's `?format=`). */
  @Get(':id/esf/:file')
  async export(@Page() page: PageContext, @Param('id') id: string, @Param('file') file: string): Promise<void> {
    const [, name, format] = /^(deltagarregister|medfinansiering|indikatorer)\.(csv|xlsx)$/.exec(file) ?? [];
    if (!name) throw AppError.notFound('page');
    await this.programme(page, id);
    const kind = format as 'csv' | 'xlsx';
    const body =
      name === 'deltagarregister'
        ? await this.register.export(id, kind)
        : name === 'medfinansiering'
          ? await this.reports.cofinancingExport(await this.reports.cofinancing(id, undefined), kind)
          : await this.reports.indicatorsExport(await this.reports.indicators(id), kind);
    sendFile(page, body, kind === 'csv' ? 'text/csv; charset=utf-8' : XLSX, `${name}-${id}.${kind}`);
  }

  @Get(':id/esf/deltagare/:participantId/avsluta')
  async endForm(@Page() page: PageContext, @Param('id') id: string, @Param('participantId') participantId: string): Promise<void> {
    const programme = await this.programme(page, id);
    page.render(`${T}/esf-end.njk`, { programme, participant: await this.participant(page, id, participantId), values: {} });
  }

  @Post(':id/esf/deltagare/:participantId/avsluta')
  async end(@Page() page: PageContext, @Param('id') id: string, @Param('participantId') participantId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const programme = await this.programme(page, id);
    const participant = await this.participant(page, id, participantId);
    const t = ESF_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const endedOn = readDate(form, 'endedOn', { label: t.endedOnField }, page.t.common.errors);
    const today = this.register.today();
    if (endedOn && endedOn > today) form.errors.add('endedOn', t.endedOnFuture);
    if (endedOn && endedOn < participant.startedOn) form.errors.add('endedOn', t.endedOnBeforeStart);
    const again = (status: number) => page.render(`${T}/esf-end.njk`, { programme, participant, values: form.values, errors: form.errors }, status);
    if (form.errors.any) return again(400);
    try {
      await this.register.end(page.me, id, participantId, endedOn ? { endedOn } : {});
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ParticipantErrorCode.ALREADY_ENDED) throw error;
      form.errors.add('endedOn', t.alreadyEnded);
      return again(409);
    }
    page.redirect(`/samordning/program/${id}/esf?klart=avslutad`);
  }

  @Get(':id/esf/indikatorer')
  async indicators(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    const programme = await this.programme(page, id);
    const t = ESF_TEXTS[page.lang];
    const report = await this.reports.indicators(id);
    const dimensions = report.dimensions.map((d) => ({ ...d, title: (t.dimensions as Record<string, string>)[d.dimension] ?? d.title }));
    page.render(`${T}/esf-indicators.njk`, { programme, report, dimensions, section: 'indicators' });
  }

  @Get(':id/esf/medfinansiering')
  async cofinancing(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    const programme = await this.programme(page, id);
    const t = ESF_TEXTS[page.lang];
    const report = await this.reports.cofinancing(id, undefined);
    const kr = (n: number | null) => (n === null ? '' : fill(page.t.programmes.kr, { amount: formatNumber(n, page.lang, 0) }));
    const view = <R extends { certifiedHours: number; uncertifiedHours: number; valueSek: number | null }>(r: R) => ({
      ...r,
      certifiedText: formatNumber(r.certifiedHours, page.lang),
      uncertifiedText: formatNumber(r.uncertifiedHours, page.lang),
      valueText: kr(r.valueSek),
    });
    const table = sortTable(report.items.map(view), {
      path: `/samordning/program/${id}/esf/medfinansiering`,
      query,
      id: 'cofinancing',
      columns: [
        { key: 'organisation', text: t.organisation, value: (r) => r.organisationName ?? r.orgNumber },
        { key: 'month', text: t.month, value: (r) => r.month },
        { key: 'certified', text: t.certifiedHours, value: (r) => r.certifiedHours, numeric: true },
        { key: 'uncertified', text: t.uncertifiedHours, value: (r) => r.uncertifiedHours, numeric: true },
        { key: 'value', text: t.value, value: (r) => r.valueSek, numeric: true },
      ],
      initial: { sort: 'month', dir: 'asc' },
    });
    const unit = report.unitCostPerHourSek === null ? t.noUnitCost : fill(page.t.programmes.kr, { amount: formatNumber(report.unitCostPerHourSek, page.lang, 2) });
    page.render(`${T}/esf-cofinancing.njk`, { programme, report, table, total: view(report.total), unit, section: 'cofinancing' });
  }

  @Get(':id/esf/manadsfiler')
  async monthlyFiles(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    const programme = await this.programme(page, id);
    const t = ESF_TEXTS[page.lang];
    const files = await this.files.list(id);
    const month = queryText(query.manad, 7);
    const flash = MONTH.test(month) && query.klart === 'skickad' ? fill(t.markedSent, { month }) : '';
    page.render(`${T}/esf-files.njk`, { programme, files: [...files.items].reverse(), flash, section: 'files' });
  }

  @Get(':id/esf/manadsfiler/:month/deltagarfil.csv')
  async monthlyFile(@Page() page: PageContext, @Param('id') id: string, @Param('month') month: string): Promise<void> {
    await this.programme(page, id);
    if (!MONTH.test(month)) throw AppError.notFound('page');
    const csv = await this.files.download(page.me, id, month);
    sendFile(page, csv, 'text/csv; charset=utf-8', `deltagarfil-${month}.csv`);
  }

  @Post(':id/esf/manadsfiler/:month/skickad')
  async markSent(@Page() page: PageContext, @Param('id') id: string, @Param('month') month: string): Promise<void> {
    const programme = await this.programme(page, id);
    if (!MONTH.test(month)) throw AppError.notFound('page');
    const t = ESF_TEXTS[page.lang];
    try {
      await this.files.markSent(page.me, id, month);
    } catch (error) {
      const messages: Record<string, string> = {
        [ParticipantErrorCode.MONTHLY_FILE_ALREADY_SENT]: fill(t.alreadySent, { month }),
        [ParticipantErrorCode.MONTH_NOT_OVER]: t.monthNotOver,
      };
      if (!(error instanceof AppError) || !messages[error.code]) throw error;
      const files = await this.files.list(id);
      return page.render(`${T}/esf-files.njk`, { programme, files: [...files.items].reverse(), problem: messages[error.code], section: 'files' }, 409);
    }
    page.redirect(`/samordning/program/${id}/esf/manadsfiler?klart=skickad&manad=${month}`);
  }

  /** Coordinators only; the programme must report to the ESF (the service answers 409 otherwise). */
  private async programme(page: PageContext, id: string) {
    requireCoordinator(page);
    requireUuid(id);
    await this.register.esfProgramme(id);
    return this.programmes.get(page.me, id);
  }

  private async participant(page: PageContext, id: string, participantId: string) {
    requireUuid(participantId);
    const found = (await this.register.all(id)).find((p) => p.id === participantId);
    if (!found) throw AppError.notFound('Participant', ParticipantErrorCode.PARTICIPANT_NOT_FOUND);
    return this.participantRow(page, found, undefined);
  }

  private participantRow(page: PageContext, p: EsfParticipantDto, masked: string | undefined) {
    const t = ESF_TEXTS[page.lang];
    return {
      ...p,
      nameText: p.erased ? t.erased : (p.name ?? ''),
      genderText: p.gender ? ((t.genders as Record<string, string>)[p.gender] ?? p.gender) : page.t.common.notGiven,
      endReasonText: p.endReason ? ((t.endReasons as Record<string, string>)[p.endReason] ?? p.endReason) : '',
      identityText: masked ?? t.identityMissing,
      hoursText: formatNumber(p.hoursAttended, page.lang),
      certifiedText: formatNumber(p.certifiedHours, page.lang),
    };
  }
}
