import { sessionProblems } from '../../catalogue/session-rules.js';
import { LEVELS, TARGET_GROUPS } from '../../catalogue/offering.entity.js';
import type { CreateSessionDto, SessionDto } from '../../catalogue/dto/session.dto.js';
import type { OfferingDto, UpdateOfferingDto } from '../../catalogue/dto/offering.dto.js';
import { FormReader } from '../forms.js';
import type { ReferenceLists } from '../reference-lists.js';
import type { Lang } from '../texts.js';
import { PROVIDER_TEXTS } from './texts.js';

const ZONE = 'Europe/Stockholm';
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Stockholm's offset from UTC (ms) at an instant. */
function offsetAt(instant: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(instant))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - instant;
}

/** A wall-clock date and time in Stockholm as an instant (null when the date does not exist). */
export function stockholmInstant(date: string, time: string): Date | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return null;
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const wall = Date.UTC(y, m - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(Date.UTC(y, m - 1, day));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day) return null;
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant);
  return new Date(instant);
}

/** An instant as Stockholm's date (YYYY-MM-DD) and time (HH:MM), to fill a form again. */
export function stockholmParts(iso: string | null): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const instant = new Date(iso).getTime();
  const wall = new Date(instant + offsetAt(instant)).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** The offering form's fields as a form shows them (from a saved offering). */
export function offeringValues(o: OfferingDto): Record<string, string | string[]> {
  return {
    title: o.title,
    description: o.description,
    themeCodes: o.themeCodes,
    format: o.format,
    targetGroups: o.targetGroups,
    accessibilityFeatures: o.accessibilityFeatures,
    level: o.level ?? '',
    hours: o.hours === null ? '' : String(o.hours),
    priceSek: String(o.priceSek),
    contactEmail: o.contactEmail ?? '',
  };
}

/** Reads the offering form with the same rules as the API's CreateOfferingDto. */
export function readOffering(body: unknown, lang: Lang, errors: ConstructorParameters<typeof FormReader>[1], lists: ReferenceLists) {
  const t = PROVIDER_TEXTS[lang];
  const form = new FormReader(body, errors);
  const title = form.text('title', { label: t.titleField, required: true, max: 200, min: 3 });
  const description = form.text('description', { label: t.descriptionField, required: true, max: 20_000 });
  const themeCodes = form.list('themeCodes', lists.themes.map((x) => x.code), { label: t.themesField, required: true });
  if (themeCodes.length > 10) form.errors.add('themeCodes', t.themesField);
  const format = form.choice('format', lists.formats.map((x) => x.code), { label: t.formatField, required: true });
  const targetGroups = form.list('targetGroups', TARGET_GROUPS, { label: t.targetGroupsField, required: true });
  const accessibilityFeatures = form.list('accessibilityFeatures', lists.accessibility.map((x) => x.code), { label: t.accessibilityField });
  const level = form.choice('level', LEVELS, { label: 'level' });
  const hoursText = form.text('hours', { label: t.hoursField, max: 10 }).replace(',', '.');
  const hours = hoursText ? Number(hoursText) : undefined;
  if (hoursText && (!/^\d+(\.\d)?$/.test(hoursText) || hours! < 0.5 || hours! > 10_000)) form.errors.add('hours', t.hoursError);
  const priceSek = form.integer('priceSek', { label: t.priceField, required: true, min: 0, max: 1_000_000 });
  const contactEmail = form.text('contactEmail', { label: t.contactLabel, max: 254 }).toLowerCase();
  if (contactEmail && !EMAIL.test(contactEmail)) form.errors.add('contactEmail', errors.email);
  for (const [field, id] of [['themeCodes', 'themeCodes'], ['format', 'format'], ['targetGroups', 'targetGroups'], ['accessibilityFeatures', 'accessibilityFeatures']]) form.errors.anchor(field, id);
  const dto: UpdateOfferingDto = {
    title,
    description,
    themeCodes,
    format: format ?? '',
    targetGroups,
    accessibilityFeatures,
    ...(level ? { level } : {}),
    ...(hours !== undefined ? { hours } : {}),
    priceSek: priceSek ?? 0,
    ...(contactEmail ? { contactEmail } : {}),
  };
  return { form, dto };
}

/**
 * Reads the session form (Stockholm dates and times) and checks the catalogue's session rules, in
 * the page's words. `startSet` false (a change that keeps the start): a start in the past is allowed, as in the API.
 */
export function readSession(body: unknown, lang: Lang, errors: ConstructorParameters<typeof FormReader>[1], lists: ReferenceLists, now: Date, startSet = true) {
  const t = PROVIDER_TEXTS[lang];
  const form = new FormReader(body, errors);
  const day = form.text('date', { label: t.dateField, required: true, max: 10 });
  const start = form.text('startTime', { label: t.timeField, required: true, max: 5 });
  const end = form.text('endTime', { label: t.timeField, required: true, max: 5 });
  if (day && !DATE.test(day)) form.errors.add('date', t.dateError);
  if (start && !TIME.test(start)) form.errors.add('startTime', t.timeError);
  if (end && !TIME.test(end)) form.errors.add('endTime', t.timeError);
  const startsAt = stockholmInstant(day, start);
  const endsAt = stockholmInstant(day, end);
  if (day && DATE.test(day) && !startsAt && !form.errors.has('startTime')) form.errors.add('date', t.dateError);
  const municipalityCode = form.choice('municipalityCode', lists.municipalities.map((m) => m.code), { label: t.municipalityField });
  const venue = form.text('venue', { label: t.venueLabel, max: 300 });
  const online = form.list('online', ['yes'] as const, { label: t.onlineLabel }).length > 0;
  const onlineUrl = form.text('onlineUrl', { label: t.onlineUrlLabel, max: 500 });
  if (onlineUrl && !/^https?:\/\/[^\s/$.?#][^\s]*\.[^\s]+$/i.test(onlineUrl)) form.errors.add('onlineUrl', t.onlineUrlError);
  const capacity = form.integer('capacity', { label: t.capacityField, required: true, min: 1, max: 10_000 });
  const opens = form.text('opensDate', { label: t.dateField, max: 10 });
  const closes = form.text('closesDate', { label: t.dateField, max: 10 });
  const bookingOpensAt = opens ? stockholmInstant(opens, '00:00') : null;
  const bookingClosesAt = closes ? stockholmInstant(closes, '23:59') : null;
  if (opens && !bookingOpensAt) form.errors.add('opensDate', t.dateError);
  if (closes && !bookingClosesAt) form.errors.add('closesDate', t.dateError);
  const approval = form.choice('requiresApproval', ['yes', 'no'] as const, { label: t.approvalField, required: true });
  const waitlistMode = form.choice('waitlistMode', ['offer', 'auto'] as const, { label: t.waitlistField, required: true });
  form.errors.anchor('requiresApproval', 'requiresApproval').anchor('waitlistMode', 'waitlistMode').anchor('online', 'online');
  if (startsAt && endsAt && !form.errors.any) {
    // A closing day after the start means "until the start".
    const closesAt = bookingClosesAt && bookingClosesAt < startsAt ? bookingClosesAt : startsAt;
    const fields: Record<string, string> = { startsAt: 'date', endsAt: 'endTime', municipalityCode: 'municipalityCode', bookingClosesAt: 'closesDate', bookingOpensAt: 'opensDate', cancellationDeadline: 'date' };
    for (const problem of sessionProblems({ startsAt, endsAt, municipalityCode: municipalityCode ?? null, online, bookingOpensAt, bookingClosesAt: closesAt, cancellationDeadline: null }, now, startSet)) {
      form.errors.add(fields[problem.field] ?? 'date', (t.rules as Record<string, string>)[problem.field]);
    }
    const dto: CreateSessionDto = {
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      ...(municipalityCode ? { municipalityCode } : {}),
      online,
      ...(venue ? { venue } : {}),
      ...(onlineUrl ? { onlineUrl } : {}),
      capacity: capacity!,
      ...(bookingOpensAt ? { bookingOpensAt: bookingOpensAt.toISOString() } : {}),
      bookingClosesAt: closesAt.toISOString(),
      requiresApproval: approval === 'yes',
      waitlistMode: waitlistMode!,
    };
    return { form, dto: form.errors.any ? null : dto };
  }
  return { form, dto: null };
}

/** A saved session as the session form shows it (for "add another like this"). */
export function sessionDefaults(session?: SessionDto): Record<string, string | string[]> {
  return { requiresApproval: session?.requiresApproval ? 'yes' : 'no', waitlistMode: session?.waitlistMode ?? 'offer', online: [] };
}
