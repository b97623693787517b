import { Body, Get, Param, Post } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { Anonymous, Page, PageContext, WebController } from '../../web/page.js';
import { answersFromForm } from '../answers.js';
import { EvaluationsService, InvalidAnswersError } from '../evaluations.service.js';
import { FollowUpErrorCode } from '../follow-up.errors.js';
import { surveyForm } from './survey-form.js';
import { type Lang, TEXT } from './survey.texts.js';

const FRAGMENT = 'follow-up/pages/survey.njk';
const MESSAGE = 'web/templates/message.njk';

/**
 * The page an evaluation link opens: an accessible HTML form that works without JavaScript (the
 * survey's language unless the person chose one, `?lang=en`), re-shown with errors next to the
 * fields, and the "I don't want to answer" confirmation. The GET of the opt-out only shows a
 * button, so that mail scanners change nothing. Rendered in the web layout; the questions' markup
 * is built (escaped) by survey-form.ts.
 */
@WebController('survey')
export class SurveyPageController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Anonymous()
  @Get(':token')
  async show(@Param('token') token: string, @Page() page: PageContext): Promise<void> {
    const lang = await this.language(token, page);
    try {
      const form = await this.evaluations.form(token);
      const title = this.title(form, lang);
      page.render(FRAGMENT, { title, html: surveyForm({ token, lang, title, courseTitle: form.courseTitle, questions: form.questions, state: {}, csrfToken: page.csrf }) });
    } catch (error) {
      this.broken(page, error);
    }
  }

  @Anonymous()
  @Post(':token')
  async submit(@Param('token') token: string, @Body() body: Record<string, unknown>, @Page() page: PageContext): Promise<void> {
    const lang = await this.language(token, page);
    const t = TEXT[lang];
    try {
      const form = await this.evaluations.form(token);
      const values = body && typeof body === 'object' ? { ...body } : {};
      delete values._csrf;
      try {
        await this.evaluations.submit(token, answersFromForm(form.questions, values));
      } catch (error) {
        if (!(error instanceof InvalidAnswersError)) throw error;
        const byKey = new Map(form.questions.map((q) => [q.key, q]));
        const errors: Record<string, string> = {};
        for (const problem of error.problems) {
          const question = byKey.get(problem.key);
          if (question && !errors[problem.key]) errors[problem.key] = t.errors[problem.problem](question);
        }
        const title = this.title(form, lang);
        const html = surveyForm({ token, lang, title, courseTitle: form.courseTitle, questions: form.questions, state: { values, errors }, csrfToken: page.csrf });
        return page.render(FRAGMENT, { title, html, hasErrors: true }, 400);
      }
      page.render(MESSAGE, { title: t.thanksTitle, text: t.thanks });
    } catch (error) {
      this.broken(page, error);
    }
  }

  @Anonymous()
  @Get(':token/opt-out')
  async confirmOptOut(@Param('token') token: string, @Page() page: PageContext): Promise<void> {
    const lang = await this.language(token, page);
    try {
      await this.evaluations.form(token);
      page.render('follow-up/pages/opt-out.njk', { s: TEXT[lang], path: `/survey/${encodeURIComponent(token)}` });
    } catch (error) {
      this.broken(page, error);
    }
  }

  @Anonymous()
  @Post(':token/opt-out')
  async optOut(@Param('token') token: string, @Page() page: PageContext): Promise<void> {
    const lang = await this.language(token, page);
    const t = TEXT[lang];
    try {
      await this.evaluations.optOut(token);
      page.render(MESSAGE, { title: t.optedOutTitle, text: t.optedOut });
    } catch (error) {
      this.broken(page, error);
    }
  }

  private title(form: { title: string; titleEn: string | null }, lang: Lang): string {
    return (lang === 'en' ? form.titleEn : null) ?? form.title;
  }

  private async language(token: string, page: PageContext): Promise<Lang> {
    page.preferLang(await this.evaluations.localeOf(token));
    return page.lang;
  }

  private broken(page: PageContext, error: unknown): void {
    if (!(error instanceof AppError)) throw error;
    const t = TEXT[page.lang];
    const answered = error.code === FollowUpErrorCode.EVALUATION_ALREADY_ANSWERED;
    page.render(MESSAGE, { title: answered ? t.answeredTitle : t.brokenTitle, text: answered ? t.answered : t.broken }, answered ? 409 : 404);
  }
}
