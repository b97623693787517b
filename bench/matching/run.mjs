// Matching benchmark: 20 000 offerings / ~60 000 sessions (the catalogue's demo generator) and
// 100 000 statements over 20 000 organisations (the needs-report generators).
//  1. GET /api/v1/me/recommendations for an employee of an organisation with 5 statements, at 16
//     concurrent clients with autocannon, beside the very same SQL (RECOMMENDATIONS_SQL with the same
//     parameters) through pgbench at 16 clients: p95 and the ratio. The service runs it as a named
//     prepared statement, so pgbench runs it prepared too (-M prepared, the parameters as variables);
//     explain.txt is its plan as the service's connections run it (the cached generic plan).
//  2. The full coverage report (GET /api/v1/needs-rounds/:id/coverage) 10 times in a row, beside
//     COVERAGE_SQL run directly 10 times: p95.
//
//   npm run build && BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node bench/matching/run.mjs
//
// Env: BENCH_DATABASE_URL (admin URL; a database kl_bench_matching_<pid> is created and dropped;
//      unset: an embedded PostgreSQL), DURATION=20, CONNECTIONS=16, OFFERINGS=20000, STATEMENTS=100000,
//      ORGS=20000, PROFILE_NEEDS (the employee's accessibility needs, e.g. step_free_access), KEEP=1 (keep the database).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateOrganisations, generateStatements } from '../needs-report/generate.mjs';
import { asPgbenchScript, dist, inlineParams, loadBenchCatalogue, loadTest, openBenchDatabase, percentile, pgbench, pgbenchVariables, say, startApp } from '../support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { RECOMMENDATIONS_SQL, COVERAGE_SQL } = await dist('matching/matching.sql.js');

const DURATION = Number(process.env.DURATION ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const OFFERINGS = Number(process.env.OFFERINGS ?? 20000);
const STATEMENTS = Number(process.env.STATEMENTS ?? 100000);
const ORGS = Number(process.env.ORGS ?? 20000);
const ms = (v) => Math.round(v * 10) / 10;

const bench = await openBenchDatabase('kl_bench_matching');
const dbUrl = bench.dbUrl;

let app;
let client;
const results = {};
try {
  const t0 = Date.now();
  const { ds, counts } = await loadBenchCatalogue(dbUrl, { offerings: OFFERINGS });
  results.catalogue = counts;

  app = await startApp(dbUrl, { QUIET_HOURS: 'off', DISPATCH_INTERVAL_MS: '60000', LOG_LEVEL: 'warn' });
  const base = app.base;
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

  client = new pg.Client({ connectionString: dbUrl });
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
      `SELECT st.organisation_id FROM needs_statements st JOIN organisations o ON o.id = st.organisation_id
        WHERE st.round_id = $1 GROUP BY st.organisation_id, o.org_number HAVING count(*) = 5 ORDER BY o.org_number LIMIT 1`,
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
  const load = async (duration) => {
    const r = await loadTest({ url, connections: CONNECTIONS, duration, headers: { authorization: `Bearer ${employee.token}` } });
    return { rps: ms(r.rps), non2xx: r.non2xx, errors: r.errors, p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99) };
  };
  await load(3);
  results.api = await load(DURATION);
  say(`API: ${results.api.rps} req/s, p50 ${results.api.p50} ms, p95 ${results.api.p95} ms`);

  const names = ['user_id', 'theme_codes', 'now', 'limit', 'offset'];
  const values = [employee.id, [], new Date(), 20, 0];
  const sqlFile = path.join(here, 'recommendations.sql');
  fs.writeFileSync(sqlFile, asPgbenchScript(RECOMMENDATIONS_SQL, names));
  // The plan the service's connections use: prepared, and past the plan cache's five custom plans.
  await client.query(`PREPARE recommendations(uuid, varchar[], timestamptz, int, int) AS ${RECOMMENDATIONS_SQL}`);
  const execute = inlineParams('EXECUTE recommendations($1, $2, $3, $4, $5)', values).replace(/;\n$/, '');
  for (let i = 0; i < 6; i++) await client.query(execute);
  const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${execute}`)).rows;
  fs.writeFileSync(path.join(here, 'explain.txt'), plan.map((r) => r['QUERY PLAN']).join('\n') + '\n');
  await client.query('DEALLOCATE recommendations');
  const sqlRun = pgbench({ sqlFile, dbUrl, connections: CONNECTIONS, duration: DURATION, args: ['-M', 'prepared', ...pgbenchVariables(names, values)] });
  const tps = sqlRun.tps;
  results.sql = { tps: ms(tps), p50: ms(sqlRun.p50), p95: ms(sqlRun.p95), p99: ms(sqlRun.p99) };
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
  await ds.destroy();
  console.log(JSON.stringify({ connections: CONNECTIONS, duration: DURATION, ...results }, null, 2));
} finally {
  // ended before the database is dropped, so that a failure above is reported rather than hidden
  await client?.end().catch(() => undefined);
  await app?.stop();
  await bench.close();
}
