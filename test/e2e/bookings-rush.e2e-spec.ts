import type { ParsedMail } from 'mailparser';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { type FastUser, fastUsers, givenProvider, givenSession, seatAccountingErrors, seatsTaken, waitlistErrors } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { recipients } from '../support/smtp.js';

const PEOPLE = 500;
const SEATS = 50;

interface Booked {
  person: FastUser;
  id: string;
  status: string;
  position: number | null;
}

/**
 * A popular course opens: 500 people book a session of 50 seats at once (one or two instances),
 * then cancellations race new bookings. Bookings that find no seat are waitlisted many to a
 * statement (BookingBatches); these check the promises that makes, through the API, the tables and
 * the emails as an SMTP server receives them.
 */
describe('a rush on one session', () => {
  const t = useTestContext({ smtp: true });
  let providerId: string;

  beforeAll(async () => {
    providerId = await givenProvider(t.db);
  });

  const book = (app: TestApp, person: FastUser, sessionId: string): Promise<Response> =>
    app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send({}).then((res) => res);

  /** Sends every email due (through any instance: they share the outbox) and returns what these people received. */
  async function mailOf(people: FastUser[]): Promise<Map<string, ParsedMail[]>> {
    while ((await t.app.dispatchMail()) > 0);
    const addresses = new Set(people.map((p) => p.email.toLowerCase()));
    const byAddress = new Map<string, ParsedMail[]>(people.map((p) => [p.email.toLowerCase(), []]));
    for (const mail of t.smtp.messages) for (const to of recipients(mail)) if (addresses.has(to)) byAddress.get(to)!.push(mail);
    return byAddress;
  }

  /** The booking a received email is about (its link names it). */
  const bookingOf = (mail: ParsedMail) => /\/bokningar\/([0-9a-f-]{36})/.exec(mail.text ?? '')?.[1];

  /** The waitlisted bookings of the session in waitlist order, with the position the API shows each. */
  async function waitlist(sessionId: string): Promise<{ id: string; user_id: string; position: number }[]> {
    return t.db.query(
      `SELECT b.id, b.user_id,
              (SELECT count(*)::int FROM bookings w WHERE w.session_id = b.session_id AND w.status = 'waitlisted' AND w.waitlist_seq <= b.waitlist_seq) AS position
         FROM bookings b WHERE b.session_id = $1 AND b.status = 'waitlisted' ORDER BY b.waitlist_seq`,
      [sessionId],
    );
  }

  /**
   * Looks at the session again and again (each look one statement, so one consistent snapshot)
   * while `during` runs, and returns what any look found wrong: someone waitlisted beside a free
   * seat, more seats held than the capacity, or the counts on the session row off.
   */
  async function watched<T>(sessionId: string, during: Promise<T>): Promise<{ result: T; looks: number; wrong: unknown[] }> {
    let done = false;
    const wrong: unknown[] = [];
    let looks = 0;
    const watcher = (async () => {
      while (!done || looks === 0) {
        const [row] = await t.db.query<{ capacity: number; seats_taken: number; waitlist_length: number; holding: number; waiting: number }>(
          `SELECT s.capacity, s.seats_taken, s.waitlist_length,
                  (SELECT count(*)::int FROM bookings b WHERE b.session_id = s.id AND b.status IN ('confirmed', 'offered')) AS holding,
                  (SELECT count(*)::int FROM bookings b WHERE b.session_id = s.id AND b.status = 'waitlisted') AS waiting
             FROM sessions s WHERE s.id = $1`,
          [sessionId],
        );
        looks++;
        if ((row.waiting > 0 && row.seats_taken < row.capacity) || row.holding > row.capacity || row.holding !== row.seats_taken || row.waiting !== row.waitlist_length) {
          wrong.push(row);
        }
      }
    })();
    try {
      return { result: await during, looks, wrong };
    } finally {
      done = true;
      await watcher;
    }
  }

  /** The rush itself and everything it must leave behind. */
  async function rush(mode: 'auto' | 'offer', apps: TestApp[]): Promise<{ sessionId: string; booked: Booked[] }> {
    const session = await givenSession(t.db, providerId, { capacity: SEATS, waitlistMode: mode });
    const people = await fastUsers(t.db, PEOPLE);
    const { result: responses, looks, wrong } = await watched(session.id, Promise.all(people.map((person, i) => book(apps[i % apps.length], person, session.id))));
    // At no moment anyone waitlisted beside a free seat, or the books off.
    expect(looks).toBeGreaterThan(0);
    expect(wrong).toEqual([]);

    expect(responses.map((res) => res.status)).toEqual(people.map(() => 201));
    const booked = responses.map((res, i) => ({ person: people[i], id: res.body.id as string, status: res.body.status as string, position: res.body.waitlistPosition as number | null }));
    const confirmed = booked.filter((b) => b.status === 'confirmed');
    const waitlisted = booked.filter((b) => b.status === 'waitlisted');
    // Never overbooked, nobody waitlisted beside a free seat.
    expect([confirmed.length, waitlisted.length]).toEqual([SEATS, PEOPLE - SEATS]);
    expect(await seatsTaken(t.db, session.id)).toBe(SEATS);
    expect(await seatAccountingErrors(t.db)).toEqual([]);
    expect(await waitlistErrors(t.db)).toEqual([]);
    // Positions 1..450, each given once, and each the place the person holds in the waitlist.
    const line = await waitlist(session.id);
    expect(line.map((row) => row.position)).toEqual(waitlisted.map((_, i) => i + 1));
    const positionOf = new Map(waitlisted.map((b) => [b.id, b.position]));
    expect(line.map((row) => positionOf.get(row.id))).toEqual(line.map((_, i) => i + 1));
    // Every person exactly one booking.
    const perPerson = await t.db.query<{ user_id: string; n: number }>('SELECT user_id, count(*)::int AS n FROM bookings WHERE session_id = $1 GROUP BY user_id', [session.id]);
    expect(perPerson).toHaveLength(PEOPLE);
    expect(perPerson.every((row) => row.n === 1)).toBe(true);
    // Every booking exactly one email, as received: the confirmation (with its calendar file) or
    // the waitlist email with the position the answer gave.
    const mail = await mailOf(people);
    for (const b of booked) {
      const received = mail.get(b.person.email.toLowerCase())!;
      expect(received.map(bookingOf)).toEqual([b.id]);
      if (b.status === 'confirmed') {
        expect(received[0].subject).toMatch(/^Bokningen är klar: /);
        expect(received[0].attachments.map((a) => a.filename)).toEqual(['kurstillfalle.ics']);
      } else {
        expect(received[0].subject).toMatch(/^Du står på väntelistan: /);
        expect(received[0].text).toContain(`Du står på väntelistan som nummer ${b.position}.`);
      }
    }
    return { sessionId: session.id, booked };
  }

  /**
   * 20 confirmed and 20 waitlisted bookings cancelled while 100 more people book, all at once:
   * the freed seats go to the head of the waitlist (confirmed or offered), the newcomers queue
   * behind everyone, and the books still balance.
   */
  async function cancellationsRacingBookings(mode: 'auto' | 'offer', apps: TestApp[], sessionId: string, booked: Booked[]): Promise<void> {
    const confirmed = booked.filter((b) => b.status === 'confirmed');
    const before = await waitlist(sessionId);
    const leaving = [...confirmed.slice(0, 20), ...before.slice(100, 120).map((row) => booked.find((b) => b.id === row.id)!)];
    const newcomers = await fastUsers(t.db, 100);
    const { result: sent, looks, wrong } = await watched(
      sessionId,
      Promise.all([
        ...leaving.map((b, i) => apps[i % apps.length].http.post(`/api/v1/bookings/${b.id}/cancel`).set(b.person.auth).send({}).then((res) => res)),
        ...newcomers.map((person, i) => book(apps[(i + 1) % apps.length], person, sessionId)),
      ]),
    );
    expect(looks).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
    expect(sent.map((res) => res.status)).toEqual([...leaving.map(() => 200), ...newcomers.map(() => 201)]);
    // The waitlist was long: no newcomer found a seat.
    expect(sent.slice(leaving.length).map((res) => res.body.status)).toEqual(newcomers.map(() => 'waitlisted'));

    const seatHolder = mode === 'auto' ? 'confirmed' : 'offered';
    const counts = await t.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM bookings WHERE session_id = $1 GROUP BY status', [sessionId]);
    expect(Object.fromEntries(counts.map((c) => [c.status, c.n]))).toEqual({
      cancelled: 40,
      ...(mode === 'auto' ? { confirmed: SEATS } : { confirmed: SEATS - 20, offered: 20 }),
      waitlisted: PEOPLE - SEATS - 20 - 20 + 100,
    });
    expect(await seatsTaken(t.db, sessionId)).toBe(SEATS);
    expect(await seatAccountingErrors(t.db)).toEqual([]);
    expect(await waitlistErrors(t.db)).toEqual([]);
    // The 20 seats went to the first 20 of the waitlist as it was, in order.
    const promoted = await t.db.query<{ id: string }>(
      `SELECT id FROM bookings WHERE session_id = $1 AND status = $2 AND waitlist_seq IS NOT NULL ORDER BY waitlist_seq`,
      [sessionId, seatHolder],
    );
    expect(promoted.map((row) => row.id)).toEqual(before.slice(0, 20).map((row) => row.id));
    // The waitlist now: those who stayed, in their order, then the newcomers; positions 1..n.
    const after = await waitlist(sessionId);
    const stayed = before.slice(20).filter((row) => !leaving.some((b) => b.id === row.id));
    expect(after.slice(0, stayed.length).map((row) => row.id)).toEqual(stayed.map((row) => row.id));
    expect(new Set(after.slice(stayed.length).map((row) => row.id))).toEqual(new Set(sent.slice(leaving.length).map((res) => res.body.id)));
    expect(after.map((row) => row.position)).toEqual(after.map((_, i) => i + 1));
    // Each newcomer's answer gave the place they held then: at least the one they hold now, and
    // higher by no more than the 40 who left the line ahead of them (promoted or cancelled) since.
    const newcomerPositions = new Map(sent.slice(leaving.length).map((res) => [res.body.id as string, res.body.waitlistPosition as number]));
    for (const row of after.slice(stayed.length)) {
      expect(newcomerPositions.get(row.id)).toBeGreaterThanOrEqual(row.position);
      expect(newcomerPositions.get(row.id)).toBeLessThanOrEqual(row.position + 40);
    }

    // Emails: one per booking and happening. The leavers: a cancellation; the promoted: a seat; the newcomers: their place.
    const mail = await mailOf([...leaving.map((b) => b.person), ...newcomers, ...booked.map((b) => b.person)]);
    const subjectsFor = (person: FastUser) => mail.get(person.email.toLowerCase())!.map((m) => m.subject!.split(':')[0]);
    for (const b of leaving) expect(subjectsFor(b.person)).toEqual([b.status === 'confirmed' ? 'Bokningen är klar' : 'Du står på väntelistan', 'Bokningen är avbokad']);
    for (const row of promoted) {
      const b = booked.find((x) => x.id === row.id)!;
      expect(subjectsFor(b.person)).toEqual(['Du står på väntelistan', mode === 'auto' ? 'Bokningen är klar' : 'En plats är ledig åt dig']);
    }
    const touched = new Set([...leaving.map((b) => b.id), ...promoted.map((row) => row.id)]);
    for (const b of booked.filter((x) => !touched.has(x.id))) expect(subjectsFor(b.person)).toHaveLength(1);
    for (const [i, person] of newcomers.entries()) {
      const received = mail.get(person.email.toLowerCase())!;
      expect(received.map(bookingOf)).toEqual([sent[leaving.length + i].body.id]);
      expect(received[0].text).toContain(`Du står på väntelistan som nummer ${sent[leaving.length + i].body.waitlistPosition}.`);
    }
    const [{ duplicates }] = await t.db.query<{ duplicates: number }>(
      `SELECT count(*)::int AS duplicates FROM (SELECT dedupe_key FROM mail_outbox GROUP BY dedupe_key HAVING count(*) > 1) d`,
    );
    expect(duplicates).toBe(0);
  }

  it('auto mode, one instance: 500 people on 50 seats, then cancellations racing new bookings', async () => {
    const { sessionId, booked } = await rush('auto', [t.app]);
    // One instance: the seats went to the first who came, the waitlist is in the order they came.
    const rows = await t.db.query<{ status: string; created_at: Date; waitlist_seq: string | null }>(
      `SELECT status, created_at, waitlist_seq FROM bookings WHERE session_id = $1 ORDER BY waitlist_seq NULLS FIRST, created_at`,
      [sessionId],
    );
    const times = rows.map((row) => row.created_at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await cancellationsRacingBookings('auto', [t.app], sessionId, booked);
  }, 240_000);

  it('offer mode, one instance: 500 people on 50 seats, then cancellations racing new bookings', async () => {
    const { sessionId, booked } = await rush('offer', [t.app]);
    await cancellationsRacingBookings('offer', [t.app], sessionId, booked);
  }, 240_000);

  it('offer mode, two instances on one database: 500 people on 50 seats, then cancellations racing new bookings', async () => {
    const second = await startTestApp({ databaseUrl: t.db.url, smtpUrl: t.smtp.url });
    try {
      const { sessionId, booked } = await rush('offer', [t.app, second]);
      await cancellationsRacingBookings('offer', [t.app, second], sessionId, booked);
    } finally {
      await second.close();
    }
  }, 240_000);
});
