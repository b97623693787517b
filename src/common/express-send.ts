import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

/**
 * What Express's `res.send()` did to every string or buffer body, which clients may rely on:
 * - a string's Content-Type gets `charset=utf-8`;
 * - a weak ETag computed as Express computed it (`W/"<length in hex>-<sha1, base64, 27 chars>"`),
 *   and a GET or HEAD whose `If-None-Match` matches a 2xx response is answered 304 without a body.
 * Streamed bodies (downloads) get neither, as on Express.
 */
export function useExpressSend(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload?: unknown) => void) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && !/;\s*charset=/i.test(type)) reply.header('Content-Type', `${type}; charset=utf-8`);
    // Encoded once here, then hashed and sent as these bytes (a string would be measured and
    // encoded again for the hash, for Content-Length and for the socket).
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (!reply.hasHeader('etag')) reply.header('ETag', weakEtag(body));
    if (!isFresh(request, reply)) return done(null, body);
    reply.code(304).removeHeader('content-type').removeHeader('content-length').removeHeader('transfer-encoding');
    done(null, null);
  });
}

function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}

const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/** Express's `req.fresh` (the `fresh` package) for a response with an ETag and no Last-Modified. */
function isFresh(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const status = reply.statusCode;
  if ((status < 200 || status >= 300) && status !== 304) return false;
  const modifiedSince = request.headers['if-modified-since'];
  const noneMatch = request.headers['if-none-match'];
  if (!modifiedSince && !noneMatch) return false;
  const cacheControl = request.headers['cache-control'];
  if (cacheControl && NO_CACHE.test(cacheControl)) return false;
  if (noneMatch && noneMatch !== '*') {
    const etag = String(reply.getHeader('etag'));
    const matches = noneMatch.split(/\s*,\s*/).map((token) => token.trim());
    if (!matches.some((match) => match === etag || `W/${match}` === etag || match === `W/${etag}`)) return false;
  }
  if (modifiedSince) {
    const lastModified = reply.getHeader('last-modified');
    if (!lastModified || !(Date.parse(String(lastModified)) <= Date.parse(modifiedSince))) return false;
  }
  return true;
}
