import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { EmbeddedPostgres, EmbeddedPostgresError, startEmbeddedPostgres } from './database/embedded-postgres.js';

function say(level: 'info' | 'warn' | 'error', msg: string): void {
  // Before the app's logger exists: one JSON line, like the rest of the logs.
  process.stderr.write(JSON.stringify({ level, time: Date.now(), context: 'Bootstrap', msg }) + '\n');
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      say('error', error.message);
      process.exit(2);
    }
    throw error;
  }
  if (config.jwtSecretGenerated) {
    say('warn', 'JWT_SECRET is not set: generated one for this run; sign-ins end when the server restarts. Set JWT_SECRET in production.');
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
    if (!config.databaseUrl) {
      embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        database: 'kompetenslyft',
        log: (msg) => say('info', msg),
      });
    }
    // Loaded only now, so that a configuration error is reported before the framework loads.
    const { createApp } = await import('./app.factory.js');
    app = await createApp({ config, databaseUrl: config.databaseUrl ?? embedded!.url });
    await app.listen(config.port, '0.0.0.0');
    say('info', `Kompetenslyft listening on ${config.publicBaseUrl} (API ${config.publicBaseUrl}/api/v1, docs ${config.publicBaseUrl}/api/docs)`);
  } catch (error) {
    say('error', error instanceof EmbeddedPostgresError ? error.message : `startup failed: ${(error as Error).stack ?? error}`);
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    process.exit(1);
  }
}

void main();
