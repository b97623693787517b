import { useTestContext } from '../support/context.js';
import { fastUser, fastUsers, givenMember, givenOrganisation, givenProvider, givenSession } from '../support/bookings-factories.js';
import { countRows } from '../support/factories.js';
import { dispatchFollowUp, surveyToken } from '../support/follow-up-factories.js';

/** Bookings and follow-up together: attendance recorded over HTTP is what creates evaluation invitations. */
describe('from a booking to an evaluation invitation', () => {
  const t = useTestContext({ smtp: true });
  const HOUR = 3600_000;

  it('invites the attended (not the absent), lists missing attendance, and emails the survey link when due', async () => {
    const staff = await fastUser(t.db, { prefix: 'staff' });
    const otherStaff = await fastUser(t.db, { prefix: 'otherstaff' });
    const coordinator = await fastUser(t.db, { prefix: 'coord', coordinator: true });
    const providerId = await givenProvider(t.db, [staff.id]);
    await givenProvider(t.db, [otherStaff.id]);
    const organisationId = await givenOrganisation(t.db);
    const [attended, absent, unrecorded] = await fastUsers(t.db, 3, { prefix: 'deltagare' });
    await givenMember(t.db, organisationId, [attended.id, absent.id, unrecorded.id]);
    const startsAt = new Date(Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR);
    const session = await givenSession(t.db, providerId, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 5 });

    const bookingIds: string[] = [];
    for (const person of [attended, absent, unrecorded]) {
      const res = await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({}).expect(201);
      expect(res.body.status).toBe('confirmed');
      bookingIds.push(res.body.id);
    }

    // The session takes place; the provider records attendance for two of the three.
    t.app.clock.advance(session.endsAt.getTime() - Date.now() + 10 * 60_000);
    await t.app.http
      .post(`/api/v1/sessions/${session.id}/attendance`)
      .set(staff.auth)
      .send({ records: [{ bookingId: bookingIds[0], attended: true }, { bookingId: bookingIds[1], attended: false }] })
      .expect(200);
    const invited = await t.db.query<{ user_id: string }>(`SELECT DISTINCT user_id FROM evaluation_invitations WHERE session_id = $1`, [session.id]);
    expect(invited).toEqual([{ user_id: attended.id }]);

    // Not yet 24 h: nothing listed as missing. After 24 h: the unrecorded booking is.
    const early = await t.app.http.get(`/api/v1/attendance-missing?providerId=${providerId}`).set(staff.auth).expect(200);
    expect(early.body).toEqual({ items: [], total: 0 });
    t.app.clock.advance(24 * HOUR + 60_000);
    const missing = await t.app.http.get(`/api/v1/attendance-missing?providerId=${providerId}`).set(staff.auth).expect(200);
    expect(missing.body).toEqual({ items: [expect.objectContaining({ sessionId: session.id, providerId, missing: 1 })], total: 1 });
    const all = await t.app.http.get('/api/v1/attendance-missing').set(coordinator.auth).expect(200);
    expect(all.body.items.map((s: { sessionId: string }) => s.sessionId)).toContain(session.id);
    expect((await t.app.http.get(`/api/v1/attendance-missing?providerId=${providerId}`).set(otherStaff.auth).expect(403)).body.code).toBe(
      'PROVIDER_ACCESS_DENIED',
    );
    expect((await t.app.http.get('/api/v1/attendance-missing').set(attended.auth).expect(400)).body.details[0].field).toBe('providerId');
    await t.app.http.get('/api/v1/attendance-missing').expect(401);

    // The default plan's first step (a day after the end) is now due: only the attended person is emailed.
    await dispatchFollowUp(t.app);
    const surveys = (email: string) => t.smtp.to(email).filter((m) => (m.text ?? '').includes('/survey/'));
    await t.smtp.waitForMailTo(attended.email, 2); // the booking confirmation, then the evaluation
    expect(surveys(attended.email)).toHaveLength(1);
    expect(surveyToken(surveys(attended.email)[0])).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(surveys(absent.email)).toHaveLength(0);
    expect(surveys(unrecorded.email)).toHaveLength(0);
    expect(await countRows(t.db, 'evaluation_invitations', 'user_id = ANY($1::uuid[])', [[absent.id, unrecorded.id]])).toBe(0);
    t.app.clock.reset();
  });
});
