import type { FastifyInstance, FastifyRequest } from 'fastify';
import querystring from 'node:querystring';
import zlib from 'node:zlib';

/** The largest request body, before and after decompression (Express's `limit: '1mb'`). */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Request bodies are read as Express's body-parser read them (`json()` and `urlencoded({ extended:
 * false })`), so that clients see the same answers:
 * - `application/json`: only an object or an array (strict); an empty body is `{}`; a charset
 *   other than UTF-* is 415; a syntax error is 400 with JSON.parse's message;
 * - `application/x-www-form-urlencoded`: flat keys, repeated keys as arrays, UTF-8 or ISO-8859-1,
 *   at most 1000 parameters (413 beyond);
 * - gzip, deflate and br bodies are inflated, another Content-Encoding is 415;
 * - any other content type is not read at all: the body is `undefined` (Fastify would answer 415).
 * Errors carry `status`, `statusCode` and `expose`, like body-parser's, so the exception filter
 * answers them with that status and message.
 */
export function useBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const reading =
    (read: (request: FastifyRequest, body: Buffer) => unknown) =>
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      try {
        done(null, read(request, body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    };
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    reading((request, body) => parseJson(decode(request, body, (charset) => charset.startsWith('utf-')))),
  );
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    reading((request, body) => parseForm(decode(request, body, (charset) => charset === 'utf-8' || charset === 'iso-8859-1'), charsetOf(request))),
  );
  // Not read: the request stream is left for Node to discard once the response is sent.
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

function bodyError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true });
}

function charsetOf(request: FastifyRequest): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(request.headers['content-type'] ?? '');
  return match ? match[1].toLowerCase() : 'utf-8';
}

function decode(request: FastifyRequest, body: Buffer, charsetAllowed: (charset: string) => boolean): string {
  const charset = charsetOf(request);
  if (!charsetAllowed(charset)) throw bodyError(415, `unsupported charset "${charset.toUpperCase()}"`);
  const raw = inflate(body, (request.headers['content-encoding'] ?? 'identity').toLowerCase());
  if (charset === 'iso-8859-1') return raw.toString('latin1');
  try {
    return new TextDecoder(charset).decode(raw);
  } catch {
    throw bodyError(415, `unsupported charset "${charset.toUpperCase()}"`);
  }
}

function inflate(body: Buffer, encoding: string): Buffer {
  const options = { maxOutputLength: BODY_LIMIT };
  try {
    switch (encoding) {
      case 'identity':
        return body;
      case 'gzip':
        return zlib.gunzipSync(body, options);
      case 'deflate':
        return zlib.inflateSync(body, options);
      case 'br':
        return zlib.brotliDecompressSync(body, options);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw code === 'ERR_BUFFER_TOO_LARGE' ? bodyError(413, 'request entity too large') : bodyError(400, (error as Error).message);
  }
  throw bodyError(415, `unsupported content encoding "${encoding}"`);
}

const WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = WHITESPACE.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw strictViolation(text, first);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw bodyError(400, (error as Error).message);
  }
}

/** body-parser's message for a body that is JSON but not an object or array: JSON.parse's, about its first character. */
function strictViolation(text: string, first: string | undefined): Error {
  const index = first === undefined ? -1 : text.indexOf(first);
  const masked = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(masked);
  } catch (error) {
    return bodyError(400, (error as Error).message.replace(/#+/g, (hashes) => text.slice(index, index + hashes.length)));
  }
  return bodyError(400, 'strict violation');
}

const PARAMETER_LIMIT = 1000;

function parseForm(text: string, charset: string): Record<string, unknown> {
  if (text.length === 0) return {};
  let count = 1;
  for (let index = text.indexOf('&'); index !== -1; index = text.indexOf('&', index + 1)) {
    if (++count > PARAMETER_LIMIT) throw bodyError(413, 'too many parameters');
  }
  const decodeURIComponent = charset === 'iso-8859-1' ? unescape : undefined;
  return { ...querystring.parse(text, '&', '=', { maxKeys: 0, ...(decodeURIComponent ? { decodeURIComponent } : {}) }) };
}
