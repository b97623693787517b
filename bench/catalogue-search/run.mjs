// Catalogue search benchmark: 20 000 offerings with ~60 000 sessions; the API's search (two filters
// and free text) at 32 concurrent clients with autocannon, then the very same SQL statement the
// service runs, with the same parameters, through pgbench at the same concurrency.
//
//   npm run build && node bench/catalogue-search/run.mjs
//
// Env: BENCH_DATABASE_URL  an admin URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres); a
//                          database kl_bench_<time> is created on it and dropped afterwards.
//                          Unset: an embedded PostgreSQL in a temp folder.
//      DURATION=20 (seconds per measurement), CONNECTIONS=32, OFFERINGS=20000, SESSIONS_PER_OFFERING=3,
//      QUERY (the search query string), LOG_LEVEL=warn (the app's log level during the run), KEEP=1 (keep the database).
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = (p) => import(path.join(root, 'dist', p));
const { dataSourceOptions, runMigrations } = await dist('database/data-source.js');
const { startEmbeddedPostgres } = await dist('database/embedded-postgres.js');
const { DEMO_PROVIDERS, generateCatalogue } = await dist('catalogue/demo/catalogue-generator.js');
const { loadCatalogue } = await dist('catalogue/demo/catalogue-loader.js');
const { buildSearchSql } = await dist('catalogue/offering-search.sql.js');

const DURATION = Number(process.env.DURATION ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const OFFERINGS = Number(process.env.OFFERINGS ?? 20000);
const SESSIONS_PER_OFFERING = Number(process.env.SESSIONS_PER_OFFERING ?? 3);
const QUERY = process.env.QUERY ?? 'q=upphandling&theme=public_procurement,local_partnerships&county=03';
const say = (m) => process.stderr.write(`[bench] ${m}\n`);

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Inlines $n parameters as SQL literals, so that pgbench runs the statement exactly as the service sends it. */
function inline(sql, values) {
  const literal = (v) => {
    if (v instanceof Date) return `'${v.toISOString()}'`;
    if (Array.isArray(v)) return `'{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}'`;
    if (typeof v === 'number') return String(v);
    return `'${String(v).replace(/'/g, "''")}'`;
  };
  return sql.replace(/\$(\d+)/g, (_, n) => literal(values[Number(n) - 1]));
}

// ---- database
let embedded;
let adminUrl = process.env.BENCH_DATABASE_URL;
let tmp;
if (!adminUrl) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-bench-'));
  fs.chmodSync(tmp, 0o755);
  embedded = await startEmbeddedPostgres({ dataDir: tmp, database: 'postgres', fast: true });
  adminUrl = embedded.url;
}
const dbName = `kl_bench_${Date.now().toString(36)}`;
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
  let t = Date.now();
  const data = generateCatalogue({ seed: 42, providers: DEMO_PROVIDERS.length, offerings: OFFERINGS, sessionsPerOffering: SESSIONS_PER_OFFERING, now, horizonDays: 182 });
  const counts = await loadCatalogue(ds, { providers: DEMO_PROVIDERS, ...data, now });
  // steady state, as autovacuum leaves it: statistics, visibility map, GIN pending lists merged
  await ds.query('VACUUM ANALYZE');
  say(`loaded ${counts.offerings} offerings and ${counts.sessions} sessions in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  results.data = counts;

  // ---- the API
  const port = await freePort();
  app = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', DATA_DIR: path.join(os.tmpdir(), `kl-bench-app-${port}`), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the app did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `${base}/api/v1/offerings?${QUERY}`;
  const sample = await (await fetch(url)).json();
  say(`GET /api/v1/offerings?${QUERY} → total ${sample.total}, ${sample.items.length} on the page`);
  results.total = sample.total;

  const cannon = async (duration) => {
    const latencies = [];
    const instance = autocannon({ url, connections: CONNECTIONS, duration });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
    const r = await instance;
    latencies.sort((a, b) => a - b);
    return { rps: r.requests.total / duration, non2xx: r.non2xx, errors: r.errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
  };
  await cannon(3); // warm-up
  results.api = await cannon(DURATION);
  say(`API: ${results.api.rps.toFixed(0)} req/s, p50 ${results.api.p50.toFixed(1)} ms, p95 ${results.api.p95.toFixed(1)} ms, p99 ${results.api.p99.toFixed(1)} ms`);

  // ---- the same SQL through pgbench (the query string above, parsed as the service parses it)
  const q = new URLSearchParams(QUERY);
  const list = (k) => (q.get(k) ? q.get(k).split(',') : undefined);
  const { sql, values } = buildSearchSql({
    q: q.get('q') ?? undefined, theme: list('theme'), format: list('format'), accessibility: list('accessibility'),
    targetGroup: list('targetGroup'), municipality: list('municipality'), county: list('county'),
    sort: q.get('q') ? 'relevance' : 'startDate', limit: 20, offset: 0, now: new Date(),
  });
  const sqlFile = path.join(here, 'search.sql');
  fs.writeFileSync(sqlFile, inline(sql, values).replace(/\s*\n\s*/g, ' ') + ';\n');
  const [{ total: sqlTotal }] = (await ds.query(sql, values));
  if (sqlTotal !== sample.total) say(`WARNING: the SQL found ${sqlTotal}, the API ${sample.total}`);
  const plan = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
  fs.writeFileSync(path.join(here, 'explain.txt'), plan.map((r) => r['QUERY PLAN']).join('\n') + '\n');
  await ds.destroy();

  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-pgbench-'));
  const pgbench = (duration, log) =>
    execFileSync('pgbench', ['-n', '-f', sqlFile, '-c', String(CONNECTIONS), '-j', '2', '-T', String(duration), ...(log ? ['-l'] : []), dbUrl], { cwd: logDir }).toString();
  pgbench(3, false); // warm-up
  const out = pgbench(DURATION, true);
  const tps = Number(/tps = ([\d.]+)/.exec(out)[1]);
  const lat = fs.readdirSync(logDir).flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[2]) / 1000)).sort((a, b) => a - b);
  fs.rmSync(logDir, { recursive: true, force: true });
  results.sql = { tps, p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99) };
  say(`pgbench: ${tps.toFixed(0)} tps, p50 ${results.sql.p50.toFixed(1)} ms, p95 ${results.sql.p95.toFixed(1)} ms, p99 ${results.sql.p99.toFixed(1)} ms`);
  results.ratio = results.api.rps / tps;
  say(`API / direct SQL: ${(results.ratio * 100).toFixed(0)}%`);
  console.log(JSON.stringify({ query: QUERY, connections: CONNECTIONS, duration: DURATION, ...results }, null, 2));
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
