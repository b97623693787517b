import { STOCKHOLM } from '../common/dates.js';

export interface QuietHours {
  start: number;
  end: number;
}

const HOUR = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: STOCKHOLM });

function stockholmHour(date: Date): number {
  return Number(HOUR.format(date));
}

function isQuiet(hour: number, quiet: QuietHours): boolean {
  return quiet.start > quiet.end ? hour >= quiet.start || hour < quiet.end : hour >= quiet.start && hour < quiet.end;
}

/** Now, or the end of the quiet hours (Europe/Stockholm) when now falls inside them; null quiet hours: now. */
export function afterQuietHours(now: Date, quiet: QuietHours | null): Date {
  if (!quiet || !isQuiet(stockholmHour(now), quiet)) return now;
  // Stockholm's offset is whole hours, so UTC hour boundaries are Stockholm hour boundaries.
  const next = new Date(now);
  next.setUTCMinutes(0, 0, 0);
  for (let i = 0; i < 48; i++) {
    next.setTime(next.getTime() + 3600_000);
    if (!isQuiet(stockholmHour(next), quiet)) return next;
  }
  return now;
}
