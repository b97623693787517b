import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, keyFromSource, loadConfig, loadDotEnv, parseQuietHours, participantIdKey, webhookSecretKey } from './app-config.js';

describe('loadConfig', () => {
  it('has working defaults for a run with nothing configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      smtpUrl: undefined,
      publicBaseUrl: 'http://localhost:3000',
      dispatchIntervalMs: 5000,
      quietHours: { start: 21, end: 8 },
      jwtSecretGenerated: true,
    });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.databaseHeavyReads).toBe(os.availableParallelism() + 1);
    expect(loadConfig({ DATABASE_HEAVY_READS: '8' }).databaseHeavyReads).toBe(8);
    // shared among the processes of a cluster
    expect(loadConfig({ WEB_CONCURRENCY: String(os.availableParallelism() + 1) }).databaseHeavyReads).toBe(1);
  });

  it('derives PUBLIC_BASE_URL from PORT and strips a trailing slash when given', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://kompetenslyft.se/' }).publicBaseUrl).toBe('https://kompetenslyft.se');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'localhost:5432' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'http://localhost/db' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'mail.example.se' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'noreply' }, 'MAIL_FROM'],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, 'PUBLIC_BASE_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ DISPATCH_INTERVAL_MS: '1.5' }, 'DISPATCH_INTERVAL_MS'],
    [{ QUIET_HOURS: '21-21' }, 'QUIET_HOURS'],
    [{ QUIET_HOURS: '25-08' }, 'QUIET_HOURS'],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@b.se' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-pw' }, 'BOOTSTRAP_ADMIN_EMAIL'],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@b.se', BOOTSTRAP_ADMIN_PASSWORD: 'short' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.1,300.1.1.1' }, 'TRUST_PROXY'],
    [{ REGISTRATIONS_MAX_PER_ADDRESS: '0' }, 'REGISTRATIONS_MAX_PER_ADDRESS'],
    [{ PROGRAMME_COST_PER_HOUR_SEK: 'study_circle=150' }, 'PROGRAMME_COST_PER_HOUR_SEK'],
    [{ PROGRAMME_COST_PER_HOUR_SEK: 'default=-1' }, 'PROGRAMME_COST_PER_HOUR_SEK'],
    [{ PROGRAMME_HOURS_PER_PARTICIPANT: 'default=8,Study Circle=2' }, 'PROGRAMME_HOURS_PER_PARTICIPANT'],
    [{ PROGRAMME_OVERALL_QUESTION_KEY: 'Nöjd?' }, 'PROGRAMME_OVERALL_QUESTION_KEY'],
    [{ DATABASE_HEAVY_READS: '0' }, 'DATABASE_HEAVY_READS'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, 'PARTICIPANT_ID_KEY'],
    [{ PARTICIPANT_ID_KEY: 'too-short' }, 'PARTICIPANT_ID_KEY'],
    [{ PARTICIPANT_ID_KEY: randomBytes(16).toString('hex') }, 'PARTICIPANT_ID_KEY'],
    [{ PARTICIPANT_ID_KEY: randomBytes(31).toString('base64') }, 'PARTICIPANT_ID_KEY'],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('accepts a full production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://app:secret@db:5432/kompetenslyft',
      SMTP_URL: 'smtp://user:pass@mail:587',
      JWT_SECRET: 'x'.repeat(40),
      PARTICIPANT_ID_KEY: randomBytes(32).toString('base64'),
      QUIET_HOURS: 'off',
      BOOTSTRAP_ADMIN_EMAIL: 'Admin@Example.se',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-password',
    });
    expect(config).toMatchObject({ quietHours: null, bootstrapAdminEmail: 'admin@example.se', jwtSecretGenerated: false });
  });
});

describe('PARTICIPANT_ID_KEY', () => {
  it('takes 32 bytes as hex or base64', () => {
    const key = randomBytes(32);
    for (const written of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      expect(participantIdKey(loadConfig({ PARTICIPANT_ID_KEY: written }).participantIdKey)).toEqual({ key });
    }
  });

  it('without one outside production, makes a key file in DATA_DIR once (owner-only) and reads the same key after', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-idkey-'));
    try {
      const source = loadConfig({ DATA_DIR: path.join(folder, 'data') }).participantIdKey;
      expect(source).toEqual({ file: path.join(folder, 'data', 'participant-id.key') });
      const first = participantIdKey(source);
      expect(first.key).toHaveLength(32);
      expect(first.generatedFile).toBe(path.join(folder, 'data', 'participant-id.key'));
      expect(fs.statSync(first.generatedFile!).mode & 0o777).toBe(0o600);
      expect(participantIdKey(source).key.equals(first.key)).toBe(true);
      expect(fs.readdirSync(path.join(folder, 'data'))).toEqual(['participant-id.key']);
      fs.writeFileSync(first.generatedFile!, 'not a key');
      expect(() => participantIdKey(source)).toThrow(ConfigError);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and takes a list of addresses, CIDRs and proxy-addr names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, loopback ,::1, fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback', '::1', 'fd00::/8']);
  });
});

describe('programme defaults per format', () => {
  it('reads a map with a default, or one number for every format', () => {
    expect(loadConfig({ PROGRAMME_COST_PER_HOUR_SEK: 'default=200, study_circle=120.5' }).programmeCostPerHourSek).toEqual({ default: 200, study_circle: 120.5 });
    expect(loadConfig({ PROGRAMME_HOURS_PER_PARTICIPANT: '6' }).programmeHoursPerParticipant).toEqual({ default: 6 });
    expect(loadConfig({}).programmeOverallQuestionKey).toBe('satisfaction');
  });
});

describe('webhook settings', () => {
  const jwt = 'a-jwt-secret-that-is-long-enough-0123456789';
  it('derives the secret key from JWT_SECRET when unset, and reads 32 bytes as hex or base64', () => {
    const key = (source: ReturnType<typeof webhookSecretKey>) => ('key' in source ? source.key : undefined);
    expect(key(webhookSecretKey({}, jwt, '/data'))).toHaveLength(32);
    expect(key(webhookSecretKey({}, jwt, '/data'))!.equals(key(webhookSecretKey({}, jwt, '/data'))!)).toBe(true);
    expect(key(webhookSecretKey({}, jwt, '/data'))!.equals(key(webhookSecretKey({}, `${jwt}x`, '/data'))!)).toBe(false);
    expect(webhookSecretKey({ WEBHOOK_SECRET_KEY: 'ab'.repeat(32) }, jwt, '/data')).toEqual({ key: Buffer.alloc(32, 0xab) });
    expect(webhookSecretKey({ WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }, undefined, '/data')).toEqual({ key: Buffer.alloc(32, 7) });
    expect(() => webhookSecretKey({ WEBHOOK_SECRET_KEY: 'c2hvcnQ=' }, jwt, '/data')).toThrow(ConfigError);
  });

  it('without WEBHOOK_SECRET_KEY and JWT_SECRET keeps the key in a file in DATA_DIR, the same after a restart', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-webhook-key-'));
    try {
      const source = loadConfig({ DATA_DIR: folder }).webhookSecretKey;
      expect(source).toEqual({ file: path.join(folder, 'webhook-secret.key') });
      const first = keyFromSource('WEBHOOK_SECRET_KEY', source);
      expect(first.key).toHaveLength(32);
      // A restart generates a new JWT_SECRET, but the webhook key is read from the same file.
      expect(keyFromSource('WEBHOOK_SECRET_KEY', loadConfig({ DATA_DIR: folder }).webhookSecretKey).key.equals(first.key)).toBe(true);
      expect(loadConfig({ DATA_DIR: folder, JWT_SECRET: jwt }).webhookSecretKey).toHaveProperty('key');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses private URLs unless allowed, and reads the retry settings', () => {
    expect(loadConfig({}).webhooksAllowPrivateUrls).toBe(false);
    expect(loadConfig({ WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' }).webhooksAllowPrivateUrls).toBe(true);
    expect(() => loadConfig({ WEBHOOKS_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(/WEBHOOKS_ALLOW_PRIVATE_URLS/);
    expect(loadConfig({})).toMatchObject({ webhookRetryBaseMs: 5000, webhookRetryHours: 72, webhookTimeoutMs: 10_000, webhookRetentionDays: 30 });
  });
});

describe('parseQuietHours', () => {
  it('reads ranges over midnight and "off"', () => {
    expect(parseQuietHours('21-08')).toEqual({ start: 21, end: 8 });
    expect(parseQuietHours('OFF')).toBeNull();
    expect(parseQuietHours(undefined)).toEqual({ start: 21, end: 8 });
  });
});

describe('.env.example', () => {
  it('lists every variable the configuration reads, and no other', () => {
    const read = new Set<string>();
    loadConfig(new Proxy({} as Record<string, string | undefined>, { get: (_, name) => (read.add(String(name)), undefined) }));
    const example = fs.readFileSync(path.resolve('.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect([...listed].sort()).toEqual([...read].sort());
  });
});

describe('loadDotEnv', () => {
  it('reads a .env file into the environment; variables already set win', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-dotenv-'));
    const file = path.join(folder, '.env');
    fs.writeFileSync(file, 'KL_DOTENV_A=from-file\nKL_DOTENV_B="quoted value" # comment\n');
    const env: Record<string, string | undefined> = { KL_DOTENV_A: 'already-set' };
    try {
      expect(loadDotEnv(file, env)).toBe(true);
      expect(env).toEqual({ KL_DOTENV_A: 'already-set', KL_DOTENV_B: 'quoted value' });
      expect(loadDotEnv(path.join(folder, 'missing.env'), env)).toBe(false);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
