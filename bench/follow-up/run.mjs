// Follow-up benchmark: N evaluation invitations fall due at once; how many emails per second reach
// the SMTP sink end to end (due → claimed by the follow-up dispatcher → outbox → mail dispatcher →
// accepted by the sink), beside nodemailer sending the same number of the same emails straight to
// the same sink in the same run (the ceiling).
//
//   npm run build && BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node bench/follow-up/run.mjs
//
// Env: BENCH_DATABASE_URL (a server where it may create a database; default the machine's),
// N (default 10000), ROUNDS (default 2: direct and pipeline alternate, best of each is reported).
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { exitOnUncaughtErrors, startHelperProcess } from '../support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { createApp } = await import(path.join(root, 'dist/app.factory.js'));
const { loadConfig } = await import(path.join(root, 'dist/config/app-config.js'));
const { FollowUpService } = await import(path.join(root, 'dist/follow-up/follow-up.service.js'));
const { evaluationMail } = await import(path.join(root, 'dist/mail/templates/evaluation.template.js'));
const { newLinkToken } = await import(path.join(root, 'dist/common/crypto.js'));

const N = Number(process.env.N ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `kl_bench_followup_${Date.now().toString(36)}`;

// --- the sink, in its own process
const sink = await startHelperProcess(path.join(path.dirname(fileURLToPath(import.meta.url)), 'sink.mjs'));
const { ask, port } = sink;
const startTeardown = exitOnUncaughtErrors();
const smtpUrl = `smtp://127.0.0.1:${port}`;
async function waitForSink(count) {
  for (;;) {
    const state = await ask('count');
    if (state.accepted >= count) return state;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// --- a fresh database and the app on it
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}"`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${database}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-followup-'));
const config = loadConfig({
  NODE_ENV: 'production',
  JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
  // Required in production since the ESF participants' identity numbers (unused here).
  PARTICIPANT_ID_KEY: randomBytes(32).toString('base64'),
  DATA_DIR: dataDir,
  SMTP_URL: smtpUrl,
  DISPATCH_INTERVAL_MS: '50',
  QUIET_HOURS: 'off',
  PUBLIC_BASE_URL: 'https://kompetenslyft.example',
  LOG_LEVEL: 'warn',
});
const log = (...args) => console.error(new Date().toISOString().slice(11, 19), ...args);
log('starting the app on', database);
const app = await createApp({ config, databaseUrl: dbUrl.toString() });
await app.init();
log('app started');
const db = new pg.Pool({ connectionString: dbUrl.toString(), max: 4 });

// --- data: one course, N people who attended, invitations created through the seam bookings will call
const [provider] = (await db.query(`INSERT INTO providers (name, kind) VALUES ('Bench', 'other') RETURNING id`)).rows;
const [offering] = (
  await db.query(
    `INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status)
     VALUES ($1, 'Bokföring för föreningar', 'Bench', '{finance_accounting}', 'short_course', '{social_economy}', 'published') RETURNING id`,
    [provider.id],
  )
).rows;
const endsAt = new Date(Date.now() - 3600_000);
const [session] = (
  await db.query(
    `INSERT INTO sessions (offering_id, starts_at, ends_at, online, capacity, booking_closes_at) VALUES ($1, $2, $3, true, 10000, $2) RETURNING id`,
    [offering.id, new Date(endsAt.getTime() - 3600_000), endsAt],
  )
).rows;
const [questionnaire] = (await db.query(`SELECT id FROM questionnaires WHERE key = 'course_evaluation'`)).rows;
// Far in the future, so nothing is due until the measurement starts.
const [plan] = (await db.query(`INSERT INTO follow_up_plans (scope, offering_id) VALUES ($1, $2) RETURNING id`, [offering.id, offering.id])).rows;
await db.query(`INSERT INTO follow_up_plan_steps (plan_id, position, questionnaire_id, send_offset) VALUES ($1, 1, $2, 'P10Y')`, [plan.id, questionnaire.id]);

async function createInvitations(label) {
  const users = (
    await db.query(
      `INSERT INTO users (email, name) SELECT $1 || '.' || g || '@example.se', 'Deltagare ' || g FROM generate_series(1, $2) AS g RETURNING id`,
      [`bench-${label}`, N],
    )
  ).rows;
  const followUp = app.get(FollowUpService);
  const { DataSource } = await import('typeorm');
  await app.get(DataSource).transaction(async (manager) => {
    for (const user of users) {
      await followUp.attendanceRecorded(manager, {
        bookingId: randomUUID(),
        userId: user.id,
        sessionId: session.id,
        offeringId: offering.id,
        sessionEndsAt: endsAt,
        attended: true,
      });
    }
  });
}

async function pipelineRound(label) {
  await createInvitations(label);
  log(`${N} invitations created`);
  await ask('reset');
  const t0 = performance.timeOrigin + performance.now();
  // All N fall due at this instant; the app's interval timers do the rest.
  await db.query(`UPDATE evaluation_invitations SET due_at = now() WHERE status = 'scheduled'`);
  const state = await waitForSink(N);
  // When the follow-up dispatcher had written the last email to the outbox: where the time went.
  const [{ last }] = (await db.query(`SELECT max(sent_at) AS last FROM evaluation_invitations WHERE status = 'sent'`)).rows;
  log(`all in the outbox after ${((last.getTime() - t0) / 1000).toFixed(1)} s; all accepted by the sink after ${((state.lastAt - t0) / 1000).toFixed(1)} s`);
  await db.query(`UPDATE evaluation_invitations SET status = 'answered' WHERE status = 'sent'`);
  return N / ((state.lastAt - t0) / 1000);
}

async function directRound() {
  await ask('reset');
  log('direct round');
  // The transport settings of src/mail/mail-transport.ts, the same emails.
  const transporter = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 5, maxMessages: 1000 });
  const t0 = performance.timeOrigin + performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const url = `https://kompetenslyft.example/survey/${newLinkToken().token}`;
      const mail = evaluationMail('sv', { name: `Deltagare ${i}`, courseTitle: 'Bokföring för föreningar', url, optOutUrl: `${url}/opt-out`, expiresAt: null, reminder: 0 });
      return transporter.sendMail({
        from: { name: 'Kompetenslyft', address: 'noreply@kompetenslyft.se' },
        to: `direct.${i}@example.se`,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${randomUUID()}@kompetenslyft.se>`,
      });
    }),
  );
  const state = await waitForSink(N);
  transporter.close();
  return N / ((state.lastAt - t0) / 1000);
}

const results = { direct: [], pipeline: [] };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    results.direct.push(await directRound());
    results.pipeline.push(await pipelineRound(`r${round}`));
    console.log(`round ${round}: direct ${results.direct.at(-1).toFixed(0)} mails/s, pipeline ${results.pipeline.at(-1).toFixed(0)} mails/s`);
  }
  const [sent] = (await db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE status = 'sent'`)).rows;
  const [invs] = (await db.query(`SELECT count(*)::int AS n FROM evaluation_invitations WHERE sent_at IS NOT NULL`)).rows;
  const best = (xs) => Math.max(...xs);
  console.log(
    JSON.stringify(
      {
        n: N,
        rounds: ROUNDS,
        directMailsPerSecond: results.direct.map((x) => Math.round(x)),
        pipelineMailsPerSecond: results.pipeline.map((x) => Math.round(x)),
        ratioBest: Math.round((best(results.pipeline) / best(results.direct)) * 100) / 100,
        ratioPerRound: results.pipeline.map((p, i) => Math.round((p / results.direct[i]) * 100) / 100),
        outboxSent: sent.n,
        invitationsSent: invs.n,
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
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
  sink.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
