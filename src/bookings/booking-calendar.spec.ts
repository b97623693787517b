import ical, { ICalCalendarMethod, type ICalDateTimeValue } from 'ical-generator';
import { STOCKHOLM, stockholmParts } from '../common/dates.js';
import type { BookingMailSession } from '../mail/templates/booking.template.js';
import { bookingCalendar, type CalendarEvent, VTIMEZONE } from './booking-calendar.js';

// The calendar as ical-generator wrote it before bookingCalendar wrote it by hand: the reference.

/** A Temporal-shaped ZonedDateTime, which ical-generator formats in its own zone (a Date: in the process's). */
function inStockholm(date: Date): ICalDateTimeValue {
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
}

function withIcalGenerator(event: CalendarEvent): string {
  const s = event.session;
  const calendar = ical({
    method: ICalCalendarMethod.REQUEST,
    prodId: { company: 'Kompetenslyft', product: 'bookings', language: 'SV' },
  });
  calendar.timezone({ name: STOCKHOLM, generator: () => VTIMEZONE.join('\r\n') });
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
  return calendar.toString().replace(/DTSTAMP:\d{8}T\d{6}Z?/, `DTSTAMP:${event.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
}

const base: BookingMailSession = {
  title: 'Offentlig upphandling för sociala företag',
  providerName: 'Studieförbundet Väst',
  startsAt: new Date('2026-12-01T08:00:00Z'),
  endsAt: new Date('2026-12-01T11:30:00Z'),
  online: false,
  onlineUrl: null,
  venue: 'Storgatan 1, sal 3',
  municipalityName: 'Uppsala',
};

function event(session: Partial<BookingMailSession>, participantEmail = 'anna.andersson@example.se'): CalendarEvent {
  return {
    bookingId: 'b7a1c1e2-1111-4a2b-9c3d-123456789abc',
    session: { ...base, ...session },
    participantEmail,
    url: 'https://kompetenslyft.example.se/api/v1/bookings/b7a1c1e2-1111-4a2b-9c3d-123456789abc',
    organizerEmail: 'no-reply@kompetenslyft.se',
    now: new Date('2026-11-26T10:00:00.123Z'),
  };
}

describe('bookingCalendar', () => {
  const cases: [string, CalendarEvent][] = [
    ['a session at a venue, in winter time', event({})],
    ['in summer time, across midnight', event({ startsAt: new Date('2026-06-12T20:00:00Z'), endsAt: new Date('2026-06-13T01:15:00Z') })],
    ['online with a link', event({ online: true, onlineUrl: 'https://meet.example.se/abc?x=1;y=2,3', venue: null, municipalityName: null })],
    ['online without a link', event({ online: true, onlineUrl: null })],
    ['no place at all', event({ venue: null, municipalityName: null })],
    ['only a municipality', event({ venue: null })],
    [
      'text to escape and long lines to fold (multibyte letters, emoji)',
      event(
        {
          title: 'Ledarskap; del 1, för \\sociala\\ företag – en mycket lång titel med åäö som måste vikas över flera rader 🎓🎓🎓 i filen, ja',
          providerName: 'Studieförbundet "Väst", Öst; och\nNord — med ett namn långt nog att vikas i ORGANIZER-raden också',
          venue: 'Storgatan 1\r\nsal 3',
        },
        'en.mycket.lang.adress.som.maste.vikas.over.flera.rader@exempel-foretag.example.se',
      ),
    ],
  ];

  it.each(cases)('writes what ical-generator wrote: %s', (_name, e) => {
    expect(bookingCalendar(e)).toBe(withIcalGenerator(e));
  });

  it('folds no line longer than 75 octets and writes the times in Stockholm time', () => {
    const ics = bookingCalendar(cases[6][1]);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(bookingCalendar(cases[0][1])).toContain('\r\nDTSTART;TZID=Europe/Stockholm:20261201T090000\r\nDTEND;TZID=Europe/Stockholm:20261201T123000\r\n');
    expect(bookingCalendar(cases[1][1])).toContain('\r\nDTSTART;TZID=Europe/Stockholm:20260612T220000\r\nDTEND;TZID=Europe/Stockholm:20260613T031500\r\n');
    expect(bookingCalendar(cases[0][1])).toContain('\r\nDTSTAMP:20261126T100000Z\r\n');
  });
});
