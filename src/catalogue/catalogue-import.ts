import { fromStockholm } from '../common/dates.js';
import { LEVELS, type Level, TARGET_GROUPS, type TargetGroup } from './offering.entity.js';
import { sessionProblems, type SessionShape } from './session-rules.js';
import { WAITLIST_MODES, type WaitlistMode } from './session.entity.js';

/**
 * A catalogue import file: one row per session, the provider's own course code tying a course's
 * rows together (and to an offering imported before). These are its columns, in template order,
 * with what each takes (the template and docs/integrations.md show them).
 */
export const IMPORT_COLUMNS = [
  { name: 'course_code', required: true, example: 'SV-UPH-01', help: 'Er egen kurskod (samma på alla rader för samma kurs)' },
  { name: 'title', required: true, example: 'Offentlig upphandling för sociala företag', help: 'Kursens namn, 3–200 tecken' },
  { name: 'description', required: true, example: 'Om LOU, anbud och avtal med kommuner.', help: 'Beskrivning' },
  { name: 'themes', required: true, example: 'public_procurement', help: 'Temakoder (GET /api/v1/themes), flera skiljs med |' },
  { name: 'format', required: true, example: 'short_course', help: 'Formkod (GET /api/v1/formats)' },
  { name: 'target_groups', required: true, example: 'social_economy|public_sector', help: 'social_economy och/eller public_sector, skiljs med |' },
  { name: 'language', required: false, example: 'sv', help: 'Språkkod, t.ex. sv eller en (standard sv)' },
  { name: 'level', required: false, example: 'introductory', help: 'introductory, intermediate eller advanced' },
  { name: 'hours', required: false, example: '6', help: 'Studietimmar' },
  { name: 'price_sek', required: false, example: '0', help: 'Pris i kronor (standard 0)' },
  { name: 'contact_email', required: false, example: 'kurser@exempel.se', help: 'Kontaktadress' },
  { name: 'accessibility_features', required: false, example: 'step_free_access|induction_loop', help: 'Tillgänglighetskoder (GET /api/v1/accessibility-features), skiljs med |' },
  { name: 'starts_at', required: true, example: '2027-03-10 09:00', help: 'Start, svensk tid (ÅÅÅÅ-MM-DD TT:MM) eller ISO 8601 med tidszon' },
  { name: 'ends_at', required: true, example: '2027-03-10 15:00', help: 'Slut, som starts_at' },
  { name: 'municipality_code', required: false, example: '0380', help: 'Kommunkod (SCB), krävs om tillfället inte är digitalt' },
  { name: 'online', required: false, example: 'nej', help: 'ja eller nej (standard nej)' },
  { name: 'venue', required: false, example: 'Kungsgatan 10, Uppsala', help: 'Lokal och adress' },
  { name: 'online_url', required: false, example: '', help: 'Länk för digitala tillfällen' },
  { name: 'capacity', required: true, example: '20', help: 'Antal platser, 1–10000' },
  { name: 'booking_opens_at', required: false, example: '', help: 'När bokningen öppnar (tomt: nu)' },
  { name: 'booking_closes_at', required: false, example: '2027-03-03 23:59', help: 'När bokningen stänger (tomt: vid start)' },
  { name: 'cancellation_deadline', required: false, example: '', help: 'Sista dag att avboka (tomt: vid start)' },
  { name: 'requires_approval', required: false, example: 'nej', help: 'ja om arbetsgivaren ska godkänna bokningar' },
  { name: 'waitlist_mode', required: false, example: 'offer', help: 'offer (erbjud platsen) eller auto (boka direkt)' },
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number]['name'];

/** The offering a row describes (equal on every row of one course code). */
export interface ImportedOffering {
  courseCode: string;
  title: string;
  description: string;
  themeCodes: string[];
  format: string;
  targetGroups: TargetGroup[];
  language: string;
  level: Level | null;
  hours: number | null;
  priceSek: number;
  contactEmail: string | null;
  accessibilityFeatures: string[];
}

/** The session a row describes. */
export interface ImportedSession extends SessionShape {
  venue: string | null;
  onlineUrl: string | null;
  capacity: number;
  requiresApproval: boolean;
  waitlistMode: WaitlistMode;
}

export interface ParsedRow {
  /** The row's number in the file (the header is row 1). */
  line: number;
  courseCode: string | null;
  offering: ImportedOffering | null;
  session: ImportedSession | null;
  /** Why the row is refused, in Swedish; empty when it is fine so far. */
  reasons: string[];
  /** Filled in once written. */
  offeringId?: string;
  sessionId?: string;
}

/** A cell as read from CSV (text) or xlsx (text, number, date or boolean). */
export type Cell = string | number | boolean | Date | null | undefined;

const LIST = /[|;,]/;

/** Why a file cannot be read as a whole (Swedish), or null: unknown or missing columns. */
export function headerProblem(header: string[]): string | null {
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS.map((c) => c.name));
  const unknown = names.filter((n) => n !== '' && !known.has(n));
  if (unknown.length) return `Okända kolumner: ${unknown.join(', ')}. Använd mallens kolumner.`;
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !names.includes(c.name)).map((c) => c.name);
  if (missing.length) return `Kolumner saknas: ${missing.join(', ')}.`;
  const twice = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  if (twice.length) return `Kolumner finns två gånger: ${[...new Set(twice)].join(', ')}.`;
  return null;
}

/** Text of a cell, trimmed; a leading apostrophe that guarded a formula (as exports write) is dropped. */
function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  const value = String(cell).trim();
  return /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

/**
 * An instant: ISO 8601 with an offset, or a Stockholm wall-clock time `YYYY-MM-DD HH:MM` (or `T`
 * between). Spreadsheet date cells hold the wall-clock time as if it were UTC (that is how xlsx
 * stores dates), so they are read as Stockholm time too.
 */
export function instant(cell: Cell): Date | null | 'invalid' {
  if (cell === null || cell === undefined || cell === '') return null;
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return 'invalid';
    return fromStockholm(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate(), cell.getUTCHours(), cell.getUTCMinutes());
  }
  const value = text(cell);
  if (value === '') return null;
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (local) {
    const [year, month, day, hour, minute, second] = local.slice(1).map((v) => Number(v ?? 0));
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return 'invalid';
    return fromStockholm(year, month, day, hour, minute, second);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? 'invalid' : date;
  }
  return 'invalid';
}

function yesNo(cell: Cell): boolean | null | 'invalid' {
  if (typeof cell === 'boolean') return cell;
  const value = text(cell).toLowerCase();
  if (value === '') return null;
  if (['ja', 'j', 'yes', 'true', '1', 'x'].includes(value)) return true;
  if (['nej', 'n', 'no', 'false', '0'].includes(value)) return false;
  return 'invalid';
}

function list(cell: Cell): string[] {
  return text(cell).split(LIST).map((v) => v.trim()).filter(Boolean);
}

function number(cell: Cell): number | null | 'invalid' {
  if (typeof cell === 'number') return cell;
  const value = text(cell).replace(',', '.').replace(/\s/g, '');
  if (value === '') return null;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : 'invalid';
}

const SESSION_RULES_SV: Record<string, string> = {
  startsAt: 'starts_at måste ligga i framtiden',
  endsAt: 'ends_at måste vara efter starts_at',
  municipalityCode: 'municipality_code krävs om tillfället inte är digitalt',
  bookingClosesAt: 'booking_closes_at får inte vara efter starts_at',
  bookingOpensAt: 'booking_opens_at måste vara före booking_closes_at',
  cancellationDeadline: 'cancellation_deadline får inte vara efter starts_at',
};

/**
 * One data row: its offering and session, and every reason (in Swedish) it cannot be imported
 * that the row alone shows. Codes against reference data and the database are checked later.
 */
export function parseRow(line: number, header: string[], cells: Cell[], now: Date): ParsedRow {
  const at = (name: ImportColumn): Cell => {
    const index = header.indexOf(name);
    return index < 0 ? undefined : cells[index];
  };
  const reasons: string[] = [];
  const courseCode = text(at('course_code'));
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/ ]{0,59}$/.test(courseCode)) {
    reasons.push(courseCode === '' ? 'course_code saknas' : 'course_code får ha högst 60 tecken: bokstäver a–z, siffror, punkt, bindestreck, snedstreck och mellanslag');
  }
  const title = text(at('title'));
  if (title.length < 3 || title.length > 200) reasons.push('title ska ha 3–200 tecken');
  const description = text(at('description'));
  if (description.length < 1 || description.length > 20_000) reasons.push('description saknas');
  const themeCodes = list(at('themes'));
  if (themeCodes.length < 1 || themeCodes.length > 10) reasons.push('themes ska ha 1–10 temakoder');
  const format = text(at('format'));
  if (format === '') reasons.push('format saknas');
  const targetGroups = list(at('target_groups'));
  if (targetGroups.length === 0 || targetGroups.some((g) => !(TARGET_GROUPS as readonly string[]).includes(g))) {
    reasons.push('target_groups ska vara social_economy och/eller public_sector');
  }
  const language = text(at('language')).toLowerCase() || 'sv';
  if (!/^[a-z]{2}$/.test(language)) reasons.push('language ska vara en språkkod med två bokstäver, t.ex. sv');
  const levelText = text(at('level'));
  if (levelText && !(LEVELS as readonly string[]).includes(levelText)) reasons.push('level ska vara introductory, intermediate eller advanced');
  const hours = number(at('hours'));
  if (hours === 'invalid' || (hours !== null && (hours < 0.5 || hours > 10_000 || Math.round(hours * 10) !== hours * 10))) {
    reasons.push('hours ska vara ett tal mellan 0,5 och 10000 (högst en decimal)');
  }
  const price = number(at('price_sek'));
  if (price === 'invalid' || (price !== null && (!Number.isInteger(price) || price < 0 || price > 1_000_000))) reasons.push('price_sek ska vara ett heltal från 0 till 1000000');
  const contactEmail = text(at('contact_email')).toLowerCase();
  if (contactEmail && (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail) || contactEmail.length > 254)) reasons.push('contact_email är ingen e-postadress');
  const accessibilityFeatures = list(at('accessibility_features'));
  if (accessibilityFeatures.length > 30) reasons.push('accessibility_features får ha högst 30 koder');

  const times: Record<string, Date | null> = {};
  for (const column of ['starts_at', 'ends_at', 'booking_opens_at', 'booking_closes_at', 'cancellation_deadline'] as const) {
    const value = instant(at(column));
    if (value === 'invalid') reasons.push(`${column} ska vara ÅÅÅÅ-MM-DD TT:MM (svensk tid) eller ISO 8601 med tidszon`);
    times[column] = value === 'invalid' ? null : value;
  }
  if (!times.starts_at && !reasons.some((r) => r.startsWith('starts_at'))) reasons.push('starts_at saknas');
  if (!times.ends_at && !reasons.some((r) => r.startsWith('ends_at'))) reasons.push('ends_at saknas');
  const online = yesNo(at('online'));
  if (online === 'invalid') reasons.push('online ska vara ja eller nej');
  const requiresApproval = yesNo(at('requires_approval'));
  if (requiresApproval === 'invalid') reasons.push('requires_approval ska vara ja eller nej');
  const capacity = number(at('capacity'));
  if (capacity === null || capacity === 'invalid' || !Number.isInteger(capacity) || capacity < 1 || capacity > 10_000) reasons.push('capacity ska vara ett heltal från 1 till 10000');
  const waitlistMode = text(at('waitlist_mode')) || 'offer';
  if (!(WAITLIST_MODES as readonly string[]).includes(waitlistMode)) reasons.push('waitlist_mode ska vara offer eller auto');
  const municipalityCode = text(at('municipality_code')) || null;
  if (municipalityCode && !/^\d{4}$/.test(municipalityCode)) reasons.push('municipality_code ska vara en kommunkod med fyra siffror');
  const venue = text(at('venue')) || null;
  if (venue && venue.length > 300) reasons.push('venue får ha högst 300 tecken');
  const onlineUrl = text(at('online_url')) || null;
  if (onlineUrl && (!/^https?:\/\/\S+$/.test(onlineUrl) || onlineUrl.length > 500)) reasons.push('online_url ska vara en http(s)-länk');

  let session: ImportedSession | null = null;
  if (times.starts_at && times.ends_at) {
    const shape: SessionShape = {
      startsAt: times.starts_at,
      endsAt: times.ends_at,
      municipalityCode,
      online: online === true,
      bookingOpensAt: times.booking_opens_at,
      bookingClosesAt: times.booking_closes_at ?? times.starts_at,
      cancellationDeadline: times.cancellation_deadline,
    };
    for (const problem of sessionProblems(shape, now, true)) reasons.push(SESSION_RULES_SV[problem.field] ?? `${problem.field}: ${problem.messages.join(', ')}`);
    session = {
      ...shape,
      venue,
      onlineUrl,
      capacity: typeof capacity === 'number' ? capacity : 0,
      requiresApproval: requiresApproval === true,
      waitlistMode: waitlistMode as WaitlistMode,
    };
  }
  const offering: ImportedOffering = {
    courseCode,
    title,
    description,
    themeCodes,
    format,
    targetGroups: targetGroups as TargetGroup[],
    language,
    level: (levelText || null) as Level | null,
    hours: typeof hours === 'number' ? hours : null,
    priceSek: typeof price === 'number' ? price : 0,
    contactEmail: contactEmail || null,
    accessibilityFeatures,
  };
  return { line, courseCode: courseCode || null, offering: reasons.length ? null : offering, session: reasons.length ? null : session, reasons };
}

/** Whether two rows describe the same offering (every course column equal). */
export function sameOffering(a: ImportedOffering, b: ImportedOffering): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
