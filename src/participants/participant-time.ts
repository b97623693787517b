import { stockholmParts } from '../common/dates.js';

/** The Stockholm calendar day of an instant, as YYYY-MM-DD. */
export function stockholmDay(date: Date): string {
  const p = stockholmParts(date);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The first day of the month of a YYYY-MM-DD day. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** A session's length in hours, to one decimal. */
export function sessionHours(startsAt: Date, endsAt: Date): number {
  return Math.round((endsAt.getTime() - startsAt.getTime()) / 360_000) / 10;
}

/** Hours as the API shows them (numeric columns arrive as text). */
export function hoursOf(value: string | number | null | undefined): number {
  return Math.round(Number(value ?? 0) * 10) / 10;
}
