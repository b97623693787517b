import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors/app-error.js';
import { CoverageService } from '../../matching/coverage.service.js';
import type { RoundDto } from '../../needs/dto/round.dto.js';
import { NeedsErrorCode } from '../../needs/needs.errors.js';
import { NeedsReportExportService } from '../../needs/needs-report-export.service.js';
import { NeedsReportService } from '../../needs/needs-report.service.js';
import { NeedsRoundsService } from '../../needs/needs-rounds.service.js';
import { SECTORS } from '../../organisations/organisation.entity.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { barChart } from '../charts.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { requireUuid } from '../provider/provider-access.js';
import { stockholmInstant } from '../provider/provider-forms.js';
import { ReferenceListsService } from '../reference-lists.js';
import { sortTable } from '../tables.js';
import { fill } from '../views.js';
import { requireCoordinator } from './coordinator.page.js';
import { coverageView, reportTables } from './rounds-report.js';
import { ROUNDS_TEXTS } from './rounds-texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const T = 'web/coordinator/templates';
const SCOPES = ['all', 'counties', 'sectors', 'organisations'] as const;

const percent = (rate: number) => Math.round(rate * 1000) / 10;

/**
 * The coordinator's needs rounds (create, choose who is invited, open, close, who answered), the
 * round's report with its tables, charts and downloads, and the coverage of demand by supply.
 * Through the needs and matching modules' own services; the downloads are the API's exports.
 */
@WebController('samordning')
export class RoundsPages {
  constructor(
    private readonly rounds: NeedsRoundsService,
    private readonly reports: NeedsReportService,
    private readonly exports: NeedsReportExportService,
    private readonly coverage: CoverageService,
    private readonly organisations: OrganisationsService,
    private readonly reference: ReferenceListsService,
    private readonly clock: Clock,
  ) {}

  @Get('inventeringar')
  async list(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = ROUNDS_TEXTS[page.lang];
    const rounds = await this.rounds.list(page.me, { limit: 500, offset: 0 });
    const rows = await Promise.all(
      rounds.items.map(async (round) => ({ round, status: t.statuses[round.status], response: round.status === 'draft' ? null : await this.reports.responseRate(round.id) })),
    );
    const table = sortTable(rows, {
      id: 'rounds',
      path: '/samordning/inventeringar',
      query,
      columns: [
        { key: 'title', text: t.titleColumn, value: (r) => r.round.title },
        { key: 'status', text: t.statusColumn, value: (r) => r.status },
        { key: 'opens', text: t.opensColumn, value: (r) => r.round.opensAt },
        { key: 'closes', text: t.closesColumn, value: (r) => r.round.closesAt },
        { key: 'response', text: t.responseColumn, value: (r) => r.response?.rate, numeric: true },
      ],
      initial: { sort: 'opens', dir: 'desc' },
    });
    const answered = table.rows.filter((r) => r.response);
    const chart = answered.length
      ? barChart({ id: 'rounds-chart', lang: page.lang, title: t.responseChart, unit: ' %', max: 100, rows: answered.map((r) => ({ label: r.round.title, values: [percent(r.response!.rate)] })), tableId: 'rounds', tableLinkText: t.seeTable })
      : null;
    page.render(`${T}/rounds-list.njk`, { table, chart, percent });
  }

  @Get('inventeringar/ny')
  async createForm(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    await this.showCreate(page, { values: { scope: '' } });
  }

  private async showCreate(page: PageContext, data: Record<string, unknown>, status = 200): Promise<void> {
    const choices = await this.reference.choices(page.lang);
    page.render(`${T}/rounds-create.njk`, { counties: choices.counties, sectors: SECTORS, ...data }, status);
  }

  @Post('inventeringar/ny')
  async create(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = ROUNDS_TEXTS[page.lang];
    const lists = await this.reference.lists();
    const form = new FormReader(body, page.t.common.errors);
    const title = form.text('title', { label: t.titleField, required: true, min: 2, max: 200 });
    const description = form.text('description', { label: t.descriptionField, max: 5000 });
    const opensText = form.text('opensDate', { label: t.opensField, required: true, max: 10 });
    const closesText = form.text('closesDate', { label: t.closesField, required: true, max: 10 });
    const opensAt = opensText && DATE.test(opensText) ? stockholmInstant(opensText, '00:00') : null;
    const closesAt = closesText && DATE.test(closesText) ? stockholmInstant(closesText, '23:59') : null;
    if (opensText && !opensAt) form.errors.add('opensDate', t.dateError);
    if (closesText && !closesAt) form.errors.add('closesDate', t.dateError);
    if (opensAt && closesAt && closesAt <= opensAt) form.errors.add('closesDate', t.closesBeforeOpens);
    else if (closesAt && closesAt <= this.clock.now()) form.errors.add('closesDate', t.closesPassed);
    const scope = form.choice('scope', SCOPES, { label: t.inviteField, required: true });
    form.errors.anchor('scope', 'scope');
    const counties = form.list('counties', lists.counties.map((c) => c.code), { label: t.countiesField, required: scope === 'counties' });
    form.errors.anchor('counties', 'counties');
    const sectors = form.list('sectors', SECTORS, { label: t.sectorsField, required: scope === 'sectors' });
    form.errors.anchor('sectors', 'sectors');
    if (form.errors.any) return this.showCreate(page, { values: form.values, errors: form.errors }, 400);
    const invite = scope === 'all' ? { all: true as const } : scope === 'counties' ? { counties } : scope === 'sectors' ? { sectors } : undefined;
    const round = await this.rounds.create(page.me, { title, ...(description ? { description } : {}), opensAt: opensAt!, closesAt: closesAt!, ...(invite ? { invite } : {}) });
    page.redirect(scope === 'organisations' ? `/samordning/inventeringar/${round.id}/organisationer` : `/samordning/inventeringar/${round.id}?skapad=1`);
  }

  @Get('inventeringar/:id')
  async round(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const banner = query.skapad === '1' ? 'created' : query.oppnad === '1' ? 'opened' : query.stangd === '1' ? 'closed' : query.valda === '1' ? 'chosen' : undefined;
    await this.showRound(page, id, query, { banner });
  }

  private async showRound(page: PageContext, id: string, query: Record<string, unknown>, data: Record<string, unknown>, status = 200): Promise<void> {
    const t = ROUNDS_TEXTS[page.lang];
    const round = await this.rounds.get(page.me, id);
    const [invitees, response, lists] = await Promise.all([this.rounds.invitees(id), round.status === 'draft' ? null : this.reports.responseRate(id), this.reference.lists()]);
    const table = sortTable(invitees, {
      id: 'invitees',
      path: `/samordning/inventeringar/${id}`,
      query,
      columns: [
        { key: 'name', text: t.organisationColumn, value: (r) => r.name },
        { key: 'municipality', text: t.municipalityColumn, value: (r) => r.municipalityName },
        { key: 'county', text: t.countyColumn, value: (r) => r.countyName },
        ...(round.status === 'draft'
          ? []
          : [
              { key: 'needs', text: t.needsColumn, value: (r: (typeof invitees)[number]) => (r.withStatements ? 1 : 0) },
              { key: 'assessment', text: t.assessmentColumn, value: (r: (typeof invitees)[number]) => (r.withAssessment ? 1 : 0) },
            ]),
      ],
      initial: { sort: 'name', dir: 'asc' },
    });
    page.render(`${T}/rounds-round.njk`, { round, invited: this.invitedText(round, lists.counties, page), table, response, percent, ...data }, status);
  }

  private invitedText(round: RoundDto, counties: { code: string; name: string }[], page: PageContext): string {
    const t = ROUNDS_TEXTS[page.lang];
    const { scope, values } = round.invite;
    if (scope === 'all') return t.inviteAll;
    if (scope === 'counties') return fill(t.inviteCounties, { names: values.map((v) => counties.find((c) => c.code === v)?.name ?? v).join(', ') });
    if (scope === 'sectors') return fill(t.inviteSectors, { names: values.map((v) => (t.sectors as Record<string, string>)[v] ?? v).join(', ') });
    return fill(t.inviteChosen, { count: round.status === 'draft' ? values.length : round.invitedOrganisations });
  }

  @Post('inventeringar/:id/oppna')
  async open(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const t = ROUNDS_TEXTS[page.lang];
    try {
      await this.rounds.open(page.me, id);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      const message = error.code === NeedsErrorCode.NOBODY_INVITED ? t.nobodyInvited : error.code === NeedsErrorCode.ROUND_CLOSES_IN_PAST ? t.closesInPast : t.wrongState;
      return this.showRound(page, id, {}, { problem: message }, 409);
    }
    page.redirect(`/samordning/inventeringar/${id}?oppnad=1`);
  }

  @Get('inventeringar/:id/stang')
  async closeForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const round = await this.rounds.get(page.me, id);
    if (round.status !== 'open') return page.redirect(`/samordning/inventeringar/${id}`);
    page.render(`${T}/rounds-close.njk`, { round });
  }

  @Post('inventeringar/:id/stang')
  async close(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    try {
      await this.rounds.close(page.me, id);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      return this.showRound(page, id, {}, { problem: ROUNDS_TEXTS[page.lang].wrongState }, 409);
    }
    page.redirect(`/samordning/inventeringar/${id}?stangd=1`);
  }

  @Get('inventeringar/:id/organisationer')
  async chooseForm(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    await this.showChoose(page, id, query);
  }

  private async showChoose(page: PageContext, id: string, query: Record<string, unknown>, status = 200): Promise<void> {
    const round = await this.rounds.get(page.me, id);
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '';
    const choices = await this.reference.choices(page.lang);
    const county = typeof query.county === 'string' && choices.counties.some((c) => c.value === query.county) ? query.county : '';
    const chosen = new Set(round.invite.scope === 'organisations' ? round.invite.values : []);
    const [results, current] = await Promise.all([
      round.status === 'draft' ? this.organisations.list(page.me, { q: q || undefined, county: county || undefined, limit: 50, offset: 0 }) : { items: [], total: 0 },
      this.rounds.invitees(id),
    ]);
    page.render(`${T}/rounds-choose.njk`, { round, q, county, counties: choices.counties, results: results.items.map((o) => ({ ...o, chosen: chosen.has(o.id) })), total: results.total, current }, status);
  }

  @Post('inventeringar/:id/organisationer')
  async choose(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const ids = (field: string) => {
      const raw = body?.[field];
      const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
      if (values.some((v) => !UUID.test(v))) throw AppError.validation(field, 'must be organisation ids');
      return values.map((v) => v.toLowerCase());
    };
    const shown = new Set(ids('shown'));
    const ticked = ids('organisationIds').filter((v) => shown.has(v));
    const round = await this.rounds.get(page.me, id);
    if (round.status !== 'draft') return this.showChoose(page, id, {}, 409);
    const before = round.invite.scope === 'organisations' ? round.invite.values : [];
    const after = [...new Set([...before.filter((v) => !shown.has(v)), ...ticked])];
    try {
      await this.rounds.update(page.me, id, { invite: { organisationIds: after } });
    } catch (error) {
      if (error instanceof AppError && error.code === NeedsErrorCode.INVITE_LOCKED) return this.showChoose(page, id, {}, 409);
      throw error;
    }
    page.redirect(`/samordning/inventeringar/${id}?valda=1`);
  }

  @Get('inventeringar/:id/rapport')
  async report(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const report = await this.reports.report(id);
    page.render(`${T}/rounds-report.njk`, { report, tables: reportTables(report, page.lang, `/samordning/inventeringar/${id}/rapport`, query), percent });
  }

  @Get('inventeringar/:id/rapport.xlsx')
  async reportXlsx(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    await this.reportFile(page, id, 'xlsx');
  }

  @Get('inventeringar/:id/rapport.csv')
  async reportCsv(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    await this.reportFile(page, id, 'csv');
  }

  private async reportFile(page: PageContext, id: string, format: 'csv' | 'xlsx'): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    sendFile(page, await this.exports.report(id, { format }));
  }

  @Get('tackning')
  async coveragePage(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const rounds = (await this.rounds.list(page.me, { limit: 500, offset: 0 })).items;
    const wanted = typeof query.inventering === 'string' ? query.inventering.toLowerCase() : '';
    const asked = rounds.find((r) => r.id === wanted);
    const round = asked ?? rounds.find((r) => r.status !== 'draft') ?? rounds[0];
    if (!round) return page.render(`${T}/coverage.njk`, { rounds, round: null });
    const report = await this.coverage.coverage(round.id);
    const view = coverageView(report, page.lang, '/samordning/tackning', { ...query, inventering: round.id });
    page.render(`${T}/coverage.njk`, { rounds, round, ...view });
  }

  @Get('tackning.xlsx')
  async coverageXlsx(@Page() page: PageContext, @Query('inventering') roundId: unknown): Promise<void> {
    await this.coverageFile(page, roundId, 'xlsx');
  }

  @Get('tackning.csv')
  async coverageCsv(@Page() page: PageContext, @Query('inventering') roundId: unknown): Promise<void> {
    await this.coverageFile(page, roundId, 'csv');
  }

  private async coverageFile(page: PageContext, roundId: unknown, format: 'csv' | 'xlsx'): Promise<void> {
    requireCoordinator(page);
    if (typeof roundId !== 'string' || !UUID.test(roundId)) throw AppError.notFound('page');
    sendFile(page, await this.coverage.export(roundId, { format }));
  }
}

/** A download (the API's export, asked for as a file) from a page route: never cached, saved under the export's own name. */
function sendFile(page: PageContext, file: { json: unknown } | { body: Buffer; contentType: string; filename: string }): void {
  if ('json' in file) throw new Error('The export answered JSON where a file was asked for');
  page.reply
    .status(200)
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', `attachment; filename="${file.filename}"`)
    .header('Cache-Control', 'no-store')
    .send(file.body);
}
