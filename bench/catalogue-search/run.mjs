// Catalogue search benchmark: 20 000 offerings with ~60 000 sessions; the API's search (two filters
// and free text) at 32 concurrent clients with autocannon, then the very same SQL statement the
// service runs, with the same parameters, through pgbench at the same concurrency.
//
//   npm run build && node bench/catalogue-search/run.mjs
//
// Env: BENCH_DATABASE_URL  an admin URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres); a
//                          database kl_bench_catalogue_<pid> is created on it and dropped afterwards.
//                          Unset: an embedded PostgreSQL in a temp folder.
//      DURATION=20 (seconds per measurement), CONNECTIONS=32, OFFERINGS=20000, SESSIONS_PER_OFFERING=3,
//      QUERY (the search query string), LOG_LEVEL=warn (the app's log level during the run), KEEP=1 (keep the database).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asPgbenchScript, dist, inlineParams, loadBenchCatalogue, loadTest, openBenchDatabase, pgbench, pgbenchVariables, say, startApp } from '../support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { buildSearchSql } = await dist('catalogue/offering-search.sql.js');

const DURATION = Number(process.env.DURATION ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const OFFERINGS = Number(process.env.OFFERINGS ?? 20000);
const SESSIONS_PER_OFFERING = Number(process.env.SESSIONS_PER_OFFERING ?? 3);
const QUERY = process.env.QUERY ?? 'q=upphandling&theme=public_procurement,local_partnerships&county=03';

const bench = await openBenchDatabase('kl_bench_catalogue');
const dbUrl = bench.dbUrl;

let app;
const results = {};
try {
  const t = Date.now();
  const { ds, counts } = await loadBenchCatalogue(dbUrl, { offerings: OFFERINGS, sessionsPerOffering: SESSIONS_PER_OFFERING });
  // steady state, as autovacuum leaves it: statistics, visibility map, GIN pending lists merged
  await ds.query('VACUUM ANALYZE');
  say(`loaded ${counts.offerings} offerings and ${counts.sessions} sessions in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  results.data = counts;

  // ---- the API
  app = await startApp(dbUrl);
  const base = app.base;
  const url = `${base}/api/v1/offerings?${QUERY}`;
  const sample = await (await fetch(url)).json();
  say(`GET /api/v1/offerings?${QUERY} → total ${sample.total}, ${sample.items.length} on the page`);
  results.total = sample.total;

  await loadTest({ url, connections: CONNECTIONS, duration: 3 }); // warm-up
  results.api = await loadTest({ url, connections: CONNECTIONS, duration: DURATION });
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
  // pgbench prepares the very statement text the service prepares, with the same parameters as
  // pgbench variables, so both run the plan the plan cache settles on (generic after five runs)
  const names = values.map((_, i) => `p${i + 1}`);
  fs.writeFileSync(sqlFile, asPgbenchScript(sql, names));
  const [{ body }] = await ds.query(sql, values);
  const sqlTotal = JSON.parse(body).total;
  if (sqlTotal !== sample.total) say(`WARNING: the SQL found ${sqlTotal}, the API ${sample.total}`);
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.query(`PREPARE search AS ${sql}`);
  const execute = inlineParams(`EXECUTE search(${names.map((_, i) => `$${i + 1}`).join(', ')})`, values).replace(/;\n$/, '');
  for (let i = 0; i < 6; i++) await runner.query(execute);
  const plan = await runner.query(`EXPLAIN (ANALYZE, BUFFERS) ${execute}`);
  fs.writeFileSync(path.join(here, 'explain.txt'), plan.map((r) => r['QUERY PLAN']).join('\n') + '\n');
  await runner.release();
  await ds.destroy();

  results.sql = pgbench({ sqlFile, dbUrl, connections: CONNECTIONS, duration: DURATION, args: ['-M', 'prepared', ...pgbenchVariables(names, values)] });
  const tps = results.sql.tps;
  say(`pgbench: ${tps.toFixed(0)} tps, p50 ${results.sql.p50.toFixed(1)} ms, p95 ${results.sql.p95.toFixed(1)} ms, p99 ${results.sql.p99.toFixed(1)} ms`);
  results.ratio = results.api.rps / tps;
  say(`API / direct SQL: ${(results.ratio * 100).toFixed(0)}%`);
  console.log(JSON.stringify({ query: QUERY, connections: CONNECTIONS, duration: DURATION, ...results }, null, 2));
} finally {
  await app?.stop();
  await bench.close();
}
