// Matching benchmark: 20 000 offerings / ~60 000 sessions (the catalogue's demo generator) and
// 100 000 statements over 20 000 organisations (the needs-report generators).
//  1. GET /api/v1/me/recommendations for an employee of an organisation with 5 statements, at 16
//     concurrent clients with autocannon, beside the very same SQL (RECOMMENDATIONS_SQL with the same
//     parameters) through pgbench at 16 clients: p95 and the ratio.
//  2. The full coverage report (GET /api/v1/needs-rounds/:id/coverage) 10 times in a row, beside
//     COVERAGE_SQL run directly 10 times: p95.
//
//   npm run build && BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node bench/matching/run.mjs
//
// Env: BENCH_DATABASE_URL (admin URL; a database kl_bench_matching_<pid> is created and dropped;
//      unset: an embedded PostgreSQL), DURATION=20, CONNECTIONS=16, OFFERINGS=20000, STATEMENTS=100000,
//      ORGS=20000, PROFILE_NEEDS (the employee's accessibility needs, e.g. step_free_access), KEEP=1 (keep the database).
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { generateOrganisations, generateStatements } from '../needs-report/generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = (p) => import(path.join(root, 'dist', p));
const { dataSourceOptions, runMigrations } = await dist('database/data-source.js');
const { startEmbeddedPostgres } = await dist('database/embedded-postgres.js');
const { DEMO_PROVIDERS, generateCatalogue } = await dist('catalogue/demo/catalogue-generator.js');
const { loadCatalogue } = await dist('catalogue/demo/catalogue-loader.js');
const { RECOMMENDATIONS_SQL, COVERAGE_SQL } = await dist('matching/matching.sql.js');

const DURATION = Number(process.env.DURATION ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const OFFERINGS = Number(process.env.OFFERINGS ?? 20000);
const STATEMENTS = Number(process.env.STATEMENTS ?? 100000);
const ORGS = Number(process.env.ORGS ?? 20000);
const say = (m) => process.stderr.write(`[bench] ${m}\n`);
const ms = (v) => Math.round(v * 10) / 10;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Inlines $n parameters as SQL literals, so that pgbench runs the statement exactly as the service sends it. */
function inline(sql, values) {
  const literal = (v) => {
    if (v === null) return 'NULL';
    if (v instanceof Date) return `'${v.toISOString()}'`;
    if (typeof v === 'number') return String(v);
    return `'${String(v).replace(/'/g, "''")}'`;
  };
  return sql.replace(/\$(\d+)/g, (_, n) => literal(values[Number(n) - 1]));
}

let embedded;
let tmp;
let adminUrl = process.env.BENCH_DATABASE_URL;
if (!adminUrl) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-matching-'));
  fs.chmodSync(tmp, 0o755);
  embedded = await startEmbeddedPostgres({ dataDir: tmp, database: 'postgres', fast: true });
  adminUrl = embedded.url;
}
const dbName = `kl_bench_matching_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrlObj = new URL(adminUrl);
dbUrlObj.pathname = `/${dbName}`;
const dbUrl = dbUrlObj.toString();

let app;
const results = {};
try {
  const ds = await new DataSource(dataSourceOptions(dbUrl, { extra: { max: 4 } })).initialize();
  await runMigrations(ds);
  const now = new Date();
  let t0 = Date.now();
  const data = generateCatalogue({ seed: 42, providers: DEMO_PROVIDERS.length, offerings: OFFERINGS, sessionsPerOffering: 3, now, horizonDays: 182 });
  results.catalogue = await loadCatalogue(ds, { providers: DEMO_PROVIDERS, ...data, now });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(os.tmpdir(), `kl-bench-app-${port}`),
      PUBLIC_BASE_URL: base,
      QUIET_HOURS: 'off',
      DISPATCH_INTERVAL_MS: '60000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the app did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async (method, route, token, body) => {
    const res = await fetch(`${base}/api/v1${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${await res.text()}`);
    return res;
  };
  const register = async (name) => {
    const email = `${name}.${process.pid}@example.se`;
    const body = await (await api('POST', '/auth/register', null, { email, password: 'ett-bra-lösenord-123', name })).json();
    return { id: body.user.id, token: body.accessToken };
  };

  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  await generateOrganisations(client, ORGS);
  const coordinator = await register('coordinator');
  await client.query(`UPDATE users SET global_role = 'coordinator' WHERE id = $1`, [coordinator.id]);
  const round = await (
    await api('POST', '/needs-rounds', coordinator.token, {
      title: 'Benchrunda',
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      invite: { all: true },
    })
  ).json();
  await api('POST', `/needs-rounds/${round.id}/open`, coordinator.token);
  await generateStatements(client, round.id, STATEMENTS);
  // The employee: of an organisation with 5 statements (the average); PROFILE_NEEDS (comma-separated
  // accessibility codes) in the profile, none by default: the widest candidate set.
  const [{ organisation_id: orgId }] = (
    await client.query(
      `SELECT organisation_id FROM needs_statements WHERE round_id = $1 GROUP BY organisation_id HAVING count(*) = 5 ORDER BY organisation_id LIMIT 1`,
      [round.id],
    )
  ).rows;
  const employee = await register('employee');
  await client.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'employee')`, [orgId, employee.id]);
  const profileNeeds = (process.env.PROFILE_NEEDS ?? '').split(',').filter(Boolean);
  await client.query(`INSERT INTO person_profiles (user_id, accessibility_needs) VALUES ($1, $2)`, [employee.id, profileNeeds]);
  results.profileNeeds = profileNeeds;
  await client.query('VACUUM ANALYZE');
  results.statements = STATEMENTS;
  results.organisations = ORGS;
  say(`data ready in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${results.catalogue.offerings} offerings, ${results.catalogue.sessions} sessions, ${STATEMENTS} statements`);

  // ---- 1. recommendations
  const url = `${base}/api/v1/me/recommendations?limit=20`;
  const sample = await (await api('GET', '/me/recommendations?limit=20', employee.token)).json();
  results.recommendationsTotal = sample.total;
  say(`/me/recommendations → total ${sample.total}, top score ${sample.items[0]?.score}`);
  const cannon = async (duration) => {
    const latencies = [];
    const instance = autocannon({ url, connections: CONNECTIONS, duration, headers: { authorization: `Bearer ${employee.token}` } });
    instance.on('response', (_c, status, _b, latency) => {
      if (status === 200) latencies.push(latency);
    });
    const r = await instance;
    latencies.sort((a, b) => a - b);
    return { rps: ms(r.requests.total / duration), non2xx: r.non2xx, errors: r.errors, p50: ms(percentile(latencies, 50)), p95: ms(percentile(latencies, 95)), p99: ms(percentile(latencies, 99)) };
  };
  await cannon(3);
  results.api = await cannon(DURATION);
  say(`API: ${results.api.rps} req/s, p50 ${results.api.p50} ms, p95 ${results.api.p95} ms`);

  const values = [employee.id, null, new Date(), 20, 0];
  const sqlFile = path.join(here, 'recommendations.sql');
  fs.writeFileSync(sqlFile, inline(RECOMMENDATIONS_SQL, values).replace(/\s*\n\s*/g, ' ') + ';\n');
  const plan = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${RECOMMENDATIONS_SQL}`, values);
  fs.writeFileSync(path.join(here, 'explain.txt'), plan.map((r) => r['QUERY PLAN']).join('\n') + '\n');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-pgbench-'));
  const pgbench = (duration, log) =>
    execFileSync('pgbench', ['-n', '-f', sqlFile, '-c', String(CONNECTIONS), '-j', '2', '-T', String(duration), ...(log ? ['-l'] : []), dbUrl], { cwd: logDir }).toString();
  pgbench(3, false);
  const out = pgbench(DURATION, true);
  const tps = Number(/tps = ([\d.]+)/.exec(out)[1]);
  const lat = fs
    .readdirSync(logDir)
    .flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[2]) / 1000))
    .sort((a, b) => a - b);
  fs.rmSync(logDir, { recursive: true, force: true });
  results.sql = { tps: ms(tps), p50: ms(percentile(lat, 50)), p95: ms(percentile(lat, 95)), p99: ms(percentile(lat, 99)) };
  results.ratio = { throughput: ms((results.api.rps / tps) * 100) / 100, p95: ms((results.api.p95 / results.sql.p95) * 100) / 100 };
  say(`pgbench: ${results.sql.tps} tps, p50 ${results.sql.p50} ms, p95 ${results.sql.p95} ms`);

  // ---- 2. the coverage report, 10 requests, beside its SQL run directly 10 times
  const timeIt = async (fn, n) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b);
  };
  await (await api('GET', `/needs-rounds/${round.id}/coverage`, coordinator.token)).arrayBuffer();
  const coverageApi = await timeIt(async () => (await api('GET', `/needs-rounds/${round.id}/coverage`, coordinator.token)).arrayBuffer(), 10);
  const coverageSql = await timeIt(() => client.query(COVERAGE_SQL, [round.id, new Date()]), 10);
  const cells = (await (await api('GET', `/needs-rounds/${round.id}/coverage`, coordinator.token)).json()).cells;
  results.coverage = {
    cells: cells.length,
    noSupplyCells: cells.filter((c) => c.noSupply).length,
    apiP50: ms(percentile(coverageApi, 50)),
    apiP95: ms(percentile(coverageApi, 95)),
    sqlP50: ms(percentile(coverageSql, 50)),
    sqlP95: ms(percentile(coverageSql, 95)),
  };
  say(`coverage: API p95 ${results.coverage.apiP95} ms, SQL p95 ${results.coverage.sqlP95} ms (${cells.length} cells)`);
  await client.end();
  await ds.destroy();
  console.log(JSON.stringify({ connections: CONNECTIONS, duration: DURATION, ...results }, null, 2));
} finally {
  if (app) {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  }
  if (!process.env.KEEP) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  else say(`kept database ${dbUrl}`);
  await admin.end();
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
