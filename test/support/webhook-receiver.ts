import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  /** The path posted to (endpoints sharing the receiver use paths of their own). */
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The body parsed. */
  event: { type: string; timestamp: string; data: Record<string, unknown> };
  /** What the receiver answered. */
  status: number;
}

export type Responder = (request: { id: string; body: string; attempt: number }) => { status: number; headers?: Record<string, string> };

/**
 * A real HTTP receiver on loopback: records every request it gets and answers what `respond`
 * says (200 by default). `attempt` counts requests with the same webhook-id.
 */
export async function startWebhookReceiver(respond: Responder = () => ({ status: 200 })): Promise<{
  url: string;
  received: ReceivedWebhook[];
  respond: Responder;
  setResponder(next: Responder): void;
  /** Verifies every request's signature (to `path`, when given) with the `standardwebhooks` package; returns the events. */
  verified(secret: string, path?: string): Array<Record<string, unknown>>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const attempts = new Map<string, number>();
  let responder = respond;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const answer = responder({ id, body, attempt });
      received.push({
        path: req.url ?? '',
        id,
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        event: JSON.parse(body),
        status: answer.status,
      });
      res.writeHead(answer.status, answer.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    respond,
    setResponder(next) {
      responder = next;
    },
    verified(secret, path) {
      const webhook = new Webhook(secret.replace(/^whsec_/, ''));
      return received.filter((r) => path === undefined || r.path === path).map((r) =>
        webhook.verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature }) as Record<string, unknown>,
      );
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`the receiver got ${received.length} of ${count} requests`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
