import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeyAccess, CurrentUser, Public } from '../common/decorators/auth.decorators.js';
import { AppError, CommonErrorCode } from '../common/errors/app-error.js';
import { ApiErrors } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { CatalogueImportService, XLSX_TYPE } from './catalogue-import.service.js';
import { ImportQueryDto, ImportReportDto, ImportTemplateQueryDto } from './dto/catalogue-import.dto.js';

const COLUMNS = 'Columns (template: GET /offerings/import-template): course_code, title, description, themes, format, target_groups, language, level, hours, price_sek, contact_email, accessibility_features, starts_at, ends_at, municipality_code, online, venue, online_url, capacity, booking_opens_at, booking_closes_at, cancellation_deadline, requires_approval, waitlist_mode.';

@ApiTags('integrations')
@Controller()
export class CatalogueImportController {
  constructor(private readonly imports: CatalogueImportService) {}

  @Post('providers/:id/offerings/import')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiKeyAccess()
  @ApiOperation({
    summary: 'Import the provider\'s catalogue from CSV or xlsx (one row per session); ?dryRun=true (default) only reports',
    description:
      'The body is the file itself (Content-Type text/csv or the xlsx type, at most 1 MB and 5000 rows). Rows of one course_code describe one ' +
      'course; a course_code imported before is updated, a session at the same start of that course is updated, other rows create. ' +
      'The report gives each row created, updated or rejected with its reasons in Swedish. With dryRun=false every row is written in one ' +
      'transaction, or, when any row is rejected, nothing (400 CATALOGUE_IMPORT_REJECTED with the report in details). New courses are drafts. ' +
      `Unknown or missing columns → 400 CATALOGUE_IMPORT_COLUMNS. ${COLUMNS} Provider staff, its API keys, coordinators.`,
  })
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiErrors(400, 401, 403, 404)
  run(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') providerId: string,
    @Query() query: ImportQueryDto,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<ImportReportDto> {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const kind = type === 'text/csv' ? 'csv' : type === XLSX_TYPE ? 'xlsx' : null;
    if (!kind || !(typeof body === 'string' || Buffer.isBuffer(body))) {
      throw new AppError(415, CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, `Send the file as text/csv or ${XLSX_TYPE}`);
    }
    return this.imports.run(user, providerId, { kind, body }, query.dryRun);
  }

  @Public()
  @Get('offerings/import-template')
  @ApiOperation({
    summary: 'The catalogue import template (xlsx with a sheet explaining each column, or CSV)',
    description: `One example row under the header. ${COLUMNS}`,
  })
  @ApiProduces(XLSX_TYPE, 'text/csv')
  @ApiOkResponse({ description: 'The template file', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400)
  async template(@Query() query: ImportTemplateQueryDto, @Res({ passthrough: true }) res: FastifyReply): Promise<string | Buffer> {
    const file = await this.imports.template(query.format);
    res
      .type(query.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('Content-Disposition', `attachment; filename="kursimport-mall.${query.format}"`);
    return file;
  }
}
