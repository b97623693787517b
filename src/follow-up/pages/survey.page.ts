import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/decorators/auth.decorators.js';
import { AppError } from '../../common/errors/app-error.js';
import { escapeHtml, sendPage } from '../../common/html.js';
import { answersFromForm } from '../answers.js';
import { EvaluationsService, InvalidAnswersError } from '../evaluations.service.js';
import { FollowUpErrorCode } from '../follow-up.errors.js';
import { surveyForm, SURVEY_STYLE } from './survey-form.js';
import { type Lang, TEXT } from './survey.texts.js';

/**
 * The page an evaluation link opens: an accessible HTML form that works without JavaScript (Swedish
 * by default, `?lang=en`), re-shown with errors next to the fields, and the "I don't want to answer"
 * confirmation. The GET of the opt-out only shows a button, so that mail scanners change nothing.
 */
@ApiExcludeController()
@Public()
@Controller('survey')
export class SurveyPageController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Query('lang') lang: string | undefined, @Res() res: FastifyReply): Promise<void> {
    const language = await this.language(token, lang);
    try {
      const form = await this.evaluations.form(token);
      this.send(res, 200, language, this.title(form, language), surveyForm({ token, lang: language, title: this.title(form, language), courseTitle: form.courseTitle, questions: form.questions, state: {} }));
    } catch (error) {
      this.sendBroken(res, language, error);
    }
  }

  @Post(':token')
  async submit(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Body() body: Record<string, unknown>,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const language = await this.language(token, lang);
    const t = TEXT[language];
    try {
      const form = await this.evaluations.form(token);
      const values = body && typeof body === 'object' ? body : {};
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
        const title = this.title(form, language);
        return this.send(res, 400, language, title, surveyForm({ token, lang: language, title, courseTitle: form.courseTitle, questions: form.questions, state: { values, errors } }));
      }
      this.send(res, 200, language, t.thanksTitle, `<h1>${escapeHtml(t.thanksTitle)}</h1>\n<p class="notice" role="status">${escapeHtml(t.thanks)}</p>`);
    } catch (error) {
      this.sendBroken(res, language, error);
    }
  }

  @Get(':token/opt-out')
  async confirmOptOut(@Param('token') token: string, @Query('lang') lang: string | undefined, @Res() res: FastifyReply): Promise<void> {
    const language = await this.language(token, lang);
    const t = TEXT[language];
    try {
      await this.evaluations.form(token);
      const path = `/survey/${encodeURIComponent(token)}`;
      this.send(
        res,
        200,
        language,
        t.optOutTitle,
        `${SURVEY_STYLE}<h1>${escapeHtml(t.optOutTitle)}</h1>
<p>${escapeHtml(t.optOutText)}</p>
<form method="post" action="${path}/opt-out?lang=${language}">
<button type="submit">${escapeHtml(t.optOutConfirm)}</button>
</form>
<p><a href="${path}?lang=${language}">${escapeHtml(t.optOutBack)}</a></p>`,
      );
    } catch (error) {
      this.sendBroken(res, language, error);
    }
  }

  @Post(':token/opt-out')
  async optOut(@Param('token') token: string, @Query('lang') lang: string | undefined, @Res() res: FastifyReply): Promise<void> {
    const language = await this.language(token, lang);
    const t = TEXT[language];
    try {
      await this.evaluations.optOut(token);
      this.send(res, 200, language, t.optedOutTitle, `<h1>${escapeHtml(t.optedOutTitle)}</h1>\n<p class="notice" role="status">${escapeHtml(t.optedOut)}</p>`);
    } catch (error) {
      this.sendBroken(res, language, error);
    }
  }

  private title(form: { title: string; titleEn: string | null }, lang: Lang): string {
    return (lang === 'en' ? form.titleEn : null) ?? form.title;
  }

  private async language(token: string, lang: string | undefined): Promise<Lang> {
    if (lang === 'en' || lang === 'sv') return lang;
    return this.evaluations.localeOf(token);
  }

  private sendBroken(res: FastifyReply, lang: Lang, error: unknown): void {
    if (!(error instanceof AppError)) throw error;
    const t = TEXT[lang];
    const answered = error.code === FollowUpErrorCode.EVALUATION_ALREADY_ANSWERED;
    const title = answered ? t.answeredTitle : t.brokenTitle;
    const status = answered ? 409 : 404;
    this.send(res, status, lang, title, `<h1>${escapeHtml(title)}</h1>\n<p class="${answered ? 'notice' : 'error'}" role="${answered ? 'status' : 'alert'}">${escapeHtml(answered ? t.answered : t.broken)}</p>`);
  }

  private send(res: FastifyReply, status: number, lang: Lang, title: string, body: string): void {
    sendPage(res, status, { lang, title, body });
  }
}
