import { Body, Get, Post, Query } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { FormReader } from '../../web/forms.js';
import { Anonymous, Page, PageContext, safeNext, WebController } from '../../web/page.js';
import { fill } from '../../web/views.js';
import { AuthService } from '../auth.service.js';
import { SIGN_IN_TEXTS } from './texts.js';

const TEMPLATE = 'auth/pages/sign-in.njk';
const MESSAGE = 'web/templates/message.njk';

/**
 * Signing in and out in the browser: password, or an emailed link (which lands on the page the
 * person was going to), the link's page, and choosing a new password from a reset link. Each
 * sign-in begins a web session (cookie); the JSON API keeps its bearer tokens.
 */
@WebController()
export class SignInPages {
  constructor(private readonly auth: AuthService) {}

  @Anonymous()
  @Get('logga-in')
  show(@Page() page: PageContext, @Query('next') next?: string): void {
    if (page.user) return page.redirect(safeNext(next));
    page.render(TEMPLATE, { next: safeNext(next), values: {} });
  }

  @Anonymous()
  @Post('logga-in')
  async signIn(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = SIGN_IN_TEXTS[page.lang];
    const next = safeNext(body?.next);
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('email', { label: t.emailLabel, required: true, max: 254, email: true }).toLowerCase();
    const password = form.text('password', { label: t.passwordLabel, required: true, max: 200, keepSpaces: true });
    delete form.values.password;
    if (!form.errors.any) {
      try {
        const user = await this.auth.validateCredentials({ email, password }, page.request.ip ?? 'unknown');
        await page.signIn(user.id);
        return page.redirect(next);
      } catch (error) {
        if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error;
        form.errors.add('email', error.status === 429 ? t.throttled : t.wrong);
      }
    }
    page.render(TEMPLATE, { next, values: form.values, errors: form.errors }, 400);
  }

  @Anonymous()
  @Post('logga-in/lank')
  async emailLink(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = SIGN_IN_TEXTS[page.lang];
    const next = safeNext(body?.next);
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('linkEmail', { label: t.emailLabel, required: true, max: 254, email: true }).toLowerCase();
    if (form.errors.any) return page.render(TEMPLATE, { next, values: form.values, errors: form.errors }, 400);
    await this.auth.requestMagicLink(email, next);
    page.render(MESSAGE, { title: t.linkSentTitle, text: fill(t.linkSent, { email }) });
  }

  /** The page a sign-in link opens: only a button, so that mail scanners following links do not use the token up. */
  @Anonymous()
  @Get('magic-link')
  magicLink(@Page() page: PageContext, @Query('token') token?: string, @Query('next') next?: string): void {
    page.render('auth/pages/magic-link.njk', { token: String(token ?? ''), next: safeNext(next) });
  }

  @Anonymous()
  @Post('magic-link')
  async useMagicLink(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = SIGN_IN_TEXTS[page.lang];
    try {
      if (typeof body?.token !== 'string' || body.token.length < 20 || body.token.length > 100) throw AppError.unauthenticated();
      const result = await this.auth.verifyMagicLink(body.token);
      await page.signIn(result.user.id);
      return page.redirect(safeNext(body.next));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      page.render(MESSAGE, { title: t.brokenTitle, text: t.broken, hint: t.brokenHint, link: { href: '/logga-in', text: t.newLink } }, 400);
    }
  }

  @Post('logga-ut')
  async signOut(@Page() page: PageContext): Promise<void> {
    await page.signOut();
    page.redirect('/');
  }

  @Anonymous()
  @Get('logga-in/glomt-losenord')
  forgot(@Page() page: PageContext): void {
    page.render('auth/pages/forgot.njk', { values: {} });
  }

  @Anonymous()
  @Post('logga-in/glomt-losenord')
  async requestReset(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = SIGN_IN_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const email = form.text('email', { label: t.emailLabel, required: true, max: 254, email: true }).toLowerCase();
    if (form.errors.any) return page.render('auth/pages/forgot.njk', { values: form.values, errors: form.errors }, 400);
    await this.auth.requestPasswordReset(email);
    page.render(MESSAGE, { title: t.resetSentTitle, text: fill(t.resetSent, { email }) });
  }

  /** The page a password-reset link opens. */
  @Anonymous()
  @Get('reset-password')
  reset(@Page() page: PageContext, @Query('token') token?: string): void {
    page.render('auth/pages/reset.njk', { token: String(token ?? '') });
  }

  @Anonymous()
  @Post('reset-password')
  async saveReset(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = SIGN_IN_TEXTS[page.lang];
    const token = typeof body?.token === 'string' ? body.token : '';
    const form = new FormReader(body, page.t.common.errors);
    const password = form.text('password', { label: t.newPasswordLabel, required: true, min: 10, max: 200, keepSpaces: true });
    delete form.values.password;
    if (form.errors.any) return page.render('auth/pages/reset.njk', { token, errors: form.errors }, 400);
    try {
      if (token.length < 20 || token.length > 100) throw AppError.unauthenticated();
      await this.auth.resetPassword(token, password);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 401) throw error;
      return page.render(MESSAGE, { title: t.brokenTitle, text: t.resetBroken, link: { href: '/logga-in/glomt-losenord', text: t.newLink } }, 400);
    }
    page.render(MESSAGE, { title: t.resetDoneTitle, text: t.resetDone, link: { href: '/logga-in', text: t.submit } });
  }
}
