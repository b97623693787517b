import { STOCKHOLM, stockholmParts } from '../common/dates.js';
import type { BookingMailSession } from '../mail/templates/booking.template.js';

/** Europe/Stockholm (CET/CEST, EU rules), so that calendars need no time-zone database of their own. */
export const VTIMEZONE = [
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
];

/** YYYYMMDDTHHMMSS, the wall-clock time in Stockholm (for DTSTART/DTEND with TZID). */
function stockholmStamp(date: Date): string {
  const p = stockholmParts(date);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(p.year).padStart(4, '0')}${two(p.month)}${two(p.day)}T${two(p.hour)}${two(p.minute)}${two(p.second)}`;
}

/** A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \n. */
function text(value: string): string {
  return value.replace(/[\\;,]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');
}

/** A quoted parameter value, escaped as ical-generator did (backslash and double quote). */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

/** Folds a content line after 74 octets of UTF-8 (RFC 5545 3.1), never inside a character. */
function fold(line: string): string {
  if (line.length <= 24) return line; // at most 3 octets per UTF-16 unit
  let out = '';
  let octets = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    octets += size;
    if (octets > 74) {
      out += '\r\n ';
      octets = size;
    }
    out += char;
  }
  return out;
}

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

/**
 * The invitation attached to confirmations and served at GET /bookings/:id/calendar.ics. Written
 * line by line (it was ical-generator's output, which booking-calendar.spec.ts still checks it
 * against): that library encoded every character separately to fold lines, a tenth of the CPU of
 * a booking request.
 */
export function bookingCalendar(event: CalendarEvent): string {
  const s = event.session;
  const location = s.online ? (s.onlineUrl ?? 'Online') : [s.venue, s.municipalityName].filter(Boolean).join(', ') || null;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kompetenslyft//bookings//SV',
    'METHOD:REQUEST',
    ...VTIMEZONE,
    `TIMEZONE-ID:${STOCKHOLM}`,
    `X-WR-TIMEZONE:${STOCKHOLM}`,
    'BEGIN:VEVENT',
    `UID:${event.bookingId}@kompetenslyft`,
    'SEQUENCE:0',
    // DTSTAMP is an instant in UTC (RFC 5545).
    `DTSTAMP:${utcStamp(event.now)}`,
    `DTSTART;TZID=${STOCKHOLM}:${stockholmStamp(s.startsAt)}`,
    `DTEND;TZID=${STOCKHOLM}:${stockholmStamp(s.endsAt)}`,
    `SUMMARY:${text(s.title)}`,
    ...(location ? [`LOCATION:${text(location)}`] : []),
    `DESCRIPTION:${text(`${s.providerName}${s.online && s.onlineUrl ? `\n${s.onlineUrl}` : ''}`)}`,
    `ORGANIZER;CN=${quoted(s.providerName)}:mailto:${text(event.organizerEmail)}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:MAILTO:${text(event.participantEmail)}`,
    `URL;VALUE=URI:${text(s.online && s.onlineUrl ? s.onlineUrl : event.url)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n');
}
