export const STOCKHOLM = 'Europe/Stockholm';

// Intl formatters are costly to build and safe to share: build each once.
const DATE_FORMAT = {
  sv: new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long', timeZone: STOCKHOLM }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: STOCKHOLM }),
};
const TIME_FORMAT = new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: STOCKHOLM });

/** "10 december 2026" / "10 December 2026", as people in Sweden read a date. */
export function formatDate(date: Date, locale: 'sv' | 'en'): string {
  return DATE_FORMAT[locale].format(date);
}

/** "10 december 2026 kl. 09:00" / "10 December 2026, 09:00" in Stockholm time. */
export function formatDateTime(date: Date, locale: 'sv' | 'en'): string {
  const time = TIME_FORMAT.format(date);
  return locale === 'sv' ? `${formatDate(date, locale)} kl. ${time}` : `${formatDate(date, locale)}, ${time}`;
}
