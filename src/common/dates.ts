export const STOCKHOLM = 'Europe/Stockholm';

// Intl formatters are costly to build and safe to share: build each once.
const DATE_FORMAT = {
  sv: new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long', timeZone: STOCKHOLM }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: STOCKHOLM }),
};
const PARTS_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: STOCKHOLM,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const TIME_FORMAT = new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: STOCKHOLM });

/**
 * `format` remembered per instant: the same few instants (a session's start and end) are formatted
 * in every email about that session, and Intl formatting is one of the costlier steps of rendering
 * one. Bounded: the memory is emptied when it holds 10 000 instants.
 */
export function remembered<T>(format: (date: Date) => T): (date: Date) => T {
  const known = new Map<number, T>();
  return (date) => {
    const key = date.getTime();
    let value = known.get(key);
    if (value === undefined) {
      if (known.size >= 10_000) known.clear();
      value = format(date);
      known.set(key, value);
    }
    return value;
  };
}

const DATE_TEXT = { sv: remembered((date) => DATE_FORMAT.sv.format(date)), en: remembered((date) => DATE_FORMAT.en.format(date)) };
const TIME_TEXT = remembered((date) => TIME_FORMAT.format(date));

/** "10 december 2026" / "10 December 2026", as people in Sweden read a date. */
export function formatDate(date: Date, locale: 'sv' | 'en'): string {
  return DATE_TEXT[locale](date);
}

/** "10 december 2026 kl. 09:00" / "10 December 2026, 09:00" in Stockholm time. */
export function formatDateTime(date: Date, locale: 'sv' | 'en'): string {
  const time = TIME_TEXT(date);
  return locale === 'sv' ? `${formatDate(date, locale)} kl. ${time}` : `${formatDate(date, locale)}, ${time}`;
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The local wall-clock parts of an instant in Europe/Stockholm (a shared, frozen object). */
export const stockholmParts: (date: Date) => WallClock = remembered((date) => {
  const parts = PARTS_FORMAT.formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Object.freeze({ year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') });
});

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
