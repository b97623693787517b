import { Get, Param, Query } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError } from '../../common/errors/app-error.js';
import { FormErrors } from '../../web/forms.js';
import { Anonymous, Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import { SearchOfferingsQueryDto, type SearchPageDto } from '../dto/search.dto.js';
import { OfferingSearchService } from '../offering-search.service.js';
import { OfferingsService } from '../offerings.service.js';
import { CATALOGUE_TEXTS } from './texts.js';

export const PAGE_SIZE = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const asList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
const asText = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** What the search form's fields hold (from the query string), to show again. */
export interface SearchForm {
  q: string;
  theme: string[];
  format: string[];
  accessibility: string[];
  county: string;
  municipality: string;
  from: string;
  to: string;
  online: string;
  freeSeats: boolean;
  page: number;
}

export function readSearchForm(query: Record<string, unknown>): SearchForm {
  const page = Number(asText(query.sida));
  return {
    q: asText(query.q).slice(0, 200),
    theme: asList(query.theme),
    format: asList(query.format),
    accessibility: asList(query.accessibility),
    county: asText(query.county),
    municipality: asText(query.municipality),
    from: asText(query.from),
    to: asText(query.to),
    online: ['true', 'false'].includes(asText(query.online)) ? asText(query.online) : '',
    freeSeats: asText(query.freeSeats) === 'true',
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

/** The search form as the catalogue's query (the same as GET /api/v1/offerings takes). */
export function searchQuery(form: SearchForm): Record<string, unknown> {
  return {
    ...(form.q ? { q: form.q } : {}),
    ...(form.theme.length ? { theme: form.theme } : {}),
    ...(form.format.length ? { format: form.format } : {}),
    ...(form.accessibility.length ? { accessibility: form.accessibility } : {}),
    ...(form.county ? { county: [form.county] } : {}),
    ...(form.municipality ? { municipality: [form.municipality] } : {}),
    ...(form.from ? { from: form.from } : {}),
    ...(form.to ? { to: form.to } : {}),
    ...(form.online ? { online: form.online } : {}),
    ...(form.freeSeats ? { freeSeats: 'true' } : {}),
    limit: String(PAGE_SIZE),
    offset: String((form.page - 1) * PAGE_SIZE),
  };
}

/** Find a course: the catalogue's search with its filters and paging, and an offering's page with its sessions. */
@WebController('kurser')
export class CataloguePages {
  constructor(
    private readonly search: OfferingSearchService,
    private readonly offerings: OfferingsService,
    private readonly reference: ReferenceListsService,
  ) {}

  @Anonymous()
  @Get()
  async find(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    const t = CATALOGUE_TEXTS[page.lang];
    const form = readSearchForm(query ?? {});
    const errors = new FormErrors();
    const dto = plainToInstance(SearchOfferingsQueryDto, searchQuery(form));
    for (const problem of await validate(dto, { whitelist: true })) {
      const field = problem.property === 'from' || problem.property === 'to' ? problem.property : problem.property;
      errors.add(field, field === 'from' || field === 'to' ? t.badDate : t.badFilter);
    }
    let results: SearchPageDto | null = null;
    if (!errors.any) {
      try {
        results = JSON.parse(await this.search.searchJson(dto)) as SearchPageDto;
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error;
        for (const detail of (error.details as { field: string }[] | undefined) ?? [{ field: 'q' }]) {
          errors.add(detail.field, ['from', 'to'].includes(detail.field) ? t.badDate : t.badFilter);
        }
      }
    }
    const lists = await this.reference.lists();
    const pages = results ? Math.ceil(results.total / PAGE_SIZE) : 0;
    page.render(
      'catalogue/pages/search.njk',
      {
        form,
        errors,
        results,
        lists,
        choices: await this.reference.choices(page.lang),
        names: await this.reference.names(page.lang),
        paging: paging(page.request.url, form.page, pages, page.t.common as Record<string, string>, t.page),
      },
      errors.any ? 400 : 200,
    );
  }

  @Anonymous()
  @Get(':id')
  async offering(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    if (!UUID.test(id)) throw AppError.notFound('offering');
    const offering = await this.offerings.get(page.user ?? undefined, id);
    if (offering.status !== 'published') throw AppError.notFound('offering');
    page.render('catalogue/pages/offering.njk', { offering, names: await this.reference.names(page.lang), now: new Date().toISOString() });
  }
}

/** govukPagination's items for the search results (links keep the filters, change `sida`). */
export function paging(url: string, current: number, pages: number, common: Record<string, string>, label: string) {
  if (pages <= 1) return null;
  const href = (n: number) => {
    const params = new URLSearchParams(url.split('?')[1] ?? '');
    params.set('sida', String(n));
    params.delete('lang');
    return `?${params.toString()}`;
  };
  const numbers = [...new Set([1, current - 1, current, current + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: object[] = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === current, visuallyHiddenText: label.replace('{n}', String(n)) });
  });
  return {
    items,
    previous: current > 1 ? { href: href(current - 1), text: common.previous } : undefined,
    next: current < pages ? { href: href(current + 1), text: common.next } : undefined,
  };
}
