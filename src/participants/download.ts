import { StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A CSV or xlsx export as a download named `<name>.<format>`. */
export function download(res: FastifyReply, body: Buffer | string, format: 'csv' | 'xlsx', name: string): StreamableFile | string {
  if (format === 'csv') {
    res.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.csv"`);
    return typeof body === 'string' ? body : body.toString('utf8');
  }
  return new StreamableFile(typeof body === 'string' ? Buffer.from(body) : body, { type: XLSX, disposition: `attachment; filename="${name}.xlsx"` });
}

/** A report as JSON, or as a CSV / xlsx download made by `exporter`. */
export async function respond<T>(
  res: FastifyReply,
  report: T,
  format: 'json' | 'csv' | 'xlsx' | undefined,
  exporter: (report: T, format: 'csv' | 'xlsx') => Promise<Buffer> | Buffer,
  name: string,
): Promise<T | StreamableFile | string> {
  if (format === 'csv' || format === 'xlsx') return download(res, await exporter(report, format), format, name);
  return report;
}
