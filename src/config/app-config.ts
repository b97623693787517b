import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** Typed, validated configuration. Built once from the environment at boot (see loadConfig). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Processes serving the port (WEB_CONCURRENCY); above 1, `node dist/main.js` runs a cluster of that many. */
  workers: number;
  /** Unset: the app starts an embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  /** Connections per process (DATABASE_POOL_MAX); a cluster opens this many per worker. */
  databasePoolMax: number;
  /**
   * Costly reads (search, recommendations) one process runs in the database at once
   * (DATABASE_HEAVY_READS; the rest queue in order, see ReadGate). Defaults to the machine's cores
   * plus one, shared among the WEB_CONCURRENCY processes: right when PostgreSQL runs on the same
   * machine; with a separate database server, set it to that server's cores divided by the app processes.
   */
  databaseHeavyReads: number;
  dataDir: string;
  /** Unset: emails are written as .eml files to `<dataDir>/outbox`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  publicBaseUrl: string;
  jwtSecret: string;
  /** True when no JWT_SECRET was given and one was generated for this run. */
  jwtSecretGenerated: boolean;
  jwtTtlSeconds: number;
  bootstrapAdminEmail: string | undefined;
  bootstrapAdminPassword: string | undefined;
  dispatchIntervalMs: number;
  /** Local (Europe/Stockholm) hours [start, end) in which evaluations and reminders wait; null = off. */
  quietHours: { start: number; end: number } | null;
  /** First retry delay of a failed email; doubles on each attempt. */
  mailRetryBaseMs: number;
  mailMaxAttempts: number;
  magicLinkTtlMinutes: number;
  /** A web session ends after this many minutes without a request (WEB_SESSION_IDLE_MINUTES). */
  webSessionIdleMinutes: number;
  invitationTtlDays: number;
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginFailureWindowMinutes: number;
  /** Sent (and failed) emails are deleted this many days after sending. */
  mailRetentionDays: number;
  /** A booking's message and accessibility requests are cleared this many days after its session ended. */
  bookingNotesRetentionDays: number;
  /** Anonymous answers wait in an inbox until this many wait (then they are moved in random order)… */
  evaluationMixMinAnswers: number;
  /** …or the oldest has waited this long. */
  evaluationMixMaxWaitHours: number;
  /** Registrations allowed per client address in LOGIN_FAILURE_WINDOW_MINUTES. */
  registrationsMaxPerAddress: number;
  /** The proxies whose X-Forwarded-For is believed (addresses, CIDRs, or proxy-addr names such as `loopback`); false: none. */
  trustProxy: string[] | false;
  logLevel: string;
  /** Programme drafts: default cost per participant hour (SEK), per format code with `default` for the rest (PROGRAMME_COST_PER_HOUR_SEK). */
  programmeCostPerHourSek: FormatDefaults;
  /** Programme drafts: default hours per participant, per format code with `default` (PROGRAMME_HOURS_PER_PARTICIPANT). */
  programmeHoursPerParticipant: FormatDefaults;
  /** The key of the course evaluation's overall question whose mean progress shows (PROGRAMME_OVERALL_QUESTION_KEY). */
  programmeOverallQuestionKey: string;
  /** Headless Chromium for the programme document as PDF (CHROMIUM_PATH); missing at run time → 503. */
  chromiumPath: string;
  /**
   * The AES-256 key that encrypts participants' identity numbers (PARTICIPANT_ID_KEY, 32 bytes as
   * base64 or hex): required in production; otherwise the key kept in a file in DATA_DIR, made on
   * first use (see participantIdKey), so that numbers stay readable across restarts.
   */
  participantIdKey: { key: Buffer } | { file: string };
  /**
   * 32 bytes that encrypt webhook signing secrets at rest (WEBHOOK_SECRET_KEY; unset: derived from
   * JWT_SECRET; with neither, as in the default local run, the key kept in a file in DATA_DIR, made
   * on first use like the participant key, so that stored secrets stay readable across restarts).
   */
  webhookSecretKey: { key: Buffer } | { file: string };
  /** WEBHOOKS_ALLOW_PRIVATE_URLS: endpoints on loopback/private addresses (tests, local development). */
  webhooksAllowPrivateUrls: boolean;
  /** First retry delay of a failed webhook delivery; doubles (with jitter) on each attempt. */
  webhookRetryBaseMs: number;
  /** A delivery is retried for this long after the event, then given up (about three days). */
  webhookRetryHours: number;
  /** How long a receiver has to answer. */
  webhookTimeoutMs: number;
  /** An endpoint whose every delivery failed for this long is disabled and its owner emailed. */
  webhookDisableAfterHours: number;
  /** Deliveries (sent or given up) are deleted this many days later. */
  webhookRetentionDays: number;
}

/** A number per format code, and `default` for any other format. */
export type FormatDefaults = { default: number } & Record<string, number>;

export const DEFAULT_COST_PER_HOUR_SEK = 'default=250,study_circle=150,lecture_series=200,study_visit=300,team_series=300,higher_ed_course=350,online_course=150';
export const DEFAULT_HOURS_PER_PARTICIPANT = 'default=8,study_circle=12,short_course=8,lecture_series=6,study_visit=4,team_series=16,higher_ed_course=40,online_course=10';

/** Parses `default=250,study_circle=150` (or a bare number for every format): each value a positive number, `default` required. */
export function parseFormatDefaults(name: string, raw: string): FormatDefaults {
  const out: Record<string, number> = {};
  const bare = /^\d+(\.\d+)?$/.test(raw.trim());
  const entries = bare ? [['default', raw.trim()]] : raw.split(',').map((part) => part.split('=').map((x) => x.trim()));
  for (const entry of entries) {
    const [key, value] = entry;
    if (entry.length !== 2 || !key || !/^[a-z][a-z0-9_]*$/.test(key) || !/^\d+(\.\d+)?$/.test(value ?? '')) {
      throw new ConfigError(name, `must look like "default=250,study_circle=150" (format code = positive number), got "${raw}"`);
    }
    if (Number(value) <= 0 || Number(value) > 1_000_000) throw new ConfigError(name, `values must be above 0 and at most 1000000, got ${value} for ${key}`);
    out[key] = Number(value);
  }
  if (out.default === undefined) throw new ConfigError(name, `needs a "default=" entry, got "${raw}"`);
  return out as FormatDefaults;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL (expected ${protocols.map((p) => `${p}//…`).join(' or ')})`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  if (!parsed.hostname) throw new ConfigError(name, 'has no host');
  return raw;
}

function email(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) {
    throw new ConfigError(name, `is not an email address, got "${raw}"`);
  }
  return raw;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * TRUST_PROXY: the proxies in front of the app, as a comma-separated list of addresses, CIDRs and
 * the names `loopback`, `linklocal`, `uniquelocal` (Fastify's `trustProxy`, proxy-addr syntax). The
 * client address is then the right-most X-Forwarded-For entry not written by a trusted proxy.
 * `true` is refused: it believed the left-most entry, which the client writes.
 */
function trustProxy(env: Env, name: string): string[] | false {
  const raw = str(env, name);
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) {
    throw new ConfigError(name, 'no longer takes true (that believed whatever the client wrote in X-Forwarded-For); list the proxy addresses or CIDRs, e.g. "10.0.0.0/8" or "loopback"');
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const v4 = IPV4.test(address);
    const v6 = !v4 && /^[0-9a-f:]+$/i.test(address) && address.includes(':');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (v4 ? 32 : 128));
    if (extra !== undefined || !(PROXY_NAMES.has(entry) || ((v4 || v6) && okBits))) {
      throw new ConfigError(name, `must list proxy addresses, CIDRs or loopback/linklocal/uniquelocal, got "${entry}"`);
    }
  }
  return entries;
}

export function parseQuietHours(raw: string | undefined): { start: number; end: number } | null {
  if (raw === undefined) return { start: 21, end: 8 };
  if (raw.toLowerCase() === 'off') return null;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (!match) throw new ConfigError('QUIET_HOURS', `must look like "21-08" or be "off", got "${raw}"`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > 23 || end > 23 || start === end) {
    throw new ConfigError('QUIET_HOURS', `hours must be 0–23 and differ, got "${raw}"`);
  }
  return { start, end };
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/**
 * WEBHOOK_SECRET_KEY: 32 bytes as base64 or 64 hex digits. Unset: derived from JWT_SECRET (HKDF),
 * so that one secret is enough; with no JWT_SECRET either (a generated one changes at every start),
 * the key in `<DATA_DIR>/webhook-secret.key`, made on first use (keyFromSource), so that stored
 * webhook secrets stay readable after a restart.
 */
export function webhookSecretKey(env: Env, jwtSecret: string | undefined, dataDir: string): AppConfig['webhookSecretKey'] {
  const raw = str(env, 'WEBHOOK_SECRET_KEY');
  if (raw !== undefined) return { key: parseKey32('WEBHOOK_SECRET_KEY', raw) };
  if (jwtSecret === undefined) return { file: path.join(dataDir, 'webhook-secret.key') };
  return { key: Buffer.from(hkdfSync('sha256', createHash('sha256').update(jwtSecret).digest(), Buffer.alloc(0), 'kompetenslyft webhook secrets', 32)) };
}

function questionKey(env: Env, name: string, fallback: string): string {
  const raw = str(env, name) ?? fallback;
  if (!/^[a-z][a-z0-9_]{0,59}$/.test(raw)) throw new ConfigError(name, `must be a question key (a-z, 0-9, _), got "${raw}"`);
  return raw;
}

/**
 * Reads `.env` from the current folder (the project folder under `npm start`) into the environment,
 * if there is one, with Node's own parser (as `process.loadEnvFile` does); variables already set win.
 */
export function loadDotEnv(file = path.resolve('.env'), env: Env = process.env): boolean {
  if (!fs.existsSync(file)) return false;
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new ConfigError('.env', `cannot be read: ${(error as Error).message}`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] === undefined) env[name] = value;
  }
  return true;
}

/** A 32-byte key written as 64 hex digits or as base64 (standard or URL-safe). */
export function parseKey32(name: string, raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw) ? Buffer.from(raw, 'base64') : undefined;
  if (!key || key.length !== 32) throw new ConfigError(name, 'must be 32 random bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)');
  return key;
}

/**
 * A configured key, or the one in `file` (made once, atomically, so that workers starting together
 * end up with the same key). A file that is not a key stops the start (`name` says which setting).
 */
export function keyFromSource(name: string, source: { key: Buffer } | { file: string }): { key: Buffer; generatedFile?: string } {
  if ('key' in source) return { key: source.key };
  if (!fs.existsSync(source.file)) {
    fs.mkdirSync(path.dirname(source.file), { recursive: true });
    const temp = `${source.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temp, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    try {
      fs.linkSync(temp, source.file); // fails if another process made it first: then that one is used
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  return { key: parseKey32(`${name} (from ${source.file})`, fs.readFileSync(source.file, 'utf8').trim()), generatedFile: source.file };
}

/** The participant identity key (PARTICIPANT_ID_KEY, or its file in DATA_DIR). */
export function participantIdKey(source: AppConfig['participantIdKey']): { key: Buffer; generatedFile?: string } {
  return keyFromSource('PARTICIPANT_ID_KEY', source);
}

/** Reads and validates the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnvRaw = str(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const port = int(env, 'PORT', 3000, 0, 65535);
  const workers = int(env, 'WEB_CONCURRENCY', 1, 1, 64);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const publicBaseUrl = (url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  const mailFrom = email(env, 'MAIL_FROM') ?? 'noreply@kompetenslyft.se';

  let jwtSecret = str(env, 'JWT_SECRET');
  const jwtSecretGenerated = jwtSecret === undefined;
  if (jwtSecret === undefined) {
    if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
    jwtSecret = randomBytes(32).toString('base64url');
  } else if (jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }

  const dataDir = path.resolve(str(env, 'DATA_DIR') ?? './.data');
  const participantIdKeyRaw = str(env, 'PARTICIPANT_ID_KEY');
  if (participantIdKeyRaw === undefined && nodeEnv === 'production') throw new ConfigError('PARTICIPANT_ID_KEY', 'is required when NODE_ENV=production');

  const bootstrapAdminEmail = email(env, 'BOOTSTRAP_ADMIN_EMAIL');
  const bootstrapAdminPassword = str(env, 'BOOTSTRAP_ADMIN_PASSWORD');
  if (bootstrapAdminEmail && !bootstrapAdminPassword) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'is required when BOOTSTRAP_ADMIN_EMAIL is set');
  }
  if (bootstrapAdminPassword && !bootstrapAdminEmail) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL', 'is required when BOOTSTRAP_ADMIN_PASSWORD is set');
  }
  if (bootstrapAdminPassword && bootstrapAdminPassword.length < 10) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'must be at least 10 characters long');
  }

  return {
    nodeEnv,
    port,
    workers,
    databaseUrl,
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 20, 1, 1000),
    databaseHeavyReads: int(env, 'DATABASE_HEAVY_READS', Math.ceil((os.availableParallelism() + 1) / workers), 1, 1000),
    dataDir,
    smtpUrl,
    mailFrom,
    publicBaseUrl,
    jwtSecret,
    jwtSecretGenerated,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    bootstrapAdminEmail: bootstrapAdminEmail?.toLowerCase(),
    bootstrapAdminPassword,
    dispatchIntervalMs: int(env, 'DISPATCH_INTERVAL_MS', 5000, 10, 3_600_000),
    quietHours: parseQuietHours(str(env, 'QUIET_HOURS')),
    mailRetryBaseMs: int(env, 'MAIL_RETRY_BASE_MS', 30_000, 1, 3_600_000),
    mailMaxAttempts: int(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 100),
    magicLinkTtlMinutes: int(env, 'MAGIC_LINK_TTL_MINUTES', 15, 1, 24 * 60),
    webSessionIdleMinutes: int(env, 'WEB_SESSION_IDLE_MINUTES', 120, 1, 30 * 24 * 60),
    invitationTtlDays: int(env, 'INVITATION_TTL_DAYS', 14, 1, 365),
    loginMaxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
    loginMaxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 100_000),
    loginFailureWindowMinutes: int(env, 'LOGIN_FAILURE_WINDOW_MINUTES', 15, 1, 24 * 60),
    mailRetentionDays: int(env, 'MAIL_RETENTION_DAYS', 90, 1, 3650),
    bookingNotesRetentionDays: int(env, 'BOOKING_NOTES_RETENTION_DAYS', 90, 1, 3650),
    evaluationMixMinAnswers: int(env, 'EVALUATION_MIX_MIN_ANSWERS', 5, 1, 1000),
    evaluationMixMaxWaitHours: int(env, 'EVALUATION_MIX_MAX_WAIT_HOURS', 24, 1, 24 * 30),
    registrationsMaxPerAddress: int(env, 'REGISTRATIONS_MAX_PER_ADDRESS', 20, 1, 1_000_000),
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    logLevel: str(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    programmeCostPerHourSek: parseFormatDefaults('PROGRAMME_COST_PER_HOUR_SEK', str(env, 'PROGRAMME_COST_PER_HOUR_SEK') ?? DEFAULT_COST_PER_HOUR_SEK),
    programmeHoursPerParticipant: parseFormatDefaults(
      'PROGRAMME_HOURS_PER_PARTICIPANT',
      str(env, 'PROGRAMME_HOURS_PER_PARTICIPANT') ?? DEFAULT_HOURS_PER_PARTICIPANT,
    ),
    programmeOverallQuestionKey: questionKey(env, 'PROGRAMME_OVERALL_QUESTION_KEY', 'satisfaction'),
    chromiumPath: str(env, 'CHROMIUM_PATH') ?? '/usr/bin/chromium',
    participantIdKey:
      participantIdKeyRaw === undefined ? { file: path.join(dataDir, 'participant-id.key') } : { key: parseKey32('PARTICIPANT_ID_KEY', participantIdKeyRaw) },
    webhookSecretKey: webhookSecretKey(env, jwtSecretGenerated ? undefined : jwtSecret, dataDir),
    webhooksAllowPrivateUrls: bool(env, 'WEBHOOKS_ALLOW_PRIVATE_URLS', false),
    webhookRetryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 5000, 1, 3_600_000),
    webhookRetryHours: int(env, 'WEBHOOK_RETRY_HOURS', 72, 1, 24 * 30),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookDisableAfterHours: int(env, 'WEBHOOK_DISABLE_AFTER_HOURS', 48, 1, 24 * 30),
    webhookRetentionDays: int(env, 'WEBHOOK_RETENTION_DAYS', 30, 1, 3650),
  };
}
