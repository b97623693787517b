import { AppError } from '../../common/errors/app-error.js';
import type { PageContext } from '../../web/page.js';
import type { ReferenceListsService } from '../../web/reference-lists.js';
import type { Lang } from '../../web/texts.js';
import { fill } from '../../web/views.js';
import type { InterventionDto } from '../dto/intervention.dto.js';
import { PROGRAMME_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Coordinators only: everyone else gets the 403 page before anything is read. */
export function requireCoordinator(page: PageContext): void {
  if (page.me.globalRole !== 'coordinator') throw AppError.forbidden('Only coordinators may open this page');
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A path's id that is not a UUID is a page that does not exist. */
export function requireUuid(...ids: string[]): void {
  for (const id of ids) if (!UUID.test(id)) throw AppError.notFound('page');
}

/** A download (the programme document, a CSV file), never cached. */
export function sendFile(page: PageContext, body: Buffer | string, type: string, filename: string): void {
  page.reply.status(200).header('Content-Type', type).header('Content-Disposition', `attachment; filename="${filename}"`).header('Cache-Control', 'no-store').send(body);
}

const LOCALES: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

/** A number as the page's language writes it (space or comma thousands, up to `decimals` decimals). */
export function formatNumber(value: number | null | undefined, lang: Lang, decimals = 1): string {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: decimals }).format(value);
}

/** A share (0..1) as a whole percentage, '' when there is none. */
export function formatPercent(value: number | null | undefined, lang: Lang): string {
  return value === null || value === undefined ? '' : `${formatNumber(Math.round(value * 100), lang, 0)} %`;
}

/** A query parameter as a short string ('' when absent or not a string). */
export function queryText(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** Themes', formats' and counties' names in the page's language, by code. */
export interface Names {
  byCode: Record<string, string>;
  counties: Record<string, string>;
}

export async function namesIn(reference: ReferenceListsService, lang: Lang): Promise<Names> {
  const [byCode, lists] = await Promise.all([reference.names(lang), reference.lists()]);
  return { byCode, counties: Object.fromEntries(lists.counties.map((c) => [c.code, c.name])) };
}

/** An intervention as the pages show it: names in the page's language, numbers formatted. */
export function interventionRow(lang: Lang, i: InterventionDto, names: Names) {
  const t = PROGRAMME_TEXTS[lang];
  return {
    ...i,
    themeText: names.byCode[i.themeCode] ?? i.themeNameSv,
    formatText: names.byCode[i.format] ?? i.format,
    countiesText: i.counties.map((c) => names.counties[c] ?? c).join(', '),
    targetGroupsText: i.targetGroups.map((g) => (t.targetGroups as Record<string, string>)[g] ?? g).join(', '),
    statusText: t.statuses[i.status],
    providerText: i.providerName ?? t.toProcure,
    costText: fill(t.kr, { amount: formatNumber(i.costSek, lang, 0) }),
    hoursText: formatNumber(i.hoursPerParticipant, lang),
  };
}
