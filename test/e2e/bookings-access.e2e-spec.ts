import { startTestApp, type TestApp } from '../support/app.js';
import { fastUser, givenMember, givenOrganisation, givenProvider, givenSession, type FastUser } from '../support/bookings-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows } from '../support/factories.js';

type Actor = 'anonymous' | 'participant' | 'otherEmployee' | 'orgAdmin' | 'otherOrgAdmin' | 'staff' | 'otherStaff' | 'coordinator';
const UNKNOWN = '8f0f5c9e-1111-4a2b-9c3d-123456789abc';
const DAY = 24 * 3600_000;

describe('bookings: authorisation and bad input', () => {
  let db: TestDatabase;
  let app: TestApp;
  let people: Record<Exclude<Actor, 'anonymous'>, FastUser>;
  let orgId: string;
  let otherOrgId: string;
  let providerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    const [participant, otherEmployee, orgAdmin, otherOrgAdmin, staff, otherStaff, coordinator] = [
      await fastUser(db),
      await fastUser(db),
      await fastUser(db),
      await fastUser(db),
      await fastUser(db),
      await fastUser(db),
      await fastUser(db, { coordinator: true }),
    ];
    people = { participant, otherEmployee, orgAdmin, otherOrgAdmin, staff, otherStaff, coordinator };
    orgId = await givenOrganisation(db);
    otherOrgId = await givenOrganisation(db);
    await givenMember(db, orgId, [participant.id, otherEmployee.id]);
    await givenMember(db, orgId, orgAdmin.id, 'org_admin');
    await givenMember(db, otherOrgId, otherOrgAdmin.id, 'org_admin');
    providerId = await givenProvider(db, [staff.id]);
    await givenProvider(db, [otherStaff.id]);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const as = (actor: Actor) => (actor === 'anonymous' ? {} : people[actor].auth);
  async function bookingFor(options: Parameters<typeof givenSession>[2] = {}): Promise<{ sessionId: string; bookingId: string }> {
    const session = await givenSession(db, providerId, options);
    const res = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(people.participant.auth).send({}).expect(201);
    return { sessionId: session.id, bookingId: res.body.id };
  }
  function expectStatus(res: { status: number; body: { code?: string } }, expected: number, code?: string) {
    expect({ status: res.status, code: code ? res.body.code : undefined }).toEqual({ status: expected, code });
  }
  const refusals: Record<string, [Actor, number, string][]> = {
    booking: [
      ['anonymous', 401, 'UNAUTHENTICATED'],
      ['otherEmployee', 403, 'BOOKING_ACCESS_DENIED'],
      ['otherOrgAdmin', 403, 'BOOKING_ACCESS_DENIED'],
      ['otherStaff', 403, 'BOOKING_ACCESS_DENIED'],
    ],
    session: [
      ['anonymous', 401, 'UNAUTHENTICATED'],
      ['participant', 403, 'PROVIDER_ACCESS_DENIED'],
      ['otherEmployee', 403, 'PROVIDER_ACCESS_DENIED'],
      ['orgAdmin', 403, 'PROVIDER_ACCESS_DENIED'],
      ['otherOrgAdmin', 403, 'PROVIDER_ACCESS_DENIED'],
      ['otherStaff', 403, 'PROVIDER_ACCESS_DENIED'],
    ],
  };

  it('GET /bookings/:id and its calendar.ics: the participant, their org admin, provider staff, coordinator', async () => {
    const { bookingId } = await bookingFor();
    for (const path of [`/api/v1/bookings/${bookingId}`, `/api/v1/bookings/${bookingId}/calendar.ics`]) {
      for (const [actor, status, code] of refusals.booking) expectStatus(await app.http.get(path).set(as(actor)), status, code);
      for (const actor of ['participant', 'orgAdmin', 'staff', 'coordinator'] as const) expectStatus(await app.http.get(path).set(as(actor)), 200);
    }
  });

  it('approve and reject: only an org admin of the booking\'s organisation or a coordinator', async () => {
    const pending = async () => (await bookingFor({ requiresApproval: true })).bookingId;
    const id = await pending();
    for (const action of ['approve', 'reject']) {
      for (const [actor, status, code] of [...refusals.booking, ['participant', 403, 'BOOKING_ACCESS_DENIED'], ['staff', 403, 'BOOKING_ACCESS_DENIED']] as [Actor, number, string][]) {
        expectStatus(await app.http.post(`/api/v1/bookings/${id}/${action}`).set(as(actor)).send({ reason: 'Nej' }), status, code);
      }
    }
    expect(await countRows(db, 'bookings', `id = $1 AND status = 'pending_approval'`, [id])).toBe(1);
    expectStatus(await app.http.post(`/api/v1/bookings/${id}/approve`).set(as('orgAdmin')).send(), 200);
    expectStatus(await app.http.post(`/api/v1/bookings/${await pending()}/reject`).set(as('coordinator')).send({ reason: 'Nej' }), 200);
  });

  it('cancel: the participant, their org admin, provider staff and coordinators; nobody else', async () => {
    const { bookingId } = await bookingFor();
    for (const [actor, status, code] of refusals.booking) expectStatus(await app.http.post(`/api/v1/bookings/${bookingId}/cancel`).set(as(actor)).send({}), status, code);
    expect(await countRows(db, 'bookings', `id = $1 AND status = 'confirmed'`, [bookingId])).toBe(1);
    for (const actor of ['participant', 'orgAdmin', 'staff', 'coordinator'] as const) {
      expectStatus(await app.http.post(`/api/v1/bookings/${(await bookingFor()).bookingId}/cancel`).set(as(actor)).send({}), 200);
    }
  });

  it('accept-offer: the participant (or their org admin, coordinator); not provider staff or others', async () => {
    const { bookingId } = await bookingFor();
    for (const [actor, status, code] of [...refusals.booking, ['staff', 403, 'BOOKING_ACCESS_DENIED']] as [Actor, number, string][]) {
      expectStatus(await app.http.post(`/api/v1/bookings/${bookingId}/accept-offer`).set(as(actor)).send(), status, code);
    }
    for (const actor of ['participant', 'orgAdmin', 'coordinator'] as const) {
      expectStatus(await app.http.post(`/api/v1/bookings/${bookingId}/accept-offer`).set(as(actor)).send(), 409, 'BOOKING_NO_OFFER');
    }
  });

  it('accept-offer on a real open offer: refused roles change nothing; the participant, their org admin or a coordinator take it', async () => {
    /** `participant` waits behind `otherEmployee` on a one-seat session; `otherEmployee` cancels, so the seat is offered. */
    async function openOffer(): Promise<{ sessionId: string; bookingId: string }> {
      const session = await givenSession(db, providerId, { capacity: 1, waitlistMode: 'offer' });
      const holder = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(people.otherEmployee.auth).send({}).expect(201);
      const waiting = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(people.participant.auth).send({}).expect(201);
      expect(waiting.body.status).toBe('waitlisted');
      await app.http.post(`/api/v1/bookings/${holder.body.id}/cancel`).set(people.otherEmployee.auth).send({}).expect(200);
      return { sessionId: session.id, bookingId: waiting.body.id };
    }
    const state = async (bookingId: string, sessionId: string) => [
      await db.query('SELECT status, offer_expires_at, confirmed_at, updated_at FROM bookings WHERE id = $1', [bookingId]),
      await db.query('SELECT seats_taken FROM sessions WHERE id = $1', [sessionId]),
      await countRows(db, 'mail_outbox'),
      await countRows(db, 'audit_log'),
    ];
    for (const allowed of ['participant', 'orgAdmin', 'coordinator'] as const) {
      const { sessionId, bookingId } = await openOffer();
      const before = await state(bookingId, sessionId);
      expect(before[0]).toEqual([expect.objectContaining({ status: 'offered', offer_expires_at: expect.any(Date), confirmed_at: null })]);
      expect(before[1]).toEqual([{ seats_taken: 1 }]);
      for (const [actor, status, code] of [...refusals.booking, ['staff', 403, 'BOOKING_ACCESS_DENIED']] as [Actor, number, string][]) {
        expectStatus(await app.http.post(`/api/v1/bookings/${bookingId}/accept-offer`).set(as(actor)).send(), status, code);
      }
      expect(await state(bookingId, sessionId)).toEqual(before);
      expect((await app.http.get(`/api/v1/bookings/${bookingId}`).set(as('participant')).expect(200)).body.status).toBe('offered');
      const accepted = await app.http.post(`/api/v1/bookings/${bookingId}/accept-offer`).set(as(allowed)).send();
      expectStatus(accepted, 200);
      expect(accepted.body).toEqual({ id: bookingId, status: 'confirmed', waitlistPosition: null });
      expect(await countRows(db, 'bookings', `id = $1 AND status = 'confirmed' AND offer_expires_at IS NOT NULL AND confirmed_at IS NOT NULL`, [bookingId])).toBe(1);
      expect(await countRows(db, 'sessions', 'id = $1 AND seats_taken = 1', [sessionId])).toBe(1);
    }
  });

  it('GET /attendance-missing: staff of that provider and coordinators; everyone else refused, nothing written', async () => {
    // A session that ended two days ago with a confirmed booking whose attendance is not recorded.
    const { sessionId, bookingId } = await bookingFor();
    const startsAt = new Date(Date.now() - 2 * DAY - 3 * 3600_000);
    await db.query('UPDATE sessions SET starts_at = $2, ends_at = $3, booking_closes_at = $2 WHERE id = $1', [sessionId, startsAt, new Date(startsAt.getTime() + 3 * 3600_000)]);
    const path = `/api/v1/attendance-missing?providerId=${providerId}`;
    const state = async () => [
      await countRows(db, 'bookings', 'attended IS NOT NULL OR attendance_recorded_at IS NOT NULL'),
      await countRows(db, 'bookings', `id = $1 AND status = 'confirmed' AND attended IS NULL`, [bookingId]),
      await countRows(db, 'mail_outbox'),
      await countRows(db, 'audit_log'),
    ];
    const before = await state();
    expect(before[1]).toBe(1);
    for (const [actor, status, code] of refusals.session) expectStatus(await app.http.get(path).set(as(actor)), status, code);
    // Without providerId only a coordinator may ask (for every provider).
    expectStatus(await app.http.get('/api/v1/attendance-missing'), 401, 'UNAUTHENTICATED');
    for (const actor of ['participant', 'otherEmployee', 'orgAdmin', 'otherOrgAdmin', 'staff', 'otherStaff'] as const) {
      const res = await app.http.get('/api/v1/attendance-missing').set(as(actor));
      expect([res.status, res.body.code, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['providerId']]);
    }
    const malformed = await app.http.get('/api/v1/attendance-missing?providerId=nope').set(as('staff'));
    expect([malformed.status, malformed.body.code, malformed.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', ['providerId']]);
    expectStatus(await app.http.get(`/api/v1/attendance-missing?providerId=${UNKNOWN}`).set(as('staff')), 404, 'PROVIDER_NOT_FOUND');
    expect(await state()).toEqual(before);
    const listed = expect.arrayContaining([expect.objectContaining({ sessionId, providerId, missing: 1 })]);
    for (const [actor, url] of [['staff', path], ['coordinator', path], ['coordinator', '/api/v1/attendance-missing']] as const) {
      const res = await app.http.get(url).set(as(actor));
      expectStatus(res, 200);
      expect(res.body.items).toEqual(listed);
    }
    expect(await state()).toEqual(before);
  });

  it('a session\'s bookings (JSON and CSV) and attendance: staff of that provider and coordinators', async () => {
    const { sessionId, bookingId } = await bookingFor();
    const body = { records: [{ bookingId, attended: true }] };
    for (const [actor, status, code] of refusals.session) {
      expectStatus(await app.http.get(`/api/v1/sessions/${sessionId}/bookings`).set(as(actor)), status, code);
      expectStatus(await app.http.get(`/api/v1/sessions/${sessionId}/bookings?format=csv`).set(as(actor)), status, code);
      expectStatus(await app.http.post(`/api/v1/sessions/${sessionId}/attendance`).set(as(actor)).send(body), status, code);
    }
    for (const actor of ['staff', 'coordinator'] as const) {
      expectStatus(await app.http.get(`/api/v1/sessions/${sessionId}/bookings`).set(as(actor)), 200);
      expectStatus(await app.http.post(`/api/v1/sessions/${sessionId}/attendance`).set(as(actor)).send(body), 409, 'BOOKING_SESSION_NOT_STARTED');
    }
    expect(await countRows(db, 'bookings', 'attended IS NOT NULL')).toBe(0);
  });

  it('an organisation\'s bookings: its org admins and coordinators; /me/bookings: anyone signed in', async () => {
    for (const [actor, status, code] of [
      ['anonymous', 401, 'UNAUTHENTICATED'],
      ['participant', 403, 'ORGANISATION_ACCESS_DENIED'],
      ['otherEmployee', 403, 'ORGANISATION_ACCESS_DENIED'],
      ['otherOrgAdmin', 403, 'ORGANISATION_ACCESS_DENIED'],
      ['staff', 403, 'ORGANISATION_ACCESS_DENIED'],
      ['otherStaff', 403, 'ORGANISATION_ACCESS_DENIED'],
    ] as [Actor, number, string][]) {
      expectStatus(await app.http.get(`/api/v1/organisations/${orgId}/bookings`).set(as(actor)), status, code);
    }
    for (const actor of ['orgAdmin', 'coordinator'] as const) expectStatus(await app.http.get(`/api/v1/organisations/${orgId}/bookings`).set(as(actor)), 200);
    expectStatus(await app.http.get('/api/v1/me/bookings'), 401, 'UNAUTHENTICATED');
    expectStatus(await app.http.get('/api/v1/me/bookings').set(as('staff')), 200);
  });

  it('booking for someone else: only an org admin of their organisation (or a coordinator)', async () => {
    const session = await givenSession(db, providerId);
    const before = await countRows(db, 'bookings');
    const forParticipant = { participantUserId: people.participant.id };
    expectStatus(await app.http.post(`/api/v1/sessions/${session.id}/bookings`).send(forParticipant), 401, 'UNAUTHENTICATED');
    for (const actor of ['otherEmployee', 'otherOrgAdmin', 'staff', 'otherStaff'] as const) {
      expectStatus(await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(as(actor)).send(forParticipant), 403, 'BOOKING_PARTICIPANT_NOT_IN_ORGANISATION');
    }
    expectStatus(await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(as('orgAdmin')).send({ participantUserId: UNKNOWN }), 403, 'BOOKING_PARTICIPANT_NOT_IN_ORGANISATION');
    expectStatus(await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(as('otherOrgAdmin')).send({ ...forParticipant, organisationId: orgId }), 403, 'BOOKING_PARTICIPANT_NOT_IN_ORGANISATION');
    // An erased account cannot be booked, not even by a coordinator.
    const erased = await fastUser(db);
    await givenMember(db, orgId, erased.id);
    await db.query('UPDATE users SET erased_at = now() WHERE id = $1', [erased.id]);
    for (const actor of ['orgAdmin', 'coordinator'] as const) {
      expectStatus(await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(as(actor)).send({ participantUserId: erased.id }), 403, 'BOOKING_PARTICIPANT_NOT_IN_ORGANISATION');
    }
    expect(await countRows(db, 'bookings')).toBe(before);
    const res = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(as('orgAdmin')).send(forParticipant).expect(201);
    expect(await countRows(db, 'bookings', 'id = $1 AND user_id = $2 AND organisation_id = $3 AND booked_by_user_id = $4', [res.body.id, people.participant.id, orgId, people.orgAdmin.id])).toBe(1);
    const coordinatorBooks = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(as('coordinator')).send({ participantUserId: people.otherEmployee.id }).expect(201);
    expect(coordinatorBooks.body.status).toBe('confirmed');
  });

  it('booking with the token of an erased account: 401 before anything else, nothing written', async () => {
    const session = await givenSession(db, providerId);
    const erased = await fastUser(db);
    await givenMember(db, orgId, erased.id);
    const valid = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(erased.auth).send({}).expect(201);
    await db.query('UPDATE users SET erased_at = now() WHERE id = $1', [erased.id]);
    const before = await countRows(db, 'bookings');
    const seats = await countRows(db, 'sessions', 'id = $1 AND seats_taken = 1', [session.id]);
    for (const [sessionId, body] of [
      [(await givenSession(db, providerId)).id, {}],
      [session.id, {}],
      [UNKNOWN, {}],
      [session.id, { participantUserId: people.participant.id }],
    ] as const) {
      expectStatus(await app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(erased.auth).send(body), 401, 'AUTH_TOKEN_INVALID');
    }
    expectStatus(await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(erased.auth).set('Idempotency-Key', 'erased-1').send({}), 401, 'AUTH_TOKEN_INVALID');
    expect(await countRows(db, 'bookings')).toBe(before);
    expect(await countRows(db, 'sessions', 'id = $1 AND seats_taken = 1', [session.id])).toBe(seats);
    expect(await countRows(db, 'idempotency_keys', 'scope = $1', [erased.id])).toBe(0);
    expect(valid.body.status).toBe('confirmed');
    // Other routes still read the account in the guard.
    expectStatus(await app.http.get('/api/v1/me/bookings').set(erased.auth), 401, 'AUTH_TOKEN_INVALID');
  });

  it('bad input is refused with the exact status, code and field, and writes nothing', async () => {
    const session = await givenSession(db, providerId);
    const { bookingId } = await bookingFor();
    const person = people.otherEmployee;
    const counts = async () => [await countRows(db, 'bookings'), await countRows(db, 'mail_outbox'), await countRows(db, 'sessions', 'seats_taken > 0')];
    const before = await counts();
    const cases: [string, string, object, number, string, string?][] = [
      ['post', `/api/v1/sessions/${UNKNOWN}/bookings`, {}, 404, 'SESSION_NOT_FOUND'],
      ['post', '/api/v1/sessions/not-a-uuid/bookings', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['post', `/api/v1/sessions/${session.id}/bookings`, { participantUserId: 'x' }, 400, 'VALIDATION_FAILED', 'participantUserId'],
      ['post', `/api/v1/sessions/${session.id}/bookings`, { organisationId: 42 }, 400, 'VALIDATION_FAILED', 'organisationId'],
      ['post', `/api/v1/sessions/${session.id}/bookings`, { accessibilityRequests: 'induction_loop' }, 400, 'VALIDATION_FAILED', 'accessibilityRequests'],
      ['post', `/api/v1/sessions/${session.id}/bookings`, { accessibilityRequests: ['induction_loop', 'teleportation'] }, 400, 'VALIDATION_FAILED', 'accessibilityRequests'],
      ['post', `/api/v1/sessions/${session.id}/bookings`, { note: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED', 'note'],
      ['post', `/api/v1/sessions/${session.id}/bookings`, { seats: 3 }, 400, 'VALIDATION_FAILED', 'seats'],
      ['post', `/api/v1/bookings/${UNKNOWN}/cancel`, {}, 404, 'BOOKING_NOT_FOUND'],
      ['post', '/api/v1/bookings/123/cancel', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['post', '/api/v1/bookings/123/approve', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['post', '/api/v1/bookings/123/reject', { reason: 'x' }, 400, 'VALIDATION_FAILED', 'id'],
      ['post', '/api/v1/bookings/123/accept-offer', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['get', '/api/v1/bookings/123', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['get', `/api/v1/bookings/${UNKNOWN}`, {}, 404, 'BOOKING_NOT_FOUND'],
      ['get', '/api/v1/bookings/123/calendar.ics', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['get', `/api/v1/sessions/${UNKNOWN}/bookings`, {}, 404, 'SESSION_NOT_FOUND'],
      ['get', '/api/v1/organisations/nope/bookings', {}, 400, 'VALIDATION_FAILED', 'id'],
      ['get', `/api/v1/organisations/${UNKNOWN}/bookings`, {}, 404, 'ORGANISATION_NOT_FOUND'],
      ['get', '/api/v1/me/bookings?status=lost', {}, 400, 'VALIDATION_FAILED', 'status'],
      ['get', '/api/v1/me/bookings?limit=0', {}, 400, 'VALIDATION_FAILED', 'limit'],
    ];
    for (const [method, path, body, status, code, field] of cases) {
      const req = method === 'get' ? app.http.get(path) : app.http.post(path).send(body);
      const res = await req.set(person.auth);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status, code });
      if (field) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    // As the right people, still bad input.
    const reject = await app.http.post(`/api/v1/bookings/${bookingId}/reject`).set(as('orgAdmin')).send({});
    expect([reject.status, reject.body.code, reject.body.details[0].field]).toEqual([400, 'VALIDATION_FAILED', 'reason']);
    const attendance: [object, string][] = [
      [{ records: [] }, 'records'],
      [{ records: [{ bookingId: 'x', attended: true }] }, 'records[0].bookingId'],
      [{ records: [{ bookingId, attended: 'yes' }] }, 'records[0].attended'],
      [{}, 'records'],
    ];
    for (const [body, field] of attendance) {
      const res = await app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(as('staff')).send(body);
      expect([res.status, res.body.code, res.body.details.map((d: { field: string }) => d.field)]).toEqual([400, 'VALIDATION_FAILED', expect.arrayContaining([field])]);
    }
    expect(await counts()).toEqual(before);
  });

  it('booking window, session state and duplicates → 409 with a code that says which; nothing written', async () => {
    const person = await fastUser(db);
    await givenMember(db, orgId, person.id);
    const now = Date.now();
    const cases: [Parameters<typeof givenSession>[2], string][] = [
      [{ bookingOpensAt: new Date(now + DAY) }, 'BOOKING_NOT_OPEN_YET'],
      [{ bookingClosesAt: new Date(now - 1000) }, 'BOOKING_CLOSED'],
      [{ startsAt: new Date(now - DAY), endsAt: new Date(now - DAY + 3600_000), bookingClosesAt: new Date(now - DAY) }, 'BOOKING_SESSION_PAST'],
      [{ offeringStatus: 'draft' }, 'BOOKING_OFFERING_NOT_PUBLISHED'],
    ];
    const before = await countRows(db, 'bookings');
    for (const [options, code] of cases) {
      const session = await givenSession(db, providerId, options);
      const res = await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({});
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code });
    }
    const cancelled = await givenSession(db, providerId);
    await db.query(`UPDATE sessions SET status = 'cancelled' WHERE id = $1`, [cancelled.id]);
    expect((await app.http.post(`/api/v1/sessions/${cancelled.id}/bookings`).set(person.auth).send({})).body.code).toBe('BOOKING_SESSION_CANCELLED');
    expect(await countRows(db, 'bookings')).toBe(before);

    // A second booking of the same person is 409 and writes nothing: no seat, no booking, no email.
    const duplicateWritesNothing = async (sessionId: string) => {
      const state = async () => [
        await countRows(db, 'bookings', 'session_id = $1', [sessionId]),
        (await db.query<{ seats_taken: number }>('SELECT seats_taken FROM sessions WHERE id = $1', [sessionId]))[0].seats_taken,
        await countRows(db, 'mail_outbox', 'to_address = $1', [person.email]),
      ];
      const before = await state();
      const twice = await app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send({});
      expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'BOOKING_ALREADY_BOOKED' });
      expect(await state()).toEqual(before);
    };
    // While seats are free the duplicate fails inside the one-statement booking …
    const session = await givenSession(db, providerId, { capacity: 3 });
    await app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({}).expect(201);
    await duplicateWritesNothing(session.id);
    expect(await countRows(db, 'sessions', 'id = $1 AND seats_taken = 1', [session.id])).toBe(1);
    // … and on a full session (waitlisted) in the transactional path.
    const full = await givenSession(db, providerId, { capacity: 1 });
    await app.http.post(`/api/v1/sessions/${full.id}/bookings`).set(people.otherEmployee.auth).send({}).expect(201);
    expect((await app.http.post(`/api/v1/sessions/${full.id}/bookings`).set(person.auth).send({}).expect(201)).body.status).toBe('waitlisted');
    await duplicateWritesNothing(full.id);

    // Several organisations: say which; approval with no organisation: 409.
    await givenMember(db, otherOrgId, person.id);
    const several = await app.http.post(`/api/v1/sessions/${(await givenSession(db, providerId)).id}/bookings`).set(person.auth).send({});
    expect([several.status, several.body.code, several.body.details[0].field]).toEqual([400, 'BOOKING_ORGANISATION_REQUIRED', 'organisationId']);
    const loner = await fastUser(db);
    const approval = await app.http.post(`/api/v1/sessions/${(await givenSession(db, providerId, { requiresApproval: true })).id}/bookings`).set(loner.auth).send({});
    expect({ status: approval.status, code: approval.body.code }).toEqual({ status: 409, code: 'BOOKING_NO_ORGANISATION_TO_APPROVE' });
  });
});
