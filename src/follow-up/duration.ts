import { STOCKHOLM } from '../common/dates.js';

/** An ISO 8601 duration (PnYnMnDTnHnMnS, or PnW), as its parts. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

/** Parses an ISO 8601 duration such as `P1D`, `P3M`, `PT5S`, `P1DT2H30M`; null when it is not one. */
export function parseDuration(value: string): Duration | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const match = PATTERN.exec(value.trim().toUpperCase());
  if (!match) return null;
  const n = (i: number) => (match[i] === undefined ? 0 : Number(match[i].replace(',', '.')));
  const duration = { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
  return Object.values(duration).every(Number.isFinite) ? duration : null;
}

export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && parseDuration(value) !== null;
}

/** The local wall-clock parts of an instant in Europe/Stockholm. */
export function stockholmParts(date: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: STOCKHOLM,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of Stockholm from UTC at an instant, in ms (+1 h in winter, +2 h in summer). */
function stockholmOffsetMs(date: Date): number {
  const p = stockholmParts(date);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/**
 * The instant of a Stockholm wall-clock time. A time that does not exist (skipped at the spring
 * change) moves forward by the gap; an ambiguous one (autumn) takes the first occurrence.
 */
export function fromStockholm(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Try both offsets Stockholm can have; prefer the earlier instant that maps back to the wall time.
  const candidates = [wall - 2 * 3600_000, wall - 3600_000].map((t) => new Date(t));
  for (const candidate of candidates) {
    if (candidate.getTime() + stockholmOffsetMs(candidate) === wall) return candidate;
  }
  // Skipped hour (spring forward): the same wall time read with the winter offset lands after the gap.
  return new Date(wall - 3600_000);
}

/**
 * Adds a duration to an instant: years, months, weeks and days move the Stockholm calendar date
 * (keeping the wall-clock time, so "P1D" after 10:00 is 10:00 the next day across a DST change);
 * hours, minutes and seconds are exact elapsed time.
 */
export function addDuration(date: Date, duration: Duration | string): Date {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!d) throw new Error(`not an ISO 8601 duration: ${String(duration)}`);
  let result = date;
  if (d.years || d.months || d.weeks || d.days) {
    const p = stockholmParts(date);
    const ms = date.getTime() % 1000;
    // Month arithmetic clamps to the last day of the month (31 Jan + P1M = 28/29 Feb).
    const monthIndex = p.month - 1 + d.months + d.years * 12;
    const targetYear = p.year + Math.floor(monthIndex / 12);
    const targetMonth = ((monthIndex % 12) + 12) % 12;
    const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
    const day = Math.min(p.day, lastDay);
    const base = new Date(Date.UTC(targetYear, targetMonth, day + d.days + d.weeks * 7));
    result = new Date(
      fromStockholm(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), p.hour, p.minute, p.second).getTime() + ms,
    );
  }
  return new Date(result.getTime() + Math.round((d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000));
}
