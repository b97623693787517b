import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { DemandViewDto, NeedsReportDto, ReportQueryDto } from './dto/report.dto.js';
import { NeedsReportExportService } from './needs-report-export.service.js';
import { NeedsReportService } from './needs-report.service.js';

@ApiTags('needs')
@ApiBearerAuth()
@Controller('needs-rounds/:id')
export class NeedsReportController {
  constructor(
    private readonly reports: NeedsReportService,
    private readonly exports: NeedsReportExportService,
  ) {}

  @Get('report')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'The round\'s report answering the programme\'s questions (coordinator); ?format=csv|xlsx',
    description:
      'Response rate; demand in people per theme (ranked) with splits by first-preference format, county, municipality, legal form and sector (exact); ' +
      'gender per theme with cells under 5 as "<5"; supply per theme from published sessions starting within `supplyMonths` (Q3) and demand vs supply; ' +
      'how to organise (Q9); assessment answers per question. `format=xlsx` gives a workbook with one sheet per question (Swedish headings), `format=csv` a section per question.',
  })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ type: NeedsReportDto })
  @ApiErrors(400, 401, 403, 404)
  async report(
    @UuidParam('id') id: string,
    @Query() query: ReportQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<NeedsReportDto | StreamableFile> {
    const result = await this.exports.report(id, query);
    if ('json' in result) return result.json;
    res.header('Content-Disposition', `attachment; filename="${result.filename}"`);
    return new StreamableFile(result.body, { type: result.contentType });
  }

  @Get('demand')
  @ApiOperation({
    summary: 'Demand per theme and county with small cells suppressed (provider staff, coordinators)',
    description: 'People per theme and county; every cell under 5 is "<5"; no organisation names and no totals.',
  })
  @ApiOkResponse({ type: DemandViewDto })
  @ApiErrors(400, 401, 403, 404)
  demand(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<DemandViewDto> {
    return this.reports.demand(user, id);
  }
}
