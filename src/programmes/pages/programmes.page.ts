import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { NeedsRoundsService } from '../../needs/needs-rounds.service.js';
import { barChart } from '../../web/charts.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import { sortTable } from '../../web/tables.js';
import { fill } from '../../web/views.js';
import type { InterventionProgressDto, ProgressFiguresDto } from '../dto/progress.dto.js';
import { InterventionsService } from '../interventions.service.js';
import { PlanPdfRenderer } from '../plan-pdf.js';
import { planHtml, planXlsx } from '../plan-render.js';
import { ProgrammeDraftService } from '../programme-draft.service.js';
import { ProgrammePlanService } from '../programme-plan.service.js';
import { ProgrammeProgressService } from '../programme-progress.service.js';
import { ProgrammesService } from '../programmes.service.js';
import { formatNumber, formatPercent, interventionRow, namesIn, queryText, requireCoordinator, requireUuid, sendFile } from './page-helpers.js';
import { fieldErrorsOf, programmeValues, readProgramme } from './programme-forms.js';
import { PROGRAMME_TEXTS } from './texts.js';

const T = 'programmes/pages';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ALL = { limit: 1000, offset: 0 };

/**
 * Coordinators' programme pages (/samordning/program): the programmes, create and change one, a
 * programme with its interventions, a draft from a needs round, progress against the plan and the
 * programme document's downloads. Through the programmes module's own services.
 */
@WebController('samordning/program')
export class ProgrammePages {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly interventions: InterventionsService,
    private readonly drafts: ProgrammeDraftService,
    private readonly progressService: ProgrammeProgressService,
    private readonly plans: ProgrammePlanService,
    private readonly pdf: PlanPdfRenderer,
    private readonly rounds: NeedsRoundsService,
    private readonly reference: ReferenceListsService,
  ) {}

  @Get()
  async list(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = PROGRAMME_TEXTS[page.lang];
    const { items } = await this.programmes.list(page.me, ALL);
    const rows = items.map((p) => ({
      ...p,
      fundingText: t.fundingSources[p.fundingSource],
      budgetText: fill(t.kr, { amount: formatNumber(p.budgetSek, page.lang, 0) }),
    }));
    const table = sortTable(rows, {
      path: '/samordning/program',
      query,
      id: 'programmes',
      columns: [
        { key: 'title', text: t.title, value: (r) => r.title },
        { key: 'period', text: t.period, value: (r) => r.startsOn },
        { key: 'funding', text: t.fundingSourceLabel, value: (r) => r.fundingText },
        { key: 'budget', text: t.budget, value: (r) => r.budgetSek, numeric: true },
        { key: 'interventions', text: t.interventionsCount, value: (r) => r.interventions, numeric: true },
      ],
      initial: { sort: 'period', dir: 'desc' },
    });
    page.render(`${T}/programmes.njk`, { table });
  }

  @Get('ny')
  newForm(@Page() page: PageContext): void {
    requireCoordinator(page);
    page.render(`${T}/programme-form.njk`, { values: { fundingSource: 'esf_plus', flags: [] }, action: '/samordning/program/ny' });
  }

  @Post('ny')
  async create(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = PROGRAMME_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const dto = readProgramme(form, t, page.t.common.errors);
    if (!dto) return page.render(`${T}/programme-form.njk`, { values: form.values, errors: form.errors, action: '/samordning/program/ny' }, 400);
    try {
      const created = await this.programmes.create(page.me, dto);
      page.redirect(`/samordning/program/${created.id}?klart=skapat`);
    } catch (error) {
      if (!fieldErrorsOf(error, form.errors, t, { endsOn: t.endsOnField, title: t.titleField })) throw error;
      page.render(`${T}/programme-form.njk`, { values: form.values, errors: form.errors, action: '/samordning/program/ny' }, 400);
    }
  }

  @Get(':id')
  async show(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const t = PROGRAMME_TEXTS[page.lang];
    const [programme, interventions, names] = await Promise.all([
      this.programmes.get(page.me, id),
      this.interventions.list(page.me, id, ALL),
      namesIn(this.reference, page.lang),
    ]);
    const rows = interventions.items.map((i) => interventionRow(page.lang, i, names));
    const table = sortTable(rows, {
      path: `/samordning/program/${id}`,
      query,
      id: 'interventions',
      columns: [
        { key: 'title', text: t.title, value: (r) => r.title },
        { key: 'theme', text: t.theme, value: (r) => r.themeText },
        { key: 'form', text: t.form, value: (r) => r.formatText },
        { key: 'participants', text: t.participants, value: (r) => r.plannedParticipants, numeric: true },
        { key: 'cost', text: t.cost, value: (r) => r.costSek, numeric: true },
        { key: 'status', text: t.status, value: (r) => r.statusText },
      ],
      initial: { sort: 'title', dir: 'asc' },
    });
    const chart = barChart({
      id: 'cost-chart',
      lang: page.lang,
      title: t.costChartTitle,
      summary: t.costChartSummary,
      unit: ' kr',
      rows: rows.filter((r) => r.status !== 'cancelled').map((r) => ({ label: r.title, values: [r.costSek] })),
      tableId: 'interventions',
      tableLinkText: t.seeTable,
    });
    const done = queryText(query.klart, 20);
    const flash = done === 'skapat' ? t.created : done === 'sparat' ? t.saved : '';
    page.render(`${T}/programme.njk`, { programme: this.programmeView(page, programme), table, chart, flash });
  }

  @Get(':id/andra')
  async editForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const programme = await this.programmes.get(page.me, id);
    page.render(`${T}/programme-form.njk`, { programme, values: programmeValues(programme), action: `/samordning/program/${id}/andra` });
  }

  @Post(':id/andra')
  async edit(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const t = PROGRAMME_TEXTS[page.lang];
    const programme = await this.programmes.get(page.me, id);
    const form = new FormReader(body, page.t.common.errors);
    const dto = readProgramme(form, t, page.t.common.errors);
    const again = () => page.render(`${T}/programme-form.njk`, { programme, values: form.values, errors: form.errors, action: `/samordning/program/${id}/andra` }, 400);
    if (!dto) return again();
    try {
      await this.programmes.update(id, dto);
    } catch (error) {
      if (!fieldErrorsOf(error, form.errors, t, { endsOn: t.endsOnField })) throw error;
      return again();
    }
    page.redirect(`/samordning/program/${id}?klart=sparat`);
  }

  @Get(':id/utkast')
  async draftForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    await this.renderDraftForm(page, id, {});
  }

  private async renderDraftForm(page: PageContext, id: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const [programme, rounds] = await Promise.all([this.programmes.get(page.me, id), this.rounds.list(page.me, { limit: 100, offset: 0 })]);
    page.render(`${T}/draft.njk`, { programme, rounds: rounds.items, values: {}, ...data }, status);
  }

  @Post(':id/utkast')
  async draft(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const t = PROGRAMME_TEXTS[page.lang];
    const rounds = await this.rounds.list(page.me, { limit: 100, offset: 0 });
    const form = new FormReader(body, page.t.common.errors);
    const roundId = form.choice('roundId', rounds.items.map((r) => r.id), { label: t.roundField, required: true });
    form.errors.anchor('roundId', 'roundId');
    if (!roundId) return this.renderDraftForm(page, id, { values: form.values, errors: form.errors }, 400);
    const result = await this.drafts.draft(page.me, id, roundId);
    page.redirect(`/samordning/program/${id}/utkast/${roundId}?${result.created ? `nya=${result.total}` : 'fanns=1'}`);
  }

  @Get(':id/utkast/:roundId')
  async draftResult(@Page() page: PageContext, @Param('id') id: string, @Param('roundId') roundId: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id, roundId);
    const t = PROGRAMME_TEXTS[page.lang];
    const [programme, round, interventions, names] = await Promise.all([
      this.programmes.get(page.me, id),
      this.rounds.get(page.me, roundId),
      this.interventions.list(page.me, id, ALL),
      namesIn(this.reference, page.lang),
    ]);
    const proposals = interventions.items.filter((i) => i.sourceRoundId === roundId).map((i) => interventionRow(page.lang, i, names));
    const created = queryText(query.nya, 6);
    const flash = created ? fill(t.draftCreated, { count: created }) : query.fanns === '1' ? t.draftExisted : '';
    page.render(`${T}/draft-result.njk`, { programme, round, proposals, flash });
  }

  @Get(':id/uppfoljning')
  async progress(@Page() page: PageContext, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const t = PROGRAMME_TEXTS[page.lang];
    const [programme, progress] = await Promise.all([this.programmes.get(page.me, id), this.progressService.progress(page.me, id)]);
    const rows = progress.interventions.map((i) => ({ ...this.figures(page, i), title: i.title, id: i.interventionId, statusText: t.statuses[i.status] }));
    const table = sortTable(rows, {
      path: `/samordning/program/${id}/uppfoljning`,
      query,
      id: 'progress',
      columns: [
        { key: 'title', text: t.title, value: (r) => r.title },
        { key: 'planned', text: t.planned, value: (r) => r.planned.participants, numeric: true },
        { key: 'booked', text: t.booked, value: (r) => r.booked.total, numeric: true },
        { key: 'attended', text: t.attended, value: (r) => r.attended.total, numeric: true },
        { key: 'women', text: t.women },
        { key: 'men', text: t.men },
        { key: 'hours', text: t.hoursDelivered, value: (r) => r.hoursDelivered, numeric: true },
        { key: 'cost', text: t.costToDate, value: (r) => r.costToDateSek, numeric: true },
        { key: 'deviation', text: t.deviation, value: (r) => r.deviation.participants, numeric: true },
      ],
      initial: { sort: 'title', dir: 'asc' },
    });
    const chart = barChart({
      id: 'progress-chart',
      lang: page.lang,
      title: t.chartTitle,
      summary: t.chartSummary,
      series: [t.planned, t.booked, t.attended],
      rows: progress.interventions.filter((i) => i.status !== 'cancelled').map((i) => ({ label: i.title, values: [i.planned.participants, i.booked.total, i.attended.total] })),
      tableId: 'progress',
      tableLinkText: t.seeTable,
    });
    page.render(`${T}/progress.njk`, { programme, table, chart, total: this.figures(page, progress.total) });
  }

  @Get(':id/programdokument.xlsx')
  async planXlsx(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const plan = await this.plans.plan(page.me, id);
    sendFile(page, await planXlsx(plan), XLSX, `programdokument-${plan.generatedAt.slice(0, 10)}.xlsx`);
  }

  @Get(':id/programdokument.html')
  async planHtml(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const plan = await this.plans.plan(page.me, id);
    page.reply.status(200).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(planHtml(plan));
  }

  @Get(':id/programdokument.pdf')
  async planPdf(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    requireUuid(id);
    const plan = await this.plans.plan(page.me, id);
    sendFile(page, await this.pdf.render(planHtml(plan)), 'application/pdf', `programdokument-${plan.generatedAt.slice(0, 10)}.pdf`);
  }

  private programmeView(page: PageContext, p: Awaited<ReturnType<ProgrammesService['get']>>) {
    const t = PROGRAMME_TEXTS[page.lang];
    return {
      ...p,
      fundingText: t.fundingSources[p.fundingSource],
      budgetText: fill(t.kr, { amount: formatNumber(p.budgetSek, page.lang, 0) }),
      unitCostText: p.unitCostPerHourSek === null ? page.t.common.notGiven : fill(t.kr, { amount: formatNumber(p.unitCostPerHourSek, page.lang, 2) }),
    };
  }

  /** Progress figures as the page shows them. */
  private figures<F extends ProgressFiguresDto | InterventionProgressDto>(page: PageContext, f: F) {
    const t = PROGRAMME_TEXTS[page.lang];
    const kr = (n: number) => fill(t.kr, { amount: formatNumber(n, page.lang, 0) });
    return {
      ...f,
      hoursText: formatNumber(f.hoursDelivered, page.lang),
      plannedHoursText: formatNumber(f.planned.participantHours, page.lang),
      costText: kr(f.costToDateSek),
      plannedCostText: kr(f.planned.costSek),
      responseText: formatPercent(f.evaluationResponseRate, page.lang) || t.notYet,
      meanText: f.evaluation.overallMean === null ? t.notYet : formatNumber(f.evaluation.overallMean, page.lang),
      deviationText: formatNumber(f.deviation.participants, page.lang, 0),
    };
  }
}

