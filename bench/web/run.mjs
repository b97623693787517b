// Web front end benchmark: on the demo catalogue (`npm run seed:demo`'s data), at 32 concurrent
// clients with autocannon, in one run and one app: the JSON API's search, the same search as the
// results page (/kurser), and the start page of a signed-in employee (a web session cookie). Each
// page must keep p95 under 100 ms and at least half the API's rate for the same search.
//
//   npm run build && node bench/web/run.mjs
//
// Env: BENCH_DATABASE_URL  an admin URL; a database kl_bench_web_<pid> is created on it and dropped
//                          afterwards. Unset: an embedded PostgreSQL in a temp folder.
//      DURATION=15 (seconds per measurement), CONNECTIONS=32, QUERY (the search's query string),
//      LOG_LEVEL=warn, KEEP=1 (keep the database).
import pg from 'pg';
import { dist, loadTest, openBenchDatabase, say, startApp } from '../support.mjs';

const { seedDemoCatalogue } = await dist('catalogue/demo/demo-seeder.js');

const DURATION = Number(process.env.DURATION ?? 15);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const QUERY = process.env.QUERY ?? 'q=upphandling';

const bench = await openBenchDatabase('kl_bench_web');
let app;
const results = {};
try {
  const seeded = await seedDemoCatalogue(bench.dbUrl);
  say(`demo catalogue: ${seeded.offerings} offerings, ${seeded.sessions} sessions; demo organisation with ${seeded.organisation.people.length} people`);
  results.data = { offerings: seeded.offerings, sessions: seeded.sessions };
  // steady state, as autovacuum leaves it (statistics for the planner)
  const client = new pg.Client({ connectionString: bench.dbUrl });
  await client.connect();
  await client.query('VACUUM ANALYZE');
  await client.end();
  app = await startApp(bench.dbUrl);
  const base = app.base;

  // An employee signs in through the sign-in page (pre-session cookie and CSRF token, then the form).
  const employee = seeded.organisation.people.find((p) => p.role === 'employee');
  const form = await fetch(`${base}/logga-in`);
  const pre = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())[1];
  const signedIn = await fetch(`${base}/logga-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: pre },
    body: new URLSearchParams({ _csrf: csrf, email: employee.email, password: employee.password, next: '/' }),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const session = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kl_session='));
  const start = await fetch(`${base}/`, { headers: { cookie: session } });
  if (!(await start.text()).includes(employee.name)) throw new Error('the start page does not show the signed-in employee');

  const api = `${base}/api/v1/offerings?${QUERY}&limit=10`;
  const page = `${base}/kurser?${QUERY}`;
  const sample = await (await fetch(api)).json();
  say(`search ${QUERY}: ${sample.total} offerings`);
  results.total = sample.total;

  const measure = async (name, url, headers = {}) => {
    await loadTest({ url, connections: CONNECTIONS, duration: 3, headers }); // warm-up
    const r = await loadTest({ url, connections: CONNECTIONS, duration: DURATION, headers });
    if (r.p50 === undefined) throw new Error(`${name}: no 200 answers (${JSON.stringify(r)}; a sample answered ${(await fetch(url, { headers })).status})`);
    say(`${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, non-2xx ${r.non2xx}`);
    return r;
  };
  results.api = await measure('API search', api);
  results.searchPage = await measure('search results page', page);
  results.startPage = await measure('signed-in start page', `${base}/`, { cookie: session });
  results.searchPageShareOfApi = results.searchPage.rps / results.api.rps;
  results.startPageShareOfApi = results.startPage.rps / results.api.rps;
  say(`search page / API: ${(results.searchPageShareOfApi * 100).toFixed(0)}%, start page / API: ${(results.startPageShareOfApi * 100).toFixed(0)}%`);
  results.targets = {
    searchPageP95Under100ms: results.searchPage.p95 < 100,
    startPageP95Under100ms: results.startPage.p95 < 100,
    searchPageAtLeastHalfOfApi: results.searchPageShareOfApi >= 0.5,
    startPageAtLeastHalfOfApi: results.startPageShareOfApi >= 0.5,
  };
  console.log(JSON.stringify({ query: QUERY, connections: CONNECTIONS, duration: DURATION, ...results }, null, 2));
} finally {
  await app?.stop();
  await bench.close();
}
