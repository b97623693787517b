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
import { ResponseValidator } from './openapi.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  clock: AdjustableClock;
  /** supertest on the app; every answer is checked against the OpenAPI document (see `validated`). */
  http: TestAgent;
  /** The OpenAPI document the app serves, and its response checker. */
  openapi: ResponseValidator;
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
    // Every test file registers its people through the API from 127.0.0.1.
    REGISTRATIONS_MAX_PER_ADDRESS: '1000000',
    // Each answer is mixed into the results as it is given (the mixing has a test of its own).
    EVALUATION_MIX_MIN_ANSWERS: '1',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const clock = new AdjustableClock();
  const app = await createApp({ config, databaseUrl: options.databaseUrl, clock });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const openapi = new ResponseValidator((await (await fetch(`${baseUrl}/api/docs-json`)).json()) as ConstructorParameters<typeof ResponseValidator>[0]);
  return {
    app,
    config,
    clock,
    http: validated(request(app.getHttpServer()), openapi),
    openapi,
    baseUrl,
    dispatchMail: () => app.get(MailDispatcher).dispatchDue(),
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/**
 * The agent whose every request also asserts that its answer is as the OpenAPI document says
 * (the status is documented for the operation, a JSON body matches its schema), so that the
 * document stays true for every route any test reaches.
 */
function validated(agent: TestAgent, openapi: ResponseValidator): TestAgent {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) => {
        const test = value.call(target, url, ...rest);
        return test.expect((res: { status: number; headers: Record<string, string>; body: unknown }) => {
          const problem = openapi.check(property, url, res.status, res.headers['content-type'], res.body);
          if (problem) throw new Error(`OpenAPI: ${problem}`);
        });
      };
    },
  });
}
