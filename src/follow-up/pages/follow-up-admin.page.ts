import { Body, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CatalogueSupplyService } from '../../catalogue/catalogue-supply.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { requireCoordinator } from '../../web/coordinator/coordinator.page.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import { barChart } from '../../web/charts.js';
import { sortTable } from '../../web/tables.js';
import { fill } from '../../web/views.js';
import type { EvaluationResultsDto } from '../dto/results.dto.js';
import { FollowUpStatusService } from '../follow-up-status.service.js';
import { PlansService } from '../plans.service.js';
import { QuestionnairesService } from '../questionnaires.service.js';
import { resultsCsv, resultsXlsx } from '../results-export.js';
import { RESULT_GROUPINGS, ResultsService, type ResultGrouping } from '../results.service.js';
import { MIN_RESPONSES } from '../results-aggregate.js';
import { FOLLOW_UP_ADMIN_TEXTS } from './follow-up-admin.texts.js';
import { durationText, isoDuration, percent, questionnaireResults, SEND_UNITS } from './follow-up-views.js';
import { FIRST_ROWS, questionnaireValues, readQuestionnaireForm, rowsOf } from './questionnaire-form.js';
import { surveyForm } from './survey-form.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const THEME = /^[a-z0-9_]{1,60}$/;
const T = 'follow-up/pages';
const BASE = '/samordning/uppfoljning';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function uuid(id: string): string {
  if (!UUID.test(id)) throw AppError.notFound('page');
  return id;
}

/**
 * The coordinator's follow-up pages: the state of the evaluations, questionnaires (create, change
 * or version, preview as participants see them), follow-up plans, and the results per offering,
 * provider, theme and organisation with their downloads. Through the follow-up module's services,
 * the same as the JSON API; coordinators only.
 */
@WebController('samordning/uppfoljning')
export class FollowUpAdminPages {
  constructor(
    private readonly questionnaires: QuestionnairesService,
    private readonly plans: PlansService,
    private readonly results: ResultsService,
    private readonly status: FollowUpStatusService,
    private readonly supply: CatalogueSupplyService,
    private readonly organisations: OrganisationsService,
    private readonly reference: ReferenceListsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  async overview(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    page.render(`${T}/follow-up-admin.njk`, { status: await this.status.status() });
  }

  // Questionnaires

  @Get('enkater')
  async questionnaireList(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    const list = await this.questionnaires.list({ limit: 500, offset: 0 });
    page.render(`${T}/questionnaires.njk`, { questionnaires: list.items });
  }

  @Get('enkater/ny')
  async createForm(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    this.showForm(page, { values: { rows: String(FIRST_ROWS) } });
  }

  @Post('enkater/ny')
  async create(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    await this.saveQuestionnaire(page, body);
  }

  @Get('enkater/:id')
  async questionnaire(@Page() page: PageContext, @Param('id') id: string, @Query('sparad') saved?: string): Promise<void> {
    requireCoordinator(page);
    const questionnaire = await this.questionnaires.get(uuid(id));
    page.render(`${T}/questionnaire.njk`, { questionnaire, saved: ['skapad', 'andrad', 'version'].includes(saved ?? '') ? saved : undefined });
  }

  @Get('enkater/:id/forhandsvisning')
  async preview(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    const q = await this.questionnaires.get(uuid(id));
    const title = (page.lang === 'en' ? q.titleEn : null) ?? q.title;
    const html = surveyForm({ token: '', preview: true, lang: page.lang, title, courseTitle: null, questions: q.questions, state: {}, csrfToken: '' });
    page.render(`${T}/preview.njk`, { questionnaire: q, title, html });
  }

  @Get('enkater/:id/ny-version')
  async editForm(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireCoordinator(page);
    const questionnaire = await this.questionnaires.get(uuid(id));
    if (questionnaire.replacedById) return page.redirect(`${BASE}/enkater/${questionnaire.replacedById}/ny-version`);
    this.showForm(page, { questionnaire, values: questionnaireValues(questionnaire) });
  }

  @Post('enkater/:id/ny-version')
  async edit(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    await this.saveQuestionnaire(page, body, await this.questionnaires.get(uuid(id)));
  }

  private showForm(page: PageContext, data: Record<string, unknown>, status = 200): void {
    const values = (data.values ?? {}) as Record<string, unknown>;
    const rows = Math.max(1, Number(values.rows) || FIRST_ROWS);
    page.render(`${T}/questionnaire-form.njk`, { rows: Array.from({ length: rows }, (_, i) => i + 1), ...data }, status);
  }

  /** Create (no `current`) or change/version: "add a question" shows one more row; bad input shows the form again and writes nothing. */
  private async saveQuestionnaire(page: PageContext, body: Record<string, unknown>, current?: Awaited<ReturnType<QuestionnairesService['get']>>): Promise<void> {
    const t = FOLLOW_UP_ADMIN_TEXTS[page.lang];
    const add = body.action === 'add';
    const { form, dto } = readQuestionnaireForm(body, rowsOf(body, add), t, page.t.common.errors, current);
    if (add) return this.showForm(page, { questionnaire: current, values: form.values});
    if (form.errors.any) return this.showForm(page, { questionnaire: current, values: form.values, errors: form.errors }, 400);
    if (!current) {
      const created = await this.questionnaires.create(page.me, dto);
      return page.redirect(`${BASE}/enkater/${created.id}?sparad=skapad`);
    }
    const saved = await this.questionnaires.update(page.me, current.id, dto);
    page.redirect(`${BASE}/enkater/${saved.id}?sparad=${saved.id === current.id ? 'andrad' : 'version'}`);
  }

  // Follow-up plans

  @Get('planer')
  async planList(@Page() page: PageContext, @Query('sparad') saved?: string): Promise<void> {
    requireCoordinator(page);
    const t = FOLLOW_UP_ADMIN_TEXTS[page.lang];
    const [plans, questionnaires] = await Promise.all([this.plans.list({ limit: 500, offset: 0 }), this.questionnaires.list({ limit: 500, offset: 0 })]);
    const titles = new Map(questionnaires.items.map((q) => [q.id, `${q.title} (${fill(t.version, { version: q.version })})`]));
    const offerings = new Map((await this.supply.offerings(plans.items.flatMap((p) => (p.offeringId ? [p.offeringId] : [])))).map((o) => [o.id, `${o.title} – ${o.providerName}`]));
    const missing = plans.items.flatMap((p) => p.steps.map((s) => s.questionnaireId)).filter((id) => !titles.has(id));
    for (const id of new Set(missing)) {
      const q = await this.questionnaires.get(id);
      titles.set(id, `${q.title} (${fill(t.version, { version: q.version })})`);
    }
    const rows = plans.items.map((p) => ({
      id: p.id,
      scope: p.offeringId ? (offerings.get(p.offeringId) ?? t.unknownOffering) : t.defaultPlan,
      steps: p.steps.map((s) => ({ questionnaire: titles.get(s.questionnaireId), when: fill(t.afterSession, { duration: durationText(s.sendOffset, t) }) })),
      reminders: p.reminderAfter && p.maxReminders ? fill(t.remindersEvery, { count: p.maxReminders, after: durationText(p.reminderAfter, t) }) : t.noReminders,
      expires: p.expiresAfter ? fill(t.afterPlanned, { duration: durationText(p.expiresAfter, t) }) : t.never,
      createdAt: p.createdAt,
      fresh: p.id === saved,
    }));
    page.render(`${T}/plans.njk`, { plans: rows, saved: rows.some((r) => r.fresh) });
  }

  @Get('planer/ny')
  async planForm(@Page() page: PageContext): Promise<void> {
    requireCoordinator(page);
    await this.showPlanForm(page, { values: { scope: 'default', 'send1-unit': 'days', maxReminders: '1' } });
  }

  private async showPlanForm(page: PageContext, data: Record<string, unknown>, status = 200): Promise<void> {
    const [questionnaires, offerings] = await Promise.all([this.questionnaires.list({ limit: 500, offset: 0 }), this.supply.offeringChoices()]);
    page.render(`${T}/plan-form.njk`, { questionnaires: questionnaires.items, offerings, units: SEND_UNITS, ...data }, status);
  }

  @Post('planer/ny')
  async createPlan(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = FOLLOW_UP_ADMIN_TEXTS[page.lang];
    const [questionnaires, offerings] = await Promise.all([this.questionnaires.list({ limit: 500, offset: 0 }), this.supply.offeringChoices()]);
    const form = new FormReader(body, page.t.common.errors);
    const questionnaireId = form.choice('questionnaireId', questionnaires.items.map((q) => q.id), { label: t.questionnaireField, required: true });
    const scope = form.choice('scope', ['default', 'offering'] as const, { label: t.scopeField, required: true });
    form.errors.anchor('scope', 'scope');
    const offeringId = form.choice('offeringId', offerings.map((o) => o.id), { label: t.offeringField, required: scope === 'offering' });
    const sendOffsets: string[] = [];
    for (const n of [1, 2, 3]) {
      const amount = form.integer(`send${n}-amount`, { label: t.amountField, min: 1, max: 999 });
      const unit = form.choice(`send${n}-unit`, SEND_UNITS, { label: t.unitField, required: amount !== undefined });
      if (amount !== undefined && unit) sendOffsets.push(isoDuration(amount, unit));
    }
    if (!sendOffsets.length && !form.errors.has('send1-amount')) form.errors.add('send1-amount', t.sendRequired);
    const reminderDays = form.integer('reminderDays', { label: t.reminderField, min: 1, max: 60 });
    const maxReminders = form.integer('maxReminders', { label: t.maxRemindersField, min: 0, max: 10 });
    const expiresDays = form.integer('expiresDays', { label: t.expiresField, min: 1, max: 365 });
    if (form.errors.any) return this.showPlanForm(page, { values: form.values, errors: form.errors }, 400);
    const plan = await this.plans.create(page.me, {
      questionnaireId: questionnaireId!,
      sendOffsets,
      ...(scope === 'offering' ? { offeringId: offeringId! } : {}),
      ...(reminderDays ? { reminderAfter: `P${reminderDays}D`, maxReminders: maxReminders ?? 1 } : {}),
      ...(expiresDays ? { expiresAfter: `P${expiresDays}D` } : {}),
    });
    page.redirect(`${BASE}/planer?sparad=${plan.id}`);
  }

  // Results

  @Get('resultat')
  async resultTable(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = FOLLOW_UP_ADMIN_TEXTS[page.lang];
    const per = (RESULT_GROUPINGS as readonly string[]).includes(query.per as string) ? (query.per as ResultGrouping) : 'offering';
    const questionnaires = (await this.questionnaires.list({ limit: 500, offset: 0 })).items;
    let questionnaireId = questionnaires.some((q) => q.id === query.enkat) ? (query.enkat as string) : undefined;
    if (!questionnaireId && typeof query.enkat === 'string' && UUID.test(query.enkat)) {
      // A replaced version (linked from its page): shown in the list too.
      const older = await this.questionnaires.get(query.enkat).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      });
      if (older) questionnaires.push(older);
      questionnaireId = older?.id;
    }
    const groups = await this.results.byGroup(page.me, per, questionnaireId);
    const names = await this.groupNames(page, per, groups.map((g) => g.key));
    const rows = groups.map(({ key, results }) => {
      const shown = results.questionnaires.filter((q) => !q.suppressed).length;
      return {
        key,
        name: names.get(key) ?? fill(t.unknownGroup, { key }),
        href: `${BASE}/resultat/${per}/${encodeURIComponent(key)}${questionnaireId ? `?enkat=${questionnaireId}` : ''}`,
        invited: results.invited,
        responses: results.responses,
        rate: results.responseRate,
        rateText: percent(results.responseRate, t),
        shownText:
          shown === results.questionnaires.length
            ? t.shownAll
            : shown === 0
              ? fill(t.shownNone, { min: results.minResponses })
              : fill(t.shownSome, { shown, total: results.questionnaires.length }),
      };
    });
    const path = `${BASE}/resultat`;
    const table = sortTable(rows, {
      path,
      id: 'results-table',
      query: { per, ...(questionnaireId ? { enkat: questionnaireId } : {}), sort: query.sort, dir: query.dir },
      columns: [
        { key: 'name', text: t.colName, value: (r) => r.name },
        { key: 'invited', text: t.colInvited, value: (r) => r.invited, numeric: true },
        { key: 'responses', text: t.colResponses, value: (r) => r.responses, numeric: true },
        { key: 'rate', text: t.colRate, value: (r) => r.rate, numeric: true },
        { key: 'shown', text: t.colShown },
      ],
      initial: { sort: 'name', dir: 'asc' },
    });
    const sorted = table.headers.find((h) => h.sorted)!;
    page.render(`${T}/results.njk`, {
      per,
      perName: t.per[per],
      questionnaires,
      questionnaireId,
      table,
      sortedText: fill(t.sortedBy, { column: sorted.text.toLowerCase(), dir: table.dir === 'asc' ? t.ascending : t.descending }),
      chart: barChart({
        id: 'rate-chart',
        lang: page.lang,
        title: fill(t.chartTitle, { per: t.per[per] }),
        summary: t.chartDesc,
        rows: table.rows.filter((r) => r.rate !== null).map((r) => ({ label: r.name, values: [Math.round(r.rate! * 100)], texts: [r.rateText] })),
        max: 100,
        tableId: 'results-table',
        tableLinkText: t.seeTable,
      }),
      minResponses: MIN_RESPONSES,
      downloads: this.downloads(),
    });
  }

  @Get('resultat/ladda-ner')
  async download(@Page() page: PageContext, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply): Promise<StreamableFile | string> {
    requireCoordinator(page);
    const format = query.format === 'xlsx' ? 'xlsx' : query.format === 'csv' ? 'csv' : undefined;
    if (!format) throw AppError.notFound('page');
    const results = await this.scopeResults(page, query.per, query.key, query.enkat);
    const name = typeof query.per === 'string' && query.key ? `evaluation-${query.per}-${String(query.key).slice(0, 60)}` : 'evaluation-results';
    res.header('Cache-Control', 'no-store');
    if (format === 'csv') {
      res.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.csv"`);
      return resultsCsv(results);
    }
    return new StreamableFile(await resultsXlsx(results), { type: XLSX, disposition: `attachment; filename="${name}.xlsx"` });
  }

  @Get('resultat/:per/:key')
  async resultDetail(@Page() page: PageContext, @Param('per') per: string, @Param('key') key: string, @Query('enkat') questionnaireId?: string): Promise<void> {
    requireCoordinator(page);
    const t = FOLLOW_UP_ADMIN_TEXTS[page.lang];
    const results = await this.scopeResults(page, per, key, questionnaireId);
    const name = (await this.groupNames(page, per as ResultGrouping, [key])).get(key) ?? fill(t.unknownGroup, { key });
    const enkat = typeof questionnaireId === 'string' && UUID.test(questionnaireId) ? questionnaireId : undefined;
    page.render(`${T}/result.njk`, {
      per,
      name,
      results,
      rateText: percent(results.responseRate, t),
      questionnaires: questionnaireResults(results, page.lang),
      downloads: this.downloads({ per, key, ...(enkat ? { enkat } : {}) }),
    });
  }

  /** The results API's answer for one scope (the same service call, the same access rules). */
  private async scopeResults(page: PageContext, per: unknown, key: unknown, questionnaireId: unknown): Promise<EvaluationResultsDto> {
    const enkat = typeof questionnaireId === 'string' && UUID.test(questionnaireId) ? { questionnaireId } : {};
    if (per === undefined && key === undefined) return this.results.query(page.me, enkat);
    if (typeof key !== 'string' || !(RESULT_GROUPINGS as readonly unknown[]).includes(per)) throw AppError.notFound('page');
    if (per === 'theme') {
      if (!THEME.test(key)) throw AppError.notFound('page');
      return this.results.query(page.me, { themeCode: key, ...enkat });
    }
    uuid(key);
    if (per === 'offering') return this.results.forOffering(page.me, key, enkat.questionnaireId);
    return this.results.query(page.me, { [per === 'provider' ? 'providerId' : 'organisationId']: key, ...enkat });
  }

  private downloads(scope: Record<string, string> = {}): { csv: string; xlsx: string } {
    const at = (format: string) => `${BASE}/resultat/ladda-ner?${new URLSearchParams({ ...scope, format }).toString()}`;
    return { csv: at('csv'), xlsx: at('xlsx') };
  }

  /** What each group is called, through the owning modules' services. */
  private async groupNames(page: PageContext, per: ResultGrouping, keys: string[]): Promise<Map<string, string>> {
    if (per === 'offering') return new Map((await this.supply.offerings(keys)).map((o) => [o.id, `${o.title} – ${o.providerName}`]));
    if (per === 'provider') return this.supply.providerNames(keys);
    if (per === 'organisation') return this.organisations.namesByIds(this.dataSource.manager, keys);
    const themes = (await this.reference.choices(page.lang)).themes;
    return new Map(themes.map((theme) => [theme.value, theme.text]));
  }
}
