import { startTestApp, type TestApp } from '../support/app.js';
import { givenProvider, givenStaff, offeringBody, sessionBody } from '../support/catalogue-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows, givenUser, uniqueEmail, type GivenUser } from '../support/factories.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';

describe('catalogue: providers, staff by invitation, an offering from draft to archive', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let app: TestApp;
  let ctx: { app: TestApp; db: TestDatabase };
  let coordinator: GivenUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
    app = await startTestApp({ databaseUrl: db.url, smtpUrl: smtp.url });
    ctx = { app, db };
    coordinator = await givenUser(ctx, { coordinator: true });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await db?.drop();
  });

  it('a coordinator registers a provider; anyone can list and read it', async () => {
    const res = await app.http
      .post('/api/v1/providers')
      .set(coordinator.auth)
      .send({ name: 'Studieförbundet Vuxenskolan Uppsala', kind: 'study_association', orgNumber: '8020096007', municipalityCode: '0380', website: 'https://www.sv.se' })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'Studieförbundet Vuxenskolan Uppsala', kind: 'study_association', orgNumber: '802009-6007', municipalityCode: '0380' });
    const list = await app.http.get('/api/v1/providers').expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
    await app.http.get(`/api/v1/providers/${res.body.id}`).expect(200);
    const again = await app.http.post('/api/v1/providers').set(coordinator.auth).send({ name: 'Studieförbundet Vuxenskolan Uppsala', kind: 'other' }).expect(409);
    expect(again.body.code).toBe('PROVIDER_NAME_TAKEN');
  });

  it('refuses a bad organisation number, kind or municipality with 400 naming the field, writing nothing', async () => {
    const before = await countRows(db, 'providers');
    for (const [body, field] of [
      [{ name: 'X-förbundet', kind: 'study_association', orgNumber: '802009-6008' }, 'orgNumber'],
      [{ name: 'X-förbundet', kind: 'church' }, 'kind'],
      [{ name: 'X-förbundet', kind: 'other', municipalityCode: '9999' }, 'municipalityCode'],
      [{ kind: 'other' }, 'name'],
    ] as const) {
      const res = await app.http.post('/api/v1/providers').set(coordinator.auth).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await countRows(db, 'providers')).toBe(before);
  });

  it('staff who joined through the emailed invitation create, edit, publish and archive an offering', async () => {
    const provider = await givenProvider(ctx, coordinator, { name: 'Medborgarskolan Öst' });
    const email = uniqueEmail('kursansvarig');
    await app.http.post(`/api/v1/providers/${provider.id}/staff`).set(coordinator.auth).send({ email }).expect(201);
    await app.dispatchMail();
    const [mail] = await smtp.waitForMailTo(email);
    expect(mail.subject).toContain('Medborgarskolan Öst');
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];
    const accepted = await app.http
      .post(`/api/v1/invitations/${token}/accept`)
      .send({ name: 'Karin Lund', password: 'ett-bra-lösenord-123' })
      .expect(200);
    expect(accepted.body.membership).toMatchObject({ kind: 'provider', targetId: provider.id, role: 'provider_staff' });
    expect(accepted.body).not.toHaveProperty('accessToken');
    const login = await app.http.post('/api/v1/auth/login').send({ email, password: 'ett-bra-lösenord-123' }).expect(200);
    const staff = { Authorization: `Bearer ${login.body.accessToken}` };
    const me = await app.http.get('/api/v1/me').set(staff).expect(200);
    expect(me.body.memberships).toContainEqual(expect.objectContaining({ kind: 'provider', id: provider.id, role: 'provider_staff' }));
    const staffList = await app.http.get(`/api/v1/providers/${provider.id}/staff`).set(staff).expect(200);
    expect(staffList.body).toEqual({ items: [expect.objectContaining({ email, name: 'Karin Lund' })], total: 1 });

    // the new staff member invites a colleague in turn (audited with the provider)
    await app.http.post(`/api/v1/providers/${provider.id}/staff`).set(staff).send({ email: uniqueEmail('kollega') }).expect(201);
    expect(await countRows(db, 'audit_log', `action = 'invitation.sent' AND provider_id = $1`, [provider.id])).toBe(2);

    // create: a draft
    const created = await app.http.post('/api/v1/offerings').set(staff).send(offeringBody(provider.id)).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ status: 'draft', providerName: 'Medborgarskolan Öst', themeCodes: ['public_procurement'], priceSek: 0, hours: 6, sessions: [] });

    // drafts are invisible to the public
    await app.http.get(`/api/v1/offerings/${id}`).expect(404);
    expect((await app.http.get('/api/v1/offerings').expect(200)).body.total).toBe(0);

    // edit
    const edited = await app.http
      .patch(`/api/v1/offerings/${id}`)
      .set(staff)
      .send({ title: 'Upphandling steg för steg', themeCodes: ['public_procurement', 'local_partnerships'], priceSek: 450 })
      .expect(200);
    expect(edited.body).toMatchObject({ title: 'Upphandling steg för steg', themeCodes: ['public_procurement', 'local_partnerships'], priceSek: 450 });

    // publishing needs an upcoming session
    const early = await app.http.post(`/api/v1/offerings/${id}/publish`).set(staff).expect(409);
    expect(early.body.code).toBe('OFFERING_NO_UPCOMING_SESSION');
    const session = await app.http.post(`/api/v1/offerings/${id}/sessions`).set(staff).send(sessionBody(20, { onlineUrl: 'https://meet.example.se/x', online: true })).expect(201);
    expect(session.body).toMatchObject({ capacity: 20, seatsLeft: 20, status: 'scheduled', waitlistMode: 'offer', bookingClosesAt: session.body.startsAt, onlineUrl: 'https://meet.example.se/x' });
    const published = await app.http.post(`/api/v1/offerings/${id}/publish`).set(staff).expect(200);
    expect(published.body.status).toBe('published');
    expect(published.body.publishedAt).toEqual(expect.any(String));

    // public now: found in search and readable, without the online link
    const publicView = await app.http.get(`/api/v1/offerings/${id}`).expect(200);
    expect(publicView.body.sessions).toEqual([expect.objectContaining({ id: session.body.id, seatsLeft: 20, onlineUrl: null })]);
    expect((await app.http.get('/api/v1/offerings?q=upphandling').expect(200)).body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    await app.http.get(`/api/v1/sessions/${session.body.id}`).expect(200);

    // archive: out of search, 404 for the public, still there for staff; no more changes
    const archived = await app.http.post(`/api/v1/offerings/${id}/archive`).set(staff).expect(200);
    expect(archived.body.status).toBe('archived');
    await app.http.get(`/api/v1/offerings/${id}`).expect(404);
    await app.http.get(`/api/v1/offerings/${id}`).set(staff).expect(200);
    expect((await app.http.get('/api/v1/offerings').expect(200)).body.total).toBe(0);
    const frozen = await app.http.patch(`/api/v1/offerings/${id}`).set(staff).send({ title: 'Ny titel' }).expect(409);
    expect(frozen.body.code).toBe('OFFERING_ARCHIVED');
    expect((await app.http.post(`/api/v1/offerings/${id}/publish`).set(staff).expect(409)).body.code).toBe('OFFERING_ARCHIVED');

    const mine = await app.http.get(`/api/v1/providers/${provider.id}/offerings`).set(staff).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id, status: 'archived' })] });
    expect((await app.http.get(`/api/v1/providers/${provider.id}/offerings`).expect(200)).body.total).toBe(0);
  });

  it('staff are removed (audited) and then lose access; provider staff rows follow export and erasure', async () => {
    const provider = await givenProvider(ctx, coordinator);
    const staff = await givenStaff(ctx, provider.id);
    const colleague = await givenStaff(ctx, provider.id);
    const exported = await app.http.get('/api/v1/me/export').set(colleague.auth).expect(200);
    expect(exported.body.providerStaff).toEqual([expect.objectContaining({ providerId: provider.id })]);
    await app.http.delete(`/api/v1/providers/${provider.id}/staff/${colleague.id}`).set(staff.auth).expect(204);
    expect(await countRows(db, 'audit_log', `action = 'provider_staff.removed' AND provider_id = $1 AND subject_user_id = $2`, [provider.id, colleague.id])).toBe(1);
    const refused = await app.http.get(`/api/v1/providers/${provider.id}/staff`).set(colleague.auth).expect(403);
    expect(refused.body.code).toBe('PROVIDER_ACCESS_DENIED');
    const gone = await app.http.delete(`/api/v1/providers/${provider.id}/staff/${colleague.id}`).set(staff.auth).expect(404);
    expect(gone.body.code).toBe('PROVIDER_STAFF_NOT_FOUND');
    await app.http.delete('/api/v1/me').set(staff.auth).expect(200);
    expect(await countRows(db, 'provider_staff', 'provider_id = $1', [provider.id])).toBe(0);
  });

  it('sessions created at the same moment on one offering all succeed, and its places list every one of them', async () => {
    const provider = await givenProvider(ctx, coordinator);
    const staff = await givenStaff(ctx, provider.id);
    const offering = await app.http.post('/api/v1/offerings').set(staff.auth).send(offeringBody(provider.id)).expect(201);
    const municipalities = ['0380', '0331', '0580', '1880', '0488'];
    const created = await Promise.all(
      municipalities.map((municipalityCode, i) =>
        app.http.post(`/api/v1/offerings/${offering.body.id}/sessions`).set(staff.auth).send(sessionBody(10 + i, { municipalityCode })),
      ),
    );
    expect(created.map((res) => res.status)).toEqual(Array(municipalities.length).fill(201));
    const [{ places }] = await db.query<{ places: string[] }>('SELECT places FROM offerings WHERE id = $1', [offering.body.id]);
    expect(places).toEqual(expect.arrayContaining(municipalities));
    expect(places.filter((place) => !place.startsWith('county:')).sort()).toEqual([...municipalities].sort());
  });

  it('sessions: capacity below the seats taken is 409, a raise and a cancellation reach bookings in the same transaction', async () => {
    const provider = await givenProvider(ctx, coordinator);
    const staff = await givenStaff(ctx, provider.id);
    const offering = await app.http.post('/api/v1/offerings').set(staff.auth).send(offeringBody(provider.id)).expect(201);
    const session = await app.http.post(`/api/v1/offerings/${offering.body.id}/sessions`).set(staff.auth).send(sessionBody(10)).expect(201);
    const sid = session.body.id as string;
    await db.query('UPDATE sessions SET seats_taken = 15 WHERE id = $1', [sid]);

    const below = await app.http.patch(`/api/v1/sessions/${sid}`).set(staff.auth).send({ capacity: 14 }).expect(409);
    expect(below.body.code).toBe('SESSION_CAPACITY_BELOW_TAKEN');
    expect((await db.query('SELECT capacity FROM sessions WHERE id = $1', [sid]))[0]).toEqual({ capacity: 20 });

    const { SessionEvents } = await import('../../src/catalogue/session-events.js');
    const seen: string[] = [];
    const events = app.app.get(SessionEvents);
    events.on('capacityRaised', async (manager, id) => {
      const [row] = await manager.query('SELECT capacity FROM sessions WHERE id = $1', [id]);
      seen.push(`raised:${row.capacity}`);
    });
    events.on('cancelled', async (manager, id) => {
      const [row] = await manager.query('SELECT status FROM sessions WHERE id = $1', [id]);
      seen.push(`cancelled:${row.status}`);
    });
    const lowered = await app.http.patch(`/api/v1/sessions/${sid}`).set(staff.auth).send({ capacity: 15, venue: 'Sal 3' }).expect(200);
    expect(lowered.body).toMatchObject({ capacity: 15, seatsLeft: 0, venue: 'Sal 3' });
    expect(seen).toEqual([]);
    const raised = await app.http.patch(`/api/v1/sessions/${sid}`).set(staff.auth).send({ capacity: 30 }).expect(200);
    expect(raised.body.seatsLeft).toBe(15);
    expect(seen).toEqual(['raised:30']);

    const bad = await app.http.post(`/api/v1/sessions/${sid}/cancel`).set(staff.auth).send({}).expect(400);
    expect(bad.body.details[0].field).toBe('reason');
    const cancelled = await app.http.post(`/api/v1/sessions/${sid}/cancel`).set(staff.auth).send({ reason: 'Kursledaren är sjuk' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Kursledaren är sjuk' });
    expect(seen).toEqual(['raised:30', 'cancelled:cancelled']);
    expect((await app.http.post(`/api/v1/sessions/${sid}/cancel`).set(staff.auth).send({ reason: 'igen' }).expect(409)).body.code).toBe('SESSION_CANCELLED');
    expect((await app.http.patch(`/api/v1/sessions/${sid}`).set(staff.auth).send({ capacity: 40 }).expect(409)).body.code).toBe('SESSION_CANCELLED');
    // a cancelled session does not count for publishing
    expect((await app.http.post(`/api/v1/offerings/${offering.body.id}/publish`).set(staff.auth).expect(409)).body.code).toBe('OFFERING_NO_UPCOMING_SESSION');
  });

  describe('invalid input is 400 naming the field, and nothing is written', () => {
    let provider: { id: string };
    let staff: GivenUser;
    let offeringId: string;
    let sessionId: string;

    beforeAll(async () => {
      provider = await givenProvider(ctx, coordinator);
      staff = await givenStaff(ctx, provider.id);
      offeringId = (await app.http.post('/api/v1/offerings').set(staff.auth).send(offeringBody(provider.id)).expect(201)).body.id;
      sessionId = (await app.http.post(`/api/v1/offerings/${offeringId}/sessions`).set(staff.auth).send(sessionBody(10)).expect(201)).body.id;
    });

    const offeringCases: Array<[string, Record<string, unknown>, string]> = [
      ['unknown theme', { themeCodes: ['astrology'] }, 'themeCodes'],
      ['no theme', { themeCodes: [] }, 'themeCodes'],
      ['unknown format', { format: 'webinar' }, 'format'],
      ['unknown accessibility feature', { accessibilityFeatures: ['teleport'] }, 'accessibilityFeatures'],
      ['unknown target group', { targetGroups: ['students'] }, 'targetGroups'],
      ['negative price', { priceSek: -1 }, 'priceSek'],
      ['price as text', { priceSek: 'gratis' }, 'priceSek'],
      ['malformed provider id', { providerId: 'abc' }, 'providerId'],
      ['missing title', { title: undefined }, 'title'],
      ['unknown field', { secret: 1 }, 'secret'],
    ];
    it.each(offeringCases)('POST /offerings: %s', async (_, overrides, field) => {
      const before = await countRows(db, 'offerings');
      const res = await app.http.post('/api/v1/offerings').set(staff.auth).send(offeringBody(provider.id, overrides)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await countRows(db, 'offerings')).toBe(before);
    });

    it('names the unknown codes', async () => {
      const res = await app.http.post('/api/v1/offerings').set(staff.auth).send(offeringBody(provider.id, { themeCodes: ['digital_skills', 'astrology'] })).expect(400);
      expect(res.body.details).toEqual([{ field: 'themeCodes', messages: ['unknown codes: astrology'] }]);
    });

    it('PATCH /offerings/:id: unknown theme and negative price change nothing', async () => {
      for (const [body, field] of [[{ themeCodes: ['astrology'] }, 'themeCodes'], [{ priceSek: -5 }, 'priceSek']] as const) {
        const res = await app.http.patch(`/api/v1/offerings/${offeringId}`).set(staff.auth).send(body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      expect((await db.query('SELECT theme_codes, price_sek FROM offerings WHERE id = $1', [offeringId]))[0]).toEqual({ theme_codes: ['public_procurement'], price_sek: 0 });
    });

    const sessionCases: Array<[string, Record<string, unknown>, string]> = [
      ['end before start', { endsAt: new Date(Date.now() + 5 * 86400_000).toISOString() }, 'endsAt'],
      ['capacity 0', { capacity: 0 }, 'capacity'],
      ['capacity 10 001', { capacity: 10_001 }, 'capacity'],
      ['unknown municipality', { municipalityCode: '9999' }, 'municipalityCode'],
      ['neither a municipality nor online', { municipalityCode: undefined }, 'municipalityCode'],
      ['booking closes after the start', { bookingClosesAt: new Date(Date.now() + 40 * 86400_000).toISOString() }, 'bookingClosesAt'],
      ['cancellation deadline after the start', { cancellationDeadline: new Date(Date.now() + 40 * 86400_000).toISOString() }, 'cancellationDeadline'],
      ['start in the past', { startsAt: new Date(Date.now() - 86400_000).toISOString() }, 'startsAt'],
      ['start not a date', { startsAt: 'måndag' }, 'startsAt'],
      ['unknown waitlist mode', { waitlistMode: 'lottery' }, 'waitlistMode'],
    ];
    it.each(sessionCases)('POST /offerings/:id/sessions: %s', async (_, overrides, field) => {
      const before = await countRows(db, 'sessions');
      const res = await app.http.post(`/api/v1/offerings/${offeringId}/sessions`).set(staff.auth).send(sessionBody(30, overrides)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await countRows(db, 'sessions')).toBe(before);
    });

    it('PATCH /sessions/:id: end before start, a start in the past (as POST refuses), capacity 0 and 10 001, unknown municipality change nothing', async () => {
      const [before] = await db.query<{ starts_at: Date }>('SELECT * FROM sessions WHERE id = $1', [sessionId]);
      const yesterday = new Date(app.clock.now().getTime() - 24 * 3600_000);
      for (const [body, field] of [
        [{ endsAt: before.starts_at.toISOString() }, 'endsAt'],
        [{ startsAt: yesterday.toISOString(), endsAt: new Date(yesterday.getTime() + 3600_000).toISOString() }, 'startsAt'],
        [{ capacity: 0 }, 'capacity'],
        [{ capacity: 10_001 }, 'capacity'],
        [{ municipalityCode: '9999' }, 'municipalityCode'],
      ] as const) {
        const res = await app.http.patch(`/api/v1/sessions/${sessionId}`).set(staff.auth).send(body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      expect((await db.query('SELECT * FROM sessions WHERE id = $1', [sessionId]))[0]).toEqual(before);
    });

    it('malformed and unknown ids: 400 naming the parameter, 404 with the code', async () => {
      for (const path of ['/api/v1/offerings/abc', '/api/v1/sessions/abc', '/api/v1/providers/abc']) {
        const res = await app.http.get(path).expect(400);
        expect(res.body.details).toEqual([{ field: 'id', messages: ['must be a UUID'] }]);
      }
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await app.http.get(`/api/v1/offerings/${unknown}`).expect(404)).body.code).toBe('OFFERING_NOT_FOUND');
      expect((await app.http.get(`/api/v1/sessions/${unknown}`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      expect((await app.http.get(`/api/v1/providers/${unknown}`).expect(404)).body.code).toBe('PROVIDER_NOT_FOUND');
      const before = await countRows(db, 'sessions');
      expect((await app.http.post(`/api/v1/offerings/${unknown}/sessions`).set(staff.auth).send(sessionBody()).expect(404)).body.code).toBe('OFFERING_NOT_FOUND');
      expect((await app.http.post('/api/v1/offerings').set(staff.auth).send(offeringBody(unknown)).expect(404)).body.code).toBe('PROVIDER_NOT_FOUND');
      expect(await countRows(db, 'sessions')).toBe(before);
      const bad = await app.http.delete(`/api/v1/providers/${provider.id}/staff/abc`).set(staff.auth).expect(400);
      expect(bad.body.details).toEqual([{ field: 'userId', messages: ['must be a UUID'] }]);
    });
  });
});
