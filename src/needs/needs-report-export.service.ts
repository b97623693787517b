import { Injectable } from '@nestjs/common';
import type { NeedsReportDto, ReportQueryDto } from './dto/report.dto.js';
import { reportCsv, reportXlsx } from './needs-report.export.js';
import { NeedsReportService } from './needs-report.service.js';

export type ReportResult = { json: NeedsReportDto } | { body: Buffer; contentType: string; filename: string };

/** The report as JSON, CSV or an Excel workbook. */
@Injectable()
export class NeedsReportExportService {
  constructor(private readonly reports: NeedsReportService) {}

  async report(roundId: string, query: ReportQueryDto): Promise<ReportResult> {
    const report = await this.reports.report(roundId, query.supplyMonths);
    const base = `behovsinventering-${report.round.opensAt.slice(0, 10)}`;
    if (query.format === 'csv') {
      return { body: Buffer.from(reportCsv(report), 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv` };
    }
    if (query.format === 'xlsx') {
      return {
        body: await reportXlsx(report),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        filename: `${base}.xlsx`,
      };
    }
    return { json: report };
  }
}
