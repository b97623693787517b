// The machine's floor: what this machine answers when a request does (almost) nothing, measured
// the same way as the real benchmarks (autocannon in this process, the server in its own), so that
// their targets can be read against it. At each concurrency:
//   - a bare Node `http` server answering `[]` (no framework, no database): the machine's HTTP ceiling;
//   - the app's cheapest route: `GET /api/v1/formats` (the framework's whole request path and one
//     indexed query of 7 rows);
//   - pgbench running that route's query (`-M prepared`): PostgreSQL's share of it.
// A benchmark target that needs more requests/s than the app's cheapest route reaches here cannot
// be met on this machine by any code behind that route.
//
//   npm run build && BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node bench/floor/run.mjs
//
// Env: BENCH_DATABASE_URL (an admin URL; unset: an embedded PostgreSQL), DURATION=10 (seconds per
//      measurement), CONNECTIONS=32,64 (a comma list).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, loadTest, openBenchDatabase, pgbench, say, startApp } from '../support.mjs';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = (process.env.CONNECTIONS ?? '32,64').split(',').map(Number);
const FORMATS_SQL = 'SELECT code, name_sv, name_en FROM formats ORDER BY sort_order, code';

const bench = await openBenchDatabase('kl_bench_floor');
const barePort = await freePort();
const bare = spawn(
  process.execPath,
  ['-e', `require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('[]'); }).listen(${barePort}, '127.0.0.1')`],
  { stdio: 'inherit' },
);
let app;
const results = { cpus: os.cpus().length, duration: DURATION, runs: [] };
try {
  app = await startApp(bench.dbUrl);
  const sqlFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kl-floor-')), 'formats.sql');
  fs.writeFileSync(sqlFile, `${FORMATS_SQL};\n`);
  const round = (n) => Math.round(n * 10) / 10;
  for (const connections of CONNECTIONS) {
    for (const [name, url] of [
      ['bare node http', `http://127.0.0.1:${barePort}/`],
      ['app GET /api/v1/formats', `${app.base}/api/v1/formats`],
    ]) {
      await loadTest({ url, connections, duration: 2 });
      const r = await loadTest({ url, connections, duration: DURATION });
      results.runs.push({ name, connections, rps: round(r.rps), p50: round(r.p50), p95: round(r.p95), p99: round(r.p99), non2xx: r.non2xx, errors: r.errors });
      say(`${name}, ${connections} connections: ${round(r.rps)} req/s, p50 ${round(r.p50)} ms, p99 ${round(r.p99)} ms`);
    }
    const sql = pgbench({ sqlFile, dbUrl: bench.dbUrl, connections, duration: DURATION, args: ['-M', 'prepared'] });
    results.runs.push({ name: 'pgbench, the route’s query', connections, rps: round(sql.tps), p50: round(sql.p50), p95: round(sql.p95), p99: round(sql.p99) });
    say(`pgbench, ${connections} clients: ${round(sql.tps)} tps`);
  }
} finally {
  await app?.stop();
  bare.kill();
  await bench.close();
}
console.log(JSON.stringify(results, null, 2));
