import { STOCKHOLM, stockholmParts } from '../common/dates.js';
import type { BookingMailSession } from '../mail/templates/booking.template.js';

/** Europe/Stockholm (CET/CEST, EU rules), so that calendars need no time-zone database of their own. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${STOCKHOLM}`,
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

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A Stockholm wall-clock time as iCalendar writes it beside `TZID=Europe/Stockholm`. */
function stockholmTime(date: Date): string {
  const p = stockholmParts(date);
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}T${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

function utcTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** A quoted parameter value (no double quotes allowed inside). */
function param(value: string): string {
  return `"${value.replace(/"/g, "'")}"`;
}

/** Content lines longer than 75 octets are folded (§3.1): CRLF and a space, never inside a UTF-8 character. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--; // not inside a multi-byte character
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space counts
  }
  return parts.join('\r\n ');
}

export interface CalendarEvent {
  bookingId: string;
  session: BookingMailSession;
  participantEmail: string;
  /** The booking's web page. */
  url: string;
  /** The platform's sender address, as the organiser. */
  organizerEmail: string;
  now: Date;
}

/**
 * The invitation attached to confirmations and served at GET /bookings/:id/calendar.ics (RFC 5545):
 * times in Europe/Stockholm with the zone's definition in the file, DTSTAMP in UTC, every line ended
 * by CRLF, only standard properties. Its URL is the booking's page; an online session's link is its
 * location and is in its description.
 */
export function bookingCalendar(event: CalendarEvent): string {
  const s = event.session;
  const location = s.online ? (s.onlineUrl ?? 'Online') : [s.venue, s.municipalityName].filter(Boolean).join(', ') || null;
  const description = `${s.providerName}${s.online && s.onlineUrl ? `\n${s.onlineUrl}` : ''}\n${event.url}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kompetenslyft//bookings//SV',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    ...VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:${event.bookingId}@kompetenslyft`,
    'SEQUENCE:0',
    `DTSTAMP:${utcTime(event.now)}`,
    `DTSTART;TZID=${STOCKHOLM}:${stockholmTime(s.startsAt)}`,
    `DTEND;TZID=${STOCKHOLM}:${stockholmTime(s.endsAt)}`,
    `SUMMARY:${text(s.title)}`,
    ...(location ? [`LOCATION:${text(location)}`] : []),
    `DESCRIPTION:${text(description)}`,
    `URL:${event.url}`,
    `ORGANIZER;CN=${param(s.providerName)}:mailto:${event.organizerEmail}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:${event.participantEmail}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((line) => fold(line) + '\r\n').join('');
}
