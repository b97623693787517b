export const STOCKHOLM = 'Europe/Stockholm';

/** "10 december 2026" / "10 December 2026", as people in Sweden read a date. */
export function formatDate(date: Date, locale: 'sv' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'long', timeZone: STOCKHOLM }).format(date);
}

/** "10 december 2026 kl. 09:00" / "10 December 2026, 09:00" in Stockholm time. */
export function formatDateTime(date: Date, locale: 'sv' | 'en'): string {
  const time = new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: STOCKHOLM }).format(date);
  return locale === 'sv' ? `${formatDate(date, locale)} kl. ${time}` : `${formatDate(date, locale)}, ${time}`;
}
