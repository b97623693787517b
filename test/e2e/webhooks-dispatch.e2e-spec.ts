import net from 'node:net';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/app.js';
import { fastUser, givenProvider, type FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows } from '../support/factories.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { WebhookDispatcher } from '../../src/integrations/webhook-dispatcher.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('webhooks: retries, backoff, Retry-After, 410, giving up, several instances', () => {
  const t = useTestContext({ smtp: true, env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '5000' } });
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let staff: FastUser;
  let providerId: string;
  const dispatch = (app: TestApp = t.app) => app.app.get(WebhookDispatcher).dispatchDue();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    staff = await fastUser(t.db, { prefix: 'staff' });
    providerId = await givenProvider(t.db, [staff.id]);
  });
  afterAll(() => receiver?.close());
  beforeEach(async () => {
    t.app.clock.reset();
    await t.db.query('DELETE FROM webhook_endpoints');
    receiver.received.length = 0;
    receiver.setResponder(() => ({ status: 200 }));
  });
  afterEach(() => t.app.clock.reset());

  const endpoint = async () =>
    (await t.app.http.post('/api/v1/webhook-endpoints').set(staff.auth).send({ url: receiver.url, events: ['booking.created'], providerId }).expect(201)).body as {
      id: string;
      secret: string;
    };
  const ping = async (id: string) => (await t.app.http.post(`/api/v1/webhook-endpoints/${id}/test`).set(staff.auth).expect(202)).body.deliveryId as string;
  const delivery = async (id: string) =>
    (await t.db.query<{ status: string; attempts: number; next_attempt_at: Date; last_status_code: number | null; last_error: string | null }>(
      'SELECT status, attempts, next_attempt_at, last_status_code, last_error FROM webhook_deliveries WHERE id = $1',
      [id],
    ))[0];

  it('a receiver that fails and then recovers gets the delivery once more, with the same webhook-id, after a backoff with jitter', async () => {
    const hook = await endpoint();
    receiver.setResponder(({ attempt }) => ({ status: attempt === 1 ? 500 : 204 }));
    const id = await ping(hook.id);
    await dispatch();
    await receiver.waitFor(1);
    const failed = await delivery(id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500' });
    // 5 s ± 20 %: not yet due now, due within a minute.
    const wait = failed.next_attempt_at.getTime() - Date.now();
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThan(MINUTE);
    await dispatch();
    expect(receiver.received).toHaveLength(1);
    t.app.clock.advance(MINUTE);
    await dispatch();
    expect(receiver.received.map((r) => [r.id, r.status])).toEqual([[id, 500], [id, 204]]);
    expect(receiver.verified(hook.secret)).toHaveLength(2);
    expect(await delivery(id)).toMatchObject({ status: 'sent', attempts: 2 });
    // Sent is sent: nothing more comes.
    t.app.clock.advance(HOUR);
    await dispatch();
    expect(receiver.received).toHaveLength(2);
    expect(await countRows(t.db, 'webhook_endpoints', 'id = $1 AND failing_since IS NULL AND enabled', [hook.id])).toBe(1);
  });

  it('429 with Retry-After waits as long as asked; redirects are not followed', async () => {
    const hook = await endpoint();
    const headers: Record<string, string>[] = [{ 'Retry-After': '600' }, { Location: 'http://127.0.0.1:1/elsewhere' }];
    receiver.setResponder(({ attempt }) => ({ status: attempt === 1 ? 429 : 302, headers: headers[Math.min(attempt, 2) - 1] }));
    const id = await ping(hook.id);
    await dispatch();
    const limited = await delivery(id);
    expect(limited.last_status_code).toBe(429);
    expect(limited.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(590_000);
    t.app.clock.advance(5 * MINUTE);
    await dispatch();
    expect(receiver.received).toHaveLength(1);
    t.app.clock.advance(6 * MINUTE);
    await dispatch();
    expect(receiver.received).toHaveLength(2);
    expect(await delivery(id)).toMatchObject({ status: 'pending', last_status_code: 302 });
  });

  it('410 Gone turns the endpoint off at once and its owner is emailed in Swedish; waiting deliveries stay until it is turned on again', async () => {
    const hook = await endpoint();
    receiver.setResponder(() => ({ status: 410 }));
    const first = await ping(hook.id);
    await dispatch();
    expect(await delivery(first)).toMatchObject({ status: 'failed', last_status_code: 410 });
    const off = await t.app.http.get(`/api/v1/webhook-endpoints/${hook.id}`).set(staff.auth).expect(200);
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'gone' });
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailTo(staff.email);
    expect(mail[0].subject).toBe('Din webhook har stängts av');
    expect(mail[0].text).toContain(receiver.url);
    // Nothing goes to a disabled endpoint…
    receiver.setResponder(() => ({ status: 200 }));
    const waiting = await ping(hook.id);
    await dispatch();
    expect(receiver.received).toHaveLength(1);
    expect(await delivery(waiting)).toMatchObject({ status: 'pending', attempts: 0 });
    // …until its owner turns it on again.
    await t.app.http.patch(`/api/v1/webhook-endpoints/${hook.id}`).set(staff.auth).send({ enabled: true }).expect(200);
    await dispatch();
    expect(receiver.received.map((r) => r.id)).toEqual([first, waiting]);
  });

  it('gives up a delivery its receiver keeps refusing after about three days, while others get through', async () => {
    const hook = await endpoint();
    const id = await ping(hook.id);
    // The receiver refuses this one event and takes every other.
    receiver.setResponder((request) => ({ status: request.id === id ? 400 : 200 }));
    await dispatch();
    let attempts = 1;
    for (let i = 0; i < 40; i++) {
      const row = await delivery(id);
      if (row.status !== 'pending') break;
      t.app.clock.advance(row.next_attempt_at.getTime() - t.app.clock.now().getTime() + 1000);
      await ping(hook.id); // the endpoint itself keeps working
      await dispatch();
      attempts++;
    }
    const last = await delivery(id);
    expect(last).toMatchObject({ status: 'failed', last_status_code: 400 });
    expect(last.attempts).toBe(attempts);
    // Doubling from 5 s up to 6 h between attempts fills three days in 25 or so attempts.
    expect(attempts).toBeGreaterThan(15);
    expect(attempts).toBeLessThan(35);
    const elapsed = t.app.clock.now().getTime() - Date.now();
    expect(elapsed).toBeGreaterThan(60 * HOUR);
    expect(elapsed).toBeLessThan(78 * HOUR);
    expect((await t.app.http.get(`/api/v1/webhook-endpoints/${hook.id}`).set(staff.auth).expect(200)).body).toMatchObject({ enabled: true, failingSince: null });
  });

  it('turns off an endpoint whose every attempt failed for two days, and emails its owner', async () => {
    const hook = await endpoint();
    receiver.setResponder(() => ({ status: 503 }));
    const id = await ping(hook.id);
    await dispatch();
    for (let i = 0; i < 40; i++) {
      const state = await t.app.http.get(`/api/v1/webhook-endpoints/${hook.id}`).set(staff.auth).expect(200);
      if (!state.body.enabled) break;
      const row = await delivery(id);
      t.app.clock.advance(row.next_attempt_at.getTime() - t.app.clock.now().getTime() + 1000);
      await dispatch();
    }
    const off = await t.app.http.get(`/api/v1/webhook-endpoints/${hook.id}`).set(staff.auth).expect(200);
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const elapsed = t.app.clock.now().getTime() - Date.now();
    expect(elapsed).toBeGreaterThan(48 * HOUR);
    expect(elapsed).toBeLessThan(56 * HOUR);
    // The delivery waits (it goes out if the endpoint is turned on again within its three days).
    expect(await delivery(id)).toMatchObject({ status: 'pending', last_status_code: 503 });
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailMatching(staff.email, (m) => /misslyckats i \d+ timmar/.test(m.text ?? ''));
    expect(mail.subject).toBe('Din webhook har stängts av');
  });

  // More than one claim's worth (1 000), so that both instances take some.
  it('two instances send each delivery exactly once', async () => {
    const hook = await endpoint();
    const second = await startTestApp({ databaseUrl: t.db.url, env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } });
    try {
      receiver.setResponder(() => ({ status: 200 }));
      await t.db.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_type, body, next_attempt_at)
         SELECT $1, 'booking.created', json_build_object('type', 'booking.created', 'timestamp', now(), 'data', json_build_object('n', n))::text, now()
           FROM generate_series(1, 2500) n`,
        [hook.id],
      );
      const [a, b] = await Promise.all([dispatch(), dispatch(second)]);
      expect(a + b).toBe(2500);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      expect(receiver.received).toHaveLength(2500);
      expect(new Set(receiver.received.map((r) => r.id)).size).toBe(2500);
      expect(receiver.verified(hook.secret)).toHaveLength(2500);
      expect(await countRows(t.db, 'webhook_deliveries', "status = 'sent'")).toBe(2500);
    } finally {
      await second.close();
    }
  });

  it('a delivery another sender holds is neither sent nor retried by hand until it lets go; a sender that dies lets go at once; rows an earlier version left sending go out once their claim expired', async () => {
    const hook = await endpoint();
    const insert = (status: string, lockedUntil: Date | null, attempts: number) =>
      t.db.query<{ id: string }>(
        `INSERT INTO webhook_deliveries (endpoint_id, event_type, body, status, attempts, next_attempt_at, locked_until)
         VALUES ($1, 'webhook.test', '{"type":"webhook.test"}', $2, $3, $4, $5) RETURNING id`,
        [hook.id, status, attempts, new Date(t.app.clock.now().getTime() - HOUR), lockedUntil],
      );
    const [{ id }] = await insert('pending', null, 0);
    // Another sender holding the row: its transaction's row lock (what a claim is).
    const holder = new pg.Client({ connectionString: t.db.url });
    holder.on('error', () => undefined); // it is ended from the server side below
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM webhook_deliveries WHERE id = $1 FOR UPDATE', [id]);
    const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    expect(await dispatch()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    const retry = await t.app.http.post(`/api/v1/webhook-deliveries/${id}/retry`).set(staff.auth).expect(409);
    expect(retry.body.code).toBe('WEBHOOK_DELIVERY_IN_FLIGHT');
    expect(await delivery(id)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    // The sender dies (its connection ends): the row is free at once, no claim to wait out.
    await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await dispatch()).toBe(1);
    expect(receiver.received.map((r) => r.id)).toEqual([id]);
    expect(await delivery(id)).toMatchObject({ status: 'sent', attempts: 1 });

    // Rows claimed the earlier way (status sending until locked_until): sent once that has passed.
    const now = t.app.clock.now().getTime();
    const [expired] = await insert('sending', new Date(now - MINUTE), 1);
    const [live] = await insert('sending', new Date(now + MINUTE), 1);
    expect(await dispatch()).toBe(1);
    expect(receiver.received.map((r) => r.id)).toEqual([id, expired.id]);
    expect(await delivery(expired.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await delivery(live.id)).toMatchObject({ status: 'sending', attempts: 1 });
    await t.app.http.post(`/api/v1/webhook-deliveries/${live.id}/retry`).set(staff.auth).expect(409);
  });

  it('a kept-alive connection the receiver closes as it is reused is tried once more on a new one, at once; a second reset is an attempt that failed', async () => {
    // A receiver that answers the first request it ever gets and closes the connection, unanswered,
    // on every later request (as a server whose keep-alive timeout ends just as the socket is reused).
    let requests = 0;
    const connections = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      connections.add(socket);
      socket.on('data', () => {
        requests++;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dispatcher = t.app.app.get(WebhookDispatcher);
      const target = dispatcher.targetFor(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`, 'whsec_' + Buffer.alloc(32, 1).toString('base64'));
      expect(await dispatcher.post(target, 'msg_1', '{}')).toEqual({ status: 200, retryAfterMs: null });
      // Reused connection reset → one new connection at once → reset again → failed, no third try.
      const second = await dispatcher.post(target, 'msg_2', '{}');
      expect(second).toEqual({ error: expect.stringMatching(/socket hang up|ECONNRESET/) });
      expect(requests).toBe(3);
      expect(connections.size).toBe(2);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('deleting an endpoint while one of its deliveries is being sent and fails: the delete waits for the batch, the batch does not wait for the delete', async () => {
    // A receiver that holds its answer (a 500) until let go.
    let requests = 0;
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const server = net.createServer((socket) => {
      socket.on('data', () => {
        requests++;
        void gate.then(() => socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`;
      const hook = (await t.app.http.post('/api/v1/webhook-endpoints').set(staff.auth).send({ url, events: ['booking.created'], providerId }).expect(201)).body as { id: string };
      await t.db.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_type, body, next_attempt_at) VALUES ($1, 'booking.created', '{"type":"booking.created"}', $2)`,
        [hook.id, t.app.clock.now()],
      );
      const pass = dispatch();
      while (requests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // The delete waits for the batch's row lock on the delivery, holding the endpoint's row meanwhile.
      const deleted = t.app.http.delete(`/api/v1/webhook-endpoints/${hook.id}`).set(staff.auth).then((res) => res.status);
      const waitingDelete = () =>
        countRows(t.db, 'pg_stat_activity', `datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'DELETE FROM "webhook_endpoints"%'`);
      while ((await waitingDelete()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // The receiver answers 500: the failure is written in the batch, the endpoint's failing mark gives up waiting.
      letGo();
      expect(await pass).toBe(0);
      expect(await deleted).toBe(204);
      expect(await countRows(t.db, 'webhook_endpoints', 'id = $1', [hook.id])).toBe(0);
      expect(await countRows(t.db, 'webhook_deliveries', 'endpoint_id = $1', [hook.id])).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a receiver that does not answer within WEBHOOK_TIMEOUT_MS is an attempt that failed, and its connection is closed', async () => {
    let closed = 0;
    const server = net.createServer((socket) => {
      socket.on('data', () => undefined); // reads the request, never answers
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const impatient = await startTestApp({ databaseUrl: t.db.url, env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '300' } });
    try {
      const dispatcher = impatient.app.get(WebhookDispatcher);
      const target = dispatcher.targetFor(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`, 'whsec_' + Buffer.alloc(32, 2).toString('base64'));
      expect(await dispatcher.post(target, 'msg_slow', '{}')).toEqual({ error: 'no answer within 300 ms' });
      await new Promise<void>((resolve) => {
        const check = () => (closed === 1 ? resolve() : setTimeout(check, 10));
        check();
      });
      expect(closed).toBe(1);
    } finally {
      await impatient.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('keeps the delivery log 30 days', async () => {
    const hook = await endpoint();
    const id = await ping(hook.id);
    await dispatch();
    expect(await delivery(id)).toMatchObject({ status: 'sent' });
    t.app.clock.advance(29 * 24 * HOUR);
    expect(await t.app.app.get(WebhookDispatcher).purgeOld()).toBe(0);
    t.app.clock.advance(2 * 24 * HOUR);
    expect(await t.app.app.get(WebhookDispatcher).purgeOld()).toBe(1);
    expect(await delivery(id)).toBeUndefined();
  });
});
