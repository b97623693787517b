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

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the app exited (${proc.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no /health within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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

    it('WEB_CONCURRENCY=2: workers that cannot start (port taken) stop the whole cluster with exit 1', async () => {
      const taken = net.createServer();
      await new Promise<void>((r) => taken.listen(0, '0.0.0.0', () => r()));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        const proc = spawn(process.execPath, [MAIN], {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port), LOG_LEVEL: 'warn', WEB_CONCURRENCY: '2', DATABASE_URL: db.url },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        proc.stderr!.on('data', (c) => (output += c));
        const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
        expect(code).toBe(1);
        expect(output).toContain('failed to start');
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
      env: { PATH: process.env.PATH ?? '', DATA_DIR: path.join(os.tmpdir(), 'kl-never-used'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain(`Invalid configuration: ${variable}`);
  });
});
