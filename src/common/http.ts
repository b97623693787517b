import fastifyEtag from '@fastify/etag';
import fastifyFormbody from '@fastify/formbody';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';

/** Spreadsheets (catalogue import) are read as bytes. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The largest request body (Fastify's `bodyLimit`): a larger one is answered 413. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The most of a too-large body read (and dropped) before the 413 goes out, and for how long: a
 * client still sending when the server closes the connection gets a reset (EPIPE) instead of the
 * answer. Past these bounds the answer goes out anyway and the connection closes.
 */
export const DRAIN_LIMIT = 16 * 1024 * 1024;
export const DRAIN_TIMEOUT_MS = 10_000;

/** helmet's defaults with the content security policy the pages need (scripts and images from this origin only). */
export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
  },
};

/**
 * How requests are read and responses finished, by Fastify and its plugins:
 * - JSON by Fastify's own parser (secure-json-parse: a `__proto__` or `constructor.prototype` key is
 *   a 400); an empty JSON body is `{}`, so that a POST with the header and no body acts like one without;
 * - `application/x-www-form-urlencoded` by @fastify/formbody (the web pages' forms);
 * - `text/csv` as a string and xlsx as a Buffer (catalogue import files);
 * - any other content type is 415, as is a compressed (`Content-Encoding`) body;
 * - a body over BODY_LIMIT is 413 (Fastify's own check), sent once the rest of the body has been
 *   read and dropped (up to DRAIN_LIMIT), so that the client reads it;
 * - @fastify/etag gives 2xx answers a weak ETag and answers a matching `If-None-Match` with 304;
 * - helmet sets the security headers on every answer. Its middleware is built once here: the
 *   @fastify/helmet plugin builds it again for every request (helmet(options) in its onRequest
 *   hook), about 80 µs a request on this machine against 9 µs to apply it (bench/RESULTS.md).
 */
export async function useHttpPlugins(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    (body as string).length === 0 ? done(null, {}) : parseJson(request, body as string, done),
  );
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  fastify.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  fastify.addHook('preParsing', (request: FastifyRequest, _reply: FastifyReply, payload, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      return done(Object.assign(new Error(`unsupported content encoding "${encoding}"`), { statusCode: 415, expose: true }));
    }
    done(null, payload);
  });
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    if (reply.statusCode !== 413 || request.raw.complete) return done(null, payload);
    drain(request.raw, () => done(null, payload));
  });
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
  await app.register(fastifyEtag, { weak: true });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );
}

/** helmet's middleware, built once: for every answer, and for those no route's hooks reach (the router's own errors). */
export const securityHeaders: (req: FastifyRequest['raw'], res: FastifyReply['raw'], next: (err?: unknown) => void) => void = helmet(SECURITY_HEADERS);

/**
 * Node's HTTP parser refuses a request before Fastify sees it (headers or URL over 16 KB: 431;
 * a malformed request: 400). Answered in the one error shape too, then the connection closes.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({
    statusCode: status,
    code: status === 431 ? 'REQUEST_HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST',
    message: status === 431 ? 'The request line or headers are over 16 KB' : status === 408 ? 'The request took too long' : 'The request could not be read',
    requestId: randomUUID(),
  });
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Reads and drops what is left of a request body, up to DRAIN_LIMIT bytes and DRAIN_TIMEOUT_MS; then calls `finished` once. */
function drain(raw: FastifyRequest['raw'], finished: () => void): void {
  let received = 0;
  const finish = () => {
    clearTimeout(timer);
    raw.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
    finished();
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > DRAIN_LIMIT) finish();
  };
  const timer = setTimeout(finish, DRAIN_TIMEOUT_MS);
  raw.on('data', onData).on('end', finish).on('error', finish).on('close', finish);
  raw.resume();
}
