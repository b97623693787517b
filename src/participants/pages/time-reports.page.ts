import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { monthText } from '../../mail/templates/time-report.template.js';
import { FormErrors, FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import type { TimeReportDto } from '../dto/time-report.dto.js';
import { TimeReportsService } from '../time-reports.service.js';
import { TIME_REPORT_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A participant's time reports (ESF) and their certification with the emailed code: the
 * certification email links to `/tidrapporter/:id`. The same service as the JSON API.
 */
@WebController()
export class TimeReportPages {
  constructor(private readonly reports: TimeReportsService) {}

  @Get('tidrapporter')
  async list(@Page() page: PageContext): Promise<void> {
    const { items } = await this.reports.mine(page.me, { limit: 100, offset: 0 });
    page.render('participants/pages/time-reports.njk', { reports: items.map((r) => this.view(page, r)) });
  }

  @Get('tidrapporter/:id')
  async show(@Page() page: PageContext, @Param('id') id: string, @Query('kod') sent?: string): Promise<void> {
    await this.render(page, id, { codeSent: sent === 'skickad' });
  }

  @Post('tidrapporter/:id/kod')
  async sendCode(@Page() page: PageContext, @Param('id') id: string): Promise<void> {
    try {
      await this.reports.sendCode(page.me, this.uuid(id));
      page.redirect(`/tidrapporter/${id}?kod=skickad`);
    } catch (error) {
      await this.refused(page, id, error, 'sendCode');
    }
  }

  @Post('tidrapporter/:id/intyga')
  async certify(@Page() page: PageContext, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const t = TIME_REPORT_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const code = form.text('code', { label: t.codeField, required: true, max: 20 }).replace(/\s/g, '');
    if (!form.errors.any && !/^\d{6}$/.test(code)) form.errors.add('code', t.errors.CERTIFICATION_CODE_INVALID);
    if (form.errors.any) return this.render(page, id, { errors: form.errors, values: form.values }, 400);
    try {
      await this.reports.certify(page.me, this.uuid(id), code);
      page.redirect(`/tidrapporter/${id}`);
    } catch (error) {
      await this.refused(page, id, error, 'code', form.values);
    }
  }

  /** A refusal the person can act on, shown on the report with the error summary; anything else goes on to the error pages. */
  private async refused(page: PageContext, id: string, error: unknown, field: string, values: Record<string, unknown> = {}): Promise<void> {
    const messages = TIME_REPORT_TEXTS[page.lang].errors as Record<string, string>;
    if (!(error instanceof AppError) || !messages[error.code]) throw error;
    await this.render(page, id, { errors: new FormErrors().add(field, messages[error.code]), values }, error.status === 429 ? 429 : error.status === 409 ? 409 : 400);
  }

  private async render(page: PageContext, id: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const report = await this.reports.own(page.me, this.uuid(id));
    page.render('participants/pages/time-report.njk', { report: this.view(page, report), ...data }, status);
  }

  private view(page: PageContext, report: TimeReportDto) {
    const t = TIME_REPORT_TEXTS[page.lang];
    return {
      ...report,
      monthText: monthText(report.month, page.lang),
      statusText: (t.statuses as Record<string, string>)[report.status],
      hoursText: String(report.hours).replace('.', page.lang === 'sv' ? ',' : '.'),
    };
  }

  private uuid(id: string): string {
    if (!UUID.test(id)) throw AppError.notFound('Time report');
    return id;
  }
}
