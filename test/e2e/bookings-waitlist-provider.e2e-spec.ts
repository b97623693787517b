import type { ParsedMail } from 'mailparser';
import { randomBytes } from 'node:crypto';
import { formatDateTime } from '../../src/common/dates.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { fastUser, givenMember, givenOrganisation, givenProvider, givenSession, seatAccountingErrors, seatsTaken, type FastUser, type SessionOptions } from '../support/bookings-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows } from '../support/factories.js';
import { recipients, startSmtpSink, type SmtpSink } from '../support/smtp.js';

const HOUR = 3600_000;

/**
 * Leaving the waitlist, and what the provider does to a session through the catalogue's own routes
 * (cancelling it, raising its capacity), seen through the bookings API, the database and the mailbox.
 */
describe('bookings: leaving the waitlist; the provider cancels a session or raises its capacity', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let app: TestApp;
  let providerId: string;
  let staff: FastUser;
  let otherStaff: FastUser;
  let orgId: string;
  let admin: FastUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
    app = await startTestApp({ databaseUrl: db.url, smtpUrl: smtp.url });
    staff = await fastUser(db, { prefix: 'staff' });
    otherStaff = await fastUser(db, { prefix: 'otherstaff' });
    providerId = await givenProvider(db, [staff.id]);
    await givenProvider(db, [otherStaff.id]);
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

  /** A session with a title of its own, so that its emails are told apart from other tests'. */
  async function session(options: SessionOptions = {}): Promise<{ id: string; title: string }> {
    const title = `Kurs ${randomBytes(4).toString('hex')}`;
    const created = await givenSession(db, providerId, { ...options, title });
    return { id: created.id, title };
  }

  async function mailTo(person: { email: string }, subject: RegExp): Promise<ParsedMail> {
    await app.dispatchMail();
    return smtp.waitForMailMatching(person.email, (m) => subject.test(m.subject ?? ''));
  }

  const book = async (person: FastUser, sessionId: string): Promise<string> =>
    (await app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send({}).expect(201)).body.id;
  const booking = async (id: string, as: FastUser) => (await app.http.get(`/api/v1/bookings/${id}`).set(as.auth).expect(200)).body;
  const statusOf = async (id: string) => (await db.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]))[0].status;
  const outboxOf = (sessionId: string) =>
    countRows(db, 'mail_outbox', `dedupe_key LIKE ANY (SELECT 'booking:' || id || ':%' FROM bookings WHERE session_id = $1)`, [sessionId]);
  /** Each person's position as they see it, through GET /bookings/:id and GET /me/bookings. */
  async function positionsSeen(entries: { person: FastUser; id: string }[]): Promise<(number | null)[]> {
    const positions: (number | null)[] = [];
    for (const { person, id } of entries) {
      const one = (await booking(id, person)).waitlistPosition;
      const mine = (await app.http.get('/api/v1/me/bookings').set(person.auth).expect(200)).body.items.find((b: { id: string }) => b.id === id);
      expect(mine.waitlistPosition).toBe(one);
      positions.push(one);
    }
    return positions;
  }
  function expectRefused(res: { status: number; body: { code?: string } }, status: number, code: string) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  }

  it('a waitlisted person leaves: the others move up, seats taken is unchanged, and the head still gets the freed seat (offer mode)', async () => {
    const s = await session({ capacity: 2, waitlistMode: 'offer' });
    const [h1, h2, w1, w2, w3, w4] = [await employee(), await employee(), await employee(), await employee(), await employee(), await employee()];
    const ids = { h1: await book(h1, s.id), h2: await book(h2, s.id), w1: await book(w1, s.id), w2: await book(w2, s.id), w3: await book(w3, s.id), w4: await book(w4, s.id) };
    const waiting = [{ person: w1, id: ids.w1 }, { person: w2, id: ids.w2 }, { person: w3, id: ids.w3 }, { person: w4, id: ids.w4 }];
    expect(await positionsSeen(waiting)).toEqual([1, 2, 3, 4]);
    expect(await seatsTaken(db, s.id)).toBe(2);

    // The second on the list leaves it.
    const left = await app.http.post(`/api/v1/bookings/${ids.w2}/cancel`).set(w2.auth).send({}).expect(200);
    expect(left.body).toEqual({ id: ids.w2, status: 'cancelled', waitlistPosition: null });
    expect(await booking(ids.w2, w2)).toMatchObject({ status: 'cancelled', waitlistPosition: null, offerExpiresAt: null });
    expect((await mailTo(w2, new RegExp(`Bokningen är avbokad: ${s.title}`))).text).toContain(`Din bokning av ${s.title}`);
    // Those behind move up; the head stays the head; no seat changed hands.
    expect(await positionsSeen([waiting[0], waiting[2], waiting[3]])).toEqual([1, 2, 3]);
    expect(await seatsTaken(db, s.id)).toBe(2);
    expect((await app.http.get(`/api/v1/sessions/${s.id}`).expect(200)).body.seatsLeft).toBe(0);
    expect([await statusOf(ids.h1), await statusOf(ids.h2)]).toEqual(['confirmed', 'confirmed']);
    expect(await countRows(db, 'bookings', `session_id = $1 AND status = 'offered'`, [s.id])).toBe(0);
    // The provider's list shows the same order and positions.
    const list = await app.http.get(`/api/v1/sessions/${s.id}/bookings?status=waitlisted`).set(staff.auth).expect(200);
    expect(list.body.items.map((b: { id: string; waitlistPosition: number }) => [b.id, b.waitlistPosition])).toEqual([[ids.w1, 1], [ids.w3, 2], [ids.w4, 3]]);

    // Leaving twice: 409, nothing written.
    const outboxBefore = await outboxOf(s.id);
    expectRefused(await app.http.post(`/api/v1/bookings/${ids.w2}/cancel`).set(w2.auth).send({}), 409, 'BOOKING_NOT_ACTIVE');
    expect(await statusOf(ids.w2)).toBe('cancelled');
    expect(await outboxOf(s.id)).toBe(outboxBefore);
    expect(await positionsSeen([waiting[0], waiting[2], waiting[3]])).toEqual([1, 2, 3]);

    // A seat frees: it is offered to the head (w1), not to the one who left nor to those behind.
    await app.http.post(`/api/v1/bookings/${ids.h1}/cancel`).set(h1.auth).send({}).expect(200);
    const offered = await booking(ids.w1, w1);
    expect(offered).toMatchObject({ status: 'offered', waitlistPosition: null });
    const [row] = await db.query<{ offered_at: Date; offer_expires_at: Date }>('SELECT offered_at, offer_expires_at FROM bookings WHERE id = $1', [ids.w1]);
    expect(row.offer_expires_at.getTime() - row.offered_at.getTime()).toBe(48 * HOUR);
    expect(offered.offerExpiresAt).toBe(row.offer_expires_at.toISOString());
    expect((await mailTo(w1, new RegExp(`En plats är ledig åt dig: ${s.title}`))).text).toContain(`Tacka ja senast ${formatDateTime(row.offer_expires_at, 'sv')}`);
    expect(await statusOf(ids.w2)).toBe('cancelled');
    expect(await positionsSeen([waiting[2], waiting[3]])).toEqual([1, 2]);
    expect(await seatsTaken(db, s.id)).toBe(2);
    expect(await countRows(db, 'mail_outbox', `template = 'booking-offered' AND to_address = ANY($1::text[])`, [[w2.email, w3.email, w4.email]])).toBe(0);

    // Having left, booking again joins at the tail, not at the old place.
    const again = await app.http.post(`/api/v1/sessions/${s.id}/bookings`).set(w2.auth).send({}).expect(201);
    expect(again.body).toEqual({ id: expect.any(String), status: 'waitlisted', waitlistPosition: 3 });
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('the head leaves the waitlist (by their org admin): the next becomes the head and is confirmed when a seat frees (auto mode)', async () => {
    const s = await session({ capacity: 1, waitlistMode: 'auto' });
    const [h, w1, w2, w3] = [await employee(), await employee(), await employee(), await employee()];
    const ids = { h: await book(h, s.id), w1: await book(w1, s.id), w2: await book(w2, s.id), w3: await book(w3, s.id) };
    expect(await positionsSeen([{ person: w1, id: ids.w1 }, { person: w2, id: ids.w2 }, { person: w3, id: ids.w3 }])).toEqual([1, 2, 3]);

    await app.http.post(`/api/v1/bookings/${ids.w1}/cancel`).set(admin.auth).send({ reason: 'Kan inte den veckan' }).expect(200);
    expect(await positionsSeen([{ person: w2, id: ids.w2 }, { person: w3, id: ids.w3 }])).toEqual([1, 2]);
    expect(await seatsTaken(db, s.id)).toBe(1);
    expect(await statusOf(ids.h)).toBe('confirmed');
    expect(await countRows(db, 'bookings', `id = $1 AND status = 'cancelled' AND cancelled_by_user_id = $2`, [ids.w1, admin.id])).toBe(1);

    await app.http.post(`/api/v1/bookings/${ids.h}/cancel`).set(h.auth).send({}).expect(200);
    expect(await booking(ids.w2, w2)).toMatchObject({ status: 'confirmed', waitlistPosition: null });
    const confirmed = await mailTo(w2, new RegExp(`Bokningen är klar: ${s.title}`));
    expect(confirmed.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    expect(await statusOf(ids.w1)).toBe('cancelled');
    expect(await positionsSeen([{ person: w3, id: ids.w3 }])).toEqual([1]);
    expect(await seatsTaken(db, s.id)).toBe(1);
    expect(await countRows(db, 'mail_outbox', `template = 'booking-confirmed' AND to_address = ANY($1::text[])`, [[w1.email, w3.email]])).toBe(0);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('provider staff cancel a whole session (POST /sessions/:id/cancel): every booking is cancelled and every person is told, with the reason', async () => {
    const s = await session({ capacity: 2, waitlistMode: 'offer' });
    const [gone, c, o, w1, w2] = [await employee(), await employee(), await employee(), await employee('en'), await employee()];
    const ids = { gone: await book(gone, s.id), c: await book(c, s.id), o: await book(o, s.id), w1: await book(w1, s.id), w2: await book(w2, s.id) };
    // `gone` cancels: `o` is offered the seat. Now: c confirmed, o offered, w1 and w2 waitlisted.
    await app.http.post(`/api/v1/bookings/${ids.gone}/cancel`).set(gone.auth).send({}).expect(200);
    expect([await statusOf(ids.c), await statusOf(ids.o), await statusOf(ids.w1), await statusOf(ids.w2)]).toEqual(['confirmed', 'offered', 'waitlisted', 'waitlisted']);
    const active = [{ person: c, id: ids.c }, { person: o, id: ids.o }, { person: w1, id: ids.w1 }, { person: w2, id: ids.w2 }];

    // Refused: nothing changes, nobody is told.
    const state = async () => [
      await countRows(db, 'sessions', `id = $1 AND status = 'scheduled' AND cancelled_at IS NULL AND cancellation_reason IS NULL`, [s.id]),
      await countRows(db, 'bookings', `session_id = $1 AND status IN ('confirmed', 'offered', 'waitlisted')`, [s.id]),
      await seatsTaken(db, s.id),
      await outboxOf(s.id),
      await countRows(db, 'audit_log', `action = 'session.cancelled'`),
    ];
    const before = await state();
    expect(before.slice(0, 3)).toEqual([1, 4, 2]);
    const reason = { reason: 'Kursledaren är sjuk' };
    expectRefused(await app.http.post(`/api/v1/sessions/${s.id}/cancel`).send(reason), 401, 'UNAUTHENTICATED');
    for (const actor of [otherStaff, c, admin]) expectRefused(await app.http.post(`/api/v1/sessions/${s.id}/cancel`).set(actor.auth).send(reason), 403, 'PROVIDER_ACCESS_DENIED');
    const noReason = await app.http.post(`/api/v1/sessions/${s.id}/cancel`).set(staff.auth).send({});
    expect([noReason.status, noReason.body.code, noReason.body.details.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['reason']]);
    expect(await state()).toEqual(before);

    const res = await app.http.post(`/api/v1/sessions/${s.id}/cancel`).set(staff.auth).send(reason).expect(200);
    expect(res.body).toMatchObject({ id: s.id, status: 'cancelled' });
    expect(await countRows(db, 'bookings', `session_id = $1 AND status <> 'cancelled'`, [s.id])).toBe(0);
    expect(await countRows(db, 'bookings', `session_id = $1 AND cancellation_reason = 'session_cancelled' AND offer_expires_at IS NULL`, [s.id])).toBe(4);
    expect(await seatsTaken(db, s.id)).toBe(0);
    for (const { person, id } of active) expect(await booking(id, person)).toMatchObject({ status: 'cancelled', waitlistPosition: null, session: { id: s.id, status: 'cancelled' } });

    // Everyone who held or waited for a seat is told, in their language, with the reason; only them.
    for (const person of [c, o, w2]) {
      const mail = await mailTo(person, new RegExp(`^Inställt: ${s.title}$`));
      expect(recipients(mail)).toEqual([person.email]);
      expect(mail.text).toContain(`Utbildningsanordnaren har ställt in ${s.title}`);
      expect(mail.text).toContain('Din bokning är avbokad.');
      expect(mail.text).toContain('Anledning: Kursledaren är sjuk');
    }
    const english = await mailTo(w1, new RegExp(`^Cancelled: ${s.title}$`));
    expect(recipients(english)).toEqual([w1.email]);
    expect(english.text).toContain(`The provider has cancelled ${s.title}`);
    expect(english.text).toContain('Reason: Kursledaren är sjuk');
    // One such email per booking that was active; none to the person who had already cancelled.
    expect(await countRows(db, 'mail_outbox', `template = 'booking-sessionCancelled' AND to_address = ANY($1::text[])`, [[c, o, w1, w2].map((p) => p.email)])).toBe(4);
    expect(await countRows(db, 'mail_outbox', `template = 'booking-sessionCancelled' AND to_address = $1`, [gone.email])).toBe(0);

    // Cancelling again: 409, nothing more written; booking it: 409.
    const outboxAfter = await outboxOf(s.id);
    expectRefused(await app.http.post(`/api/v1/sessions/${s.id}/cancel`).set(staff.auth).send({ reason: 'Igen' }), 409, 'SESSION_CANCELLED');
    expect(await outboxOf(s.id)).toBe(outboxAfter);
    expect(await countRows(db, 'sessions', 'id = $1 AND cancellation_reason = $2', [s.id, 'Kursledaren är sjuk'])).toBe(1);
    expectRefused(await app.http.post(`/api/v1/sessions/${s.id}/bookings`).set(gone.auth).send({}), 409, 'BOOKING_SESSION_CANCELLED');
    expect(await countRows(db, 'bookings', 'session_id = $1', [s.id])).toBe(5);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('provider staff raise a full session\'s capacity (PATCH /sessions/:id), auto mode: the heads of the waitlist are confirmed and told', async () => {
    const s = await session({ capacity: 1, waitlistMode: 'auto' });
    const [h, w1, w2, w3] = [await employee(), await employee(), await employee('en'), await employee()];
    const ids = { h: await book(h, s.id), w1: await book(w1, s.id), w2: await book(w2, s.id), w3: await book(w3, s.id) };

    // Refused or impossible changes write nothing and promote nobody.
    const state = async () => [
      (await db.query<{ capacity: number }>('SELECT capacity FROM sessions WHERE id = $1', [s.id]))[0].capacity,
      await seatsTaken(db, s.id),
      await countRows(db, 'bookings', `session_id = $1 AND status = 'waitlisted'`, [s.id]),
      await outboxOf(s.id),
    ];
    const before = await state();
    expect(before.slice(0, 3)).toEqual([1, 1, 3]);
    expectRefused(await app.http.patch(`/api/v1/sessions/${s.id}`).send({ capacity: 3 }), 401, 'UNAUTHENTICATED');
    for (const actor of [otherStaff, h, admin]) expectRefused(await app.http.patch(`/api/v1/sessions/${s.id}`).set(actor.auth).send({ capacity: 3 }), 403, 'PROVIDER_ACCESS_DENIED');
    const zero = await app.http.patch(`/api/v1/sessions/${s.id}`).set(staff.auth).send({ capacity: 0 });
    expect([zero.status, zero.body.code, zero.body.details.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['capacity']]);
    expect(await state()).toEqual(before);

    const res = await app.http.patch(`/api/v1/sessions/${s.id}`).set(staff.auth).send({ capacity: 3 }).expect(200);
    expect(res.body).toMatchObject({ id: s.id, capacity: 3, seatsLeft: 0 });
    expect(await booking(ids.w1, w1)).toMatchObject({ status: 'confirmed', waitlistPosition: null });
    expect(await booking(ids.w2, w2)).toMatchObject({ status: 'confirmed', waitlistPosition: null });
    expect(await positionsSeen([{ person: w3, id: ids.w3 }])).toEqual([1]);
    expect(await seatsTaken(db, s.id)).toBe(3);

    const sv = await mailTo(w1, new RegExp(`^Bokningen är klar: ${s.title}$`));
    expect(recipients(sv)).toEqual([w1.email]);
    expect(sv.text).toContain(`Du har en plats på ${s.title}`);
    expect(sv.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    const en = await mailTo(w2, new RegExp(`^Booking confirmed: ${s.title}$`));
    expect(en.text).toContain(`You have a seat on ${s.title}`);
    expect(en.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    // w3 still waits: no confirmation, no offer.
    expect(await countRows(db, 'mail_outbox', `to_address = $1 AND template <> 'booking-waitlisted'`, [w3.email])).toBe(0);

    // Below the seats now taken: 409, nothing written.
    const after = await state();
    expectRefused(await app.http.patch(`/api/v1/sessions/${s.id}`).set(staff.auth).send({ capacity: 2 }), 409, 'SESSION_CAPACITY_BELOW_TAKEN');
    expect(await state()).toEqual(after);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('provider staff raise a full session\'s capacity (PATCH /sessions/:id), offer mode: the head is offered the seat with a deadline and told', async () => {
    const s = await session({ capacity: 1, waitlistMode: 'offer' });
    const [h, w1, w2] = [await employee(), await employee(), await employee()];
    const ids = { h: await book(h, s.id), w1: await book(w1, s.id), w2: await book(w2, s.id) };

    await app.http.patch(`/api/v1/sessions/${s.id}`).set(staff.auth).send({ capacity: 2 }).expect(200);
    const offered = await booking(ids.w1, w1);
    expect(offered).toMatchObject({ status: 'offered', waitlistPosition: null });
    const [row] = await db.query<{ offered_at: Date; offer_expires_at: Date }>('SELECT offered_at, offer_expires_at FROM bookings WHERE id = $1', [ids.w1]);
    expect(row.offer_expires_at.getTime() - row.offered_at.getTime()).toBe(48 * HOUR);
    expect(offered.offerExpiresAt).toBe(row.offer_expires_at.toISOString());
    expect(await positionsSeen([{ person: w2, id: ids.w2 }])).toEqual([1]);
    expect(await seatsTaken(db, s.id)).toBe(2);

    const mail = await mailTo(w1, new RegExp(`^En plats är ledig åt dig: ${s.title}$`));
    expect(recipients(mail)).toEqual([w1.email]);
    expect(mail.text).toContain(`En plats har blivit ledig på ${s.title}`);
    expect(mail.text).toContain(`Tacka ja senast ${formatDateTime(row.offer_expires_at, 'sv')}`);
    expect(await countRows(db, 'mail_outbox', `template = 'booking-offered' AND to_address = $1`, [w2.email])).toBe(0);

    const accepted = await app.http.post(`/api/v1/bookings/${ids.w1}/accept-offer`).set(w1.auth).send().expect(200);
    expect(accepted.body).toEqual({ id: ids.w1, status: 'confirmed', waitlistPosition: null });
    await mailTo(w1, new RegExp(`^Bokningen är klar: ${s.title}$`));
    expect(await seatsTaken(db, s.id)).toBe(2);
    expect(await statusOf(ids.w2)).toBe('waitlisted');
    expect(await seatAccountingErrors(db)).toEqual([]);
  });
});
