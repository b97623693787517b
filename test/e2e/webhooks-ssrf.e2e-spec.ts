import { WebhookDispatcher } from '../../src/integrations/webhook-dispatcher.js';
import { fastUser, givenProvider, type FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows } from '../support/factories.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

describe('webhooks: SSRF guard (WEBHOOKS_ALLOW_PRIVATE_URLS unset)', () => {
  const t = useTestContext();
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let staff: FastUser;
  let providerId: string;
  let port: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    port = new URL(receiver.url).port;
    staff = await fastUser(t.db, { prefix: 'staff' });
    providerId = await givenProvider(t.db, [staff.id]);
  });
  afterAll(() => receiver?.close());

  const refused = () => [
    `http://127.0.0.1:${port}/hooks`,
    `http://10.1.2.3:${port}/hooks`,
    'http://169.254.169.254/latest/meta-data/',
    `http://[::1]:${port}/hooks`,
    `http://localhost:${port}/hooks`,
    `http://[::ffff:127.0.0.1]:${port}/hooks`,
    'http://192.168.0.10/hooks',
  ];

  it('refuses URLs on loopback, private, link-local and metadata addresses when they are registered; nothing written', async () => {
    const before = await countRows(t.db, 'webhook_endpoints');
    for (const url of refused()) {
      const res = await t.app.http.post('/api/v1/webhook-endpoints').set(staff.auth).send({ url, events: ['booking.created'], providerId });
      expect([url, res.status, res.body.code]).toEqual([url, 400, 'WEBHOOK_URL_REFUSED']);
    }
    expect(await countRows(t.db, 'webhook_endpoints')).toBe(before);
  });

  it('checks the address again at delivery, after DNS: a name or address that points inside is never connected to', async () => {
    const made = await t.app.http
      .post('/api/v1/webhook-endpoints')
      .set(staff.auth)
      .send({ url: 'https://kurser.example.se/hooks', events: ['booking.created'], providerId })
      .expect(201);
    const ids: string[] = [];
    for (const url of refused()) {
      // As if the name had pointed elsewhere when it was registered (or the row were changed behind the API's back).
      await t.db.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [made.body.id, url]);
      const ping = await t.app.http.post(`/api/v1/webhook-endpoints/${made.body.id}/test`).set(staff.auth).expect(202);
      await t.app.app.get(WebhookDispatcher).dispatchDue();
      ids.push(ping.body.deliveryId);
    }
    const rows = await t.db.query<{ id: string; status: string; last_error: string }>(
      'SELECT id, status, last_error FROM webhook_deliveries WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) {
      expect(row.status).toBe('pending');
      expect(row.last_error).toMatch(/loopback, private, link-local or reserved address/);
    }
    expect(receiver.received).toHaveLength(0);
  });
});
