import { useTestContext } from '../support/context.js';
import { fastUser, givenMember, givenOrganisation, givenProvider, givenSession, type FastUser } from '../support/bookings-factories.js';
import { offeringBody } from '../support/catalogue-factories.js';
import { countRows } from '../support/factories.js';

describe('API keys of providers\' systems', () => {
  const t = useTestContext();
  let coordinator: FastUser;
  let staff: FastUser;
  let otherStaff: FastUser;
  let employee: FastUser;
  let providerId: string;
  let otherProviderId: string;

  beforeAll(async () => {
    coordinator = await fastUser(t.db, { coordinator: true });
    staff = await fastUser(t.db, { prefix: 'staff' });
    otherStaff = await fastUser(t.db, { prefix: 'other' });
    employee = await fastUser(t.db);
    providerId = await givenProvider(t.db, [staff.id]);
    otherProviderId = await givenProvider(t.db, [otherStaff.id]);
    const organisationId = await givenOrganisation(t.db);
    await givenMember(t.db, organisationId, employee.id);
  });

  const makeKey = async (name = 'Kursadministrationen') => {
    const res = await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(staff.auth).send({ name }).expect(201);
    return res.body as { id: string; key: string; prefix: string; name: string; lastUsedAt: string | null };
  };

  it('is made by the provider\'s staff, shown once, stored only as a hash, and listed without the key', async () => {
    const made = await makeKey();
    expect(made.key).toMatch(/^klk_[A-Za-z0-9_-]{43}$/);
    expect(made.prefix).toBe(made.key.slice(0, 8));
    const [row] = await t.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [made.id]);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify(await t.db.query('SELECT * FROM api_keys'));
    expect(all).not.toContain(made.key.slice(4));
    const list = await t.app.http.get(`/api/v1/providers/${providerId}/api-keys`).set(staff.auth).expect(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(made.id);
    expect(JSON.stringify(list.body)).not.toContain(made.key);
    const audit = await t.db.query(`SELECT actor_user_id FROM audit_log WHERE action = 'api_key.created' AND details->>'apiKeyId' = $1`, [made.id]);
    expect(audit).toEqual([{ actor_user_id: staff.id }]);
  });

  it('acts with its provider\'s staff rights (Bearer or X-Api-Key) and records when it was last used', async () => {
    const made = await makeKey();
    const offering = await t.app.http
      .post('/api/v1/offerings')
      .set({ Authorization: `Bearer ${made.key}` })
      .send(offeringBody(providerId, { title: 'Styrelsearbete i föreningen' }))
      .expect(201);
    expect(offering.body.providerId).toBe(providerId);
    const session = await givenSession(t.db, providerId);
    await t.app.http.get(`/api/v1/sessions/${session.id}/bookings`).set({ 'X-Api-Key': made.key }).expect(200);
    const key = await t.app.http.get(`/api/v1/providers/${providerId}/api-keys/${made.id}`).set(staff.auth).expect(200);
    expect(key.body.lastUsedAt).not.toBeNull();
  });

  it('authorisation matrix: another provider → 403, routes provider staff do not use → 403, unknown or revoked → 401; nothing written', async () => {
    const made = await makeKey();
    const asKey = { Authorization: `Bearer ${made.key}` };
    const otherSession = await givenSession(t.db, otherProviderId);
    const offeringsBefore = await countRows(t.db, 'offerings');
    const other = await t.app.http
      .post('/api/v1/offerings')
      .set(asKey)
      .send(offeringBody(otherProviderId))
      .expect(403);
    expect(other.body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await t.app.http.get(`/api/v1/sessions/${otherSession.id}/bookings`).set(asKey).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await t.app.http.patch(`/api/v1/offerings/${otherSession.offeringId}`).set(asKey).send({ title: 'Kapad' }).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    // Coordinator routes: refused before the role is even looked at.
    expect((await t.app.http.post('/api/v1/providers').set(asKey).send({ name: 'Ny anordnare AB', kind: 'other' }).expect(403)).body.code).toBe('AUTH_API_KEY_NOT_ALLOWED');
    expect(await countRows(t.db, 'providers', "name = 'Ny anordnare AB'")).toBe(0);
    // Routes where provider staff do not act (a person's own, organisations', coordinators' reports): refused outright.
    for (const path of ['/api/v1/me', '/api/v1/me/bookings', '/api/v1/programmes', '/api/v1/audit-log', '/api/v1/mail/outbox/summary']) {
      const res = await t.app.http.get(path).set(asKey);
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'AUTH_API_KEY_NOT_ALLOWED']);
    }
    // A key cannot make keys.
    expect((await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(asKey).send({ name: 'x' }).expect(403)).body.code).toBe('AUTH_API_KEY_NOT_ALLOWED');
    // Unknown key.
    expect((await t.app.http.get(`/api/v1/sessions/${otherSession.id}/bookings`).set({ 'X-Api-Key': 'klk_nonsense' }).expect(401)).body.code).toBe('AUTH_API_KEY_INVALID');
    // Revoked.
    await t.app.http.delete(`/api/v1/providers/${providerId}/api-keys/${made.id}`).set(staff.auth).expect(204);
    const revoked = await t.app.http.post('/api/v1/offerings').set(asKey).send(offeringBody(providerId)).expect(401);
    expect(revoked.body.code).toBe('AUTH_API_KEY_INVALID');
    expect(await countRows(t.db, 'offerings')).toBe(offeringsBefore);
  });

  it('is managed by the provider\'s staff and coordinators only; bad input, unknown ids and other people are refused with nothing written', async () => {
    const before = await countRows(t.db, 'api_keys');
    const bad = await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(staff.auth).send({ name: '' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(staff.auth).send({ name: 'x', extra: 1 }).expect(400);
    for (const who of [otherStaff, employee]) {
      const res = await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(who.auth).send({ name: 'x' }).expect(403);
      expect(res.body.code).toBe('PROVIDER_ACCESS_DENIED');
      await t.app.http.get(`/api/v1/providers/${providerId}/api-keys`).set(who.auth).expect(403);
    }
    await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).send({ name: 'x' }).expect(401);
    const unknownProvider = await t.app.http.post('/api/v1/providers/00000000-0000-4000-8000-000000000000/api-keys').set(coordinator.auth).send({ name: 'x' }).expect(404);
    expect(unknownProvider.body.code).toBe('PROVIDER_NOT_FOUND');
    expect(await countRows(t.db, 'api_keys')).toBe(before);
    const made = await makeKey();
    // Another provider's staff cannot revoke it; an unknown key id is 404.
    await t.app.http.delete(`/api/v1/providers/${providerId}/api-keys/${made.id}`).set(otherStaff.auth).expect(403);
    const unknownKey = await t.app.http.delete(`/api/v1/providers/${providerId}/api-keys/00000000-0000-4000-8000-000000000000`).set(staff.auth).expect(404);
    expect(unknownKey.body.code).toBe('AUTH_API_KEY_NOT_FOUND');
    // Through the other provider's path: not its key.
    await t.app.http.delete(`/api/v1/providers/${otherProviderId}/api-keys/${made.id}`).set(otherStaff.auth).expect(404);
    expect(await countRows(t.db, 'api_keys', 'id = $1 AND revoked_at IS NULL', [made.id])).toBe(1);
    await t.app.http.delete(`/api/v1/providers/${providerId}/api-keys/${made.id}`).set(coordinator.auth).expect(204);
    expect(await countRows(t.db, 'api_keys', 'id = $1 AND revoked_at IS NOT NULL', [made.id])).toBe(1);
  });

  it('who made a key or registered an endpoint is in their data export and forgotten at erasure; the key and endpoint stay', async () => {
    const maker = await fastUser(t.db, { prefix: 'maker' });
    await t.db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [providerId, maker.id]);
    const key = await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(maker.auth).send({ name: 'Kurssystemet' }).expect(201);
    const endpoint = await t.app.http
      .post('/api/v1/webhook-endpoints')
      .set(maker.auth)
      .send({ url: 'https://kurser.example.se/hooks', events: ['booking.created'], providerId })
      .expect(201);
    const exported = await t.app.http.get('/api/v1/me/export').set(maker.auth).expect(200);
    expect(exported.body.integrations).toEqual({
      webhookEndpoints: [{ id: endpoint.body.id, url: 'https://kurser.example.se/hooks', createdAt: expect.any(String) }],
      apiKeys: [{ id: key.body.id, providerId, name: 'Kurssystemet', createdAt: expect.any(String) }],
    });
    await t.app.http.delete('/api/v1/me').set(maker.auth).expect(200);
    expect(await countRows(t.db, 'api_keys', 'id = $1 AND created_by_user_id IS NULL AND revoked_at IS NULL', [key.body.id])).toBe(1);
    expect(await countRows(t.db, 'webhook_endpoints', 'id = $1 AND created_by_user_id IS NULL', [endpoint.body.id])).toBe(1);
  });
});
