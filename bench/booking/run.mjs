// Booking benchmark: the API (autocannon, 64 clients) beside pgbench running the same statement
// shape straight against the same database, in the same run. Scenarios (SCENARIOS, all by default):
//   spread  9 600 bookings over 2 000 sessions that never fill (capacity 1 000);
//   hot     7 680 bookings on one session that never fills (capacity 10 000);
//   rush    one session of 200 seats, 1 200 people booking at once (1 000 waitlisted), each signed
//           in through POST /api/v1/auth/login (argon2) before the run;
//   fill    8 000 bookings over 2 000 sessions of 5 seats (about 11 % waitlisted).
// spread and hot are against booking.pgbench.sql (one booking per statement, the app confirms many
// per statement under load, see BookingBatches); booking-transaction.pgbench.sql, the five-round-trip
// transaction the app sent before, is run too as a second ceiling for reference. rush and fill are
// against booking-waitlist.pgbench.sql (one statement per booking that takes a seat or joins the
// waitlist with its position, writing the booking and its email). After each run it verifies that
// no session is overbooked or miscounted; after rush and fill also that nobody is waitlisted beside
// a free seat and that every booking has exactly one email.
//   npm run build && node bench/booking/run.mjs
// Env: BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres), CONNECTIONS (64),
//      SCENARIOS (spread,hot,rush,fill), SPREAD_REQUESTS (9600), HOT_REQUESTS (7680),
//      RUSH_SEATS (200), RUSH_PEOPLE (1200), FILL_SESSIONS (2000), FILL_SEATS (5), FILL_BOOKINGS (8000),
//      WARMUP_REQUESTS (2000), BENCH_APP_ROOT (the checkout whose dist/ runs; default this one), KEEP_DB=1 to keep the database, BENCH_APP_NODE_ARGS (node flags for the server, e.g. to profile it).
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
// BENCH_APP_ROOT: another checkout's folder, to run its built app (dist/) under this script (a "before" run).
const root = process.env.BENCH_APP_ROOT ? path.resolve(process.env.BENCH_APP_ROOT) : path.resolve(here, '../..');
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const SESSIONS = 2000;
const SCENARIOS = new Set((process.env.SCENARIOS ?? 'spread,hot,rush,fill').split(',').map((x) => x.trim()));
const SPREAD_REQUESTS = SCENARIOS.has('spread') ? Number(process.env.SPREAD_REQUESTS ?? 9600) : 0;
const HOT_REQUESTS = SCENARIOS.has('hot') ? Number(process.env.HOT_REQUESTS ?? 7680) : 0;
const RUSH_SEATS = Number(process.env.RUSH_SEATS ?? 200);
const RUSH_PEOPLE = SCENARIOS.has('rush') ? Number(process.env.RUSH_PEOPLE ?? 1200) : 0;
const FILL_SESSIONS = Number(process.env.FILL_SESSIONS ?? 2000);
const FILL_SEATS = Number(process.env.FILL_SEATS ?? 5);
const FILL_BOOKINGS = SCENARIOS.has('fill') ? Number(process.env.FILL_BOOKINGS ?? 8000) : 0;
const PASSWORD = 'bench-password-1234';
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const dbName = `kl_bench_booking_${Date.now().toString(36)}`;

function withDb(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
const DB_URL = withDb(ADMIN_URL, dbName);

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();

  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-'));
  // BENCH_APP_NODE_ARGS: node flags for the server, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/main.js')], {
    env: { ...process.env, DATABASE_URL: DB_URL, PORT: String(port), JWT_SECRET: SECRET, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DISPATCH_INTERVAL_MS: '3600000', NODE_ENV: 'development',
           // The rush signs 1 200 people in from one address.
           LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  process.on('exit', () => server.kill('SIGTERM'));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 200) throw new Error('the app did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

  const db = new pg.Pool({ connectionString: DB_URL, max: 4 });
  const q = async (sql, params) => (await db.query(sql, params)).rows;
  // Data: one provider and offering; 2 000 sessions per spread run, one hot session per hot run.
  const [provider] = await q(`INSERT INTO providers (name, kind) VALUES ('Bench', 'other') RETURNING id`);
  const [offering] = await q(
    `INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at)
     VALUES ($1, 'Offentlig upphandling', 'Bench', '{public_procurement}', 'short_course', '{social_economy}', 'published', now()) RETURNING id`,
    [provider.id],
  );
  await q(`CREATE TABLE bench_sessions (run int, n int, id uuid, PRIMARY KEY (run, n))`);
  // The waitlisting ceiling keeps the waitlist's length on the session row, as the app does since
  // issue 23. Against an app from before (a "before" run), the column is added here for pgbench
  // only, and not checked after the API's runs (that app does not keep it).
  const [hasLength] = await q(`SELECT 1 FROM information_schema.columns WHERE table_name = 'sessions' AND column_name = 'waitlist_length'`);
  const appKeepsWaitlistLength = Boolean(hasLength);
  if (!appKeepsWaitlistLength) await q(`ALTER TABLE sessions ADD COLUMN waitlist_length int NOT NULL DEFAULT 0`);
  const makeSessions = async (run, count, capacity) => {
    await q(
      `WITH s AS (
         INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, venue, capacity, booking_closes_at)
         SELECT $1, now() + interval '30 days', now() + interval '30 days 3 hours', '0380', 'Storgatan 1', $3, now() + interval '29 days'
           FROM generate_series(1, $2) RETURNING id)
       INSERT INTO bench_sessions (run, n, id) SELECT $4, row_number() OVER (), id FROM s`,
      [offering.id, count, capacity, run],
    );
    return (await q(`SELECT id FROM bench_sessions WHERE run = $1 ORDER BY n`, [run])).map((r) => r.id);
  };
  const apiSpread = SPREAD_REQUESTS ? await makeSessions(1, SESSIONS, 1000) : [];
  if (SPREAD_REQUESTS) await makeSessions(2, SESSIONS, 1000);
  const [apiHot] = HOT_REQUESTS ? await makeSessions(3, 1, 10000) : [];
  if (HOT_REQUESTS) await makeSessions(4, 1, 10000);
  const warm = await makeSessions(5, 50, 1000);
  if (SPREAD_REQUESTS) await makeSessions(6, SESSIONS, 1000);
  if (HOT_REQUESTS) await makeSessions(7, 1, 10000);
  if (RUSH_PEOPLE) await makeSessions(8, 1, RUSH_SEATS);
  const [apiRush] = RUSH_PEOPLE ? await makeSessions(9, 1, RUSH_SEATS) : [];
  if (FILL_BOOKINGS) await makeSessions(10, FILL_SESSIONS, FILL_SEATS);
  const apiFill = FILL_BOOKINGS ? await makeSessions(11, FILL_SESSIONS, FILL_SEATS) : [];
  // People: users for the API (a token each) and for pgbench (taken in order by a sequence).
  const apiUsers = SPREAD_REQUESTS + HOT_REQUESTS + FILL_BOOKINGS + 2000;
  await q(`INSERT INTO users (email, name) SELECT 'api' || g || '@bench.se', 'API ' || g FROM generate_series(1, $1) g`, [apiUsers]);
  await q(`CREATE TABLE bench_users (n bigint PRIMARY KEY, id uuid)`);
  const pgUsers = 2 * (SPREAD_REQUESTS + HOT_REQUESTS) + RUSH_PEOPLE + FILL_BOOKINGS + 2 * CONNECTIONS;
  await q(`INSERT INTO users (email, name) SELECT 'pg' || g || '@bench.se', 'PG ' || g FROM generate_series(1, $1) g`, [pgUsers]);
  await q(`INSERT INTO bench_users SELECT row_number() OVER (ORDER BY email), id FROM users WHERE email LIKE 'pg%@bench.se'`);
  await q(`CREATE SEQUENCE bench_user_seq`);
  const tokens = (await q(`SELECT id FROM users WHERE email LIKE 'api%@bench.se' ORDER BY email`)).map((r) => jwt.sign({ sub: r.id }, SECRET, { algorithm: 'HS256', expiresIn: '2h' }));
  // The rush's people have passwords (one argon2 hash, made as the app makes them) and sign in
  // through the API, as a new user's load test would; verified addresses where the schema has them.
  let rushTokens = [];
  if (RUSH_PEOPLE) {
    const { HASH_OPTIONS } = await import(path.join(root, 'dist/auth/users.service.js'));
    const hash = await argon2.hash(PASSWORD, HASH_OPTIONS);
    await q(`INSERT INTO users (email, name, password_hash) SELECT 'rush' || g || '@bench.se', 'Rush ' || g, $2 FROM generate_series(1, $1) g`, [RUSH_PEOPLE, hash]);
    const [verified] = await q(`SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email_verified_at'`);
    if (verified) await q(`UPDATE users SET email_verified_at = now() WHERE email LIKE 'rush%@bench.se'`);
    const started = performance.now();
    rushTokens = new Array(RUSH_PEOPLE);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < RUSH_PEOPLE) {
          const i = next++;
          const res = await fetch(`${base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `rush${i + 1}@bench.se`, password: PASSWORD }),
          });
          if (res.status !== 200) throw new Error(`sign-in ${i + 1} answered ${res.status}: ${await res.text()}`);
          rushTokens[i] = (await res.json()).accessToken;
        }
      }),
    );
    console.log(`  ${RUSH_PEOPLE} people signed in (POST /api/v1/auth/login, 8 at a time) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await q('VACUUM ANALYZE');
  let nextUser = 0;

  /** `amount` bookings through the API, the i-th on `sessionOf(i)` by the person of `tokenOf(i)`. */
  async function api(name, sessionOf, amount, tokenOf = () => tokens[nextUser++]) {
    let i = 0;
    // Throughput over the time from the start to the last answer: autocannon's own `duration` is
    // rounded up to its next one-second tick when a run ends by `amount` (up to 1 s on a 7–10 s run).
    const started = performance.now();
    let lastAnswer = started;
    const instance = autocannon({
      url: base,
      connections: CONNECTIONS,
      amount,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const n = i++;
            return {
              ...req,
              path: `/api/v1/sessions/${sessionOf(n)}/bookings`,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(n)}` },
              body: '{}',
            };
          },
        },
      ],
    });
    instance.on('response', () => {
      lastAnswer = performance.now();
    });
    const result = await instance;
    const ok = result['2xx'];
    console.log(`  ${name}: ${ok} answers in ${((lastAnswer - started) / 1000).toFixed(2)} s (autocannon's duration: ${result.duration} s)`);
    return { name, requests: result.requests.total, ok, non2xx: result.non2xx, errors: result.errors, rps: ok / ((lastAnswer - started) / 1000), p50: result.latency.p50, p99: result.latency.p99 };
  }

  // The app sends its booking statement prepared (src/database/prepared-query.ts): so does pgbench, with
  // -M prepared; the old transaction ran unprepared, as the app sent it then.
  function pgbench(name, run, sessions, transactionsPerClient, script = 'booking.pgbench.sql', protocol = 'prepared') {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-pgbench-'));
    const u = new URL(DB_URL);
    const out = execFileSync(
      'pgbench',
      ['-n', '-M', protocol, '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), '-c', String(CONNECTIONS), '-j', '2',
        '-t', String(transactionsPerClient), '-D', `run=${run}`, '-D', `sessions=${sessions}`, '-f', path.join(here, script),
        '-l', '--log-prefix', path.join(logDir, 'log'), dbName],
      { encoding: 'utf8' },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    const latencies = fs
      .readdirSync(logDir)
      .flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    fs.rmSync(logDir, { recursive: true, force: true });
    return { name, transactions: latencies.length, failed, rps: tps, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  }

  async function verify(label) {
    const bad = await q(
      `SELECT s.id, s.capacity, s.seats_taken, count(b.id)::int AS confirmed FROM sessions s
         LEFT JOIN bookings b ON b.session_id = s.id AND b.status IN ('confirmed', 'offered')
        GROUP BY s.id HAVING s.seats_taken <> count(b.id) OR count(b.id) > s.capacity`,
    );
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM bookings`);
    console.log(`  ${label}: ${n} bookings in total, ${bad.length} sessions overbooked or miscounted`);
    if (bad.length) throw new Error(`overbooking after ${label}: ${JSON.stringify(bad.slice(0, 3))}`);
    return bad.length;
  }

  /**
   * After a run on sessions that fill (bench_sessions `run`): nobody waitlisted beside a free seat,
   * the waitlist length each session keeps equal to its waitlisted bookings, one email per booking.
   */
  async function verifyWaitlists(label, run, checkLength = true) {
    const [row] = await q(
      `WITH ss AS (SELECT s.* FROM sessions s JOIN bench_sessions bs ON bs.id = s.id AND bs.run = $1),
            b AS (SELECT b.* FROM bookings b JOIN ss ON ss.id = b.session_id),
            per AS (SELECT ss.id, ss.capacity, ss.seats_taken, ss.waitlist_length, count(b.id) FILTER (WHERE b.status = 'waitlisted') AS waiting
                      FROM ss LEFT JOIN b ON b.session_id = ss.id GROUP BY ss.id, ss.capacity, ss.seats_taken, ss.waitlist_length)
       SELECT (SELECT count(*) FROM b WHERE status = 'confirmed')::int AS confirmed,
              (SELECT count(*) FROM b WHERE status = 'waitlisted')::int AS waitlisted,
              (SELECT count(*) FROM per WHERE seats_taken < capacity AND waiting > 0)::int AS beside_free_seat,
              (SELECT count(*) FROM per WHERE $2 AND waitlist_length <> waiting)::int AS miscounted_waitlists,
              (SELECT count(*) FROM b WHERE (SELECT count(*) FROM mail_outbox m
                                              WHERE m.dedupe_key IN ('booking:' || b.id || ':confirmed', 'booking:' || b.id || ':waitlisted')) <> 1)::int AS not_one_email`,
      [run, checkLength],
    );
    console.log(`  ${label}: ${row.confirmed} confirmed, ${row.waitlisted} waitlisted; ${row.beside_free_seat} sessions with someone waitlisted beside a free seat, ${row.miscounted_waitlists} waitlists miscounted, ${row.not_one_email} bookings without exactly one email`);
    if (row.beside_free_seat || row.miscounted_waitlists || row.not_one_email) throw new Error(`waitlist check failed after ${label}: ${JSON.stringify(row)}`);
    return row;
  }

  console.log(`booking benchmark: ${CONNECTIONS} clients, database ${dbName}, scenarios ${[...SCENARIOS].join(', ')}`);
  await api('warm-up', (i) => warm[i % warm.length], Number(process.env.WARMUP_REQUESTS ?? 2000));
  const rows = [];
  const ratios = [];
  const fmt = (x) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(1)) : String(x));
  const ratio = (name, apiRun, ceiling, target) => {
    const line = `ratio ${name} (API / pgbench): ${(100 * apiRun.rps / ceiling.rps).toFixed(0)}%, p50 ${fmt(apiRun.p50)} ms, p99 ${fmt(apiRun.p99)} ms  (target ${target})`;
    ratios.push(line);
  };
  if (SPREAD_REQUESTS) {
    const spreadPg = pgbench('pgbench spread', 2, SESSIONS, Math.ceil(SPREAD_REQUESTS / CONNECTIONS));
    await verify('after pgbench spread');
    const spreadApi = await api('API spread', (i) => apiSpread[i % apiSpread.length], SPREAD_REQUESTS);
    await verify('after API spread');
    const spreadTx = pgbench('pgbench spread, transaction (before)', 6, SESSIONS, Math.ceil(SPREAD_REQUESTS / CONNECTIONS), 'booking-transaction.pgbench.sql', 'simple');
    await verify('after pgbench spread, transaction');
    rows.push(spreadPg, spreadApi, spreadTx);
    ratio('spread', spreadApi, spreadPg, '≥ 40%, p99 < 100 ms');
    ratios.push(`  spread against the transaction ceiling: ${(100 * spreadApi.rps / spreadTx.rps).toFixed(0)}%`);
  }
  if (HOT_REQUESTS) {
    const hotPg = pgbench('pgbench hot', 4, 1, Math.floor(HOT_REQUESTS / CONNECTIONS));
    await verify('after pgbench hot');
    const hotApi = await api('API hot', () => apiHot, HOT_REQUESTS);
    await verify('after API hot');
    const hotTx = pgbench('pgbench hot, transaction (before)', 7, 1, Math.floor(HOT_REQUESTS / CONNECTIONS), 'booking-transaction.pgbench.sql', 'simple');
    await verify('after pgbench hot, transaction');
    const [hotState] = await q(`SELECT capacity, seats_taken FROM sessions WHERE id = $1`, [apiHot]);
    rows.push(hotPg, hotApi, hotTx);
    ratio('hot', hotApi, hotPg, '≥ 60%, p99 < 100 ms');
    ratios.push(`  hot against the transaction ceiling: ${(100 * hotApi.rps / hotTx.rps).toFixed(0)}%; hot session after the API run: ${hotState.seats_taken}/${hotState.capacity} seats taken`);
  }
  if (RUSH_PEOPLE) {
    const rushPg = pgbench('pgbench rush (waitlisting)', 8, 1, Math.ceil(RUSH_PEOPLE / CONNECTIONS), 'booking-waitlist.pgbench.sql');
    await verify('after pgbench rush');
    await verifyWaitlists('after pgbench rush', 8);
    const rushApi = await api('API rush', () => apiRush, RUSH_PEOPLE, (i) => rushTokens[i]);
    await verify('after API rush');
    await verifyWaitlists('after API rush', 9, appKeepsWaitlistLength);
    rows.push(rushPg, rushApi);
    ratio('rush', rushApi, rushPg, '≥ 100%, p99 < 250 ms');
  }
  if (FILL_BOOKINGS) {
    const fillPg = pgbench('pgbench fill (waitlisting)', 10, FILL_SESSIONS, Math.ceil(FILL_BOOKINGS / CONNECTIONS), 'booking-waitlist.pgbench.sql');
    await verify('after pgbench fill');
    await verifyWaitlists('after pgbench fill', 10);
    // A session picked at random for each booking (seeded, so that runs compare), as pgbench does.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const fillOrder = Array.from({ length: FILL_BOOKINGS }, () => apiFill[Math.floor(random() * apiFill.length)]);
    const fillApi = await api('API fill', (i) => fillOrder[i], FILL_BOOKINGS);
    await verify('after API fill');
    await verifyWaitlists('after API fill', 11, appKeepsWaitlistLength);
    rows.push(fillPg, fillApi);
    ratio('fill', fillApi, fillPg, '≥ 60%, p99 < 100 ms');
  }
  console.log('\n| run | ok | failed | per second | p50 ms | p99 ms |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.ok ?? r.transactions} | ${r.failed ?? r.non2xx + r.errors} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
  console.log('');
  for (const line of ratios) console.log(line);

  await db.end();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.KEEP_DB) {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
