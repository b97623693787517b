import { startTestApp, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startSmtpSink, type SmtpSink } from './smtp.js';

export interface TestContext {
  db: TestDatabase;
  app: TestApp;
  /** Present when asked for with `{ smtp: true }`. */
  smtp: SmtpSink;
}

/**
 * The usual frame of an e2e file: a fresh database, optionally an SMTP sink, and the app on them,
 * started before the file's tests and torn down after. Fields are filled in beforeAll.
 */
export function useTestContext(options: { smtp?: boolean; env?: Record<string, string> } = {}): TestContext {
  const t = {} as TestContext;
  beforeAll(async () => {
    t.db = await createTestDatabase();
    if (options.smtp) t.smtp = await startSmtpSink();
    t.app = await startTestApp({ databaseUrl: t.db.url, smtpUrl: t.smtp?.url, env: options.env });
  });
  afterAll(async () => {
    await t.app?.close();
    await t.smtp?.close();
    await t.db?.drop();
  });
  return t;
}
