import type pg from 'pg';
import type { Response } from 'supertest';
import { BookingBatches, WAITLIST_UNLIKELY_FREE_SEATS } from '../../src/bookings/booking-batches.js';
import { BookingContexts } from '../../src/bookings/booking-sessions.repository.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type FastUser, fastUsers, givenMember, givenOrganisation, givenProvider, givenSession, seatAccountingErrors, seatsTaken, waitlistErrors } from '../support/bookings-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Bookings are read (BookingContexts) and booked (BookingBatches: confirmed where a seat is free,
 * else waitlisted) many to a statement. These tests hold a lock from outside the app, so that the statements the app has
 * at the database wait and every further request waits in the app's queue, in an order the test
 * sets; then they release the lock and check what the one statement that carried the queue did.
 */
describe('bookings read and booked (confirmed or waitlisted) together in one statement', () => {
  let db: TestDatabase;
  let app: TestApp;
  let batches: BookingBatches;
  let contexts: BookingContexts;
  let providerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    batches = app.app.get(BookingBatches);
    contexts = app.app.get(BookingContexts);
    providerId = await givenProvider(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`timed out waiting until ${what}`);
  }

  /** The app's statements starting with `prefix` that wait for a lock right now. */
  async function statementsWaiting(prefix: string): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(query, $1)`,
      [prefix],
    );
    return row.n;
  }

  interface Ask {
    person: FastUser;
    sessionId: string;
    body?: Record<string, unknown>;
  }
  const book = ({ person, sessionId, body }: Ask): Promise<Response> =>
    app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send(body ?? {}).then((res) => res);

  /**
   * The two statements of a booking that go many at a time: the seat (confirm) and, before it, the
   * read of who books what (read). `hold` makes that statement wait for a lock the test holds.
   */
  const stages = {
    confirm: {
      batcher: () => batches.places,
      prefix: 'WITH req AS',
      // Held up by the table it writes to (before it locks any session).
      hold: async (holder: pg.PoolClient) => {
        await holder.query('LOCK TABLE mail_outbox IN SHARE MODE');
      },
    },
    read: {
      batcher: () => contexts.reads,
      prefix: 'SELECT s.id, o.provider_id',
      hold: async (holder: pg.PoolClient) => {
        await holder.query('LOCK TABLE providers IN ACCESS EXCLUSIVE MODE');
      },
    },
  };

  /** Runs `body` in a transaction of the test's own (what it locks stays locked until `body` returns), then commits. */
  async function holding(body: (holder: pg.PoolClient) => Promise<void>): Promise<void> {
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await body(holder);
      await holder.query('COMMIT');
    } catch (error) {
      await holder.query('ROLLBACK');
      throw error;
    } finally {
      holder.release();
    }
  }

  /**
   * Fills every statement slot of `stage` with a booking that waits for a lock the test holds,
   * then queues `queue` one by one (each waits in the app before the next is sent), then releases
   * the lock (after `beforeRelease`, run in the transaction that holds it). Returns the responses
   * to `queue`, in its order.
   */
  async function queuedTogether(stage: keyof typeof stages, queue: Ask[], beforeRelease?: (holder: pg.PoolClient) => Promise<void>): Promise<Response[]> {
    const { batcher, prefix, hold } = stages[stage];
    const slots = batcher().inFlight;
    const blockers = await fastUsers(db, slots);
    // One session each: the app never sends two confirm statements for one session at once.
    const blockerSessions = await Promise.all(blockers.map(() => givenSession(db, providerId, { capacity: 100 })));
    const blockerResponses: Promise<Response>[] = [];
    const responses: Promise<Response>[] = [];
    await holding(async (holder) => {
      await hold(holder);
      blockerResponses.push(...blockers.map((person, i) => book({ person, sessionId: blockerSessions[i].id })));
      await until('every statement slot waits for the lock', async () => (await statementsWaiting(prefix)) === slots);
      for (const [i, ask] of queue.entries()) {
        responses.push(book(ask));
        await until(`request ${i + 1} is queued`, () => batcher().queued === i + 1);
      }
      // The queued requests wait in the app, not at the database.
      expect(await statementsWaiting(prefix)).toBe(slots);
      await beforeRelease?.(holder);
    });
    expect((await Promise.all(blockerResponses)).map((res) => res.body.status)).toEqual(blockers.map(() => 'confirmed'));
    return Promise.all(responses);
  }

  it('gives each session its free seats in the order the bookings came, and writes a confirmation email for exactly those', async () => {
    const a = await givenSession(db, providerId, { capacity: 2 });
    const b = await givenSession(db, providerId, { capacity: 5 });
    // Free when its bookings are read, full by the time their statement runs (its last seat taken
    // in the transaction that holds the statement up).
    const full = await givenSession(db, providerId, { capacity: 1 });
    const [earlier] = await fastUsers(db, 1);
    const takeLastSeat = async (holder: pg.PoolClient) => {
      await holder.query('UPDATE sessions SET seats_taken = 1 WHERE id = $1', [full.id]);
      await holder.query(`INSERT INTO bookings (session_id, user_id, status, confirmed_at) VALUES ($1, $2, 'confirmed', now())`, [full.id, earlier.id]);
    };
    const people = await fastUsers(db, 10);
    const queue = [
      { person: people[0], sessionId: a.id },
      { person: people[1], sessionId: b.id },
      { person: people[2], sessionId: a.id },
      { person: people[3], sessionId: full.id },
      { person: people[4], sessionId: a.id },
      { person: people[5], sessionId: b.id },
      { person: people[6], sessionId: a.id },
      { person: people[7], sessionId: full.id },
      { person: people[8], sessionId: b.id },
      { person: people[9], sessionId: a.id },
    ];

    const responses = await queuedTogether('confirm', queue, takeLastSeat);

    expect(responses.map((res) => res.status)).toEqual(queue.map(() => 201));
    expect(responses.map((res) => res.body.status)).toEqual([
      'confirmed', // a: first
      'confirmed', // b
      'confirmed', // a: second, the last seat
      'waitlisted', // full
      'waitlisted', // a
      'confirmed', // b
      'waitlisted', // a
      'waitlisted', // full
      'confirmed', // b
      'waitlisted', // a
    ]);
    // Waitlisted in the same statement, in the order they came.
    const positions = (indexes: number[]) => indexes.map((i) => responses[i].body.waitlistPosition as number);
    expect(positions([4, 6, 9])).toEqual([1, 2, 3]);
    expect(positions([3, 7])).toEqual([1, 2]);
    expect([await seatsTaken(db, a.id), await seatsTaken(db, b.id), await seatsTaken(db, full.id)]).toEqual([2, 3, 1]);
    expect(await seatAccountingErrors(db)).toEqual([]);

    // One booking per request, with the person and the session asked for.
    const rows = await db.query<{ id: string; user_id: string; session_id: string; status: string; confirmed_at: Date | null }>(
      'SELECT id, user_id, session_id, status, confirmed_at FROM bookings WHERE id = ANY($1::uuid[])',
      [responses.map((res) => res.body.id)],
    );
    expect(rows).toHaveLength(queue.length);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [i, res] of responses.entries()) {
      expect(byId.get(res.body.id)).toMatchObject({ user_id: queue[i].person.id, session_id: queue[i].sessionId, status: res.body.status });
      expect(byId.get(res.body.id)!.confirmed_at !== null).toBe(res.body.status === 'confirmed');
    }
    // The confirmation email (with its calendar file) for each confirmed booking and no other.
    const confirmations = await db.query<{ dedupe_key: string; to_address: string; attachments: unknown[] | null }>(
      `SELECT dedupe_key, to_address, attachments FROM mail_outbox WHERE dedupe_key = ANY($1::varchar[])`,
      [responses.map((res) => `booking:${res.body.id}:confirmed`)],
    );
    const confirmed = responses.flatMap((res, i) => (res.body.status === 'confirmed' ? [{ key: `booking:${res.body.id}:confirmed`, to: queue[i].person.email }] : []));
    expect(confirmations.map((row) => ({ key: row.dedupe_key, to: row.to_address })).sort((x, y) => x.key.localeCompare(y.key))).toEqual(
      confirmed.sort((x, y) => x.key.localeCompare(y.key)),
    );
    for (const row of confirmations) expect(row.attachments).toHaveLength(1);
  });

  it('one person twice in the same statement: that person gets one booking and one 409, everyone else in it is booked', async () => {
    const session = await givenSession(db, providerId, { capacity: 10 });
    const other = await givenSession(db, providerId, { capacity: 10 });
    const [twice, second, third] = await fastUsers(db, 3);
    const queue = [
      { person: twice, sessionId: session.id },
      { person: second, sessionId: session.id },
      { person: twice, sessionId: session.id },
      { person: third, sessionId: other.id },
    ];

    const responses = await queuedTogether('confirm', queue);

    expect(responses.map((res) => res.status).sort()).toEqual([201, 201, 201, 409]);
    const [first, again] = [responses[0], responses[2]];
    expect([first.status, again.status].sort()).toEqual([201, 409]);
    const refused = first.status === 409 ? first : again;
    expect(refused.body.code).toBe('BOOKING_ALREADY_BOOKED');
    expect(responses[1].body.status).toBe('confirmed');
    expect(responses[3].body.status).toBe('confirmed');
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE user_id = $1', [twice.id]);
    expect(n).toBe(1);
    expect([await seatsTaken(db, session.id), await seatsTaken(db, other.id)]).toEqual([2, 1]);
    const [{ mails }] = await db.query<{ mails: number }>(
      `SELECT count(*)::int AS mails FROM mail_outbox WHERE to_address = $1 AND template = 'booking-confirmed'`,
      [twice.email],
    );
    expect(mails).toBe(1);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it('requests read together each get their own answer: a booking, an unknown session, someone outside the organisation, an erased account, an admin booking for a member', async () => {
    const session = await givenSession(db, providerId, { capacity: 10 });
    const [alone, stranger, outsider, erased, admin, member] = await fastUsers(db, 6);
    const organisation = await givenOrganisation(db);
    await givenMember(db, organisation, admin.id, 'org_admin');
    await givenMember(db, organisation, member.id);
    await db.query('UPDATE users SET erased_at = now() WHERE id = $1', [erased.id]);
    const unknownSession = '00000000-0000-4000-8000-000000000000';

    const responses = await queuedTogether('read', [
      { person: alone, sessionId: session.id },
      { person: stranger, sessionId: unknownSession },
      { person: stranger, sessionId: session.id, body: { participantUserId: outsider.id } },
      { person: erased, sessionId: session.id },
      { person: admin, sessionId: session.id, body: { participantUserId: member.id } },
    ]);

    expect(responses.map((res) => [res.status, res.body.code ?? res.body.status])).toEqual([
      [201, 'confirmed'],
      [404, 'SESSION_NOT_FOUND'],
      [403, 'BOOKING_PARTICIPANT_NOT_IN_ORGANISATION'],
      [401, 'AUTH_TOKEN_INVALID'],
      [201, 'confirmed'],
    ]);
    const rows = await db.query<{ user_id: string; booked_by_user_id: string; organisation_id: string | null }>(
      'SELECT user_id, booked_by_user_id, organisation_id FROM bookings WHERE session_id = $1 ORDER BY created_at',
      [session.id],
    );
    expect(rows.sort((x, y) => x.user_id.localeCompare(y.user_id))).toEqual(
      [
        { user_id: alone.id, booked_by_user_id: alone.id, organisation_id: null },
        { user_id: member.id, booked_by_user_id: admin.id, organisation_id: organisation },
      ].sort((x, y) => x.user_id.localeCompare(y.user_id)),
    );
    expect(await seatsTaken(db, session.id)).toBe(2);
  });

  it('a session cancelled while its bookings wait for their statement: they are refused with 409, nothing written', async () => {
    const session = await givenSession(db, providerId, { capacity: 10 });
    const people = await fastUsers(db, 2);
    const cancel = async (holder: pg.PoolClient) => {
      await holder.query(`UPDATE sessions SET status = 'cancelled', cancellation_reason = 'Kursledaren är sjuk' WHERE id = $1`, [session.id]);
    };

    const responses = await queuedTogether('confirm', people.map((person) => ({ person, sessionId: session.id })), cancel);

    expect(responses.map((res) => [res.status, res.body.code])).toEqual(people.map(() => [409, 'BOOKING_SESSION_CANCELLED']));
    expect(await db.query('SELECT id FROM bookings WHERE session_id = $1', [session.id])).toEqual([]);
    expect(await seatsTaken(db, session.id)).toBe(0);
    const [{ mails }] = await db.query<{ mails: number }>(
      'SELECT count(*)::int AS mails FROM mail_outbox WHERE to_address = ANY($1::varchar[])',
      [people.map((p) => p.email)],
    );
    expect(mails).toBe(0);
  });

  it('never two confirm statements for one session at once: a second booking on it waits in the app while another session takes the free statement', async () => {
    const [session, other] = await Promise.all([givenSession(db, providerId, { capacity: 10 }), givenSession(db, providerId, { capacity: 10 })]);
    const [first, second, third] = await fastUsers(db, 3);
    const responses: Promise<Response>[] = [];
    await holding(async (holder) => {
      await stages.confirm.hold(holder);
      responses.push(book({ person: first, sessionId: session.id }));
      await until('the first statement waits', async () => (await statementsWaiting('WITH req AS')) === 1);
      responses.push(book({ person: second, sessionId: session.id }));
      await until('the second booking is queued', () => batches.places.queued === 1);
      expect(await statementsWaiting('WITH req AS')).toBe(1);
      responses.push(book({ person: third, sessionId: other.id }));
      await until('the other session has the second statement', async () => (await statementsWaiting('WITH req AS')) === 2);
      expect(batches.places.queued).toBe(1);
    });
    expect((await Promise.all(responses)).map((res) => [res.status, res.body.status])).toEqual([
      [201, 'confirmed'],
      [201, 'confirmed'],
      [201, 'confirmed'],
    ]);
    expect([await seatsTaken(db, session.id), await seatsTaken(db, other.id)]).toEqual([2, 1]);
  });

  it('bookings on a full session are waitlisted many to a statement, in the order they came; while that session is held, bookings on other sessions are confirmed', async () => {
    const full = await givenSession(db, providerId, { capacity: 1 });
    await book({ person: (await fastUsers(db, 1))[0], sessionId: full.id });
    const free = await givenSession(db, providerId, { capacity: 5 });
    const late = await fastUsers(db, 4);
    const [goes] = await fastUsers(db, 1);
    const waiting: Promise<Response>[] = [];
    await holding(async (holder) => {
      // As a transaction cancelling a booking on it would.
      await holder.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [full.id]);
      waiting.push(book({ person: late[0], sessionId: full.id }));
      await until('the first statement waits for the session', async () => (await statementsWaiting('WITH req AS')) === 1);
      // The others wait in the app (their session is held by this instance's statement), in order.
      for (const [i, person] of late.slice(1).entries()) {
        waiting.push(book({ person, sessionId: full.id }));
        await until(`booking ${i + 2} is queued`, () => batches.places.queued === i + 1);
      }
      const other = await book({ person: goes, sessionId: free.id });
      expect([other.status, other.body.status]).toEqual([201, 'confirmed']);
      expect(await statementsWaiting('WITH req AS')).toBe(1);
    });
    const after = await Promise.all(waiting);
    expect(after.map((res) => [res.status, res.body.status, res.body.waitlistPosition])).toEqual(late.map((_, i) => [201, 'waitlisted', i + 1]));
    const rows = await db.query<{ id: string; tx: string }>(
      `SELECT id, xmin::text AS tx FROM bookings WHERE session_id = $1 AND status = 'waitlisted' ORDER BY waitlist_seq`,
      [full.id],
    );
    expect(rows.map((row) => row.id)).toEqual(after.map((res) => res.body.id));
    // The first alone; the three that waited for it together, in one statement (one transaction).
    expect(rows[0].tx).not.toBe(rows[1].tx);
    expect(new Set(rows.slice(1).map((row) => row.tx)).size).toBe(1);
    // Each waitlisted person's email says their place.
    const mails = await db.query<{ dedupe_key: string; to_address: string; text_body: string }>(
      `SELECT dedupe_key, to_address, text_body FROM mail_outbox WHERE dedupe_key = ANY($1::varchar[])`,
      [after.map((res) => `booking:${res.body.id}:waitlisted`)],
    );
    expect(mails).toHaveLength(late.length);
    for (const [i, res] of after.entries()) {
      const mail = mails.find((m) => m.dedupe_key === `booking:${res.body.id}:waitlisted`)!;
      expect(mail.to_address).toBe(late[i].email);
      expect(mail.text_body).toContain(`Du står på väntelistan som nummer ${i + 1}.`);
    }
    expect([await seatsTaken(db, full.id), await seatsTaken(db, free.id)]).toEqual([1, 1]);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });

  it.each([
    ['the offering archived', `UPDATE offerings SET status = 'archived' WHERE id = (SELECT offering_id FROM sessions WHERE id = $1)`, 'BOOKING_OFFERING_NOT_PUBLISHED'],
    ['booking closed', `UPDATE sessions SET booking_closes_at = now() - interval '1 minute' WHERE id = $1`, 'BOOKING_CLOSED'],
    ['booking not open yet', `UPDATE sessions SET booking_opens_at = now() + interval '1 day' WHERE id = $1`, 'BOOKING_NOT_OPEN_YET'],
  ])('%s while its bookings wait for their statement: refused with the code the transactional path gives, nothing written', async (_what, change, code) => {
    const session = await givenSession(db, providerId, { capacity: 1 });
    // One seat: the first would be confirmed, the second waitlisted.
    const people = await fastUsers(db, 2);
    const responses = await queuedTogether('confirm', people.map((person) => ({ person, sessionId: session.id })), async (holder) => {
      await holder.query(change, [session.id]);
    });
    expect(responses.map((res) => [res.status, res.body.code])).toEqual(people.map(() => [409, code]));
    expect(await db.query('SELECT id FROM bookings WHERE session_id = $1', [session.id])).toEqual([]);
    expect(await seatsTaken(db, session.id)).toBe(0);
    const [{ mails }] = await db.query<{ mails: number }>('SELECT count(*)::int AS mails FROM mail_outbox WHERE to_address = ANY($1::varchar[])', [
      people.map((p) => p.email),
    ]);
    expect(mails).toBe(0);
  });

  it('the session started while its bookings wait for their statement: refused with BOOKING_SESSION_PAST, nothing written', async () => {
    const session = await givenSession(db, providerId, { capacity: 5 });
    const people = await fastUsers(db, 2);
    const responses = await queuedTogether('confirm', people.map((person) => ({ person, sessionId: session.id })), async () => {
      app.clock.advance(session.startsAt.getTime() + 60_000 - Date.now());
    }).finally(() => app.clock.reset());
    expect(responses.map((res) => [res.status, res.body.code])).toEqual(people.map(() => [409, 'BOOKING_SESSION_PAST']));
    expect(await db.query('SELECT id FROM bookings WHERE session_id = $1', [session.id])).toEqual([]);
    expect(await seatsTaken(db, session.id)).toBe(0);
  });
  it('a seat freed for bookings read when the session was full: the statement leaves them to their own transactions, which give the seat and the waitlist in turn', async () => {
    const session = await givenSession(db, providerId, { capacity: 1, waitlistMode: 'offer' });
    const [holder] = await fastUsers(db, 1);
    const first = await book({ person: holder, sessionId: session.id });
    expect(first.body.status).toBe('confirmed');
    const people = await fastUsers(db, 2);
    // Read while full (no confirmation rendered); the seat frees (its holder leaves, nobody waits)
    // before their statement runs.
    const responses = await queuedTogether('confirm', people.map((person) => ({ person, sessionId: session.id })), async (tx) => {
      await tx.query(`UPDATE bookings SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [first.body.id]);
      await tx.query('UPDATE sessions SET seats_taken = 0 WHERE id = $1', [session.id]);
    });
    expect(responses.map((res) => res.status)).toEqual([201, 201]);
    expect(responses.map((res) => [res.body.status, res.body.waitlistPosition]).sort()).toEqual([
      ['confirmed', null],
      ['waitlisted', 1],
    ]);
    expect(await seatsTaken(db, session.id)).toBe(1);
    const mails = await db.query<{ dedupe_key: string }>('SELECT dedupe_key FROM mail_outbox WHERE dedupe_key = ANY($1::varchar[]) ORDER BY dedupe_key', [
      responses.map((res) => `booking:${res.body.id}:${res.body.status}`),
    ]);
    expect(mails).toHaveLength(2);
    expect(await seatAccountingErrors(db)).toEqual([]);
    expect(await waitlistErrors(db)).toEqual([]);
  });
  it('a title holding the digits that stand for the position in a prerendered email: that booking is waitlisted in a transaction of its own, its email intact', async () => {
    const title = 'Kurs 9007199254740991';
    const session = await givenSession(db, providerId, { capacity: 1, title });
    const [first, second] = await fastUsers(db, 2);
    expect((await book({ person: first, sessionId: session.id })).body.status).toBe('confirmed');
    const res = await book({ person: second, sessionId: session.id });
    expect([res.status, res.body.status, res.body.waitlistPosition]).toEqual([201, 'waitlisted', 1]);
    const [mail] = await db.query<{ subject: string; text_body: string }>('SELECT subject, text_body FROM mail_outbox WHERE dedupe_key = $1', [
      `booking:${res.body.id}:waitlisted`,
    ]);
    expect(mail.subject).toBe(`Du står på väntelistan: ${title}`);
    expect(mail.text_body).toContain('Du står på väntelistan som nummer 1.');
    expect(await seatAccountingErrors(db)).toEqual([]);
  });
  it('a session far from full when read, full when the statement runs: its bookings are waitlisted by their own transactions, with their positions and emails', async () => {
    const session = await givenSession(db, providerId, { capacity: WAITLIST_UNLIKELY_FREE_SEATS });
    const earlier = await fastUsers(db, WAITLIST_UNLIKELY_FREE_SEATS);
    const people = await fastUsers(db, 2);
    // Read with every seat free (no waitlist email rendered); every seat taken before their statement runs.
    const responses = await queuedTogether('confirm', people.map((person) => ({ person, sessionId: session.id })), async (tx) => {
      await tx.query(`INSERT INTO bookings (session_id, user_id, status, confirmed_at) SELECT $1, unnest($2::uuid[]), 'confirmed', now()`, [
        session.id,
        earlier.map((p) => p.id),
      ]);
      await tx.query('UPDATE sessions SET seats_taken = capacity WHERE id = $1', [session.id]);
    });
    expect(responses.map((res) => [res.status, res.body.status])).toEqual([
      [201, 'waitlisted'],
      [201, 'waitlisted'],
    ]);
    expect(responses.map((res) => res.body.waitlistPosition).sort()).toEqual([1, 2]);
    const mails = await db.query<{ dedupe_key: string; text_body: string }>('SELECT dedupe_key, text_body FROM mail_outbox WHERE dedupe_key = ANY($1::varchar[])', [
      responses.map((res) => `booking:${res.body.id}:waitlisted`),
    ]);
    expect(mails).toHaveLength(2);
    for (const res of responses) {
      expect(mails.find((m) => m.dedupe_key === `booking:${res.body.id}:waitlisted`)!.text_body).toContain(`som nummer ${res.body.waitlistPosition}.`);
    }
    expect(await seatAccountingErrors(db)).toEqual([]);
  });
  it('one booking at fault among 50 in a statement: the statement is tried again in halves, never more statements at the database than the bound, and only that booking is refused', async () => {
    const [first, second] = await Promise.all([givenSession(db, providerId, { capacity: 5 }), givenSession(db, providerId, { capacity: 5 })]);
    const sessions = await Promise.all(Array.from({ length: 49 }, () => givenSession(db, providerId, { capacity: 5 })));
    const people = await fastUsers(db, 51);
    const queue: Ask[] = people.slice(2).map((person, i) => ({ person, sessionId: sessions[i].id }));
    queue.splice(30, 0, { person: people[12], sessionId: sessions[10].id }); // the same person twice on one session
    const client = () => db.pool.connect();
    const [slots, held, table] = await Promise.all([client(), client(), client()]);
    const responses: Promise<Response>[] = [];
    try {
      // Both statement slots wait for sessions the test holds; the 50 queue up behind them.
      await slots.query('BEGIN');
      await slots.query('SELECT 1 FROM sessions WHERE id = ANY($1::uuid[]) FOR UPDATE', [[first.id, second.id]]);
      await held.query('BEGIN');
      await held.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [sessions[40].id]);
      const blockers = [book({ person: people[0], sessionId: first.id }), book({ person: people[1], sessionId: second.id })];
      await until('both slots wait', async () => (await statementsWaiting('WITH req AS')) === 2);
      for (const [i, ask] of queue.entries()) {
        responses.push(book(ask));
        await until(`request ${i + 1} is queued`, () => batches.places.queued === i + 1);
      }
      // The slots free: the 50 go as one statement, which waits for a session of theirs.
      await slots.query('COMMIT');
      expect((await Promise.all(blockers)).map((res) => res.body.status)).toEqual(['confirmed', 'confirmed']);
      await until('the 50 wait in one statement', async () => (await statementsWaiting('WITH req AS')) === 1 && batches.places.queued === 0);
      // Behind it, a lock on the outbox table that the retries will wait for.
      await table.query('BEGIN');
      const tableLocked = table.query('LOCK TABLE mail_outbox IN SHARE MODE');
      await until('the table lock waits for the statement', async () => (await statementsWaiting('LOCK TABLE mail_outbox')) === 1);
      await held.query('COMMIT');
      await tableLocked;
      // The statement failed (one person twice); its bookings are tried again in two halves of 25
      // (each half a statement). The person's two bookings fell one in each half, so the halves hold
      // one session in common and go one after the other: one statement at the database, the other
      // half waiting in the app (before, each of the 50 went alone at once, as many as the pool had).
      await until('the retries wait for the table', async () => (await statementsWaiting('WITH req AS')) >= 1);
      expect(await statementsWaiting('WITH req AS')).toBe(1);
      expect(batches.places.queued).toBe(25);
      await table.query('COMMIT');
    } finally {
      for (const c of [slots, held, table]) {
        await c.query('ROLLBACK').catch(() => undefined);
        c.release();
      }
    }
    const answers = await Promise.all(responses);
    const refused = answers.filter((res) => res.status !== 201);
    expect(refused.map((res) => [res.status, res.body.code])).toEqual([[409, 'BOOKING_ALREADY_BOOKED']]);
    expect(answers.filter((res) => res.status === 201).map((res) => res.body.status)).toEqual(Array.from({ length: 49 }, () => 'confirmed'));
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE session_id = ANY($1::uuid[])', [sessions.map((x) => x.id)]);
    expect(n).toBe(49);
    expect(await seatAccountingErrors(db)).toEqual([]);
  });
});
