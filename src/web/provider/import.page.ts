import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { CatalogueImportService, XLSX_TYPE } from '../../catalogue/catalogue-import.service.js';
import type { ImportReportDto } from '../../catalogue/dto/catalogue-import.dto.js';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { FormErrors } from '../forms.js';
import { uploadedFile } from '../multipart.js';
import { Page, PageContext, WebController } from '../page.js';
import { fill } from '../views.js';
import { PROVIDER_MORE_TEXTS } from './more-texts.js';
import { providerFor } from './provider-access.js';

const T = 'web/provider/templates';
type Kind = 'csv' | 'xlsx';

/** CSV or xlsx, from the file's name or its type (browsers name CSV types differently). */
function kindOf(filename: string, type: string): Kind | null {
  const name = filename.toLowerCase();
  if (name.endsWith('.xlsx') || type === XLSX_TYPE) return 'xlsx';
  if (name.endsWith('.csv') || type === 'text/csv') return 'csv';
  return null;
}

/**
 * Importing the provider's catalogue (`/anordnare/:providerId/import`): the template to download,
 * a multipart upload (CSV or xlsx) that runs the catalogue's import as a dry run and shows each
 * row created, updated or rejected with its Swedish reason; then "Importera" posts the same file
 * (carried in the page, base64) for the real run, which writes every row in one transaction or
 * nothing.
 */
@WebController('anordnare')
export class ProviderImportPages {
  constructor(
    private readonly access: ProviderAccess,
    private readonly imports: CatalogueImportService,
  ) {}

  private provider(page: PageContext, providerId: string) {
    return providerFor(this.access, page, providerId);
  }

  @Get(':providerId/import')
  async form(@Page() page: PageContext, @Param('providerId') providerId: string): Promise<void> {
    const provider = await this.provider(page, providerId);
    page.render(`${T}/import.njk`, { provider });
  }

  @Get(':providerId/import/mall')
  async template(@Page() page: PageContext, @Param('providerId') providerId: string, @Query('format') format?: string): Promise<void> {
    await this.provider(page, providerId);
    if (format !== 'csv' && format !== 'xlsx') throw AppError.notFound('page');
    const file = await this.imports.template(format);
    page.reply
      .status(200)
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('Content-Disposition', `attachment; filename="kursimport-mall.${format}"`)
      .header('Cache-Control', 'no-store')
      .send(file);
  }

  /** The dry run of an uploaded file. */
  @Post(':providerId/import')
  async check(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const provider = await this.provider(page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const errors = new FormErrors();
    const file = uploadedFile(body?.file);
    const kind = file ? kindOf(file.filename, file.type) : null;
    if (!file) errors.add('file', t.fileMissing);
    else if (!kind) errors.add('file', t.fileType);
    if (errors.any) return page.render(`${T}/import.njk`, { provider, errors }, 400);
    await this.run(page, provider, { kind: kind!, data: file!.data, filename: file!.filename }, true);
  }

  /** The real run: the file the dry run showed, posted back from its page. */
  @Post(':providerId/import/kor')
  async commit(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const provider = await this.provider(page, providerId);
    const content = typeof body?.content === 'string' ? body.content : '';
    const kind = body?.kind === 'csv' || body?.kind === 'xlsx' ? body.kind : null;
    const filename = typeof body?.filename === 'string' ? body.filename.slice(0, 200) : '';
    if (!kind || !content || !/^[A-Za-z0-9+/=\s]+$/.test(content)) throw new AppError(400, 'VALIDATION_FAILED', 'content');
    await this.run(page, provider, { kind, data: Buffer.from(content, 'base64'), filename }, false);
  }

  private async run(page: PageContext, provider: { id: string; name: string }, file: { kind: Kind; data: Buffer; filename: string }, dryRun: boolean): Promise<void> {
    const t = PROVIDER_MORE_TEXTS[page.lang];
    let report: ImportReportDto;
    try {
      report = await this.imports.run(page.me, provider.id, { kind: file.kind, body: file.kind === 'csv' ? file.data.toString('utf8') : file.data }, dryRun);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      if (error.code === 'CATALOGUE_IMPORT_REJECTED') {
        const rejected = error.details as unknown as ImportReportDto;
        return page.render(`${T}/import-report.njk`, { provider, report: rejected, problem: fill(t.importRejected, { rejected: rejected.summary.rejected }) }, 400);
      }
      const errors = new FormErrors();
      errors.add('file', error.code === 'CATALOGUE_IMPORT_COLUMNS' ? fill(t.fileColumns, { message: error.message }) : fill(t.fileUnreadable, { message: error.message }));
      return page.render(`${T}/import.njk`, { provider, errors }, 400);
    }
    page.render(`${T}/import-report.njk`, {
      provider,
      report,
      file: dryRun && report.summary.rejected === 0 ? { kind: file.kind, filename: file.filename, content: file.data.toString('base64') } : undefined,
    });
  }
}
