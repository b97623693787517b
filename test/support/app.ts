import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.factory.js';
import { AdjustableClock } from '../../src/common/clock.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { MailDispatcher } from '../../src/mail/mail-dispatcher.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  clock: AdjustableClock;
  http: TestAgent;
  baseUrl: string;
  /** Sends every due email now (instead of waiting for the interval). */
  dispatchMail(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Boots the real application on a real database and listens on a free loopback port.
 * `env` overrides the test defaults, exactly as environment variables would.
 */
export async function startTestApp(options: {
  databaseUrl: string;
  smtpUrl?: string;
  env?: Record<string, string>;
}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: dataDir,
    DISPATCH_INTERVAL_MS: '60000',
    MAIL_RETRY_BASE_MS: '50',
    QUIET_HOURS: 'off',
    PUBLIC_BASE_URL: 'http://kompetenslyft.test',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const clock = new AdjustableClock();
  const app = await createApp({ config, databaseUrl: options.databaseUrl, clock });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    clock,
    http: request(app.getHttpServer()),
    baseUrl,
    dispatchMail: () => app.get(MailDispatcher).dispatchDue(),
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
