import { BookingJobs } from '../../src/bookings/booking-jobs.scheduler.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { fastUser, fastUsers, givenMember, givenOrganisation, givenProvider, givenSession, seatAccountingErrors, seatsTaken } from '../support/bookings-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows } from '../support/factories.js';

const HOUR = 3600_000;

describe('bookings under concurrency', () => {
  let db: TestDatabase;
  let app: TestApp;
  let providerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    providerId = await givenProvider(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('200 people booking 10 seats at once: exactly 10 confirmed, 190 waitlisted in join order, seats taken = 10', async () => {
    const session = await givenSession(db, providerId, { capacity: 10 });
    const people = await fastUsers(db, 200);
    const responses = await Promise.all(
      people.map((p) => app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(p.auth).send({})),
    );
    expect(responses.map((r) => r.status)).toEqual(people.map(() => 201));
    const statuses = responses.map((r) => r.body.status as string);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(190);
    expect(await seatsTaken(db, session.id)).toBe(10);

    // Join order: positions 1..190, each given once, in the order of the waitlist sequence.
    const positions = responses.filter((r) => r.body.status === 'waitlisted').map((r) => r.body.waitlistPosition as number);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));
    const rows = await db.query<{ id: string; waitlisted_at: Date }>(
      `SELECT id, waitlisted_at FROM bookings WHERE session_id = $1 AND status = 'waitlisted' ORDER BY waitlist_seq`,
      [session.id],
    );
    const positionOf = new Map(responses.map((r) => [r.body.id as string, r.body.waitlistPosition as number]));
    expect(rows.map((r) => positionOf.get(r.id))).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].waitlisted_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].waitlisted_at.getTime());
    // Every person sees their own position.
    const third = rows[2].id;
    const owner = people[responses.findIndex((r) => r.body.id === third)];
    const mine = await app.http.get('/api/v1/me/bookings').set(owner.auth).expect(200);
    expect(mine.body.items[0]).toMatchObject({ id: third, status: 'waitlisted', waitlistPosition: 3 });
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('concurrent cancellations and new bookings never exceed capacity and never skip the head of the waitlist', async () => {
    const session = await givenSession(db, providerId, { capacity: 5, waitlistMode: 'auto' });
    const first = await fastUsers(db, 20);
    const booked: { id: string; status: string; person: (typeof first)[number] }[] = [];
    for (const person of first) {
      const res = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({}).expect(201);
      booked.push({ id: res.body.id, status: res.body.status, person });
    }
    const confirmed = booked.filter((b) => b.status === 'confirmed');
    const waitlistBefore = booked.filter((b) => b.status === 'waitlisted').map((b) => b.id);
    expect(confirmed).toHaveLength(5);
    // 4 cancellations and 30 new bookings, all at once.
    const newcomers = await fastUsers(db, 30);
    const results = await Promise.all([
      ...confirmed.slice(0, 4).map((b) => app.http.post(`/api/v1/bookings/${b.id}/cancel`).set(b.person.auth).send({})),
      ...newcomers.map((p) => app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(p.auth).send({})),
    ]);
    expect(results.slice(0, 4).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // Nobody new got a seat: the 4 freed seats went to the first 4 on the waitlist, in order.
    expect(results.slice(4).map((r) => r.body.status)).toEqual(newcomers.map(() => 'waitlisted'));
    const nowConfirmed = await db.query<{ id: string }>(`SELECT id FROM bookings WHERE session_id = $1 AND status = 'confirmed'`, [session.id]);
    expect(nowConfirmed.map((r) => r.id).sort()).toEqual([confirmed[4].id, ...waitlistBefore.slice(0, 4)].sort());
    expect(await seatsTaken(db, session.id)).toBe(5);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('mixed concurrent cancel/book rounds keep seats exact (offer mode)', async () => {
    const session = await givenSession(db, providerId, { capacity: 8, waitlistMode: 'offer' });
    const people = await fastUsers(db, 40);
    const created = await Promise.all(people.map((p) => app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(p.auth).send({})));
    const byStatus = (s: string) => created.filter((r) => r.body.status === s);
    expect(byStatus('confirmed')).toHaveLength(8);
    const holders = created.map((r, i) => ({ id: r.body.id as string, status: r.body.status as string, person: people[i] })).filter((b) => b.status === 'confirmed');
    const late = await fastUsers(db, 10);
    await Promise.all([
      ...holders.slice(0, 6).map((b) => app.http.post(`/api/v1/bookings/${b.id}/cancel`).set(b.person.auth).send({})),
      ...late.map((p) => app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(p.auth).send({})),
    ]);
    const counts = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM bookings WHERE session_id = $1 GROUP BY status ORDER BY status`,
      [session.id],
    );
    expect(Object.fromEntries(counts.map((c) => [c.status, c.n]))).toEqual({ cancelled: 6, confirmed: 2, offered: 6, waitlisted: 36 });
    expect(await seatsTaken(db, session.id)).toBe(8);
    // The offers went to the first six who joined the waitlist.
    const offered = await db.query<{ waitlist_seq: string }>(`SELECT waitlist_seq FROM bookings WHERE session_id = $1 AND status = 'offered'`, [session.id]);
    const [{ max }] = await db.query<{ max: string }>(`SELECT max(waitlist_seq) AS max FROM bookings WHERE session_id = $1 AND status = 'offered'`, [session.id]);
    const [{ min }] = await db.query<{ min: string }>(`SELECT min(waitlist_seq) AS min FROM bookings WHERE session_id = $1 AND status = 'waitlisted'`, [session.id]);
    expect(offered).toHaveLength(6);
    expect(BigInt(max) < BigInt(min)).toBe(true);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('the same person booking 20 times at once (no Idempotency-Key): one booking, one seat, one email, 19 × 409', async () => {
    const session = await givenSession(db, providerId, { capacity: 10 });
    const person = await fastUser(db);
    const responses = await Promise.all(Array.from({ length: 20 }, () => app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({})));
    expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array.from({ length: 19 }, () => 409)]);
    expect(responses.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array.from({ length: 19 }, () => 'BOOKING_ALREADY_BOOKED'));
    expect(await countRows(db, 'bookings', 'session_id = $1', [session.id])).toBe(1);
    expect(await seatsTaken(db, session.id)).toBe(1);
    expect(await countRows(db, 'mail_outbox', 'to_address = $1', [person.email])).toBe(1);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('the same Idempotency-Key sent 20 times at once creates one booking', async () => {
    const session = await givenSession(db, providerId, { capacity: 10 });
    const person = await fastUser(db);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).set('Idempotency-Key', 'book-once-123').send({ note: 'hej' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await countRows(db, 'bookings', 'session_id = $1', [session.id])).toBe(1);
    expect(await seatsTaken(db, session.id)).toBe(1);
    // Same key, another body → 409, and nothing more is written: no booking, seat, email or key.
    const written = async () => [
      await countRows(db, 'bookings', 'user_id = $1', [person.id]),
      await db.query('SELECT id, status, note, updated_at FROM bookings WHERE session_id = $1', [session.id]),
      await seatsTaken(db, session.id),
      await countRows(db, 'mail_outbox', 'to_address = $1', [person.email]),
      await db.query('SELECT key, request_hash, response_body, completed_at FROM idempotency_keys WHERE scope = $1 ORDER BY key', [person.id]),
    ];
    const before = await written();
    expect(before.slice(0, 4)).toEqual([1, [expect.objectContaining({ id: responses[0].body.id, note: 'hej' })], 1, 1]);
    expect(before[4]).toEqual([expect.objectContaining({ key: 'book-once-123', completed_at: expect.any(Date) })]);
    const other = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).set('Idempotency-Key', 'book-once-123').send({ note: 'annat' });
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await written()).toEqual(before);
    // The first request replayed still answers with the first booking.
    const replay = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).set('Idempotency-Key', 'book-once-123').send({ note: 'hej' }).expect(201);
    expect(replay.body.id).toBe(responses[0].body.id);
    expect(await written()).toEqual(before);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('two instances booking one session at once (each confirming many per statement): exactly capacity confirmed, the rest waitlisted once each', async () => {
    const session = await givenSession(db, providerId, { capacity: 100 });
    const people = await fastUsers(db, 300);
    const second = await startTestApp({ databaseUrl: db.url });
    try {
      const responses = await Promise.all(
        people.map((p, i) => (i % 2 === 0 ? app : second).http.post(`/api/v1/sessions/${session.id}/bookings`).set(p.auth).send({})),
      );
      expect(responses.map((r) => r.status)).toEqual(people.map(() => 201));
      const statuses = responses.map((r) => r.body.status as string);
      expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(100);
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(200);
      const positions = responses.filter((r) => r.body.status === 'waitlisted').map((r) => r.body.waitlistPosition as number);
      expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await seatsTaken(db, session.id)).toBe(100);
      expect(await countRows(db, 'bookings', 'session_id = $1', [session.id])).toBe(300);
      expect(await countRows(db, 'mail_outbox', `template = 'booking-confirmed' AND dedupe_key = ANY($1::varchar[])`, [responses.map((r) => `booking:${r.body.id}:confirmed`)])).toBe(100);
      expect(await seatAccountingErrors(db)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('two instances running the offer-expiry job expire each offer once and pass each seat on once', async () => {
    const second = await startTestApp({ databaseUrl: db.url });
    try {
      const org = await givenOrganisation(db);
      const sessions = await Promise.all(Array.from({ length: 6 }, () => givenSession(db, providerId, { capacity: 2, waitlistMode: 'offer' })));
      const people = await fastUsers(db, 6);
      await givenMember(db, org, people.map((p) => p.id));
      const ids = sessions.map((x) => x.id);
      const inThese = (status: string) => countRows(db, 'bookings', `status = $1 AND session_id = ANY($2::uuid[])`, [status, ids]);
      let offersMade = 0;
      for (const session of sessions) {
        const bookingIds: string[] = [];
        for (const person of people) {
          const res = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({}).expect(201);
          bookingIds.push(res.body.id);
        }
        // Two seats free → the first two on the waitlist get offers.
        await app.http.post(`/api/v1/bookings/${bookingIds[0]}/cancel`).set(people[0].auth).send({}).expect(200);
        await app.http.post(`/api/v1/bookings/${bookingIds[1]}/cancel`).set(people[1].auth).send({}).expect(200);
        offersMade += 2;
      }
      expect(await inThese('offered')).toBe(offersMade);
      app.clock.advance(49 * HOUR);
      second.clock.advance(49 * HOUR);
      // (The earlier test's offers expire too; count only these sessions' through the table.)
      const [a, b] = await Promise.all([app.app.get(BookingJobs).expireOffers(), second.app.get(BookingJobs).expireOffers()]);
      const [c, d] = await Promise.all([app.app.get(BookingJobs).expireOffers(), second.app.get(BookingJobs).expireOffers()]);
      expect(a + b).toBe(offersMade + 6);
      expect(c + d).toBe(0);
      expect(await inThese('expired')).toBe(offersMade);
      // Each expired seat passed to the next person once: 2 new offers per session.
      expect(await inThese('offered')).toBe(offersMade);
      expect(await countRows(db, 'mail_outbox', `template = 'booking-offerExpired'`)).toBe(offersMade + 6);
      expect(await seatAccountingErrors(db)).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
