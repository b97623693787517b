import { BookingJobs } from '../../src/bookings/booking-jobs.scheduler.js';
import { WebhookDispatcher } from '../../src/integrations/webhook-dispatcher.js';
import { fastUser, fastUsers, givenMember, givenOrganisation, givenProvider, givenSession, type FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows } from '../support/factories.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const ALL_EVENTS = [
  'booking.created', 'booking.confirmed', 'booking.waitlisted', 'booking.cancelled', 'booking.approved', 'booking.rejected',
  'booking.expired', 'waitlist.promoted', 'session.cancelled', 'attendance.recorded', 'offering.published',
];

describe('webhooks: endpoints, signed deliveries, events', () => {
  const t = useTestContext({ env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } });
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let coordinator: FastUser;
  let staff: FastUser;
  let otherStaff: FastUser;
  let admin: FastUser;
  let employees: FastUser[];
  let providerId: string;
  let otherProviderId: string;
  let organisationId: string;
  const dispatch = () => t.app.app.get(WebhookDispatcher).dispatchDue();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    coordinator = await fastUser(t.db, { coordinator: true });
    staff = await fastUser(t.db, { prefix: 'staff' });
    otherStaff = await fastUser(t.db, { prefix: 'other' });
    admin = await fastUser(t.db, { prefix: 'admin' });
    employees = await fastUsers(t.db, 4, { prefix: 'Deltagare' });
    providerId = await givenProvider(t.db, [staff.id]);
    otherProviderId = await givenProvider(t.db, [otherStaff.id]);
    organisationId = await givenOrganisation(t.db);
    await givenMember(t.db, organisationId, admin.id, 'org_admin');
    await givenMember(t.db, organisationId, employees.map((e) => e.id));
  });
  afterAll(() => receiver?.close());
  beforeEach(async () => {
    await t.db.query('DELETE FROM webhook_endpoints');
    receiver.received.length = 0;
    receiver.setResponder(() => ({ status: 200 }));
  });

  const register = async (who: FastUser, body: Record<string, unknown>) => {
    const res = await t.app.http.post('/api/v1/webhook-endpoints').set(who.auth).send({ url: receiver.url, events: ALL_EVENTS, ...body }).expect(201);
    return res.body as { id: string; secret: string };
  };
  const book = (person: FastUser, sessionId: string) => t.app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send({}).expect(201);

  it('delivers signed, thin events (verified with the standardwebhooks package) only to the endpoints that own them', async () => {
    const own = await register(staff, { providerId });
    const others = await register(otherStaff, { providerId: otherProviderId });
    expect(own.secret).toMatch(/^whsec_/);
    const [stored] = await t.db.query<{ secret_encrypted: string }>('SELECT secret_encrypted FROM webhook_endpoints WHERE id = $1', [own.id]);
    expect(stored.secret_encrypted).not.toContain(own.secret.slice(6));
    const session = await givenSession(t.db, providerId, { capacity: 1 });
    const first = await book(employees[0], session.id);
    const second = await book(employees[1], session.id);
    expect([first.body.status, second.body.status]).toEqual(['confirmed', 'waitlisted']);
    expect(await dispatch()).toBe(4);
    const events = receiver.verified(own.secret) as Array<{ type: string; data: Record<string, unknown> }>;
    expect(events.map((e) => `${e.type}:${e.data.bookingId === first.body.id ? 1 : 2}`).sort()).toEqual(
      ['booking.confirmed:1', 'booking.created:1', 'booking.created:2', 'booking.waitlisted:2'],
    );
    expect(events[0].data).toEqual({ bookingId: expect.any(String), sessionId: session.id, providerId, organisationId, status: expect.stringMatching(/confirmed|waitlisted/) });
    expect(() => receiver.verified(others.secret)).toThrow();
    expect(await countRows(t.db, 'webhook_deliveries', 'endpoint_id = $1', [others.id])).toBe(0);
    // Each request's webhook-id is the delivery's id, and the log shows it sent.
    const log = await t.app.http.get(`/api/v1/webhook-endpoints/${own.id}/deliveries`).set(staff.auth).expect(200);
    expect(log.body.total).toBe(4);
    expect(log.body.items.map((d: { id: string }) => d.id).sort()).toEqual(receiver.received.map((r) => r.id).sort());
    expect(log.body.items.every((d: { status: string; attempts: number }) => d.status === 'sent' && d.attempts === 1)).toBe(true);
  });

  it('carries no personal data: no names, emails, user ids or free text in any payload', async () => {
    const own = await register(staff, { providerId, url: `${receiver.url}/own` });
    const programme = await register(coordinator, { url: `${receiver.url}/programme` });
    const session = await givenSession(t.db, providerId, { capacity: 1, waitlistMode: 'auto' });
    const a = await book(employees[2], session.id);
    await book(employees[3], session.id);
    await t.app.http.post(`/api/v1/bookings/${a.body.id}/cancel`).set(employees[2].auth).send({ reason: 'Sjuk, ring mig på 070-1234567' }).expect(200);
    await dispatch();
    expect(receiver.received.length).toBeGreaterThanOrEqual(10);
    const people = [employees[2], employees[3]];
    const everything = receiver.received.map((r) => r.body).join('\n');
    for (const person of people) {
      for (const value of [person.id, person.email, person.name]) expect(everything).not.toContain(value);
    }
    expect(everything).not.toContain('070-1234567');
    for (const { event } of receiver.received) {
      expect(Object.keys(event).sort()).toEqual(['data', 'timestamp', 'type']);
      for (const [key, value] of Object.entries(event.data)) {
        expect([key, typeof value === 'string' && !/^[0-9a-f-]{36}$/.test(value) ? value : 'id-or-null']).toEqual([
          key,
          expect.stringMatching(/^(id-or-null|confirmed|waitlisted|cancelled|offered|rejected|approved|pending_approval)$/),
        ]);
      }
    }
    // The programme's endpoint heard everything the provider's did.
    expect(receiver.verified(own.secret, '/hooks/own').length).toBeGreaterThanOrEqual(5);
    expect(receiver.verified(programme.secret, '/hooks/programme').length).toBe(receiver.verified(own.secret, '/hooks/own').length);
  });

  it('announces cancellations, promotions, approvals, rejections, session cancellations, attendance and publication', async () => {
    const endpoint = await register(staff, { providerId, url: `${receiver.url}/provider` });
    const orgEndpoint = await register(admin, { organisationId, url: `${receiver.url}/organisation`, events: ['booking.approved', 'booking.rejected'] });
    const session = await givenSession(t.db, providerId, { capacity: 1, waitlistMode: 'auto' });
    const a = await book(employees[0], session.id);
    const b = await book(employees[1], session.id);
    await t.app.http.post(`/api/v1/bookings/${a.body.id}/cancel`).set(employees[0].auth).send({}).expect(200);
    const approval = await givenSession(t.db, providerId, { requiresApproval: true });
    const c = await book(employees[2], approval.id);
    const d = await book(employees[3], approval.id);
    await t.app.http.post(`/api/v1/bookings/${c.body.id}/approve`).set(admin.auth).expect(200);
    await t.app.http.post(`/api/v1/bookings/${d.body.id}/reject`).set(admin.auth).send({ reason: 'Inte i år' }).expect(200);
    await t.app.http.post(`/api/v1/sessions/${session.id}/cancel`).set(staff.auth).send({ reason: 'Läraren är sjuk' }).expect(200);
    const started = await givenSession(t.db, providerId, { startsAt: new Date(Date.now() + 3600_000) });
    const e = await book(employees[0], started.id);
    t.app.clock.advance(2 * 3600_000);
    try {
      await t.app.http.post(`/api/v1/sessions/${started.id}/attendance`).set(staff.auth).send({ records: [{ bookingId: e.body.id, attended: true }] }).expect(200);
      await dispatch(); // its delivery is due at the clock's time
    } finally {
      t.app.clock.reset();
    }
    const draft = await givenSession(t.db, providerId, { offeringStatus: 'draft' });
    await t.app.http.post(`/api/v1/offerings/${draft.offeringId}/publish`).set(staff.auth).expect(200);
    await dispatch();
    const events = receiver.verified(endpoint.secret, '/hooks/provider') as Array<{ type: string; data: Record<string, string> }>;
    expect(receiver.verified(orgEndpoint.secret, '/hooks/organisation')).toHaveLength(2);
    const seen = (type: string, key: string, value: string) => events.some((ev) => ev.type === type && ev.data[key] === value);
    expect(seen('booking.cancelled', 'bookingId', a.body.id)).toBe(true);
    expect(seen('waitlist.promoted', 'bookingId', b.body.id)).toBe(true);
    expect(seen('booking.approved', 'bookingId', c.body.id)).toBe(true);
    expect(seen('booking.rejected', 'bookingId', d.body.id)).toBe(true);
    expect(seen('session.cancelled', 'sessionId', session.id)).toBe(true);
    expect(seen('booking.cancelled', 'bookingId', b.body.id)).toBe(true); // cancelled with its session
    expect(seen('attendance.recorded', 'bookingId', e.body.id)).toBe(true);
    expect(seen('offering.published', 'offeringId', draft.offeringId)).toBe(true);
    // The organisation's endpoint heard only the two types it asked for, about its bookings.
    const orgTypes = (await t.db.query<{ event_type: string }>('SELECT event_type FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY event_type', [orgEndpoint.id])).map((r) => r.event_type);
    expect(orgTypes).toEqual(['booking.approved', 'booking.rejected']);
  });

  it('an unanswered seat offer expires as booking.expired (ids only, written with the change) and the seat passes on as waitlist.promoted', async () => {
    const provider = await register(staff, { providerId, url: `${receiver.url}/provider` });
    const org = await register(admin, { organisationId, url: `${receiver.url}/organisation`, events: ['booking.expired', 'waitlist.promoted'] });
    const session = await givenSession(t.db, providerId, { capacity: 1, waitlistMode: 'offer' });
    const a = await book(employees[0], session.id);
    const b = await book(employees[1], session.id);
    const c = await book(employees[2], session.id);
    await t.app.http.post(`/api/v1/bookings/${a.body.id}/cancel`).set(employees[0].auth).send({}).expect(200);
    await dispatch();
    const expiredRows = () => countRows(t.db, 'webhook_deliveries', `event_type = 'booking.expired'`);
    expect(await expiredRows()).toBe(0);
    t.app.clock.advance(49 * 3600_000);
    try {
      expect(await t.app.app.get(BookingJobs).expireOffers()).toBe(1);
      // One delivery per endpoint, there exactly when the booking is expired.
      const [{ status }] = await t.db.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [b.body.id]);
      expect([status, await expiredRows()]).toEqual(['expired', 2]);
      await dispatch();
    } finally {
      t.app.clock.reset();
    }
    const events = receiver.verified(provider.secret, '/hooks/provider') as Array<{ type: string; data: Record<string, unknown> }>;
    const expired = events.filter((e) => e.type === 'booking.expired');
    expect(expired.map((e) => e.data)).toEqual([{ bookingId: b.body.id, sessionId: session.id, providerId, organisationId, status: 'expired' }]);
    const promoted = events.filter((e) => e.type === 'waitlist.promoted').map((e) => `${e.data.bookingId}:${e.data.status}`);
    expect(promoted.sort()).toEqual([`${b.body.id}:offered`, `${c.body.id}:offered`].sort());
    const orgEvents = (receiver.verified(org.secret, '/hooks/organisation') as Array<{ type: string; data: Record<string, unknown> }>).map((e) => `${e.type}:${e.data.bookingId}`);
    expect(orgEvents.sort()).toEqual([`booking.expired:${b.body.id}`, `waitlist.promoted:${b.body.id}`, `waitlist.promoted:${c.body.id}`].sort());
    // No personal data: nothing of the three people in any body.
    const everything = receiver.received.map((r) => r.body).join('\n');
    for (const person of employees.slice(0, 3)) {
      for (const value of [person.id, person.email, person.name]) expect(everything).not.toContain(value);
    }
  });

  it('a test ping, a manual retry with the same webhook-id, and a rotated secret', async () => {
    const endpoint = await register(staff, { providerId });
    const ping = await t.app.http.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`).set(staff.auth).expect(202);
    await dispatch();
    await receiver.waitFor(1);
    expect(receiver.received[0]).toMatchObject({ id: ping.body.deliveryId, event: { type: 'webhook.test', data: { endpointId: endpoint.id } } });
    expect(receiver.verified(endpoint.secret)).toHaveLength(1);
    await t.app.http.post(`/api/v1/webhook-deliveries/${ping.body.deliveryId}/retry`).set(staff.auth).expect(202);
    await dispatch();
    await receiver.waitFor(2);
    expect(receiver.received.map((r) => r.id)).toEqual([ping.body.deliveryId, ping.body.deliveryId]);
    const rotated = await t.app.http.post(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`).set(staff.auth).expect(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    await t.app.http.post(`/api/v1/webhook-deliveries/${ping.body.deliveryId}/retry`).set(staff.auth).expect(202);
    await dispatch();
    await receiver.waitFor(3);
    const last = receiver.received.slice(-1);
    receiver.received.splice(0, 2);
    expect(receiver.verified(rotated.body.secret)).toHaveLength(1);
    expect(() => receiver.verified(endpoint.secret)).toThrow();
    expect(last).toHaveLength(1);
  });

  it('validation and the authorisation matrix, each with nothing written', async () => {
    const before = await countRows(t.db, 'webhook_endpoints');
    const post = (who: FastUser | null, body: Record<string, unknown>) => {
      const req = t.app.http.post('/api/v1/webhook-endpoints');
      return (who ? req.set(who.auth) : req).send({ url: receiver.url, events: ['booking.created'], ...body });
    };
    const unknownEvent = await post(staff, { providerId, events: ['booking.exploded'] }).expect(400);
    expect(unknownEvent.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'events' }] });
    expect((await post(staff, { providerId, events: [] }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await post(staff, { providerId, url: 'ftp://example.se/x' }).expect(400)).body.code).toBe('WEBHOOK_URL_REFUSED');
    expect((await post(staff, { providerId, organisationId }).expect(400)).body.code).toBe('WEBHOOK_OWNER_AMBIGUOUS');
    expect((await post(staff, { providerId: 'nope' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await post(staff, { providerId, secret: 'whsec_mine' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await post(otherStaff, { providerId }).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await post(employees[0], { providerId }).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await post(employees[0], { organisationId }).expect(403)).body.code).toBe('ORGANISATION_ACCESS_DENIED');
    expect((await post(staff, {}).expect(403)).body.code).toBe('WEBHOOK_ACCESS_DENIED');
    expect((await post(admin, {}).expect(403)).body.code).toBe('WEBHOOK_ACCESS_DENIED');
    expect((await post(null, { providerId }).expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await post(coordinator, { providerId: '00000000-0000-4000-8000-000000000000' }).expect(404)).body.code).toBe('PROVIDER_NOT_FOUND');
    expect(await countRows(t.db, 'webhook_endpoints')).toBe(before);

    const endpoint = await register(staff, { providerId });
    for (const who of [otherStaff, employees[0], admin]) {
      await t.app.http.get(`/api/v1/webhook-endpoints/${endpoint.id}`).set(who.auth).expect(403);
      await t.app.http.patch(`/api/v1/webhook-endpoints/${endpoint.id}`).set(who.auth).send({ events: ['booking.created'] }).expect(403);
      await t.app.http.delete(`/api/v1/webhook-endpoints/${endpoint.id}`).set(who.auth).expect(403);
      await t.app.http.post(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`).set(who.auth).expect(403);
      await t.app.http.get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries`).set(who.auth).expect(403);
      await t.app.http.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`).set(who.auth).expect(403);
      const listed = await t.app.http.get('/api/v1/webhook-endpoints').set(who.auth).expect(200);
      expect(listed.body.items.map((e: { id: string }) => e.id)).not.toContain(endpoint.id);
    }
    const [stored] = await t.db.query('SELECT url, events, secret_encrypted FROM webhook_endpoints WHERE id = $1', [endpoint.id]);
    const bad = await t.app.http.patch(`/api/v1/webhook-endpoints/${endpoint.id}`).set(staff.auth).send({ events: ['nope'] }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await t.app.http.patch(`/api/v1/webhook-endpoints/${endpoint.id}`).set(staff.auth).send({ url: 'gopher://x' }).expect(400);
    expect(await t.db.query('SELECT url, events, secret_encrypted FROM webhook_endpoints WHERE id = $1', [endpoint.id])).toEqual([stored]);
    expect(await countRows(t.db, 'webhook_deliveries')).toBe(0);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await t.app.http.get(`/api/v1/webhook-endpoints/${unknown}`).set(staff.auth).expect(404)).body.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    expect((await t.app.http.post(`/api/v1/webhook-deliveries/${unknown}/retry`).set(staff.auth).expect(404)).body.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
    // The owner and coordinators list, change and delete it.
    expect((await t.app.http.get('/api/v1/webhook-endpoints').set(staff.auth).expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect((await t.app.http.get('/api/v1/webhook-endpoints').set(coordinator.auth).expect(200)).body.total).toBe(1);
    const ofKind = async (kind: string) => (await t.app.http.get(`/api/v1/webhook-endpoints?ownerKind=${kind}`).set(coordinator.auth).expect(200)).body.total;
    expect([await ofKind('provider'), await ofKind('organisation'), await ofKind('programme')]).toEqual([1, 0, 0]);
    expect((await t.app.http.get('/api/v1/webhook-endpoints?ownerKind=someone').set(coordinator.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const changed = await t.app.http.patch(`/api/v1/webhook-endpoints/${endpoint.id}`).set(staff.auth).send({ events: ['booking.cancelled'], description: 'Avbokningar' }).expect(200);
    expect(changed.body).toMatchObject({ events: ['booking.cancelled'], description: 'Avbokningar', enabled: true });
    await t.app.http.delete(`/api/v1/webhook-endpoints/${endpoint.id}`).set(coordinator.auth).expect(204);
    expect(await countRows(t.db, 'webhook_endpoints')).toBe(before);
  });

  it('an API key manages its provider\'s endpoints only', async () => {
    const key = (await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(staff.auth).send({ name: 'Kurssystemet' }).expect(201)).body.key as string;
    const asKey = { Authorization: `Bearer ${key}` };
    const made = await t.app.http.post('/api/v1/webhook-endpoints').set(asKey).send({ url: receiver.url, events: ['booking.created'] }).expect(201);
    expect(made.body).toMatchObject({ ownerKind: 'provider', providerId });
    await t.app.http.post('/api/v1/webhook-endpoints').set(asKey).send({ url: receiver.url, events: ['booking.created'], providerId: otherProviderId }).expect(403);
    await t.app.http.post('/api/v1/webhook-endpoints').set(asKey).send({ url: receiver.url, events: ['booking.created'], organisationId }).expect(403);
    const theirs = await register(otherStaff, { providerId: otherProviderId });
    await t.app.http.get(`/api/v1/webhook-endpoints/${theirs.id}`).set(asKey).expect(403);
    expect((await t.app.http.get('/api/v1/webhook-endpoints').set(asKey).expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([made.body.id]);
    expect(await countRows(t.db, 'webhook_endpoints')).toBe(2);
  });
});
