import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { useMultipartForms } from './multipart.js';
import { ASSET_PREFIX, PUBLIC_DIR } from './views.js';

/**
 * Cookies (@fastify/cookie) and the built stylesheet under /assets/ (its name carries a content
 * hash: cached for a year, immutable); multipart forms for the pages' uploads (multipart.ts).
 */
export async function useWebPlugins(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCookie);
  useMultipartForms(app);
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: ASSET_PREFIX,
    index: false,
    list: false,
    etag: true,
    cacheControl: false,
    setHeaders: (res) => res.header('Cache-Control', 'public, max-age=31536000, immutable'),
  });
}
