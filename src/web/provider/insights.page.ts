import { Get, Param, Query } from '@nestjs/common';
import { OfferingsService } from '../../catalogue/offerings.service.js';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { questionnaireResults } from '../../follow-up/pages/follow-up-views.js';
import { ResultsService } from '../../follow-up/results.service.js';
import { NeedsReportService } from '../../needs/needs-report.service.js';
import { NeedsRoundsService } from '../../needs/needs-rounds.service.js';
import { barChart } from '../charts.js';
import { Page, PageContext, WebController } from '../page.js';
import { ReferenceListsService } from '../reference-lists.js';
import { sortTable } from '../tables.js';
import { fill } from '../views.js';
import { PROVIDER_MORE_TEXTS } from './more-texts.js';
import { providerFor, requireUuid } from './provider-access.js';

const T = 'web/provider/templates';

/**
 * What provider staff learn from the programme: the demand for new offerings
 * (`/anordnare/:providerId/efterfragan`, the needs module's suppressed demand view: people per theme
 * and county, cells under 5 as "<5", no organisations) and the evaluation results of their own
 * offerings (`/anordnare/:providerId/utvardering`, `/anordnare/utbud/:id/utvardering`: the
 * follow-up module's results, a questionnaire under 5 responses with its counts only). Tables sort
 * by links; the numbers compared are also a server-drawn bar chart.
 */
@WebController('anordnare')
export class ProviderInsightsPages {
  constructor(
    private readonly access: ProviderAccess,
    private readonly rounds: NeedsRoundsService,
    private readonly reports: NeedsReportService,
    private readonly results: ResultsService,
    private readonly offerings: OfferingsService,
    private readonly reference: ReferenceListsService,
  ) {}

  @Get(':providerId/efterfragan')
  async demandRounds(@Page() page: PageContext, @Param('providerId') providerId: string): Promise<void> {
    const provider = await providerFor(this.access, page, providerId);
    const rounds = (await this.rounds.list(page.me, { limit: 100, offset: 0 })).items.filter((r) => r.status !== 'draft');
    page.render(`${T}/demand-rounds.njk`, { provider, rounds });
  }

  @Get(':providerId/efterfragan/:roundId')
  async demand(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('roundId') roundId: string, @Query() query: Record<string, unknown>): Promise<void> {
    requireUuid(providerId, roundId);
    const provider = await this.access.require(page.me, providerId);
    const [view, names] = await Promise.all([this.reports.demand(page.me, roundId), this.reference.names(page.lang)]);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const rows = view.cells.map((c) => ({ theme: names[c.themeCode] ?? c.themeCode, county: c.countyName, people: c.people }));
    const table = sortTable(rows, {
      path: `/anordnare/${providerId}/efterfragan/${roundId}`,
      query,
      id: 'demand',
      columns: [
        { key: 'theme', text: t.theme, value: (r) => r.theme },
        { key: 'county', text: t.county, value: (r) => r.county },
        { key: 'people', text: t.people, value: (r) => (typeof r.people === 'number' ? r.people : 0), numeric: true },
      ],
      initial: { sort: 'people', dir: 'desc' },
    });
    const perTheme = new Map<string, number>();
    for (const r of rows) perTheme.set(r.theme, (perTheme.get(r.theme) ?? 0) + (typeof r.people === 'number' ? r.people : 0));
    const themes = [...perTheme].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    const chart = themes.length
      ? barChart({ id: 'demand-chart', lang: page.lang, title: t.chartTitle, rows: themes.map(([label, n]) => ({ label, values: [n] })), tableId: 'demand', tableLinkText: fill(t.demandCaption, { title: view.round.title }) })
      : null;
    page.render(`${T}/demand.njk`, { provider, round: view.round, table, chart });
  }

  @Get(':providerId/utvardering')
  async providerResults(@Page() page: PageContext, @Param('providerId') providerId: string, @Query() query: Record<string, unknown>): Promise<void> {
    const provider = await providerFor(this.access, page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const offerings = (await this.offerings.listForProvider(page.me, providerId, { limit: 200, offset: 0 } as Parameters<OfferingsService['listForProvider']>[2])).items;
    const rows: { id: string; title: string; invited: number; responses: number; rate: number | null }[] = [];
    for (const o of offerings) {
      const r = await this.results.forOffering(page.me, o.id);
      if (r.invited > 0 || r.responses > 0) rows.push({ id: o.id, title: o.title, invited: r.invited, responses: r.responses, rate: r.responseRate });
    }
    const table = sortTable(rows, {
      path: `/anordnare/${providerId}/utvardering`,
      query,
      id: 'results',
      columns: [
        { key: 'course', text: t.course, value: (r) => r.title },
        { key: 'invited', text: t.invitedCount, value: (r) => r.invited, numeric: true },
        { key: 'responses', text: t.responses, value: (r) => r.responses, numeric: true },
        { key: 'rate', text: t.responseRate, value: (r) => r.rate, numeric: true },
      ],
      initial: { sort: 'responses', dir: 'desc' },
    });
    const chart = rows.length
      ? barChart({ id: 'results-chart', lang: page.lang, title: t.responseRate, rows: table.rows.map((r) => ({ label: r.title, values: [Math.round((r.rate ?? 0) * 100)] })), unit: ' %', max: 100, tableId: 'results', tableLinkText: t.resultsCaption })
      : null;
    page.render(`${T}/results.njk`, { provider, table, chart, minResponses: 5 });
  }

  @Get('utbud/:id/utvardering')
  async offeringResults(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    requireUuid(id);
    const provider = await this.access.requireForOffering(page.me, id);
    const offering = await this.offerings.get(page.me, id);
    const results = await this.results.forOffering(page.me, id);
    page.render(`${T}/offering-results.njk`, { provider, offering, results, questionnaires: questionnaireResults(results, page.lang) });
  }
}
