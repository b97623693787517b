import { fromStockholm, stockholmParts } from './dates.js';

export interface QuietHours {
  /** Local hour (0–23) when quiet starts, inclusive. */
  start: number;
  /** Local hour (0–23) when quiet ends, exclusive. */
  end: number;
}

function inQuiet(hour: number, quiet: QuietHours): boolean {
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/**
 * QUIET_HOURS (Europe/Stockholm, e.g. 21–08): evaluations, reminders and other timed emails wait
 * until they end. One implementation for every module that schedules email.
 *
 * The earliest instant at or after `at` when such email may be sent: `at` itself outside the
 * quiet hours (Europe/Stockholm), otherwise the local hour when they end. `null` quiet hours: `at`.
 */
export function nextSendTime(at: Date, quiet: QuietHours | null): Date {
  if (!quiet) return at;
  const p = stockholmParts(at);
  if (!inQuiet(p.hour, quiet)) return at;
  // Quiet hours that wrap midnight end on the next day when we are before midnight.
  const endsTomorrow = quiet.start > quiet.end && p.hour >= quiet.start;
  const base = new Date(Date.UTC(p.year, p.month - 1, p.day + (endsTomorrow ? 1 : 0)));
  return fromStockholm(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), quiet.end, 0, 0);
}

/** True when nothing may be sent at this instant. */
export function isQuiet(at: Date, quiet: QuietHours | null): boolean {
  return nextSendTime(at, quiet).getTime() !== at.getTime();
}
