/**
 * Programme benchmark on the needs benchmark's data (5 000 organisations, 100 000 statements,
 * assessments, 300 published offerings): POST /programmes/:id/draft-from-round (on a fresh
 * programme each time, since a draft is idempotent per programme and round) and
 * GET /programmes/:id/progress on a programme of 300 interventions with 300 linked offerings and
 * 20 000 bookings (70 % attended, genders from profiles), through the real app; beside each, the
 * same SQL straight through pgbench (1 client, sequential) in the same run.
 *
 *   npm run build && node bench/programme/run.mjs
 *
 * BENCH_DATABASE_URL (an admin URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres): a fresh
 * database is created on that server and dropped afterwards (KEEP=1 keeps it); unset: an embedded
 * PostgreSQL. BENCH_ORGS, BENCH_STATEMENTS, BENCH_REQUESTS, BENCH_DRAFTS
 * change the sizes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { COVERAGE_SQL } from '../../dist/matching/matching.sql.js';
import { DEMAND_CELLS_SQL } from '../../dist/needs/needs-report.repository.js';
import { PROGRESS_SQL } from '../../dist/programmes/programmes.repository.js';
import { generateAssessments, generateOrganisations, generateStatements, generateSupply } from '../needs-report/generate.mjs';
import { inlineParams, openBenchDatabase, percentile, say, startApp } from '../support.mjs';

const ORGS = Number(process.env.BENCH_ORGS ?? 5000);
const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);
const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 10);
const INTERVENTIONS = 300;
const BOOKINGS = 20_000;
const ms = (v) => Math.round(v * 10) / 10;
const stats = (times) => ({ p50: ms(percentile([...times].sort((a, b) => a - b), 50)), p95: ms(percentile([...times].sort((a, b) => a - b), 95)), n: times.length });

async function api(base, method, route, token, body) {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${await res.text()}`);
  return res;
}

/** pgbench, 1 client, `n` transactions of `sql`; per-transaction latencies from its log. */
function pgbenchTimes(dbUrl, dbName, sql, n) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-programme-pgbench-'));
  const script = path.join(work, 'script.sql');
  fs.writeFileSync(script, sql);
  const url = new URL(dbUrl);
  execFileSync('pgbench', ['-n', '-c', '1', '-t', String(n), '-f', script, '-l', '--log-prefix', path.join(work, 'log'), '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), dbName], {
    cwd: work,
    encoding: 'utf8',
  });
  const log = fs.readdirSync(work).find((f) => f.startsWith('log'));
  const times = fs.readFileSync(path.join(work, log), 'utf8').trim().split('\n').map((line) => Number(line.split(' ')[2]) / 1000);
  fs.rmSync(work, { recursive: true, force: true });
  return times;
}

const db = await openBenchDatabase('kl_bench_programme');
const { dbUrl } = db;
const dbName = new URL(dbUrl).pathname.slice(1);
const app = await startApp(dbUrl, { DISPATCH_INTERVAL_MS: '600000' }, { startTimeoutMs: 180_000 }).catch(async (error) => {
  await db.close();
  throw error;
});
const { base } = app;
const client = new pg.Client({ connectionString: dbUrl });
try {
  await client.connect();
  say('generating the needs benchmark data');
  await generateOrganisations(client, ORGS);
  const email = `bench.${process.pid}@example.se`;
  const token = (await (await api(base, 'POST', '/auth/register', null, { email, password: 'ett-bra-lösenord-123', name: 'Bench' })).json()).accessToken;
  await client.query(`UPDATE users SET global_role = 'coordinator' WHERE email = $1`, [email]);
  const now = Date.now();
  const round = await (await api(base, 'POST', '/needs-rounds', token, { title: 'Benchrunda', opensAt: new Date(now - 3600_000).toISOString(), closesAt: new Date(now + 30 * 86_400_000).toISOString(), invite: { all: true } })).json();
  await api(base, 'POST', `/needs-rounds/${round.id}/open`, token);
  await generateStatements(client, round.id, STATEMENTS);
  await generateAssessments(client, round.id, 0.6);
  await generateSupply(client, INTERVENTIONS);
  await client.query('ANALYZE');

  const programme = (body) => api(base, 'POST', '/programmes', token, { title: 'Benchprogram', startsOn: '2027-01-01', endsOn: '2029-12-31', fundingSource: 'esf_plus', budgetSek: 50_000_000, unitCostPerHourSek: 300, ...body }).then((r) => r.json());

  // Draft: a fresh programme each time (one warm-up).
  say('timing draft-from-round');
  const draftTimes = [];
  let proposals = 0;
  for (let i = 0; i < DRAFTS + 1; i++) {
    const p = await programme({ title: `Utkast ${i}` });
    const t0 = performance.now();
    const res = await (await api(base, 'POST', `/programmes/${p.id}/draft-from-round`, token, { roundId: round.id })).json();
    if (i > 0) draftTimes.push(performance.now() - t0);
    proposals = res.total;
  }
  const draftSql = inlineParams(COVERAGE_SQL, [round.id, new Date()]) + inlineParams(DEMAND_CELLS_SQL, [round.id]);
  const draftSqlTimes = pgbenchTimes(dbUrl, dbName, draftSql, DRAFTS);

  // Progress: 300 interventions, each delivered by one offering, 20 000 bookings.
  say('building the programme for progress');
  const target = await programme({ title: 'Uppföljning' });
  await client.query(
    `WITH o AS (SELECT id, theme_codes[1] AS theme, row_number() OVER (ORDER BY id) AS n FROM offerings ORDER BY id LIMIT $2),
          i AS (INSERT INTO interventions (programme_id, title, theme_code, target_groups, format, counties, planned_participants, planned_women, planned_men,
                                           hours_per_participant, cost_sek, starts_on, ends_on, status)
                SELECT $1, 'Insats ' || n, theme, '{social_economy}', 'short_course', '{03}', 80, 40, 35, 6, 80 * 6 * 250, '2027-01-01', '2029-12-31', 'approved'
                  FROM o RETURNING id, title)
     INSERT INTO intervention_offerings (offering_id, intervention_id)
     SELECT o.id, i.id FROM o JOIN i ON i.title = 'Insats ' || o.n`,
    [target.id, INTERVENTIONS],
  );
  // The needs generator's sessions run for months; these are 3-hour sessions, half of them held 10 days ago.
  await client.query(
    `UPDATE sessions s SET starts_at = CASE WHEN x.n % 2 = 0 THEN now() - interval '10 days' ELSE s.starts_at END,
            ends_at = CASE WHEN x.n % 2 = 0 THEN now() - interval '10 days' ELSE s.starts_at END + interval '3 hours'
       FROM (SELECT s2.id, row_number() OVER (ORDER BY s2.id) AS n FROM sessions s2 JOIN intervention_offerings io ON io.offering_id = s2.offering_id) x
      WHERE x.id = s.id`,
  );
  await client.query(
    `WITH u AS (INSERT INTO users (email, name) SELECT 'deltagare' || g || '@bench.se', 'Deltagare ' || g FROM generate_series(1, $1) g RETURNING id),
          un AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM u),
          p AS (INSERT INTO person_profiles (user_id, gender) SELECT id, (ARRAY['woman','man','non_binary_other', NULL])[1 + n % 4] FROM un),
          s AS (SELECT s.id, row_number() OVER (ORDER BY s.id) - 1 AS k, count(*) OVER () AS c
                  FROM sessions s JOIN intervention_offerings io ON io.offering_id = s.offering_id)
     INSERT INTO bookings (session_id, user_id, status, attended, confirmed_at)
     SELECT s.id, un.id, 'confirmed', CASE WHEN un.n % 10 < 7 THEN true WHEN un.n % 10 < 9 THEN false END, now()
       FROM un JOIN s ON s.k = un.n % s.c`,
    [BOOKINGS],
  );
  await client.query('ANALYZE');
  const counts = (await client.query(`SELECT (SELECT count(*) FROM interventions WHERE programme_id = $1)::int AS interventions,
     (SELECT count(*) FROM bookings)::int AS bookings, (SELECT count(*) FROM needs_statements)::int AS statements, (SELECT count(*) FROM organisations)::int AS organisations`, [target.id])).rows[0];
  say('timing progress');
  const progressTimes = [];
  let progress;
  for (let i = 0; i < REQUESTS + 2; i++) {
    const t0 = performance.now();
    progress = await (await api(base, 'GET', `/programmes/${target.id}/progress`, token)).json();
    if (i >= 2) progressTimes.push(performance.now() - t0);
  }
  const progressSqlTimes = pgbenchTimes(dbUrl, dbName, inlineParams(PROGRESS_SQL, [target.id, new Date(), 'satisfaction', null]), REQUESTS);

  const draft = stats(draftTimes);
  const draftSqlStats = stats(draftSqlTimes);
  const prog = stats(progressTimes);
  const progSql = stats(progressSqlTimes);
  console.log(
    JSON.stringify(
      {
        ...counts,
        proposalsPerDraft: proposals,
        progressTotals: { booked: progress.total.booked.total, attended: progress.total.attended.total, hoursDelivered: progress.total.hoursDelivered, sessionsHeld: progress.total.sessionsHeld },
        draftMs: draft,
        draftSqlPgbenchMs: draftSqlStats,
        draftRatioP95: Math.round((draft.p95 / draftSqlStats.p95) * 100) / 100,
        progressMs: prog,
        progressSqlPgbenchMs: progSql,
        progressRatioP95: Math.round((prog.p95 / progSql.p95) * 100) / 100,
        targets: { draftP95Under2000: draft.p95 < 2000, progressP95Under500: prog.p95 < 500 },
      },
      null,
      2,
    ),
  );
} finally {
  await client.end().catch(() => {});
  await app.stop();
  await db.close();
}
