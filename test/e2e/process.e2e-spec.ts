import { jest } from '@jest/globals';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The real entry point (`node dist/main.js`, what `npm start` runs after building) as a user runs it:
 * no configuration, an embedded PostgreSQL in DATA_DIR, stop and start, kill -9 and start.
 */
const MAIN = path.resolve('dist/main.js');

// Each test starts the server (and often its PostgreSQL) several times, on a machine that may be busy.
jest.setTimeout(300_000);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

interface Running {
  proc: ChildProcess;
  base: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Where the processes run: a folder with no `.env` (main.ts reads one from the current folder). */
const CWD = os.tmpdir();

/** The log lines of an output: every line is one JSON object. */
function logLines(text: string): Array<Record<string, any>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

async function waitForHealth(base: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the app exited (${proc.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no /health within 120 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(env: Record<string, string>, options: { command?: string[]; cwd?: string; port?: number } = {}): Promise<Running> {
  const port = options.port ?? (await freePort());
  const [command, ...args] = options.command ?? [process.execPath, MAIN];
  const proc = spawn(command, args, {
    cwd: options.cwd ?? CWD,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, proc, () => output);
  return { proc, base, output: () => output, exit };
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  return { status: res.status, body: await res.json() };
}

function postgresPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs main.js to its end (a start that fails). */
async function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, [MAIN], {
    cwd: CWD,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: path.join(os.tmpdir(), 'kl-never-used'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  return { code, output };
}

describe('the server process (npm start)', () => {
  let dataDir: string;
  const user = { email: 'process.test@example.se', password: 'ett-långt-lösenord', name: 'Process Test' };

  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error('dist/main.js is missing: run "npm run build" (npm test does)');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-process-'));
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(() => {
    const pid = postgresPid(dataDir);
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with nothing configured, keeps data across restarts and recovers from kill -9', async () => {
    const first = await start({ DATA_DIR: dataDir });
    const municipalities = await json(`${first.base}/api/v1/municipalities`);
    expect(municipalities.body).toHaveLength(48);
    expect((await json(`${first.base}/api/v1/auth/register`, { method: 'POST', body: JSON.stringify(user) })).status).toBe(201);
    expect(first.output()).toContain('JWT_SECRET is not set');

    // SIGTERM: graceful shutdown stops the embedded PostgreSQL too.
    const pgPid = postgresPid(dataDir)!;
    first.proc.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(alive(pgPid)).toBe(false);

    const second = await start({ DATA_DIR: dataDir });
    const login = await json(`${second.base}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(login.status).toBe(200);

    // kill -9 leaves PostgreSQL running; the next start must stop it and carry on.
    second.proc.kill('SIGKILL');
    await second.exit;
    const leftover = postgresPid(dataDir)!;
    expect(alive(leftover)).toBe(true);

    const third = await start({ DATA_DIR: dataDir });
    expect(alive(leftover)).toBe(false);
    const again = await json(`${third.base}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(again.status).toBe(200);
    third.proc.kill('SIGTERM');
    expect(await third.exit).toBe(0);
  });

  it('npm start stopped by SIGTERM stops the server and its embedded PostgreSQL', async () => {
    const npmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-process-npm-'));
    fs.chmodSync(npmDir, 0o755);
    try {
      // --ignore-scripts skips prestart (the build, which npm test has done) and runs start itself
      const running = await start({ DATA_DIR: npmDir, DATABASE_URL: '', LOG_LEVEL: 'info' }, { command: ['npm', 'start', '--ignore-scripts'], cwd: path.resolve('.') });
      const pgPid = postgresPid(npmDir)!;
      expect(alive(pgPid)).toBe(true);
      running.proc.kill('SIGTERM'); // npm's own process, as a service manager would
      await running.exit;
      const deadline = Date.now() + 30_000;
      while (alive(pgPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pgPid)).toBe(false);
      await expect(fetch(`${running.base}/health`)).rejects.toThrow();
      expect(running.output()).toContain('SIGTERM received: shutting down');
    } finally {
      fs.rmSync(npmDir, { recursive: true, force: true });
    }
  });

  it('npm run seed:demo beside the running server (same DATA_DIR) uses its PostgreSQL and leaves it running', async () => {
    const app = await start({ DATA_DIR: dataDir });
    const pgPid = postgresPid(dataDir)!;
    const seed = spawnSync(process.execPath, [path.resolve('dist/catalogue/demo/seed-demo.js')], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: seed.status, stdout: seed.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(/added 15 providers, 300 offerings and \d+ sessions/) });
    expect(seed.stderr).toContain(`using the embedded PostgreSQL of the running process ${app.proc.pid}`);
    // The server's PostgreSQL was neither stopped nor replaced, and the server sees the demo data.
    expect(postgresPid(dataDir)).toBe(pgPid);
    expect(alive(pgPid)).toBe(true);
    expect((await fetch(`${app.base}/health`)).status).toBe(200);
    const page = await json(`${app.base}/api/v1/offerings?limit=1`);
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThan(200);
    app.proc.kill('SIGTERM');
    expect(await app.exit).toBe(0);
    expect(alive(pgPid)).toBe(false);
  });

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('uses that server and starts no embedded one', async () => {
      const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-process-url-'));
      const running = await start({ DATABASE_URL: db.url, DATA_DIR: emptyDir });
      expect((await json(`${running.base}/api/v1/themes`)).status).toBe(200);
      expect(fs.existsSync(path.join(emptyDir, 'pg'))).toBe(false);
      running.proc.kill('SIGTERM');
      expect(await running.exit).toBe(0);
      fs.rmSync(emptyDir, { recursive: true, force: true });
    });

    it('logs one format (JSON lines, levels as labels), the route map at debug, and the listening line last, naming the URL', async () => {
      const running = await start({ DATABASE_URL: db.url, LOG_LEVEL: 'debug', DATA_DIR: path.join(os.tmpdir(), 'kl-never-used') });
      const port = new URL(running.base).port;
      running.proc.kill('SIGTERM');
      expect(await running.exit).toBe(0);
      const lines = logLines(running.output());
      for (const line of lines) expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(line.level);
      const routes = lines.filter((line) => line.context === 'RouterExplorer');
      expect(routes.length).toBeGreaterThan(50);
      expect(new Set(routes.map((line) => line.level))).toEqual(new Set(['debug']));
      const listening = lines.findIndex((line) => /listening on/.test(line.msg) && line.context === 'Bootstrap');
      expect(lines[listening].msg).toContain(`http://localhost:${port}`);
      // after it: only the shutdown
      expect(lines.slice(listening + 1).filter((line) => line.level !== 'debug' && !/SIGTERM/.test(line.msg))).toEqual([]);
      // at info, the start says what an operator needs and nothing of the wiring
      const quiet = await start({ DATABASE_URL: db.url, LOG_LEVEL: 'info', DATA_DIR: path.join(os.tmpdir(), 'kl-never-used') });
      quiet.proc.kill('SIGTERM');
      expect(await quiet.exit).toBe(0);
      const info = logLines(quiet.output()).map((line) => `${line.level} ${line.context}: ${line.msg}`);
      expect(info).toEqual([
        expect.stringMatching(/^warn Bootstrap: JWT_SECRET is not set/),
        expect.stringMatching(/^info Bootstrap: Kompetenslyft listening on http:\/\/localhost:\d+ /),
        'info Bootstrap: SIGTERM received: shutting down',
      ]);
    });

    it('a port in use: one line naming the port and PORT, exit code 1', async () => {
      const taken = net.createServer();
      await new Promise<void>((r) => taken.listen(0, '0.0.0.0', () => r()));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        const result = await run({ PORT: String(port), DATABASE_URL: db.url, LOG_LEVEL: 'info' });
        expect(result.code).toBe(1);
        const errors = logLines(result.output).filter((line) => line.level === 'error');
        expect(errors).toEqual([
          expect.objectContaining({ context: 'Bootstrap', msg: expect.stringMatching(new RegExp(`port ${port} is already in use.*PORT`)) }),
        ]);
      } finally {
        await new Promise((r) => taken.close(r));
      }
    });

    it('a DATABASE_URL whose database does not exist: one line naming it and what to do, within seconds, exit code 1', async () => {
      const url = new URL(db.url);
      url.pathname = '/kl_no_such_database';
      const started = Date.now();
      const result = await run({ DATABASE_URL: url.toString(), LOG_LEVEL: 'info' });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.code).toBe(1);
      const lines = logLines(result.output).filter((line) => line.level !== 'warn');
      expect(lines).toEqual([
        expect.objectContaining({ level: 'error', msg: expect.stringMatching(/the database "kl_no_such_database" does not exist.*Create it/) }),
      ]);
    });

    it('a DATABASE_URL where nothing answers, or a server that never answers: one line each, exit code 1', async () => {
      const closedPort = await freePort();
      const refused = await run({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/kompetenslyft`, LOG_LEVEL: 'info' });
      expect(refused.code).toBe(1);
      expect(logLines(refused.output).filter((line) => line.level === 'error')).toEqual([
        expect.objectContaining({ msg: expect.stringMatching(new RegExp(`no PostgreSQL answers at 127.0.0.1:${closedPort}.*DATABASE_URL`)) }),
      ]);
      // accepts connections and says nothing: the check gives up after its timeout (5 s)
      const silent = net.createServer(() => undefined);
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const silentPort = (silent.address() as net.AddressInfo).port;
      try {
        const hung = await run({ DATABASE_URL: `postgresql://postgres:secret-password@127.0.0.1:${silentPort}/kompetenslyft`, LOG_LEVEL: 'info' });
        expect(hung.code).toBe(1);
        expect(hung.output).not.toContain('secret-password');
        expect(logLines(hung.output).filter((line) => line.level === 'error')).toEqual([
          expect.objectContaining({ msg: expect.stringMatching(new RegExp(`no PostgreSQL answers at 127.0.0.1:${silentPort}`)) }),
        ]);
      } finally {
        silent.close();
      }
    });

    it('reads a .env file in the folder it is started in; variables already set win', async () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-process-env-'));
      const port = await freePort();
      fs.writeFileSync(path.join(folder, '.env'), `# from .env\nPORT=${port}\nDATABASE_URL=${db.url}\nLOG_LEVEL=info\nMAIL_FROM=fel@example.se\n`);
      try {
        const proc = spawn(process.execPath, [MAIN], {
          cwd: folder,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', MAIL_FROM: 'ratt@example.se', PUBLIC_BASE_URL: 'http://kl.test' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        proc.stdout!.on('data', (c) => (output += c));
        const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
        await waitForHealth(`http://127.0.0.1:${port}`, proc, () => output);
        proc.kill('SIGTERM');
        expect(await exit).toBe(0);
        // LOG_LEVEL=info came from .env (the default would be info too, but the database did not)
        expect(output).toContain('Kompetenslyft listening on http://kl.test');
        expect(fs.existsSync(path.join(folder, '.data'))).toBe(false);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });

    it('WEB_CONCURRENCY=2: a port in use stops the cluster before any worker starts, with one line and exit 1', async () => {
      const taken = net.createServer();
      await new Promise<void>((r) => taken.listen(0, '0.0.0.0', () => r()));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        const proc = spawn(process.execPath, [MAIN], {
          cwd: CWD,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port), LOG_LEVEL: 'warn', WEB_CONCURRENCY: '2', DATABASE_URL: db.url },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        proc.stdout!.on('data', (c) => (output += c));
        const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
        expect(code).toBe(1);
        expect(logLines(output).filter((line) => line.level === 'error')).toEqual([
          expect.objectContaining({ msg: expect.stringContaining(`port ${port} is already in use`) }),
        ]);
      } finally {
        await new Promise((r) => taken.close(r));
      }
    });
  });

  it('WEB_CONCURRENCY=2: a cluster of two workers on one port and one embedded PostgreSQL, sharing the generated JWT secret; SIGTERM stops all', async () => {
    const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-process-cluster-'));
    fs.chmodSync(clusterDir, 0o755);
    try {
      const running = await start({ DATA_DIR: clusterDir, WEB_CONCURRENCY: '2' });
      const workers = spawnSync('ps', ['-o', 'pid=', '--ppid', String(running.proc.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split(/\s+/)
        .filter((pid) => pid && Number(pid) !== postgresPid(clusterDir));
      expect(workers).toHaveLength(2);
      const account = { ...user, email: 'cluster.test@example.se' };
      expect((await json(`${running.base}/api/v1/auth/register`, { method: 'POST', body: JSON.stringify(account) })).status).toBe(201);
      const { body } = await json(`${running.base}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email: account.email, password: account.password }) });
      // new connections are handed to the workers in turn: a token from one is accepted by both
      const statuses = await Promise.all(
        Array.from({ length: 8 }, async () => (await fetch(`${running.base}/api/v1/me`, { headers: { authorization: `Bearer ${body.accessToken}`, connection: 'close' } })).status),
      );
      expect(statuses).toEqual(Array(8).fill(200));
      const pgPid = postgresPid(clusterDir)!;
      running.proc.kill('SIGTERM');
      expect(await running.exit).toBe(0);
      expect(alive(pgPid)).toBe(false);
      for (const pid of workers) expect(alive(Number(pid))).toBe(false);
    } finally {
      fs.rmSync(clusterDir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ WEB_CONCURRENCY: '0' }, 'WEB_CONCURRENCY'],
    [{ DATABASE_POOL_MAX: 'many' }, 'DATABASE_POOL_MAX'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'smtp//broken' }, 'SMTP_URL'],
    [{ DISPATCH_INTERVAL_MS: '-5' }, 'DISPATCH_INTERVAL_MS'],
    [{ QUIET_HOURS: 'night' }, 'QUIET_HOURS'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'boss@example.se' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
  ])('exits non-zero on bad configuration %j, naming %s', (env, variable) => {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: CWD,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: path.join(os.tmpdir(), 'kl-never-used'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    const lines = logLines(result.stdout);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', context: 'Bootstrap', msg: expect.stringContaining(`Invalid configuration: ${variable}`) })]);
  });
});
