import { parse } from 'csv-parse/sync';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { DataSource } from 'typeorm';
import { AttendanceEvents, type AttendanceRecorded } from '../../src/bookings/attendance-events.js';
import { AttendanceService } from '../../src/bookings/attendance.service.js';
import { BookingJobs } from '../../src/bookings/booking-jobs.scheduler.js';
import { SessionEvents } from '../../src/catalogue/session-events.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { fastUser, givenMember, givenOrganisation, givenProvider, givenSession, seatAccountingErrors, type FastUser } from '../support/bookings-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows } from '../support/factories.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Invite {
  start: Date;
  end: Date;
  /** TZID parameters of DTSTART and DTEND. */
  tzids: string[];
  /** TZIDs of the file's VTIMEZONE components. */
  timezones: string[];
  summary: string;
  location: string;
  url: string | null;
  uid: string;
  /** DTSTAMP, and whether it is written in UTC. */
  stamp: { at: Date; utc: boolean };
}

/**
 * The one event of a VCALENDAR, read with a real iCalendar parser (ical.js). Its times are
 * resolved with the VTIMEZONE the file itself carries, so a missing or wrong definition shows up
 * as a wrong instant.
 */
function parseInvite(ics: string): Invite {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  expect(calendar.name).toBe('vcalendar');
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  const vevent = vevents[0];
  const event = new ICAL.Event(vevent);
  const stamp = vevent.getFirstPropertyValue('dtstamp') as InstanceType<typeof ICAL.Time>;
  return {
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    tzids: ['dtstart', 'dtend'].map((name) => String(vevent.getFirstProperty(name)!.getParameter('tzid'))),
    timezones: calendar.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid'))),
    summary: event.summary,
    location: event.location,
    url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
    uid: event.uid,
    stamp: { at: stamp.toJSDate(), utc: stamp.zone.tzid === 'UTC' },
  };
}

/** The invitation is for this session: its instants, in Europe/Stockholm as defined in the file, at this place. */
function expectInvite(ics: string, session: { startsAt: Date; endsAt: Date }, place: string, summary = 'Offentlig upphandling för sociala företag'): Invite {
  const invite = parseInvite(ics);
  expect(invite.start.toISOString()).toBe(session.startsAt.toISOString());
  expect(invite.end.toISOString()).toBe(session.endsAt.toISOString());
  expect(invite.tzids).toEqual(['Europe/Stockholm', 'Europe/Stockholm']);
  expect(invite.timezones).toEqual(['Europe/Stockholm']);
  expect(invite.location).toBe(place);
  expect(invite.summary).toBe(summary);
  expect(invite.stamp.utc).toBe(true);
  return invite;
}

function calendarAttachment(mail: ParsedMail): string {
  const attachments = mail.attachments.filter((a) => a.contentType.startsWith('text/calendar'));
  expect(attachments).toHaveLength(1);
  return attachments[0].content.toString('utf8');
}

/** "4 July 2030, 00:15" / "4 juli 2030 kl. 00:15": the instant as someone in Sweden reads it. */
function inSwedishTime(date: Date, locale: 'sv' | 'en'): string {
  const zone = { timeZone: 'Europe/Stockholm' } as const;
  const day = new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { ...zone, day: 'numeric', month: 'long', year: 'numeric' }).format(date);
  const time = new Intl.DateTimeFormat('en-GB', { ...zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return locale === 'sv' ? `${day} kl. ${time}` : `${day}, ${time}`;
}

describe('booking flows and their emails', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let app: TestApp;
  let providerId: string;
  let staff: FastUser;
  let orgId: string;
  let admin: FastUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
    app = await startTestApp({ databaseUrl: db.url, smtpUrl: smtp.url });
    staff = await fastUser(db, { prefix: 'staff' });
    providerId = await givenProvider(db, [staff.id]);
    orgId = await givenOrganisation(db);
    admin = await fastUser(db, { prefix: 'admin' });
    await givenMember(db, orgId, admin.id, 'org_admin');
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await db?.drop();
  });

  async function employee(locale: 'sv' | 'en' = 'sv'): Promise<FastUser> {
    const person = await fastUser(db, { locale });
    await givenMember(db, orgId, person.id);
    return person;
  }

  /** The first mail to the person with this subject (and, if given, with this in its text). */
  async function mailTo(person: { email: string }, subject: RegExp, text?: string): Promise<ParsedMail> {
    await app.dispatchMail();
    return smtp.waitForMailMatching(person.email, (m) => subject.test(m.subject ?? '') && (text === undefined || (m.text ?? '').includes(text)));
  }

  const book = (person: FastUser, sessionId: string, body: object = {}) => app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send(body);

  it('confirms with a calendar invitation in Stockholm time, with the place; the same file is served as text/calendar', async () => {
    const session = await givenSession(db, providerId, { startsAt: new Date(Date.UTC(2030, 6, 10, 7, 0)), endsAt: new Date(Date.UTC(2030, 6, 10, 10, 30)), venue: 'Folkets hus, sal 2' });
    const anna = await employee();
    const res = await book(anna, session.id, { accessibilityRequests: ['induction_loop'], note: 'Jag har ledsagare.' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'confirmed', waitlistPosition: null });
    const mail = await mailTo(anna, /Bokningen är klar/);
    expect(mail.text).toContain('Offentlig upphandling för sociala företag');
    expect(mail.text).toContain('10 juli 2030 kl. 09:00');
    expect(mail.text).toContain('Folkets hus, sal 2, Uppsala');
    const event = expectInvite(calendarAttachment(mail), session, 'Folkets hus, sal 2, Uppsala');
    // Summer time: 09:00–12:30 in Stockholm is 07:00–10:30 UTC.
    expect([event.start.toISOString(), event.end.toISOString()]).toEqual(['2030-07-10T07:00:00.000Z', '2030-07-10T10:30:00.000Z']);
    expect(event.uid).toBe(`${res.body.id}@kompetenslyft`);

    const served = await app.http.get(`/api/v1/bookings/${res.body.id}/calendar.ics`).set(anna.auth).expect(200);
    expect(served.headers['content-type']).toMatch(/^text\/calendar/);
    const servedEvent = expectInvite(served.text, session, 'Folkets hus, sal 2, Uppsala');
    expect(servedEvent.uid).toBe(event.uid);
    // Winter time (+01:00), online: the place is the meeting link.
    const winter = await givenSession(db, providerId, { startsAt: new Date(Date.UTC(2030, 11, 10, 8, 0)), online: true, onlineUrl: 'https://meet.example.se/kurs', venue: null });
    const w = await book(anna, winter.id).expect(201);
    const winterIcs = (await app.http.get(`/api/v1/bookings/${w.body.id}/calendar.ics`).set(anna.auth).expect(200)).text;
    const winterEvent = expectInvite(winterIcs, winter, 'https://meet.example.se/kurs');
    // the event's URL is the booking's web page; the meeting link is its place
    expect(winterEvent.url).toBe(`http://kompetenslyft.test/bokningar/${w.body.id}`);
    expect(event.url).toBe(`http://kompetenslyft.test/bokningar/${res.body.id}`);
    for (const ics of [served.text, winterIcs]) {
      expect(ics.endsWith('\r\n')).toBe(true);
      expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(ics).not.toMatch(/^TIMEZONE-ID/m);
    }
    const winterMail = await mailTo(anna, /Bokningen är klar/, '10 december 2030 kl. 09:00');
    expect(winterMail.text).toContain('Online: https://meet.example.se/kurs');
    expectInvite(calendarAttachment(winterMail), winter, 'https://meet.example.se/kurs');
  });

  it('waitlists with the position, offers a freed seat with a deadline, accepts it; an unanswered offer expires and passes on', async () => {
    const session = await givenSession(db, providerId, { capacity: 1, waitlistMode: 'offer' });
    const [first, second, third] = [await employee(), await employee('en'), await employee()];
    const a = await book(first, session.id).expect(201);
    const b = await book(second, session.id).expect(201);
    const c = await book(third, session.id).expect(201);
    expect([b.body.status, b.body.waitlistPosition, c.body.waitlistPosition]).toEqual(['waitlisted', 1, 2]);
    expect((await mailTo(second, /waitlist/)).text).toContain('You are number 1 on the waitlist');
    expect((await mailTo(third, /väntelistan/)).text).toContain('som nummer 2');

    await app.http.post(`/api/v1/bookings/${a.body.id}/cancel`).set(first.auth).send({ reason: 'Sjuk' }).expect(200);
    expect((await mailTo(first, /avbokad/)).text).toContain('är avbokad');
    const offer = await mailTo(second, /A seat is free for you/);
    const got = await app.http.get(`/api/v1/bookings/${b.body.id}`).set(second.auth).expect(200);
    expect(got.body.status).toBe('offered');
    const deadline = new Date(got.body.offerExpiresAt);
    expect(Math.round((deadline.getTime() - Date.now()) / HOUR)).toBe(48);
    // The deadline itself, in Swedish time (not just the words around it).
    expect(offer.text).toContain(`Accept it by ${inSwedishTime(deadline, 'en')}; after that it goes to the next person on the waitlist.`);
    // Third moved up.
    expect((await app.http.get(`/api/v1/bookings/${c.body.id}`).set(third.auth).expect(200)).body.waitlistPosition).toBe(1);

    // Second does not answer: after 48 h the job passes the seat to third.
    app.clock.advance(49 * HOUR);
    try {
      expect(await app.app.get(BookingJobs).expireOffers()).toBe(1);
      expect((await mailTo(second, /offer has expired/)).text).toContain('passed to the next person');
      const thirdOffer = await mailTo(third, /En plats är ledig åt dig/);
      const thirdDeadline = new Date((await app.http.get(`/api/v1/bookings/${c.body.id}`).set(third.auth).expect(200)).body.offerExpiresAt);
      expect(thirdOffer.text).toContain(`Tacka ja senast ${inSwedishTime(thirdDeadline, 'sv')}, annars går platsen`);
      const expired = await app.http.post(`/api/v1/bookings/${b.body.id}/accept-offer`).set(second.auth).expect(409);
      expect(expired.body.code).toBe('BOOKING_NO_OFFER');
      const accepted = await app.http.post(`/api/v1/bookings/${c.body.id}/accept-offer`).set(third.auth).expect(200);
      expect(accepted.body.status).toBe('confirmed');
      await mailTo(third, /Bokningen är klar/);
    } finally {
      app.clock.reset();
    }
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('an offer never runs past the booking window', async () => {
    const startsAt = new Date(Date.now() + 10 * DAY);
    const closes = new Date(Date.now() + 5 * HOUR);
    const session = await givenSession(db, providerId, { capacity: 1, startsAt, bookingClosesAt: closes });
    const [x, y] = [await employee(), await employee()];
    const bx = await book(x, session.id).expect(201);
    const by = await book(y, session.id).expect(201);
    await app.http.post(`/api/v1/bookings/${bx.body.id}/cancel`).set(x.auth).send({}).expect(200);
    const offered = await app.http.get(`/api/v1/bookings/${by.body.id}`).set(y.auth).expect(200);
    expect(offered.body.offerExpiresAt).toBe(closes.toISOString());
  });

  it('the seat-offered email gives the deadline as read in Sweden, on the Swedish date', async () => {
    /** Books a full session, frees its seat five hours before `closes`: the offer runs until `closes`. */
    async function offerUntil(closes: Date, locale: 'sv' | 'en'): Promise<ParsedMail> {
      const session = await givenSession(db, providerId, { capacity: 1, startsAt: new Date(closes.getTime() + 3 * DAY), bookingClosesAt: closes });
      const [holder, next] = [await employee(), await employee(locale)];
      const held = await book(holder, session.id).expect(201);
      const waiting = await book(next, session.id).expect(201);
      app.clock.advance(closes.getTime() - 5 * HOUR - Date.now());
      try {
        await app.http.post(`/api/v1/bookings/${held.body.id}/cancel`).set(holder.auth).send({}).expect(200);
        const offered = await app.http.get(`/api/v1/bookings/${waiting.body.id}`).set(next.auth).expect(200);
        expect(offered.body).toMatchObject({ status: 'offered', offerExpiresAt: closes.toISOString() });
        return await mailTo(next, locale === 'sv' ? /En plats är ledig åt dig/ : /A seat is free for you/);
      } finally {
        app.clock.reset();
      }
    }
    // 23:15 UTC on 31 October 2030 is 00:15 on 1 November in Stockholm (CET, after the autumn change).
    const sv = await offerUntil(new Date(Date.UTC(2030, 9, 31, 23, 15)), 'sv');
    expect(sv.text).toContain('Tacka ja senast 1 november 2030 kl. 00:15, annars går platsen till nästa person på väntelistan.');
    // 22:30 UTC on 12 June 2030 is 00:30 on 13 June in Stockholm (CEST).
    const en = await offerUntil(new Date(Date.UTC(2030, 5, 12, 22, 30)), 'en');
    expect(en.text).toContain('Accept it by 13 June 2030, 00:30; after that it goes to the next person on the waitlist.');
  });

  it('approval: the org admin is asked, approves (confirmed) or rejects with a reason the person is told', async () => {
    const session = await givenSession(db, providerId, { capacity: 5, requiresApproval: true });
    const [p, q] = [await employee(), await employee()];
    const pending = await book(p, session.id).expect(201);
    expect(pending.body.status).toBe('pending_approval');
    expect(await countRows(db, 'sessions', 'id = $1 AND seats_taken = 0', [session.id])).toBe(1);
    const ask = await mailTo(admin, /Godkännande behövs/);
    expect(ask.text).toContain(p.name);
    const approved = await app.http.post(`/api/v1/bookings/${pending.body.id}/approve`).set(admin.auth).expect(200);
    expect(approved.body.status).toBe('confirmed');
    const mail = await mailTo(p, /godkänd/);
    expect(mail.text).toContain('Plats: Storgatan 1, sal 3, Uppsala');
    const invite = expectInvite(calendarAttachment(mail), session, 'Storgatan 1, sal 3, Uppsala');
    expect(invite.uid).toBe(`${pending.body.id}@kompetenslyft`);

    const other = await book(q, session.id).expect(201);
    await app.http.post(`/api/v1/bookings/${other.body.id}/reject`).set(admin.auth).send({ reason: 'Vi har ingen vikarie den dagen.' }).expect(200);
    const rejected = await mailTo(q, /godkändes inte/);
    expect(rejected.text).toContain('Vi har ingen vikarie den dagen.');
    const again = await app.http.post(`/api/v1/bookings/${other.body.id}/approve`).set(admin.auth).expect(409);
    expect(again.body.code).toBe('BOOKING_NOT_PENDING_APPROVAL');
    // An org admin booking for an employee approves by booking.
    const r = await employee();
    const direct = await book(admin, session.id, { participantUserId: r.id }).expect(201);
    expect(direct.body.status).toBe('confirmed');
    // The employee is told who booked them.
    expect((await mailTo(r, /Bokningen är klar/)).text).toContain(`${admin.name} har bokat dig.`);
  });

  it('approval when full puts the person on the waitlist', async () => {
    const session = await givenSession(db, providerId, { capacity: 1, requiresApproval: true });
    const [p, q] = [await employee(), await employee()];
    await book(admin, session.id, { participantUserId: p.id }).expect(201);
    const pending = await book(q, session.id).expect(201);
    const approved = await app.http.post(`/api/v1/bookings/${pending.body.id}/approve`).set(admin.auth).expect(200);
    expect(approved.body).toEqual({ id: pending.body.id, status: 'waitlisted', waitlistPosition: 1 });
    expect((await mailTo(q, /godkänd/)).text).toContain('nummer 1');
  });

  it('cancellation deadline binds the participant and org admin, not the provider', async () => {
    const session = await givenSession(db, providerId, { capacity: 5, cancellationDeadline: new Date(Date.now() + 2 * DAY) });
    const p = await employee();
    const booking = await book(p, session.id).expect(201);
    app.clock.advance(3 * DAY);
    try {
      const late = await app.http.post(`/api/v1/bookings/${booking.body.id}/cancel`).set(p.auth).send({}).expect(409);
      expect(late.body.code).toBe('BOOKING_CANCELLATION_DEADLINE_PASSED');
      const byAdmin = await app.http.post(`/api/v1/bookings/${booking.body.id}/cancel`).set(admin.auth).send({}).expect(409);
      expect(byAdmin.body.code).toBe('BOOKING_CANCELLATION_DEADLINE_PASSED');
      await app.http.post(`/api/v1/bookings/${booking.body.id}/cancel`).set(staff.auth).send({ reason: 'Dubbelbokad' }).expect(200);
      expect((await mailTo(p, /avbokad/)).text).toContain('Utbildningsanordnaren har avbokat');
      const twice = await app.http.post(`/api/v1/bookings/${booking.body.id}/cancel`).set(staff.auth).send({}).expect(409);
      expect(twice.body.code).toBe('BOOKING_NOT_ACTIVE');
    } finally {
      app.clock.reset();
    }
  });

  it('a cancelled session cancels every booking and tells everyone; raised capacity goes to the waitlist', async () => {
    const session = await givenSession(db, providerId, { capacity: 1, waitlistMode: 'auto' });
    const [p, q, r] = [await employee(), await employee(), await employee()];
    await book(p, session.id).expect(201);
    const wq = await book(q, session.id).expect(201);
    await book(r, session.id).expect(201);
    const dataSource = app.app.get(DataSource);
    const events = app.app.get(SessionEvents);
    // The catalogue raises the capacity and emits in its transaction: q is confirmed (auto mode).
    await dataSource.transaction(async (manager) => {
      await manager.query('UPDATE sessions SET capacity = 2 WHERE id = $1', [session.id]);
      await events.emit(manager, 'capacityRaised', session.id);
    });
    expect((await app.http.get(`/api/v1/bookings/${wq.body.id}`).set(q.auth).expect(200)).body.status).toBe('confirmed');
    await mailTo(q, /Bokningen är klar/);

    await dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE sessions SET status = 'cancelled', cancellation_reason = 'Kursledaren är sjuk' WHERE id = $1`, [session.id]);
      await events.emit(manager, 'cancelled', session.id);
    });
    for (const person of [p, q, r]) expect((await mailTo(person, /Inställt/)).text).toContain('Kursledaren är sjuk');
    expect(await countRows(db, 'bookings', `session_id = $1 AND status <> 'cancelled'`, [session.id])).toBe(0);
    expect(await countRows(db, 'sessions', 'id = $1 AND seats_taken = 0', [session.id])).toBe(1);
    const refused = await book(await employee(), session.id).expect(409);
    expect(refused.body.code).toBe('BOOKING_SESSION_CANCELLED');
  });

  it('sends one reminder two days before the session, with its date, time and place', async () => {
    // 4 February 2031, 09:30–12:30 in Stockholm (CET): 08:30–11:30 UTC.
    const startsAt = new Date(Date.UTC(2031, 1, 4, 8, 30));
    const endsAt = new Date(Date.UTC(2031, 1, 4, 11, 30));
    const atVenue = await givenSession(db, providerId, { startsAt, endsAt });
    const online = await givenSession(db, providerId, { startsAt, endsAt, online: true, onlineUrl: 'https://meet.example.se/paminnelse', venue: null });
    const p = await employee('en');
    const q = await employee('sv');
    await book(p, atVenue.id).expect(201);
    await book(q, online.id).expect(201);
    const jobs = app.app.get(BookingJobs);
    expect(await jobs.sendReminders()).toBe(0);
    app.clock.advance(startsAt.getTime() - 2 * DAY + HOUR - Date.now());
    try {
      expect(await jobs.sendReminders()).toBe(2);
      expect(await jobs.sendReminders()).toBe(0);
      const en = await mailTo(p, /^Reminder: Offentlig upphandling för sociala företag in two days$/);
      expect(en.text).toContain('Welcome to Offentlig upphandling för sociala företag, 4 February 2031, 09:30–12:30 (');
      expect(en.text).toContain('Place: Storgatan 1, sal 3, Uppsala');
      const sv = await mailTo(q, /^Påminnelse: Offentlig upphandling för sociala företag om två dagar$/);
      expect(sv.text).toContain('Välkommen till Offentlig upphandling för sociala företag, 4 februari 2031 kl. 09:30–12:30 (');
      expect(sv.text).toContain('Online: https://meet.example.se/paminnelse');
    } finally {
      app.clock.reset();
    }
    expect(smtp.to(p.email).filter((m) => /Reminder/.test(m.subject ?? ''))).toHaveLength(1);
  });

  it('attendance: 409 before the start; then recorded, readable by other modules, announced to listeners', async () => {
    const session = await givenSession(db, providerId, { startsAt: new Date(Date.now() + 2 * HOUR) });
    const [p, q] = [await employee(), await employee()];
    const bp = await book(p, session.id).expect(201);
    const bq = await book(q, session.id).expect(201);
    const records = [{ bookingId: bp.body.id, attended: true }, { bookingId: bq.body.id, attended: false }];
    const early = await app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(staff.auth).send({ records }).expect(409);
    expect(early.body.code).toBe('BOOKING_SESSION_NOT_STARTED');
    const heard: AttendanceRecorded[] = [];
    app.app.get(AttendanceEvents).onRecorded(async (_manager, event) => {
      heard.push(event);
    });
    app.clock.advance(3 * HOUR);
    try {
      expect((await app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(staff.auth).send({ records }).expect(200)).body).toEqual({ recorded: 2 });
    } finally {
      app.clock.reset();
    }
    const attendance = await app.app.get(AttendanceService).forSession(session.id);
    expect(attendance.map((a) => [a.userId, a.attended]).sort()).toEqual([[p.id, true], [q.id, false]].sort());
    expect(heard).toHaveLength(1);
    expect(heard[0].records).toHaveLength(2);
  });

  it('lists: mine, the organisation\'s, the session\'s with accessibility requests, and a CSV sign-in sheet', async () => {
    const session = await givenSession(db, providerId, { capacity: 1 });
    const [p, q] = [await employee(), await employee()];
    await book(p, session.id, { accessibilityRequests: ['induction_loop', 'easy_to_read'], note: '=SUM(A1)' }).expect(201);
    await book(q, session.id).expect(201);
    const list = await app.http.get(`/api/v1/sessions/${session.id}/bookings`).set(staff.auth).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items[0]).toMatchObject({ status: 'confirmed', participantEmail: p.email, accessibilityRequests: ['induction_loop', 'easy_to_read'] });
    expect(list.body.items[1]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, participantEmail: q.email });
    const csv = await app.http.get(`/api/v1/sessions/${session.id}/bookings?format=csv`).set(staff.auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.text, { bom: true }) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(['Namn', 'E-post', 'Organisation', 'Tillgänglighet', 'Meddelande', 'Närvarande', 'Signatur']);
    expect(rows[1][1]).toBe(p.email);
    // what people asked for, in Swedish; free text that looks like a formula stays text
    expect(rows[1][3]).toBe('Hörslinga, Lättläst svenska');
    expect(rows[1][4]).toBe("'=SUM(A1)");
    const org = await app.http.get(`/api/v1/organisations/${orgId}/bookings?status=waitlisted`).set(admin.auth).expect(200);
    expect(org.body.items.some((b: { participantEmail: string }) => b.participantEmail === q.email)).toBe(true);
    const mine = await app.http.get('/api/v1/me/bookings').set(q.auth).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ status: 'waitlisted', waitlistPosition: 1, session: { id: session.id } }] });
  });

  it('personal data: the export lists bookings; erasure keeps the rows with only the user id', async () => {
    const session = await givenSession(db, providerId, { capacity: 1 });
    const [p, q] = [await employee(), await employee()];
    const bp = await book(p, session.id, { accessibilityRequests: ['induction_loop'], note: 'Ledsagare' }).expect(201);
    const bq = await book(q, session.id).expect(201);
    const exported = await app.http.get('/api/v1/me/export').set(p.auth).expect(200);
    expect(exported.body.bookings).toEqual([expect.objectContaining({ id: bp.body.id, note: 'Ledsagare', accessibilityRequests: ['induction_loop'] })]);
    await app.http.delete('/api/v1/me').set(p.auth).expect((res) => expect([200, 204]).toContain(res.status));
    const [row] = await db.query<{ user_id: string; note: string | null; accessibility_requests: string[]; status: string }>(
      'SELECT user_id, note, accessibility_requests, status FROM bookings WHERE id = $1',
      [bp.body.id],
    );
    expect(row).toEqual({ user_id: p.id, note: null, accessibility_requests: [], status: 'cancelled' });
    // The seat went to the waitlist.
    expect((await db.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [bq.body.id]))[0].status).toBe('offered');
    expect(await seatAccountingErrors(db)).toEqual([]);
  });
});
