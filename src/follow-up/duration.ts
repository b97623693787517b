import { fromStockholm, stockholmParts } from '../common/dates.js';

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
