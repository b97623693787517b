import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { BODY_LIMIT } from '../common/http.js';
import { isWebPath } from './web-paths.js';

/** An uploaded file in a page's multipart form. */
export interface UploadedFile {
  filename: string;
  type: string;
  data: Buffer;
}

/** Room for the form's other fields and the multipart framing around a file of BODY_LIMIT. */
export const MULTIPART_LIMIT = BODY_LIMIT * 2;

/**
 * `multipart/form-data` for the web pages' upload forms (the catalogue import), read with Node's
 * own multipart reader (the Fetch API's `Response.formData()`, no extra dependency): text fields
 * become strings (so that the WebGuard finds `_csrf` as in any form), files become UploadedFile.
 * The JSON API keeps answering 415 to multipart bodies.
 */
export function useMultipartForms(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: MULTIPART_LIMIT }, (request, body, done) => {
    if (!isWebPath(request.url)) {
      return done(Object.assign(new Error('Send JSON, text/csv or xlsx'), { statusCode: 415, expose: true, code: 'UNSUPPORTED_MEDIA_TYPE' }));
    }
    readMultipart(body as Buffer, String(request.headers['content-type'] ?? ''))
      .then((fields) => done(null, fields))
      .catch(() => done(Object.assign(new Error('The form could not be read'), { statusCode: 400, expose: true })));
  });
}

/** The fields of a multipart body: a name given twice becomes a list. */
export async function readMultipart(body: Buffer, contentType: string): Promise<Record<string, string | string[] | UploadedFile>> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string | string[] | UploadedFile> = Object.create(null) as Record<string, string | string[] | UploadedFile>;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      const before = fields[name];
      fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : typeof before === 'string' ? [before, value] : value;
    } else {
      fields[name] = { filename: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) };
    }
  }
  return fields;
}

/** A form field that is an uploaded file (a file input left empty sends a file with no name and no bytes). */
export function uploadedFile(value: unknown): UploadedFile | null {
  if (!value || typeof value !== 'object' || !('data' in value) || !Buffer.isBuffer((value as UploadedFile).data)) return null;
  const file = value as UploadedFile;
  return file.data.length === 0 && !file.filename ? null : file;
}
