import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Path segments that look like link tokens or ids are replaced, and query strings dropped: no personal data in logs. */
export function redactUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path
    .split('/')
    .map((segment) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)
        ? ':id'
        : segment.length >= 32 && /^[A-Za-z0-9_-]+$/.test(segment)
          ? ':token'
          : segment,
    )
    .join('/');
}

const EMAIL = /[^\s<>"'(),;:@=]+@[^\s<>"'(),;:@=]+\.[^\s<>"'(),;:@=]+/g;

/** 10 or 12 digits as a personnummer or samordningsnummer is written (YYMMDD-NNNN, YYYYMMDDNNNN…). */
const IDENTITY_NUMBER = /(?<![\d-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d-])/g;

/**
 * Replaces every email address in a text by `<address>` (SMTP and driver messages quote them) and
 * every identity-number-like run of digits by `<identity-number>` (a driver message may quote one).
 */
export function withoutAddresses(text: string): string {
  return text.replace(EMAIL, '<address>').replace(IDENTITY_NUMBER, '<identity-number>');
}

/** What of an error may be logged. */
const KEPT_ERROR_FIELDS = ['code', 'constraint', 'table', 'column', 'routine', 'status', 'statusCode', 'responseCode', 'errno', 'syscall'] as const;

/**
 * pino's `err` serializer, without personal data: type, message, stack and the diagnostic codes
 * (`code`, `constraint`, `table`…) are kept; a failed query's `query`, `parameters`, the driver's
 * `detail` (`Key (email)=(…) already exists`), `driverError` and anything else are dropped, and
 * email addresses in the message and stack are masked. A `cause` is serialized the same way.
 */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: withoutAddresses(String(error)) };
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? 'Error',
    message: withoutAddresses(error.message),
    stack: error.stack ? withoutAddresses(error.stack) : undefined,
  };
  const fields = error as unknown as Record<string, unknown>;
  for (const key of KEPT_ERROR_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = typeof value === 'string' ? withoutAddresses(value) : value;
  }
  // TypeORM's QueryFailedError keeps the codes on driverError.
  const driver = fields.driverError as Record<string, unknown> | undefined;
  if (driver && typeof driver === 'object') {
    for (const key of ['code', 'constraint', 'table', 'column'] as const) {
      if (out[key] === undefined && typeof driver[key] === 'string') out[key] = driver[key];
    }
  }
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's id (Fastify's `genReqId`): a valid `X-Request-Id` header, or a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The one log format: a JSON line per entry with the level as its label (`"level":"info"`), the
 * time in epoch milliseconds, `context` (the class or phase that wrote it) and `msg`. Used by the
 * app, by the request hooks and by main.ts before the app exists.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    formatters: { level: (label) => ({ level: label }) },
    // Only method, route shape and status: no bodies, no headers, no addresses, no query strings.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => serializeError(err),
    },
    // A backstop for objects logged as fields rather than as `err`.
    redact: { paths: ['parameters', 'driverError', '*.parameters', '*.driverError'], remove: true },
  };
}

/** A root logger writing to stdout (synchronously, so that a line written before `process.exit` is not lost). */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ fd: 1, sync: true })): Logger {
  return pino(loggerOptions(level), destination);
}

/** The request a log line is written for: set by the request hooks, read by AppLogger. */
const requestContext = new AsyncLocalStorage<{ req: { id: string; method: string; url: string } }>();

/** Nest's framework messages that describe the wiring rather than the service: at debug, so that `info` shows what an operator needs. */
const WIRING_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService over pino, as `new Logger(Context)` calls it: `log(message, context)`,
 * `error(objectOrMessage, msgOrStack?, context)`. An object's fields go into the line; inside a
 * request the line carries `req: { id, method, url }`. The route map and module wiring log at debug.
 */
export class AppLogger implements LoggerService {
  constructor(readonly root: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (level === 'info' && WIRING_CONTEXTS.has(fields.context as string)) level = 'debug';
    if (!this.root.isLevelEnabled(level)) return;
    const request = requestContext.getStore();
    if (request) fields.req = request.req;
    if (message instanceof Error) {
      this.root[level]({ ...fields, err: message }, ...(rest as [string]));
    } else if (typeof message === 'object' && message !== null) {
      this.root[level]({ ...fields, ...message }, ...(rest as [string]));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      // Nest's own exception handlers pass (message, stack, context)
      const err = Object.assign(new Error(String(message)), { stack: rest[0] });
      this.root[level]({ ...fields, err }, String(message));
    } else {
      this.root[level](fields, String(message), ...rest);
    }
  }
}

const startedAt = Symbol('startedAt');
type TimedRequest = FastifyRequest & { [startedAt]?: number };

/**
 * Echoes the request id as `X-Request-Id`, runs the request in a logging context whose lines carry
 * `req: { id, method, url }`, and logs each response: `request completed` with `res.statusCode`
 * and `responseTime` (ms), or `request errored` at level error for a 5xx. `GET /health` is not logged.
 */
export function useRequestLogging(fastify: FastifyInstance, root: Logger): void {
  fastify.addHook('onRequest', (request: TimedRequest, reply: FastifyReply, done: () => void) => {
    reply.header('X-Request-Id', request.id);
    request[startedAt] = Date.now();
    requestContext.run({ req: requestFields(request) }, done);
  });
  fastify.addHook('onResponse', (request: TimedRequest, reply: FastifyReply, done: () => void) => {
    if (request.raw.url !== '/health') {
      const req = requestFields(request);
      const res = { statusCode: reply.statusCode };
      const responseTime = Date.now() - (request[startedAt] ?? Date.now());
      if (res.statusCode >= 500) {
        root.error({ req, res, err: new Error(`failed with status code ${res.statusCode}`), responseTime }, 'request errored');
      } else {
        root.info({ req, res, responseTime }, 'request completed');
      }
    }
    done();
  });
}

function requestFields(request: FastifyRequest): { id: string; method: string; url: string } {
  return { id: request.id, method: request.raw.method ?? '', url: request.raw.url ?? '' };
}
