// What the benchmarks share: a throw-away database (on BENCH_DATABASE_URL's server, or an embedded
// PostgreSQL), the app as `node dist/main.js` on it, autocannon and pgbench runs reduced to
// throughput and latency percentiles, and SQL with its parameters inlined for pgbench.
import autocannon from 'autocannon';
import { execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = (p) => import(path.join(root, 'dist', p));
export const say = (m) => process.stderr.write(`[bench] ${m}\n`);
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Inlines $n parameters as SQL literals, so that pgbench runs a statement exactly as the service sends it. */
export function inlineParams(sql, values) {
  const literal = (v) => {
    if (v === null) return 'NULL';
    if (v instanceof Date) return `'${v.toISOString()}'`;
    if (Array.isArray(v)) return `'{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}'`;
    if (typeof v === 'number') return String(v);
    return `'${String(v).replace(/'/g, "''")}'`;
  };
  return sql.replace(/\$(\d+)/g, (_, n) => literal(values[Number(n) - 1])).replace(/\s*\n\s*/g, ' ') + ';\n';
}

/**
 * A statement for `pgbench -M prepared`: its $n parameters as the pgbench variables `names[n - 1]`
 * (values with `pgbenchVariables`), so that pgbench prepares and runs it as the service does.
 */
export function asPgbenchScript(sql, names) {
  return sql.replace(/\$(\d+)/g, (_, n) => `:${names[Number(n) - 1]}`).replace(/\s*\n\s*/g, ' ') + ';\n';
}

/** `-D name=value` arguments for pgbench (dates as ISO strings, arrays as array literals). */
export function pgbenchVariables(names, values) {
  const text = (v) => (v instanceof Date ? v.toISOString() : Array.isArray(v) ? `{${v.join(',')}}` : String(v));
  return names.flatMap((name, i) => ['-D', `${name}=${text(values[i])}`]);
}

/**
 * A fresh database named `<prefix>_<pid>` on BENCH_DATABASE_URL's server (an admin URL), or on an
 * embedded PostgreSQL when that is unset. `close()` drops it (unless KEEP=1) and stops what it started.
 */
export async function openBenchDatabase(prefix) {
  let embedded;
  let tmp;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = await dist('database/embedded-postgres.js');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: tmp, database: 'postgres', fast: true });
    adminUrl = embedded.url;
  }
  const dbName = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  return {
    dbUrl,
    async close() {
      if (!process.env.KEEP) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      else say(`kept database ${dbUrl}`);
      await admin.end();
      await embedded?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The catalogue both search and matching benchmarks run on: a migrated database with the demo
 * generator's region (seed 42, sessions over the next six months). Returns the open DataSource
 * (a small pool; the caller destroys it) and the loaded counts.
 */
export async function loadBenchCatalogue(dbUrl, { offerings, sessionsPerOffering = 3 }) {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions, runMigrations } = await dist('database/data-source.js');
  const { DEMO_PROVIDERS, generateCatalogue } = await dist('catalogue/demo/catalogue-generator.js');
  const { loadCatalogue } = await dist('catalogue/demo/catalogue-loader.js');
  const ds = await new DataSource(dataSourceOptions(dbUrl, { extra: { max: 4 } })).initialize();
  await runMigrations(ds);
  const now = new Date();
  const data = generateCatalogue({ seed: 42, providers: DEMO_PROVIDERS.length, offerings, sessionsPerOffering, now, horizonDays: 182 });
  const counts = await loadCatalogue(ds, { providers: DEMO_PROVIDERS, ...data, now });
  return { ds, counts };
}

/**
 * Starts `node dist/main.js` on the database and waits for /health (up to `startTimeoutMs`; on a
 * busy shared machine a start can take longer than the usual second); `stop()` sends SIGTERM and waits.
 */
export async function startApp(dbUrl, env = {}, { startTimeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // BENCH_APP_NODE_ARGS: node flags for the server, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATA_DIR: path.join(os.tmpdir(), `kl-bench-app-${port}`),
      PUBLIC_BASE_URL: base,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i * 100 > startTimeoutMs) {
      child.kill('SIGTERM');
      throw new Error('the app did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** autocannon for `duration` seconds: requests/s and latency percentiles of the 200 answers. */
export async function loadTest({ url, connections, duration, headers = {} }) {
  const latencies = [];
  const instance = autocannon({ url, connections, duration, headers });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) latencies.push(ms);
  });
  const r = await instance;
  latencies.sort((a, b) => a - b);
  return { rps: r.requests.total / duration, non2xx: r.non2xx, errors: r.errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

/** pgbench with one SQL file (and extra arguments, e.g. `-M prepared` and variables): a 3 s warm-up, then `duration` seconds with per-transaction logging. */
export function pgbench({ sqlFile, dbUrl, connections, duration, args = [] }) {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-pgbench-'));
  const run = (seconds, log) =>
    execFileSync('pgbench', ['-n', ...args, '-f', sqlFile, '-c', String(connections), '-j', '2', '-T', String(seconds), ...(log ? ['-l'] : []), dbUrl], { cwd: logDir }).toString();
  run(3, false);
  const out = run(duration, true);
  const tps = Number(/tps = ([\d.]+)/.exec(out)[1]);
  const latencies = fs
    .readdirSync(logDir)
    .flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[2]) / 1000))
    .sort((a, b) => a - b);
  fs.rmSync(logDir, { recursive: true, force: true });
  return { tps, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

/**
 * A helper process (a receiver or sink, forked) that answers `{type, id}` messages with `{id, …}`;
 * its first message carries the port it listens on. It is killed when this process exits.
 */
export async function startHelperProcess(file) {
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const ask = (type) =>
    new Promise((resolve) => {
      const id = ++nextId;
      const onMessage = (m) => {
        if (m.id === id) {
          child.off('message', onMessage);
          resolve(m);
        }
      };
      child.on('message', onMessage);
      child.send({ type, id });
    });
  process.on('exit', () => child.kill());
  const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)));
  return { port, ask, pid: child.pid, stop: () => child.send({ type: 'stop' }) };
}

/**
 * Any uncaught error ends the benchmark, except the ended connections that DROP DATABASE … WITH
 * (FORCE) causes at teardown (the pools have not let go of them yet). Returns the function that says
 * teardown has begun.
 */
export function exitOnUncaughtErrors() {
  let tearingDown = false;
  process.on('uncaughtException', (error) => {
    if (tearingDown && error?.code === '57P01') return;
    console.error(error);
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    process.exit(1);
  });
  return () => {
    tearingDown = true;
  };
}

/**
 * CPU time (ms, user + system) used so far by this process and by each of the given pids (Linux
 * /proc; 0 elsewhere or once a process has ended), so that a benchmark can report what each part
 * costs per operation beside its rate.
 */
export function cpuTimes(pids = []) {
  const of = (pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
    } catch {
      return 0;
    }
  };
  const own = process.cpuUsage();
  return { self: (own.user + own.system) / 1000, pids: Object.fromEntries(pids.map((pid) => [pid, of(pid)])) };
}

/** The server processes of the connections to `pool`'s database (its backends). */
export async function backendPids(pool) {
  return (await pool.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows.map((r) => r.pid);
}

/** CPU ms per `per` operations between two cpuTimes() readings: this process's, and the sum over `groups` of pids. */
export function cpuPer(before, after, operations, groups, per = 1000) {
  const r = (ms) => Math.round((ms / operations) * per * 10) / 10;
  const sum = (pids) => pids.reduce((total, pid) => total + (after.pids[pid] ?? 0) - (before.pids[pid] ?? 0), 0);
  return { self: r(after.self - before.self), ...Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, r(sum(pids))])) };
}
