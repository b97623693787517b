import { Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UsersService } from '../../auth/users.service.js';
import { CatalogueSupplyService } from '../../catalogue/catalogue-supply.service.js';
import { fromStockholm } from '../../common/dates.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { requireCoordinator } from '../../web/coordinator/coordinator.page.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { fill } from '../../web/views.js';
import { AuditService } from '../audit.service.js';
import { AUDIT_TEXTS } from './audit.texts.js';

const PER_PAGE = 50;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A Stockholm calendar date (YYYY-MM-DD) as the instant its day begins, `days` later; undefined when it is not a real date. */
function dayStart(value: string, days = 0): Date | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return fromStockholm(y, mo, d + days);
}

/**
 * The audit log for coordinators (/samordning/logg): filters by action, person (who acted or was
 * acted on, by email), organisation (by name or number) and Stockholm dates, 50 a page, newest
 * first; each row says who, what, when
 * and whom or what it concerned (names through the owning modules' services).
 */
@WebController('samordning/logg')
export class AuditPages {
  constructor(
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly supply: CatalogueSupplyService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  async log(@Page() page: PageContext, @Query() query: Record<string, unknown>): Promise<void> {
    requireCoordinator(page);
    const t = AUDIT_TEXTS[page.lang];
    const actions = await this.audit.actions();
    const form = new FormReader(query, page.t.common.errors);
    const action = form.choice('action', actions, { label: t.actionField });
    const email = form.text('person', { label: t.personField, max: 254, email: true }).toLowerCase();
    const fromText = form.text('from', { label: t.dateField, max: 10 });
    const toText = form.text('to', { label: t.dateField, max: 10 });
    const from = fromText ? dayStart(fromText) : undefined;
    const to = toText ? dayStart(toText, 1) : undefined;
    if (fromText && !from && !form.errors.has('from')) form.errors.add('from', fill(page.t.common.errors.date, { label: t.fromField }));
    if (toText && !to && !form.errors.has('to')) form.errors.add('to', fill(page.t.common.errors.date, { label: t.toField }));
    if (from && to && to <= from) form.errors.add('to', t.dateOrder);
    let userId: string | undefined;
    if (email && !form.errors.has('person')) {
      userId = (await this.users.findActiveByEmail(email))?.id;
      if (!userId) form.errors.add('person', t.personUnknown);
    }
    const orgText = form.text('organisation', { label: t.organisationField, max: 100 });
    let organisationId: string | undefined;
    if (orgText && !form.errors.has('organisation')) {
      const found = await this.organisations.list(page.me, { q: orgText, limit: 2, offset: 0 });
      if (found.total === 1) organisationId = found.items[0].id;
      else form.errors.add('organisation', found.total === 0 ? t.organisationUnknown : t.organisationAmbiguous);
    }
    const options = actions.map((code) => ({ value: code, text: (t.actions as Record<string, string>)[code] ?? code }));
    if (form.errors.any) return page.render('audit/pages/audit.njk', { actions: options, values: form.values, errors: form.errors }, 400);
    const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(String(query.sida ?? '1'), 10) || 1));
    const result = await this.audit.list({
      limit: PER_PAGE,
      offset: (pageNumber - 1) * PER_PAGE,
      ...(action ? { action } : {}),
      ...(userId ? { userId } : {}),
      ...(organisationId ? { organisationId } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    const people = await this.users.namesByIds(result.items.flatMap((e) => [e.actorUserId, e.subjectUserId].filter((id): id is string => !!id)));
    const organisations = await this.organisations.namesByIds(this.dataSource.manager, [...new Set(result.items.flatMap((e) => (e.organisationId ? [e.organisationId] : [])))]);
    const providers = await this.supply.providerNames([...new Set(result.items.flatMap((e) => (e.providerId ? [e.providerId] : [])))]);
    const personName = (id: string) => {
      const p = people.get(id);
      return p ? (p.name ? `${p.name} (${p.email})` : p.email) : t.erased;
    };
    const rows = result.items.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt,
      who: e.actorUserId ? personName(e.actorUserId) : t.system,
      what: (t.actions as Record<string, string>)[e.action] ?? e.action,
      code: e.action,
      about: [
        e.subjectUserId ? fill(t.person, { name: personName(e.subjectUserId) }) : '',
        e.organisationId ? fill(t.organisation, { name: organisations.get(e.organisationId) ?? e.organisationId }) : '',
        e.providerId ? fill(t.provider, { name: providers.get(e.providerId) ?? e.providerId }) : '',
      ].filter(Boolean),
      details: Object.entries(e.details ?? {}).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`),
    }));
    const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
    const link = (n: number) => {
      const params = new URLSearchParams();
      for (const [k, v] of [['action', action], ['person', email], ['organisation', orgText], ['from', fromText], ['to', toText]] as const) if (v) params.set(k, v);
      if (n > 1) params.set('sida', String(n));
      const s = params.toString();
      return `/samordning/logg${s ? `?${s}` : ''}`;
    };
    page.render('audit/pages/audit.njk', {
      actions: options,
      values: form.values,
      rows,
      total: result.total,
      pageText: fill(t.page, { page: pageNumber, pages }),
      paging: {
        previous: pageNumber > 1 ? { href: link(pageNumber - 1), text: page.t.common.previous } : null,
        next: pageNumber < pages ? { href: link(pageNumber + 1), text: page.t.common.next } : null,
      },
    });
  }
}
