import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { MailDispatcher } from '../../src/mail/mail-dispatcher.js';
import { MailService } from '../../src/mail/mail.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows } from '../support/factories.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';

async function enqueue(app: TestApp, count: number, prefix: string): Promise<void> {
  const mail = app.app.get(MailService);
  const dataSource = app.app.get(DataSource);
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < count; i++) {
      await mail.enqueue(manager, {
        dedupeKey: `${prefix}:${i}`,
        to: `mottagare.${i}@example.se`,
        template: 'test',
        locale: 'sv',
        content: { subject: `${prefix} ${i}`, text: `Meddelande ${i}`, html: `<p>Meddelande ${i}</p>` },
      });
    }
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('mail outbox and dispatcher', () => {
  let db: TestDatabase;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
    await db.query('DELETE FROM mail_outbox');
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function given(options: { smtp?: SmtpSink; smtpUrl?: string; env?: Record<string, string> } = {}) {
    const app = await startTestApp({ databaseUrl: db.url, smtpUrl: options.smtpUrl ?? options.smtp?.url, env: options.env });
    cleanup.push(() => app.close());
    return app;
  }

  it('writes the email in the caller transaction: a rollback leaves nothing; the same dedupe key twice is one email', async () => {
    const app = await given();
    const mail = app.app.get(MailService);
    const dataSource = app.app.get(DataSource);
    await expect(
      dataSource.transaction(async (manager) => {
        await mail.enqueue(manager, {
          dedupeKey: 'rolled-back',
          to: 'a@example.se',
          template: 'test',
          locale: 'sv',
          content: { subject: 's', text: 't', html: 'h' },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await countRows(db, 'mail_outbox')).toBe(0);

    await enqueue(app, 1, 'twice');
    await enqueue(app, 1, 'twice');
    expect(await countRows(db, 'mail_outbox')).toBe(1);
  });

  it('retries a temporary refusal with backoff and delivers once', async () => {
    const smtp = await startSmtpSink({ failFirst: 2 });
    cleanup.push(() => smtp.close());
    const app = await given({ smtp, env: { DISPATCH_INTERVAL_MS: '30', MAIL_RETRY_BASE_MS: '50' } });
    await enqueue(app, 1, 'retry');
    await smtp.waitFor(1);
    await waitUntil(async () => (await countRows(db, 'mail_outbox', `status = 'sent'`)) === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.refused).toBe(2);
    expect(smtp.messages).toHaveLength(1);
    const [row] = await db.query<{ attempts: number; status: string }>('SELECT attempts, status FROM mail_outbox');
    expect(row).toEqual({ attempts: 3, status: 'sent' });
  });

  it('loses nothing while the SMTP server is down and delivers when it comes back', async () => {
    const port = await unusedPort();
    const app = await given({ smtpUrl: `smtp://127.0.0.1:${port}`, env: { DISPATCH_INTERVAL_MS: '30', MAIL_RETRY_BASE_MS: '20' } });
    await enqueue(app, 3, 'down');
    await waitUntil(async () => (await countRows(db, 'mail_outbox', `attempts >= 2 AND status = 'pending'`)) === 3);
    const [row] = await db.query<{ last_error: string }>('SELECT last_error FROM mail_outbox LIMIT 1');
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);

    const smtp = await startSmtpSink({ port });
    cleanup.push(() => smtp.close());
    await smtp.waitFor(3, 20_000);
    await waitUntil(async () => (await countRows(db, 'mail_outbox', `status = 'sent'`)) === 3);
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual(['down 0', 'down 1', 'down 2']);
  });

  it('marks a permanent refusal (5xx) as failed without retrying', async () => {
    const smtp = await startSmtpSink({ rejectAllWith: 550 });
    cleanup.push(() => smtp.close());
    const app = await given({ smtp, env: { MAIL_RETRY_BASE_MS: '10' } });
    await enqueue(app, 1, 'permanent');
    await app.dispatchMail();
    await new Promise((r) => setTimeout(r, 100));
    await app.dispatchMail();
    const [row] = await db.query<{ status: string; attempts: number; last_error: string }>(
      'SELECT status, attempts, last_error FROM mail_outbox',
    );
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toContain('550');
    expect(smtp.refused).toBe(1);
  });

  it('gives up after MAIL_MAX_ATTEMPTS temporary failures', async () => {
    const smtp = await startSmtpSink({ failFirst: 100 });
    cleanup.push(() => smtp.close());
    const app = await given({ smtp, env: { MAIL_RETRY_BASE_MS: '1', MAIL_MAX_ATTEMPTS: '3', DISPATCH_INTERVAL_MS: '20' } });
    await enqueue(app, 1, 'give-up');
    await waitUntil(async () => (await countRows(db, 'mail_outbox', `status = 'failed'`)) === 1);
    expect(smtp.refused).toBe(3);
  });

  it('two app instances dispatching against one database deliver each of 400 emails exactly once', async () => {
    const smtp = await startSmtpSink();
    cleanup.push(() => smtp.close());
    const env = { DISPATCH_INTERVAL_MS: '15' };
    const [a, b] = await Promise.all([given({ smtp, env }), given({ smtp, env })]);
    await enqueue(a, 400, 'pair');
    // Both instances' intervals run; also kick both at once so that their claims truly overlap.
    await Promise.all([a.dispatchMail(), b.dispatchMail()]);
    await smtp.waitFor(400, 30_000);
    await waitUntil(async () => (await countRows(db, 'mail_outbox', `status = 'sent'`)) === 400);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(400);
    const subjects = new Set(smtp.messages.map((m) => m.subject));
    expect(subjects.size).toBe(400);
    const messageIds = new Set(smtp.messages.map((m) => m.messageId));
    expect(messageIds.size).toBe(400);
    expect(await countRows(db, 'mail_outbox', 'attempts <> 1')).toBe(0);
    // Both instances took part, and between them sent each email once.
    const sentByA = a.app.get(MailDispatcher).sentTotal;
    const sentByB = b.app.get(MailDispatcher).sentTotal;
    expect(sentByA + sentByB).toBe(400);
    expect(Math.min(sentByA, sentByB)).toBeGreaterThan(0);
  });

  it('writes .eml files to DATA_DIR/outbox when SMTP_URL is unset', async () => {
    const app = await given();
    await enqueue(app, 2, 'file');
    expect(await app.dispatchMail()).toBe(2);
    const dir = path.join(app.config.dataDir, 'outbox');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(2);
    const content = fs.readFileSync(path.join(dir, files[0]), 'utf8');
    expect(content).toMatch(/Subject: file [01]/);
    expect(content).toContain('From: Kompetenslyft <noreply@kompetenslyft.se>');
  });
});
