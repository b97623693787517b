import { applyDecorators, CanActivate, Controller, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user.js';
import { Public } from '../common/decorators/auth.decorators.js';
import { Csrf } from './csrf.js';
import { LANGS, type Lang, textsIn } from './texts.js';
import { Views } from './views.js';
import { type ActiveWebSession, WebSessionsService } from './web-sessions.service.js';

export const SESSION_COOKIE = 'kl_session';
export const PRE_SESSION_COOKIE = 'kl_pre';
export const LANG_COOKIE = 'kl_lang';
/** The hidden field every form posts its CSRF token in. */
export const CSRF_FIELD = '_csrf';

const ANONYMOUS = 'web:anonymous';

/** A page that anyone may open (signed in or not); pages need a signed-in person otherwise. */
export const Anonymous = () => SetMetadata(ANONYMOUS, true);

/** Refused before the handler: the person must sign in first (answered with a redirect to the sign-in page). */
export class SignInRequired extends Error {
  constructor(readonly next: string) {
    super('Sign in required');
  }
}

/** Refused before the handler: a form posted without the CSRF token of this browser's session (403 page, nothing written). */
export class CsrfRejected extends Error {
  constructor() {
    super('The form\'s CSRF token is missing or not this session\'s');
  }
}

/** Only same-site paths are followed after sign-in (never another host). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\\\s]*$/.test(next) && next.length < 1000 ? next : '/';
}

/** What pages need from the web module (one injectable, so that feature modules' guards resolve it). */
@Injectable()
export class PageServices {
  constructor(
    readonly views: Views,
    readonly sessions: WebSessionsService,
    readonly csrf: Csrf,
  ) {}
}

/**
 * What a page handler works with (`@Page() page: PageContext`): the language, who is signed in,
 * the CSRF token for its forms, and render/redirect. Built by the WebGuard for every page route.
 */
export class PageContext {
  private csrfToken?: string;

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    private readonly services: PageServices,
    private language: Lang,
    private activeSession: ActiveWebSession | null,
    /** True when the person chose the language (`?lang=`, or the remembered choice). */
    readonly langChosen: boolean,
  ) {}

  get lang(): Lang {
    return this.language;
  }

  /** The language of what the page is about (an invitation's, a survey's), unless the person chose one. */
  preferLang(lang: Lang): void {
    if (!this.langChosen) this.language = lang;
  }

  get session(): ActiveWebSession | null {
    return this.activeSession;
  }

  get user(): AuthUser | null {
    return this.session?.user ?? null;
  }

  /** The signed-in person (every page is signed-in unless marked @Anonymous(), so the guard has checked). */
  get me(): AuthUser {
    if (!this.session) throw new SignInRequired(this.request.url);
    return this.session.user;
  }

  /** This page's texts: `t.<namespace>.<key>`. */
  get t(): Record<string, any> {
    return textsIn(this.lang);
  }

  /** The token the page's forms post in `_csrf`: bound to the session, or to a pre-session cookie set now. */
  get csrf(): string {
    if (this.csrfToken) return this.csrfToken;
    if (this.session) return (this.csrfToken = this.services.csrf.token(`session:${this.session.id}`));
    let pre = this.request.cookies?.[PRE_SESSION_COOKIE];
    if (!pre || !/^[A-Za-z0-9_-]{43}$/.test(pre)) {
      pre = randomBytes(32).toString('base64url');
      this.reply.setCookie(PRE_SESSION_COOKIE, pre, cookieOptions(this.request));
      this.request.cookies[PRE_SESSION_COOKIE] = pre;
    }
    return (this.csrfToken = this.services.csrf.token(`pre:${pre}`));
  }

  /** Renders a template with the layout's context (language, texts, person, CSRF token, paths) and sends it, never cached. */
  render(template: string, data: Record<string, unknown> = {}, status = 200): void {
    const html = this.services.views.render(template, this.context(data));
    this.reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
  }

  /** The context every template gets, plus the page's data. */
  context(data: Record<string, unknown> = {}): Record<string, unknown> {
    const path = this.request.url.split('?')[0];
    const params = new URLSearchParams(this.request.url.split('?')[1] ?? '');
    params.set('lang', this.lang === 'sv' ? 'en' : 'sv');
    return {
      lang: this.lang,
      t: this.t,
      user: this.user,
      csrfToken: this.csrf,
      csrfField: CSRF_FIELD,
      currentPath: path,
      currentUrl: this.request.url,
      otherLangUrl: `${path}?${params.toString()}`,
      stylesheet: this.services.views.stylesheet,
      nav: this.navigation(path),
      ...data,
    };
  }

  private navigation(path: string): { href: string; text: string; active: boolean; current: boolean }[] {
    const t = this.t.common as Record<string, string>;
    const items: [string, string][] = [['/', t.start], ['/kurser', t.courses]];
    if (this.user) items.push(['/bokningar', t.myBookings], ['/organisation', t.organisation], ['/mina-uppgifter', t.myData]);
    if (this.user?.globalRole === 'coordinator') items.push(['/samordning', t.coordination]);
    if (this.session?.providerStaff && this.user?.globalRole !== 'coordinator') items.push(['/anordnare', (this.t.provider as Record<string, string>).area]);
    return items.map(([href, text]) => ({
      href,
      text,
      current: path === href,
      active: path === href || (href !== '/' && path.startsWith(`${href}/`)),
    }));
  }

  /** 303 See Other: after a form's POST, so that a reload does not post again. */
  redirect(url: string, status = 303): void {
    this.reply.status(status).header('Location', url).header('Cache-Control', 'no-store').send();
  }

  /** Begins a web session for the account (after a sign-in) and sets its cookie. */
  async signIn(userId: string): Promise<void> {
    const token = await this.services.sessions.begin(userId);
    this.reply.setCookie(SESSION_COOKIE, token, cookieOptions(this.request));
  }

  /** Ends this browser's session and clears its cookie. */
  async signOut(): Promise<void> {
    if (this.activeSession) await this.services.sessions.end(this.activeSession.id);
    this.activeSession = null;
    this.csrfToken = undefined;
    this.reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}

/** HttpOnly, SameSite=Lax, whole site; Secure when the request came over HTTPS (directly or through a trusted proxy). */
export function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** The handler's PageContext. */
export const Page = createParamDecorator((_: unknown, ctx: ExecutionContext): PageContext => ctx.switchToHttp().getRequest().page as PageContext);

/**
 * Every page route: resolves the language (`?lang=` remembered in a cookie, else the cookie, else
 * the account's language, else Swedish) and the web session; refuses a signed-out person on pages
 * not marked @Anonymous() (→ sign-in page, then back), and any POST whose `_csrf` is not this
 * session's (or this browser's pre-session token) before the handler runs.
 */
@Injectable()
export class WebGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly services: PageServices,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { page?: PageContext }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const services = this.services;
    const session = await services.sessions.resolve(request.cookies?.[SESSION_COOKIE]);
    if (!session && request.cookies?.[SESSION_COOKIE]) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    let lang: Lang;
    let chosen = true;
    if (typeof asked === 'string' && (LANGS as string[]).includes(asked)) {
      lang = asked as Lang;
      reply.setCookie(LANG_COOKIE, lang, cookieOptions(request, 365 * 24 * 3600));
    } else {
      const remembered = request.cookies?.[LANG_COOKIE];
      chosen = remembered === 'en' || remembered === 'sv';
      lang = chosen ? (remembered as Lang) : (session?.user.locale ?? 'sv');
    }
    const page = new PageContext(request, reply, services, lang, session, chosen);
    request.page = page;
    const anonymous = this.reflector.getAllAndOverride<boolean>(ANONYMOUS, [context.getHandler(), context.getClass()]);
    if (!anonymous && !session) throw new SignInRequired(request.url);
    if (request.method === 'POST') {
      const token = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      const pre = request.cookies?.[PRE_SESSION_COOKIE];
      const ok = session
        ? services.csrf.verify(`session:${session.id}`, token)
        : typeof pre === 'string' && services.csrf.verify(`pre:${pre}`, token);
      if (!ok) throw new CsrfRejected();
    }
    return true;
  }
}

/**
 * A controller of web pages: outside the API's prefix and OpenAPI document, past the bearer-token
 * guard, behind the WebGuard (cookie session, CSRF, language). Its paths must also be listed in
 * WEB_PATHS (src/web/web-paths.ts) so that they are served outside /api/v1.
 */
export function WebController(prefix = ''): ClassDecorator {
  return applyDecorators(Controller(prefix), ApiExcludeController(), Public(), UseGuards(WebGuard));
}
