// Webhook benchmark: N booking events are written (through WebhookEvents, the writer the booking
// statement uses) for one endpoint and fall due at once; how many deliveries per second the app's
// dispatcher gets accepted by a local receiver (claimed from the outbox, signed, posted, marked
// sent), beside a plain HTTP client posting the same bodies to the same receiver over as many
// keep-alive connections, in the same run (the ceiling).
//
//   npm run build && BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres N=10000 ROUNDS=3 node bench/webhooks/run.mjs
//
// Env: BENCH_DATABASE_URL (a server where it may create a database; unset: an embedded PostgreSQL),
// N (default 10000), ROUNDS (default 2: direct and pipeline alternate; every round is reported),
// WARMUP (default N: that many of each way first, in two alternations, reported but not counted).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { backendPids, cpuPer, cpuTimes, exitOnUncaughtErrors, openBenchDatabase, startHelperProcess } from '../support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { createApp } = await import(path.join(root, 'dist/app.factory.js'));
const { loadConfig } = await import(path.join(root, 'dist/config/app-config.js'));
const { WebhookEvents } = await import(path.join(root, 'dist/integrations/webhook-events.js'));
const { WebhookDispatcher } = await import(path.join(root, 'dist/integrations/webhook-dispatcher.js'));
const { SchedulerRegistry } = await import('@nestjs/schedule');
const { encryptSecret, newWebhookSecret, webhookKey } = await import(path.join(root, 'dist/integrations/webhook-crypto.js'));

const N = Number(process.env.N ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
/** Deliveries of the warm-up round (both ways, not counted): the app has been running for hours when a peak comes, not seconds. */
const WARMUP = Number(process.env.WARMUP ?? N);
/** The dispatcher's requests in flight (PARALLEL in src/integrations/webhook-dispatcher.ts): the direct client uses as many. */
const CONNECTIONS = 32;
const log = (...args) => console.error(new Date().toISOString().slice(11, 19), ...args);

// --- the receiver, in its own process
const receiver = await startHelperProcess(path.join(path.dirname(fileURLToPath(import.meta.url)), 'receiver.mjs'));
const { ask, port } = receiver;
/**
 * CPU per 1000 deliveries of this process (the app, or the plain client), the bench database's
 * PostgreSQL backends (not the rest of the machine's) and the receiver.
 */
let pgPids = [];
const cpu = async () => {
  pgPids = [...new Set([...pgPids, ...(await backendPids(db))])];
  return { ...cpuTimes([...pgPids, receiver.pid]), loop: performance.eventLoopUtilization() };
};
/** …and how busy this process's event loop was (1: never waiting). */
const cpuReport = (before, after, n) => {
  const { self, ...rest } = cpuPer(before, after, n, { postgres: pgPids, receiver: [receiver.pid] });
  return { app: self, ...rest, appLoopBusy: Math.round(performance.eventLoopUtilization(after.loop, before.loop).utilization * 100) / 100 };
};
const startTeardown = exitOnUncaughtErrors();
const url = `http://127.0.0.1:${port}/hooks`;
async function waitForReceiver(count) {
  for (;;) {
    const state = await ask('count');
    if (state.received >= count) return state;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// --- a fresh database and the app on it, its other interval jobs at their default interval
// (DISPATCH_INTERVAL_MS, 5 s), rather than every job of the app polling the database 20 times a second
// as a 50 ms interval would.
const bench = await openBenchDatabase('kl_bench_webhooks');
const dbUrl = bench.dbUrl;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-webhooks-'));
const config = loadConfig({
  NODE_ENV: 'development',
  JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
  DATA_DIR: dataDir,
  QUIET_HOURS: 'off',
  WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
  LOG_LEVEL: 'warn',
});
log('starting the app on', dbUrl);
const app = await createApp({ config, databaseUrl: dbUrl.toString() });
await app.init();
const db = new pg.Pool({ connectionString: dbUrl.toString(), max: 4 });
const [provider] = (await db.query(`INSERT INTO providers (name, kind) VALUES ('Bench', 'other') RETURNING id`)).rows;
await db.query(
  `INSERT INTO webhook_endpoints (owner_kind, provider_id, url, events, secret_encrypted) VALUES ('provider', $1, $2, '{booking.created}', $3)`,
  [provider.id, url, encryptSecret(webhookKey(config), newWebhookSecret())],
);

// The benchmark drives the dispatcher's passes itself (dispatchDue, what the interval's tick calls):
// its interval is taken off, so that no pass starts before a round does.
app.get(SchedulerRegistry).deleteInterval('webhook-dispatcher');

/** N booking.created events through the writer bookings use, due at once (written before the clock starts). */
async function writeEvents(n) {
  const { DataSource } = await import('typeorm');
  const events = app.get(WebhookEvents);
  await app.get(DataSource).transaction(async (manager) => {
    for (let i = 0; i < n; i += 1000) {
      await events.record(
        manager,
        Array.from({ length: Math.min(1000, n - i) }, () => ({
          type: 'booking.created',
          providerId: provider.id,
          organisationId: null,
          data: { bookingId: randomUUID(), sessionId: randomUUID(), providerId: provider.id, organisationId: null, status: 'confirmed' },
        })),
      );
    }
  });
}

async function pipelineRound(n = N) {
  await writeEvents(n);
  await ask('reset');
  const cpu0 = await cpu();
  const t0 = performance.timeOrigin + performance.now();
  const pass = app.get(WebhookDispatcher).dispatchDue();
  const state = await waitForReceiver(n);
  await pass;
  const cpu1 = await cpu();
  // Until every row is marked sent, too (what the dispatcher does after the receiver answers).
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'sent'`)).rows;
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const done = performance.timeOrigin + performance.now();
  return { rate: n / ((state.lastAt - t0) / 1000), withMarking: n / ((done - t0) / 1000), repeats: state.repeats, cpu: cpuReport(cpu0, cpu1, n) };
}

async function directRound(n = N) {
  const bodies = (await db.query(`SELECT body FROM webhook_deliveries ORDER BY created_at DESC LIMIT $1`, [n])).rows.map((r) => r.body);
  await ask('reset');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'webhook-id': randomUUID() } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const cpu0 = await cpu();
  const t0 = performance.timeOrigin + performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < bodies.length) await post(bodies[next++]);
  }));
  const state = await waitForReceiver(bodies.length);
  const cpu1 = await cpu();
  agent.destroy();
  return { rate: bodies.length / ((state.lastAt - t0) / 1000), cpu: cpuReport(cpu0, cpu1, bodies.length) };
}

const results = { direct: [], pipeline: [] };
try {
  // Twice each way, alternately: the app and the plain client share this process (and the receiver
  // serves both), and each's first run after the other's meets code the other's requests made
  // polymorphic; after one alternation that no longer changes.
  for (let warm = 1; warm <= 2 && WARMUP > 0; warm++) {
    const pipeline = await pipelineRound(Math.ceil(WARMUP / 2));
    const direct = await directRound(Math.ceil(WARMUP / 2));
    console.log(`warm-up ${warm} (not counted): direct ${direct.rate.toFixed(0)}/s, pipeline ${pipeline.rate.toFixed(0)}/s, ${Math.ceil(WARMUP / 2)} each`);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    const pipeline = await pipelineRound();
    results.pipeline.push(pipeline);
    results.direct.push(await directRound());
    const direct = results.direct.at(-1);
    console.log(`round ${round}: direct ${direct.rate.toFixed(0)}/s, pipeline ${pipeline.rate.toFixed(0)}/s (${pipeline.withMarking.toFixed(0)}/s until all marked sent), repeats ${pipeline.repeats}`);
    console.log(`  CPU ms per 1000: direct ${JSON.stringify(direct.cpu)}, pipeline ${JSON.stringify(pipeline.cpu)}`);
  }
  const [sent] = (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'sent'`)).rows;
  console.log(
    JSON.stringify(
      {
        n: N,
        rounds: ROUNDS,
        warmup: WARMUP,
        directPerSecond: results.direct.map((x) => Math.round(x.rate)),
        pipelinePerSecond: results.pipeline.map((x) => Math.round(x.rate)),
        pipelineUntilMarkedPerSecond: results.pipeline.map((x) => Math.round(x.withMarking)),
        ratioPerRound: results.pipeline.map((p, i) => Math.round((p.rate / results.direct[i].rate) * 100) / 100),
        cpuMsPer1000: { direct: results.direct.map((x) => x.cpu), pipeline: results.pipeline.map((x) => x.cpu) },
        repeats: results.pipeline.reduce((sum, p) => sum + p.repeats, 0),
        deliveriesSent: sent.n,
        loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      },
      null,
      2,
    ),
  );
} finally {
  startTeardown();
  await app.close();
  await db.end();
  await bench.close();
  receiver.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
