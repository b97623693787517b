import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfRejected, LANG_COOKIE, type PageContext, SignInRequired } from './page.js';
import { type Lang, textsIn } from './texts.js';
import { Views } from './views.js';

/** Error answers of page routes: HTML pages in the layout (the JSON API keeps its error shape). */
@Injectable()
export class ErrorPages {
  constructor(private readonly views: Views) {}

  /** Handles the web guard's own refusals; answers false when the exception is not one of them. */
  handled(exception: unknown, request: FastifyRequest, reply: FastifyReply, requestId: string): boolean {
    if (exception instanceof SignInRequired) {
      reply.status(303).header('Location', `/logga-in?next=${encodeURIComponent(exception.next)}`).header('Cache-Control', 'no-store').send();
      return true;
    }
    if (exception instanceof CsrfRejected) {
      this.send(request, reply, 403, 'csrf', requestId);
      return true;
    }
    return false;
  }

  send(request: FastifyRequest, reply: FastifyReply, status: number, kind: string | number, requestId: string): void {
    const page = (request as FastifyRequest & { page?: PageContext }).page;
    const remembered = request.cookies?.[LANG_COOKIE];
    const lang: Lang = page?.lang ?? (remembered === 'en' ? 'en' : 'sv');
    const t = textsIn(lang) as Record<string, any>;
    const pages = t.common.errorPages;
    const key = pages[kind] ? kind : status >= 500 ? 500 : pages[status] ? status : 400;
    const context = page
      ? page.context({ error: pages[key], status, requestId })
      : { lang, t, user: null, stylesheet: this.views.stylesheet, currentPath: request.url.split('?')[0], otherLangUrl: `${request.url.split('?')[0]}?lang=${lang === 'sv' ? 'en' : 'sv'}`, error: pages[key], status, requestId };
    const html = this.views.render('web/templates/error.njk', context);
    reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
  }
}
