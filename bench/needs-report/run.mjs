/**
 * Needs-report benchmark: 5 000 organisations, 100 000 statements; the report's latency (p50/p95
 * over 20 sequential requests, JSON; and 5 xlsx exports) through the real app, beside the same
 * aggregate SQL run straight through pgbench (1 client, 20 transactions, the statements one after
 * another) and through a plain pg pool (the statements in parallel, as the app issues them), in the
 * same run.
 *
 *   npm run build && node bench/needs-report/run.mjs
 *
 * BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server to use; a fresh
 * database is created on it and dropped afterwards. BENCH_ORGS, BENCH_STATEMENTS, BENCH_REQUESTS
 * change the sizes.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { REPORT_SQL } from '../../dist/needs/needs-report.repository.js';
import { generateAssessments, generateOrganisations, generateStatements, generateSupply } from './generate.mjs';

const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORGS = Number(process.env.BENCH_ORGS ?? 5000);
const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (v) => Math.round(v * 10) / 10;

async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForHealth(base, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('app did not become healthy');
}

async function api(base, method, route, token, body) {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${await res.text()}`);
  return res;
}

const dbName = `kl_bench_needs_${process.pid}`;
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-needs-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const app = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
  env: {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl,
    PORT: String(port),
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    LOG_LEVEL: 'warn',
    QUIET_HOURS: 'off',
    DISPATCH_INTERVAL_MS: '60000',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const client = new pg.Client({ connectionString: dbUrl });
try {
  await waitForHealth(base, app);
  await client.connect();

  const started = Date.now();
  await generateOrganisations(client, ORGS);
  const email = `bench.${process.pid}@example.se`;
  const registered = await (await api(base, 'POST', '/auth/register', null, { email, password: 'ett-bra-lösenord-123', name: 'Bench' })).json();
  await client.query(`UPDATE users SET global_role = 'coordinator' WHERE email = $1`, [email]);
  const token = registered.accessToken;
  const now = Date.now();
  const round = await (
    await api(base, 'POST', '/needs-rounds', token, {
      title: 'Benchrunda',
      opensAt: new Date(now - 3600_000).toISOString(),
      closesAt: new Date(now + 30 * 86_400_000).toISOString(),
      invite: { all: true },
    })
  ).json();
  const openStarted = performance.now();
  const opened = await (await api(base, 'POST', `/needs-rounds/${round.id}/open`, token)).json();
  const openMs = performance.now() - openStarted;
  await generateStatements(client, round.id, STATEMENTS);
  await generateAssessments(client, round.id, 0.6);
  await generateSupply(client, 300);
  await client.query('ANALYZE');
  const counts = (
    await client.query(
      `SELECT (SELECT count(*) FROM needs_round_organisations WHERE round_id = $1)::int AS invited,
              (SELECT count(*) FROM needs_statements WHERE round_id = $1)::int AS statements,
              (SELECT count(*) FROM needs_assessments WHERE round_id = $1)::int AS assessments`,
      [round.id],
    )
  ).rows[0];
  const generateSeconds = (Date.now() - started) / 1000;

  // The report through the app: warm up, then sequential requests.
  const timeReport = async (query, n) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const res = await api(base, 'GET', `/needs-rounds/${round.id}/report${query}`, token);
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    }
    return times;
  };
  await timeReport('', 2);
  const json = await timeReport('', REQUESTS);
  const xlsx = await timeReport('?format=xlsx', 5);
  const report = await (await api(base, 'GET', `/needs-rounds/${round.id}/report`, token)).json();

  // The same aggregate SQL straight through pgbench (1 client, sequential transactions).
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-needs-pgbench-'));
  const script = path.join(work, 'report.sql');
  const literal = `'${round.id}'`;
  fs.writeFileSync(
    script,
    Object.values(REPORT_SQL)
      .map((sql) => `${sql.replaceAll('$1', literal).replace(/\s+/g, ' ').trim()};`)
      .join('\n') + '\n',
  );
  const url = new URL(dbUrl);
  const pgbenchOut = execFileSync(
    'pgbench',
    ['-n', '-c', '1', '-t', String(REQUESTS), '-f', script, '-l', '--log-prefix', path.join(work, 'log'), '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), dbName],
    { cwd: work, encoding: 'utf8' },
  );
  const logFile = fs.readdirSync(work).find((f) => f.startsWith('log'));
  const sqlTimes = fs
    .readFileSync(path.join(work, logFile), 'utf8')
    .trim()
    .split('\n')
    .map((line) => Number(line.split(' ')[2]) / 1000);
  fs.rmSync(work, { recursive: true, force: true });

  // And the same SQL in parallel over a pool, as the app's report issues it (Promise.all): the fair ceiling.
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  const parallelTimes = [];
  for (let i = 0; i < REQUESTS + 2; i++) {
    const t0 = performance.now();
    await Promise.all(Object.values(REPORT_SQL).map((sql) => pool.query(sql, [round.id])));
    if (i >= 2) parallelTimes.push(performance.now() - t0);
  }
  await pool.end();

  const result = {
    organisations: ORGS,
    invited: counts.invited,
    statements: counts.statements,
    assessments: counts.assessments,
    people: report.totals.people,
    generateSeconds: Math.round(generateSeconds),
    openRoundMs: ms(openMs),
    invitedByOpen: opened.invitedOrganisations,
    reportJsonMs: { p50: ms(percentile(json, 50)), p95: ms(percentile(json, 95)), max: ms(Math.max(...json)), n: json.length },
    reportXlsxMs: { p50: ms(percentile(xlsx, 50)), p95: ms(percentile(xlsx, 95)), n: xlsx.length },
    rawSqlPgbenchMs: { p50: ms(percentile(sqlTimes, 50)), p95: ms(percentile(sqlTimes, 95)), n: sqlTimes.length, statementsPerTransaction: Object.keys(REPORT_SQL).length },
    rawSqlParallelPoolMs: { p50: ms(percentile(parallelTimes, 50)), p95: ms(percentile(parallelTimes, 95)), n: parallelTimes.length },
    ratioP95AppToPgbench: Math.round((percentile(json, 95) / percentile(sqlTimes, 95)) * 100) / 100,
    ratioP95AppToParallelSql: Math.round((percentile(json, 95) / percentile(parallelTimes, 95)) * 100) / 100,
    pgbenchLatencyLine: pgbenchOut.split('\n').find((l) => l.startsWith('latency average')),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await client.end().catch(() => {});
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
  if (!process.env.BENCH_KEEP) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
