import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import cluster from 'node:cluster';
import { ConfigError, loadConfig, loadDotEnv, type AppConfig } from './config/app-config.js';
import { checkDatabase, checkPort, describeListenError } from './config/startup-checks.js';
import { EmbeddedPostgres, EmbeddedPostgresError, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { createLogger } from './common/logging.js';

// Lines from before the app exists, in the app's format (see common/logging.ts); at LOG_LEVEL once it is read.
let bootstrap = createLogger('info').child({ context: 'Bootstrap' });

function say(level: 'info' | 'warn' | 'error', msg: string): void {
  bootstrap[level](msg);
}

/** The embedded PostgreSQL when no DATABASE_URL is given (in the one process, or in a cluster's primary). */
function startEmbedded(config: AppConfig): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({ dataDir: config.dataDir, database: 'kompetenslyft', log: (msg) => say('info', msg) });
}

/** A start-up check's one line, then exit 1. */
function stopIf(problem: string | undefined): void {
  if (problem === undefined) return;
  say('error', problem);
  process.exit(1);
}

function sayStartupFailed(error: unknown): void {
  say('error', error instanceof EmbeddedPostgresError ? error.message : `startup failed: ${(error as Error).stack ?? error}`);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      say('error', error.message);
      process.exit(2);
    }
    throw error;
  }
  bootstrap = createLogger(config.logLevel).child({ context: 'Bootstrap' });
  if (config.jwtSecretGenerated) {
    say('warn', 'JWT_SECRET is not set: generated one for this run; sign-ins end when the server restarts. Set JWT_SECRET in production.');
  }
  if (cluster.isPrimary) {
    stopIf(await checkPort(config.port));
    if (config.workers > 1) return runCluster(config);
  }

  let embedded: EmbeddedPostgres | undefined;
  let app: INestApplication | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say('info', `${signal} received: shutting down`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await app?.close(); // stops schedulers, drains HTTP, closes the pool
    } finally {
      await embedded?.stop();
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    if (config.databaseUrl) stopIf(await checkDatabase(config.databaseUrl));
    else embedded = await startEmbedded(config);
    // Loaded only now, so that a configuration error is reported before the framework loads.
    const { createApp } = await import('./app.factory.js');
    app = await createApp({ config, databaseUrl: config.databaseUrl ?? embedded!.url });
    await app.listen(config.port, '0.0.0.0');
    say('info', `Kompetenslyft listening on ${config.publicBaseUrl} (API ${config.publicBaseUrl}/api/v1, docs ${config.publicBaseUrl}/api/docs)`);
  } catch (error) {
    const listenProblem = describeListenError(error, config.port);
    if (listenProblem) say('error', listenProblem);
    else sayStartupFailed(error);
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    process.exit(1);
  }
}

/** How long a worker must have lived for its exit to count as a crash to recover from rather than a failed start. */
const STARTUP_GRACE_MS = 30_000;

/**
 * WEB_CONCURRENCY > 1: this process starts the embedded PostgreSQL when no DATABASE_URL is given,
 * then keeps that many workers serving the port (node:cluster shares it between them). Each
 * worker is the whole app: migrations run under an advisory lock and every scheduled job claims
 * its rows with SKIP LOCKED, as with several instances. The workers get the database URL and the
 * JWT secret from here, so a generated secret is the same in all of them. A worker that dies after
 * starting is replaced; one that fails to start stops the whole server (exit 1).
 */
async function runCluster(config: AppConfig): Promise<void> {
  let embedded: EmbeddedPostgres | undefined;
  if (config.databaseUrl) {
    stopIf(await checkDatabase(config.databaseUrl));
  } else {
    try {
      embedded = await startEmbedded(config);
    } catch (error) {
      sayStartupFailed(error);
      process.exit(1);
    }
  }
  const env = { DATABASE_URL: config.databaseUrl ?? embedded!.url, JWT_SECRET: config.jwtSecret };
  const startedAt = new Map<number, number>();
  let stopping = false;
  let exitCode = 0;
  const fork = () => {
    const worker = cluster.fork(env);
    startedAt.set(worker.id, Date.now());
  };
  const running = () => Object.values(cluster.workers ?? {}).filter((worker) => worker && !worker.isDead());
  const stop = async (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    say('info', `${signal}: stopping ${running().length} workers`);
    for (const worker of running()) worker!.process.kill('SIGTERM');
    if (running().length === 0) await finish();
  };
  const finish = async () => {
    await embedded?.stop();
    process.exit(exitCode);
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (running().length === 0) void finish();
      return;
    }
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    if (lived < STARTUP_GRACE_MS && code !== 0) {
      say('error', `worker ${worker.process.pid} failed to start (${signal ?? code}); stopping`);
      void stop('startup failure', 1);
      return;
    }
    say('warn', `worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  process.on('SIGTERM', () => void stop('SIGTERM received', 0));
  process.on('SIGINT', () => void stop('SIGINT received', 0));
  for (let i = 0; i < config.workers; i++) fork();
  say('info', `cluster of ${config.workers} workers on port ${config.port}`);
}

void main();
