import ICAL from 'ical.js';
import type { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { MailService } from '../mail/mail.service.js';
import { approvalRequestedMail, type BookingMailKind, type BookingMailSession } from '../mail/templates/booking.template.js';
import { escapeHtml, type Locale, type RenderedMail } from '../mail/templates/layout.js';
import { BookingNotifications, type Recipient } from './booking-notifications.js';

// Every booking email, rendered in Swedish and in English, without a database: the rendering is
// pure; only `tell` and `requestApproval` touch the outbox. Expected texts are written out by hand
// (Europe/Stockholm wall time: CEST in July, CET in December) so that the test does not share the
// formatter it checks.

const BOOKING_ID = '3f1c2b9e-6a4d-4c1e-9d7a-0b8e5f2a1c44';
const NOW = new Date('2030-05-02T08:00:00Z');
const config = { publicBaseUrl: 'https://kompetenslyft.example', mailFrom: 'noreply@kompetenslyft.se' } as AppConfig;
const clock = { now: () => NOW } as Clock;
// mailFor renders only; the outbox (MailService) is never reached.
const notifications = new BookingNotifications(undefined as unknown as MailService, clock, config);
const BOOKING_URL = `https://kompetenslyft.example/bokningar/${BOOKING_ID}`;

const TITLE = 'Offentlig upphandling för sociala företag';
const PROVIDER = 'Studieförbundet Vuxenskolan';
const ONLINE_URL = 'https://meet.example.se/kurs';

/** 10 July 2030 09:00–12:30 in Stockholm (CEST, UTC+2), at a venue. */
const summer: BookingMailSession = {
  title: TITLE,
  providerName: PROVIDER,
  startsAt: new Date('2030-07-10T07:00:00Z'),
  endsAt: new Date('2030-07-10T10:30:00Z'),
  online: false,
  onlineUrl: null,
  venue: 'Folkets hus, sal 2',
  municipalityName: 'Uppsala',
};
/** 10 December 2030 09:00–12:00 in Stockholm (CET, UTC+1), online. */
const winter: BookingMailSession = {
  title: TITLE,
  providerName: PROVIDER,
  startsAt: new Date('2030-12-10T08:00:00Z'),
  endsAt: new Date('2030-12-10T11:00:00Z'),
  online: true,
  onlineUrl: ONLINE_URL,
  venue: null,
  municipalityName: 'Uppsala',
};

interface Fixture {
  session: BookingMailSession;
  /** The session in one line, as each language writes it. */
  line: Record<Locale, string>;
  /** What the place paragraph says. */
  place: Record<Locale, string>;
}
const fixtures: Record<'summer' | 'winter', Fixture> = {
  summer: {
    session: summer,
    line: {
      sv: `${TITLE}, 10 juli 2030 kl. 09:00–12:30 (${PROVIDER})`,
      en: `${TITLE}, 10 July 2030, 09:00–12:30 (${PROVIDER})`,
    },
    place: { sv: 'Plats: Folkets hus, sal 2, Uppsala', en: 'Place: Folkets hus, sal 2, Uppsala' },
  },
  winter: {
    session: winter,
    line: {
      sv: `${TITLE}, 10 december 2030 kl. 09:00–12:00 (${PROVIDER})`,
      en: `${TITLE}, 10 December 2030, 09:00–12:00 (${PROVIDER})`,
    },
    place: { sv: `Online: ${ONLINE_URL}`, en: `Online: ${ONLINE_URL}` },
  },
};

const person = (locale: Locale): Recipient => ({ id: 'b7d5c1a0-1111-4c1e-9d7a-0b8e5f2a1c44', email: 'anna.andersson@example.se', name: 'Anna Andersson', locale });

/** Words that give the other language away, once the data (titles, names, places, reasons) is taken out. */
const foreign = (words: string[]) => new RegExp(`(?<!\\p{L})(${words.join('|')})(?!\\p{L})`, 'iu');
const FOREIGN: Record<Locale, RegExp> = {
  sv: foreign(['you', 'your', 'the', 'booking', 'seat', 'place', 'hello', 'reason', 'cancelled', 'waitlist', 'view']),
  en: foreign(['du', 'din', 'är', 'och', 'på', 'hej', 'plats', 'bokning\\p{L}*', 'avbokad', 'väntelistan', 'motivering', 'anledning', 'kl', 'visa']),
};
const DATA = [TITLE, PROVIDER, ONLINE_URL, BOOKING_URL, 'Folkets hus, sal 2', 'Uppsala', 'Anna Andersson', 'Bertil Berg', 'Vi har ingen vikarie den dagen.', 'Kursledaren är sjuk.'];

function expectLanguage(mail: RenderedMail, locale: Locale): void {
  const dataFree = DATA.reduce((text, data) => text.split(data).join(''), `${mail.subject}\n${mail.text}`);
  const footerFree = dataFree.replace(/-- \n[\s\S]*$/, '');
  expect(footerFree).not.toMatch(FOREIGN[locale]);
  expect(mail.html).toContain(`<html lang="${locale}">`);
  expect(mail.html).toContain(`<title>${escapeHtml(mail.subject)}</title>`);
}

/** Each fragment in the text part and, escaped, in the HTML part. */
function expectSays(mail: RenderedMail, fragments: string[]): void {
  for (const fragment of fragments) {
    expect(mail.text).toContain(fragment);
    expect(mail.html).toContain(escapeHtml(fragment));
  }
}

interface Invite {
  start: Date;
  end: Date;
  startTzid: string;
  endTzid: string;
  timezones: string[];
  summary: string;
  location: string;
  url: string | null;
  attendees: string[];
  uid: string;
  method: string | null;
}

/** The one event of a VCALENDAR, read by a real iCalendar parser; times are resolved with the file's own VTIMEZONE. */
function parseInvite(ics: string): Invite {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  expect(calendar.name).toBe('vcalendar');
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  const event = new ICAL.Event(vevents[0]);
  const zoneOf = (name: 'dtstart' | 'dtend') => {
    const tzid = vevents[0].getFirstProperty(name)!.getParameter('tzid');
    return typeof tzid === 'string' ? tzid : '';
  };
  return {
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    startTzid: zoneOf('dtstart'),
    endTzid: zoneOf('dtend'),
    timezones: calendar.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid'))),
    summary: event.summary,
    location: event.location,
    url: (vevents[0].getFirstPropertyValue('url') as string | null) ?? null,
    attendees: event.attendees.map((a) => String(a.getFirstValue()).replace(/^mailto:/i, 'mailto:')),
    uid: event.uid,
    method: calendar.getFirstPropertyValue('method') as string | null,
  };
}

/** RFC 5545 as strict clients read it: CRLF after every line (the last too), only standard or X- properties. */
const STANDARD = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'CALSCALE', 'METHOD', 'TZID', 'TZOFFSETFROM', 'TZOFFSETTO', 'TZNAME', 'DTSTART', 'RRULE', 'UID', 'SEQUENCE', 'DTSTAMP', 'DTEND', 'SUMMARY', 'LOCATION', 'DESCRIPTION', 'URL', 'ORGANIZER', 'ATTENDEE']);
function expectStrictLines(ics: string): void {
  expect(ics.endsWith('\r\n')).toBe(true);
  const lines = ics.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    if (line.startsWith(' ')) continue; // a folded line's continuation
    const name = /^[A-Z0-9-]+/.exec(line)![0];
    expect({ line, standard: STANDARD.has(name) || name.startsWith('X-') }).toEqual({ line, standard: true });
  }
}

function expectInviteFor(ics: string, session: BookingMailSession, location: string): void {
  expectStrictLines(ics);
  const invite = parseInvite(ics);
  expect(invite.url).toBe(BOOKING_URL);
  expect(invite.start.toISOString()).toBe(session.startsAt.toISOString());
  expect(invite.end.toISOString()).toBe(session.endsAt.toISOString());
  expect(invite.startTzid).toBe('Europe/Stockholm');
  expect(invite.endTzid).toBe('Europe/Stockholm');
  expect(invite.timezones).toEqual(['Europe/Stockholm']);
  expect(invite.summary).toBe(session.title);
  expect(invite.location).toBe(location);
  expect(invite.uid).toBe(`${BOOKING_ID}@kompetenslyft`);
  expect(invite.attendees).toEqual(['mailto:anna.andersson@example.se']);
  expect(invite.method).toBe('REQUEST');
}

const render = (locale: Locale, session: BookingMailSession, what: BookingMailKind) => notifications.mailFor(BOOKING_ID, person(locale), session, what);

interface Case {
  what: BookingMailKind;
  subject: Record<Locale, string>;
  /** Fragments besides the session line. */
  says: (f: Fixture) => Record<Locale, string[]>;
  calendar?: boolean;
}

const cases: Record<string, Case> = {
  confirmed: {
    what: { kind: 'confirmed' },
    subject: { sv: `Bokningen är klar: ${TITLE}`, en: `Booking confirmed: ${TITLE}` },
    says: (f) => ({ sv: ['Du har en plats på', f.place.sv, 'En kalenderinbjudan finns bifogad.'], en: ['You have a seat on', f.place.en, 'A calendar invitation is attached.'] }),
    calendar: true,
  },
  'waitlisted with its position': {
    what: { kind: 'waitlisted', position: 7 },
    subject: { sv: `Du står på väntelistan: ${TITLE}`, en: `You are on the waitlist: ${TITLE}` },
    says: () => ({ sv: ['Du står på väntelistan som nummer 7.'], en: ['You are number 7 on the waitlist.'] }),
  },
  // 22:15 UTC on 3 July is a quarter past midnight on 4 July in Stockholm: the recipient's date, not UTC's.
  'seat offered with its deadline': {
    what: { kind: 'offered', expiresAt: new Date('2030-07-03T22:15:00Z') },
    subject: { sv: `En plats är ledig åt dig: ${TITLE}`, en: `A seat is free for you: ${TITLE}` },
    says: (f) => ({
      sv: ['Tacka ja senast 4 juli 2030 kl. 00:15, annars går platsen till nästa person på väntelistan.', f.place.sv],
      en: ['Accept it by 4 July 2030, 00:15; after that it goes to the next person on the waitlist.', f.place.en],
    }),
  },
  'offer expired': {
    what: { kind: 'offerExpired' },
    subject: { sv: `Erbjudandet har gått ut: ${TITLE}`, en: `The offer has expired: ${TITLE}` },
    says: () => ({ sv: ['har gått vidare till nästa person på väntelistan'], en: ['it has passed to the next person on the waitlist'] }),
  },
  'approved with a seat': {
    what: { kind: 'approved', confirmed: true, position: null },
    subject: { sv: `Din bokning är godkänd: ${TITLE}`, en: `Your booking is approved: ${TITLE}` },
    says: (f) => ({ sv: ['Din arbetsgivare har godkänt din bokning och du har en plats på', f.place.sv], en: ['Your employer approved your booking and you have a seat on', f.place.en] }),
    calendar: true,
  },
  'approved onto the waitlist': {
    what: { kind: 'approved', confirmed: false, position: 3 },
    subject: { sv: `Din bokning är godkänd: ${TITLE}`, en: `Your booking is approved: ${TITLE}` },
    says: () => ({ sv: ['du står på väntelistan som nummer 3.'], en: ['you are number 3 on the waitlist.'] }),
  },
  'rejected with the reason': {
    what: { kind: 'rejected', reason: 'Vi har ingen vikarie den dagen.' },
    subject: { sv: `Din bokning godkändes inte: ${TITLE}`, en: `Your booking was not approved: ${TITLE}` },
    says: () => ({ sv: ['Din arbetsgivare har inte godkänt din bokning av', 'Motivering: Vi har ingen vikarie den dagen.'], en: ['Your employer did not approve your booking of', 'Reason: Vi har ingen vikarie den dagen.'] }),
  },
  'cancelled by the person': {
    what: { kind: 'cancelled', byProvider: false },
    subject: { sv: `Bokningen är avbokad: ${TITLE}`, en: `Booking cancelled: ${TITLE}` },
    says: (f) => ({ sv: [`Din bokning av ${f.line.sv} är avbokad.`], en: [`Your booking of ${f.line.en} is cancelled.`] }),
  },
  'cancelled by the provider': {
    what: { kind: 'cancelled', byProvider: true },
    subject: { sv: `Bokningen är avbokad: ${TITLE}`, en: `Booking cancelled: ${TITLE}` },
    says: (f) => ({ sv: [`Utbildningsanordnaren har avbokat din plats på ${f.line.sv}.`], en: [`The provider cancelled your booking of ${f.line.en}.`] }),
  },
  'session cancelled with the reason': {
    what: { kind: 'sessionCancelled', reason: 'Kursledaren är sjuk.' },
    subject: { sv: `Inställt: ${TITLE}`, en: `Cancelled: ${TITLE}` },
    says: (f) => ({
      sv: [`Utbildningsanordnaren har ställt in ${f.line.sv}. Din bokning är avbokad.`, 'Anledning: Kursledaren är sjuk.'],
      en: [`The provider has cancelled ${f.line.en}. Your booking is cancelled.`, 'Reason: Kursledaren är sjuk.'],
    }),
  },
  reminder: {
    what: { kind: 'reminder' },
    subject: { sv: `Påminnelse: ${TITLE} om två dagar`, en: `Reminder: ${TITLE} in two days` },
    says: (f) => ({ sv: [`Välkommen till ${f.line.sv}.`, f.place.sv], en: [`Welcome to ${f.line.en}.`, f.place.en] }),
  },
};

const LOCALES: Locale[] = ['sv', 'en'];
const GREETING: Record<Locale, string> = { sv: 'Hej Anna Andersson!', en: 'Hello Anna Andersson,' };

describe('booking emails in Swedish and English', () => {
  describe.each(Object.entries(cases))('%s', (_name, c) => {
    describe.each(Object.keys(fixtures) as (keyof typeof fixtures)[])('%s session', (which) => {
      const f = fixtures[which];
      it.each(LOCALES)('in %s: subject, session in Stockholm time and the key content', (locale) => {
        const mail = render(locale, f.session, c.what);
        expect(mail.to).toBe('anna.andersson@example.se');
        expect(mail.locale).toBe(locale);
        expect(mail.template).toBe(`booking-${c.what.kind}`);
        expect(mail.dedupeKey).toBe(`booking:${BOOKING_ID}:${c.what.kind}`);
        expect(mail.content.subject).toBe(c.subject[locale]);
        expect(mail.content.text.startsWith(`${GREETING[locale]}\n`)).toBe(true);
        expectSays(mail.content, [f.line[locale], ...c.says(f)[locale]]);
        expectLanguage(mail.content, locale);
        if (c.calendar) {
          expect(mail.attachments).toHaveLength(1);
          const [ics] = mail.attachments!;
          expect(ics).toMatchObject({ filename: 'kurstillfalle.ics', contentType: 'text/calendar; charset=utf-8', method: 'REQUEST' });
          expectInviteFor(ics.content, f.session, which === 'summer' ? 'Folkets hus, sal 2, Uppsala' : ONLINE_URL);
        } else {
          expect(mail.attachments).toBeUndefined();
        }
      });
    });
  });

  it.each(LOCALES)('in %s: a session cancelled without a reason gives none', (locale) => {
    const mail = render(locale, summer, { kind: 'sessionCancelled', reason: null }).content;
    expect(mail.text).toContain(fixtures.summer.line[locale]);
    expect(mail.text).not.toMatch(/Anledning|Reason/);
  });

  it.each(LOCALES)('in %s: an online session without a link says the provider sends it', (locale) => {
    const mail = render(locale, { ...winter, onlineUrl: null }, { kind: 'reminder' }).content;
    expect(mail.text).toContain(locale === 'sv' ? 'Online (länken kommer från utbildningsanordnaren)' : 'Online (the provider sends the link)');
  });

  it.each(LOCALES)('in %s: booked by someone else, the confirmation and the waitlist email say who', (locale) => {
    const said = locale === 'sv' ? 'Bertil Berg har bokat dig.' : 'Bertil Berg booked this for you.';
    for (const what of [{ kind: 'confirmed', bookedBy: 'Bertil Berg' }, { kind: 'waitlisted', position: 3, bookedBy: 'Bertil Berg' }] as const) {
      const mail = render(locale, summer, what).content;
      expectSays(mail, [said]);
      expectLanguage(mail, locale);
      expect(render(locale, summer, { ...what, bookedBy: null }).content.text).not.toContain('Bertil Berg');
    }
  });

  it('links to the booking in the chosen language', () => {
    expect(render('sv', summer, { kind: 'confirmed' }).content.text).toContain(`Visa bokningen: ${BOOKING_URL}`);
    expect(render('en', summer, { kind: 'confirmed' }).content.text).toContain(`View the booking: ${BOOKING_URL}`);
  });

  it('a session over two days shows the end date, not only the end time', () => {
    const twoDays = { ...summer, endsAt: new Date('2030-07-11T14:00:00Z') };
    expect(render('sv', twoDays, { kind: 'reminder' }).content.text).toContain(`${TITLE}, 10 juli 2030 kl. 09:00 – 11 juli 2030 kl. 16:00 (${PROVIDER})`);
    expect(render('en', twoDays, { kind: 'reminder' }).content.text).toContain(`${TITLE}, 10 July 2030, 09:00 – 11 July 2030, 16:00 (${PROVIDER})`);
  });

  describe.each(Object.keys(fixtures) as (keyof typeof fixtures)[])('approval requested, %s session', (which) => {
    const f = fixtures[which];
    const ask = (locale: Locale) =>
      approvalRequestedMail(locale, { adminName: 'Bertil Berg', participantName: 'Anna Andersson', session: f.session, url: BOOKING_URL });

    it('in sv', () => {
      const mail = ask('sv');
      expect(mail.subject).toBe(`Godkännande behövs: Anna Andersson, ${TITLE}`);
      expect(mail.text.startsWith('Hej Bertil Berg!\n')).toBe(true);
      expectSays(mail, [`Anna Andersson vill gå ${f.line.sv}. Kursen kräver arbetsgivarens godkännande.`]);
      expect(mail.text).toContain(`Granska bokningen: ${BOOKING_URL}`);
      expectLanguage(mail, 'sv');
    });

    it('in en', () => {
      const mail = ask('en');
      expect(mail.subject).toBe(`Approval requested: Anna Andersson, ${TITLE}`);
      expect(mail.text.startsWith('Hello Bertil Berg,\n')).toBe(true);
      expectSays(mail, [`Anna Andersson would like to attend ${f.line.en}. The course needs the employer's approval.`]);
      expect(mail.text).toContain(`Review the booking: ${BOOKING_URL}`);
      expectLanguage(mail, 'en');
    });
  });
});

describe('the calendar invitation', () => {
  it('resolves to the right instants across the spring and autumn changes, with the file\'s own VTIMEZONE', () => {
    // 31 March 2030 is the last Sunday of March: 01:30 CET to 04:30 CEST is two hours.
    const spring = { ...summer, startsAt: new Date('2030-03-31T00:30:00Z'), endsAt: new Date('2030-03-31T02:30:00Z') };
    // 27 October 2030 is the last Sunday of October: 01:30 CEST to 03:30 CET is three hours.
    const autumn = { ...summer, startsAt: new Date('2030-10-26T23:30:00Z'), endsAt: new Date('2030-10-27T02:30:00Z') };
    for (const session of [spring, autumn]) {
      expectInviteFor(notifications.calendar(BOOKING_ID, session, 'anna.andersson@example.se'), session, 'Folkets hus, sal 2, Uppsala');
    }
  });

  it('is the same whatever time zone the server runs in', () => {
    const before = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        expectInviteFor(notifications.calendar(BOOKING_ID, summer, 'anna.andersson@example.se'), summer, 'Folkets hus, sal 2, Uppsala');
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('has DTSTAMP in UTC; an online session\'s meeting is its place and in its description, its URL the booking\'s page', () => {
    const ics = notifications.calendar(BOOKING_ID, winter, 'anna.andersson@example.se');
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const stamp = calendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstamp') as InstanceType<typeof ICAL.Time>;
    expect(stamp.zone.tzid).toBe('UTC');
    expect(stamp.toJSDate().toISOString()).toBe(NOW.toISOString());
    const invite = parseInvite(ics);
    expect(invite.location).toBe(ONLINE_URL);
    expect(invite.url).toBe(BOOKING_URL);
    expect(new ICAL.Event(calendar.getFirstSubcomponent('vevent')!).description).toContain(ONLINE_URL);
  });
});
