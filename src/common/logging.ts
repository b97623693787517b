import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PinoLogger, type Params } from 'nestjs-pino';

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

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's id (Fastify's `genReqId`): a valid `X-Request-Id` header, or a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The root logger (built by pino-http, as nestjs-pino does) with these serializers. Requests are not
 * logged by pino-http's middleware (`forRoutes: []`) but by the hooks of `useRequestLogging`, which
 * write the same lines without building and serialising a full request object per request.
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      // Only method, route shape and status: no bodies, no headers, no addresses, no query strings.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    forRoutes: [],
  };
}

const startedAt = Symbol('startedAt');
type TimedRequest = FastifyRequest & { [startedAt]?: number };

/**
 * Echoes the request id as `X-Request-Id`, runs the request in a logging context whose logs carry
 * `req: { id, method, url }`, and logs each response as pino-http did: `request completed` with
 * `res.statusCode` and `responseTime` (ms), or `request errored` with an `err` at level error for a
 * 5xx. `GET /health` is not logged.
 */
export function useRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  fastify.addHook('onRequest', (request: TimedRequest, reply: FastifyReply, done: () => void) => {
    reply.header('X-Request-Id', request.id);
    request[startedAt] = Date.now();
    logger.runInContext(done, { bindings: { req: requestFields(request) } });
  });
  fastify.addHook('onResponse', (request: TimedRequest, reply: FastifyReply, done: () => void) => {
    if (request.raw.url !== '/health') {
      const req = requestFields(request);
      // pino's response serializer reports the status only once the headers went out
      const res = { statusCode: reply.statusCode, headersSent: reply.raw.headersSent };
      const responseTime = Date.now() - (request[startedAt] ?? Date.now());
      if (res.statusCode >= 500) {
        PinoLogger.root.error({ req, res, err: new Error(`failed with status code ${res.statusCode}`), responseTime }, 'request errored');
      } else {
        PinoLogger.root.info({ req, res, responseTime }, 'request completed');
      }
    }
    done();
  });
}

function requestFields(request: FastifyRequest): { id: string; method: string; url: string } {
  return { id: request.id, method: request.raw.method ?? '', url: request.raw.url ?? '' };
}
