import ical, { ICalCalendarMethod, type ICalDateTimeValue } from 'ical-generator';
import { remembered, STOCKHOLM, stockholmParts } from '../common/dates.js';
import type { BookingMailSession } from '../mail/templates/booking.template.js';

/** Europe/Stockholm (CET/CEST, EU rules), so that calendars need no time-zone database of their own. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Stockholm',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/**
 * ical-generator formats a plain Date in the *process's* local time when an event has a time
 * zone; a Temporal-shaped ZonedDateTime is formatted in its own zone. This is the smallest such
 * object for Europe/Stockholm, so the file is right whatever TZ the server runs with. Made once
 * per instant (a session's start and end recur in every booking's calendar); nothing changes it.
 */
const inStockholm = remembered((date: Date): ICalDateTimeValue => {
  const p = stockholmParts(date);
  const fields = { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
  const zoned: Record<string, unknown> = {
    ...fields,
    timeZoneId: STOCKHOLM,
    toPlainDateTime: () => plain,
    withTimeZone: () => zoned,
    toInstant: () => ({ epochMilliseconds: date.getTime() }),
  };
  const plain: Record<string, unknown> = {
    ...fields,
    toZonedDateTime: () => zoned,
    toPlainDate: () => ({ year: p.year, month: p.month, day: p.day }),
  };
  return zoned as unknown as ICalDateTimeValue;
});

function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface CalendarEvent {
  bookingId: string;
  session: BookingMailSession;
  participantEmail: string;
  url: string;
  /** The platform's sender address, as the organiser. */
  organizerEmail: string;
  now: Date;
}

/** The invitation attached to confirmations and served at GET /bookings/:id/calendar.ics. */
export function bookingCalendar(event: CalendarEvent): string {
  const s = event.session;
  const calendar = ical({
    method: ICalCalendarMethod.REQUEST,
    prodId: { company: 'Kompetenslyft', product: 'bookings', language: 'SV' },
  });
  calendar.timezone({ name: STOCKHOLM, generator: () => VTIMEZONE });
  const location = s.online ? (s.onlineUrl ?? 'Online') : [s.venue, s.municipalityName].filter(Boolean).join(', ') || null;
  calendar.createEvent({
    id: `${event.bookingId}@kompetenslyft`,
    start: inStockholm(s.startsAt),
    end: inStockholm(s.endsAt),
    timezone: STOCKHOLM,
    summary: s.title,
    description: `${s.providerName}${s.online && s.onlineUrl ? `\n${s.onlineUrl}` : ''}`,
    location,
    url: s.online && s.onlineUrl ? s.onlineUrl : event.url,
    organizer: { name: s.providerName, email: event.organizerEmail },
    attendees: [{ email: event.participantEmail, rsvp: false }],
  });
  // DTSTAMP is an instant in UTC (RFC 5545); the library writes it as floating local time.
  return calendar.toString().replace(/DTSTAMP:\d{8}T\d{6}Z?/, `DTSTAMP:${utcStamp(event.now)}`);
}
