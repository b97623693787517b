// Booking benchmark: the API (autocannon, 64 clients) beside pgbench running the same statement
// shape straight against the same database, in the same run. (a) spread over 2 000 sessions,
// (b) one hot session. The ratios are against booking.pgbench.sql (one booking per statement, the
// shape the issue names; the app confirms many per statement under load, see BookingBatches);
// booking-transaction.pgbench.sql, the five-round-trip transaction the app sent before, is
// run too as a second ceiling for reference. Verifies that no session is overbooked after each run.
//   npm run build && node bench/booking/run.mjs
// Env: BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres), CONNECTIONS (64),
//      SPREAD_REQUESTS (9600), HOT_REQUESTS (7680), KEEP_DB=1 to keep the database,
//      BENCH_APP_NODE_ARGS (node flags for the server, e.g. to profile it).
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const SESSIONS = 2000;
const SPREAD_REQUESTS = Number(process.env.SPREAD_REQUESTS ?? 9600);
const HOT_REQUESTS = Number(process.env.HOT_REQUESTS ?? 7680);
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
    env: { ...process.env, DATABASE_URL: DB_URL, PORT: String(port), JWT_SECRET: SECRET, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DISPATCH_INTERVAL_MS: '3600000', NODE_ENV: 'development' },
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
  const apiSpread = await makeSessions(1, SESSIONS, 1000);
  const pgSpread = await makeSessions(2, SESSIONS, 1000);
  const [apiHot] = await makeSessions(3, 1, 10000);
  await makeSessions(4, 1, 10000);
  const warm = await makeSessions(5, 50, 1000);
  await makeSessions(6, SESSIONS, 1000);
  await makeSessions(7, 1, 10000);
  // People: users for the API (a token each) and for pgbench (taken in order by a sequence).
  const apiUsers = SPREAD_REQUESTS + HOT_REQUESTS + 2000;
  await q(`INSERT INTO users (email, name) SELECT 'api' || g || '@bench.se', 'API ' || g FROM generate_series(1, $1) g`, [apiUsers]);
  await q(`CREATE TABLE bench_users (n bigint PRIMARY KEY, id uuid)`);
  await q(`INSERT INTO users (email, name) SELECT 'pg' || g || '@bench.se', 'PG ' || g FROM generate_series(1, $1) g`, [2 * (SPREAD_REQUESTS + HOT_REQUESTS)]);
  await q(`INSERT INTO bench_users SELECT row_number() OVER (ORDER BY email), id FROM users WHERE email LIKE 'pg%@bench.se'`);
  await q(`CREATE SEQUENCE bench_user_seq`);
  const tokens = (await q(`SELECT id FROM users WHERE email LIKE 'api%@bench.se' ORDER BY email`)).map((r) => jwt.sign({ sub: r.id }, SECRET, { algorithm: 'HS256', expiresIn: '2h' }));
  await q('VACUUM ANALYZE');
  let nextUser = 0;

  async function api(name, sessionIds, amount) {
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
            const session = sessionIds[i++ % sessionIds.length];
            return {
              ...req,
              path: `/api/v1/sessions/${session}/bookings`,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[nextUser++]}` },
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

  console.log(`booking benchmark: ${CONNECTIONS} clients, database ${dbName}`);
  await api('warm-up', warm, 2000);
  const rows = [];
  const spreadPg = pgbench('pgbench spread', 2, SESSIONS, Math.ceil(SPREAD_REQUESTS / CONNECTIONS));
  await verify('after pgbench spread');
  const spreadApi = await api('API spread', apiSpread, SPREAD_REQUESTS);
  await verify('after API spread');
  const hotPg = pgbench('pgbench hot', 4, 1, Math.floor(HOT_REQUESTS / CONNECTIONS));
  await verify('after pgbench hot');
  const hotApi = await api('API hot', [apiHot], HOT_REQUESTS);
  await verify('after API hot');
  const spreadTx = pgbench('pgbench spread, transaction (before)', 6, SESSIONS, Math.ceil(SPREAD_REQUESTS / CONNECTIONS), 'booking-transaction.pgbench.sql', 'simple');
  await verify('after pgbench spread, transaction');
  const hotTx = pgbench('pgbench hot, transaction (before)', 7, 1, Math.floor(HOT_REQUESTS / CONNECTIONS), 'booking-transaction.pgbench.sql', 'simple');
  await verify('after pgbench hot, transaction');
  const [hotState] = await q(`SELECT capacity, seats_taken FROM sessions WHERE id = $1`, [apiHot]);
  rows.push(spreadPg, spreadApi, hotPg, hotApi, spreadTx, hotTx);
  const fmt = (x) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(1)) : String(x));
  console.log('\n| run | ok | failed | per second | p50 ms | p99 ms |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.ok ?? r.transactions} | ${r.failed ?? r.non2xx + r.errors} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
  console.log(`\nratio spread (API / pgbench): ${(100 * spreadApi.rps / spreadPg.rps).toFixed(0)}%  (target ≥ 40%)`);
  console.log(`ratio hot (API / pgbench): ${(100 * hotApi.rps / hotPg.rps).toFixed(0)}%  (target ≥ 60%)`);
  console.log(`against the transaction ceiling: spread ${(100 * spreadApi.rps / spreadTx.rps).toFixed(0)}%, hot ${(100 * hotApi.rps / hotTx.rps).toFixed(0)}%`);
  console.log(`hot session after the API run: ${hotState.seats_taken}/${hotState.capacity} seats taken`);

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
