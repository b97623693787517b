import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { parseCsv, toCsv } from '../common/csv.js';
import { AppError } from '../common/errors/app-error.js';
import { ReferenceService, type ReferenceKind } from '../reference/reference.service.js';
import { CatalogueErrorCode } from './catalogue.errors.js';
import { type Cell, headerProblem, IMPORT_COLUMNS, type ImportedOffering, type ImportedSession, parseRow, type ParsedRow, sameOffering } from './catalogue-import.js';
import type { ImportReportDto, ImportRowDto } from './dto/catalogue-import.dto.js';
import { Offering } from './offering.entity.js';
import { ProviderAccess } from './provider-access.service.js';
import { Session } from './session.entity.js';
import { SessionEvents } from './session-events.js';

export { XLSX_CONTENT_TYPE as XLSX_TYPE } from '../common/http.js';
/** More rows than this is refused as a whole (split the file). */
export const MAX_IMPORT_ROWS = 5000;

export interface ImportFile {
  kind: 'csv' | 'xlsx';
  body: string | Buffer;
}

interface Planned {
  row: ParsedRow;
  offering: ImportedOffering;
  session: ImportedSession;
  existingOffering: Offering | null;
  existingSession: Session | null;
}

/**
 * A provider's catalogue from a CSV or xlsx file (one row per session, the provider's own course
 * code tying rows to an offering). Each row is created (a new session), updated (a session of the
 * same course at the same start, found again) or rejected with its reasons in Swedish. A dry run
 * writes nothing; a real run writes every row in one transaction, or nothing when any row is
 * rejected. New offerings are drafts: the provider publishes them.
 */
@Injectable()
export class CatalogueImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProviderAccess,
    private readonly reference: ReferenceService,
    private readonly events: SessionEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async run(user: AuthUser, providerId: string, file: ImportFile, dryRun: boolean): Promise<ImportReportDto> {
    await this.access.require(user, providerId);
    const { header, rows } = await this.read(file);
    const parsed = rows.map((cells, i) => parseRow(i + 2, header, cells, this.clock.now()));
    this.checkCourses(parsed);
    await this.checkCodes(parsed);
    if (dryRun) return this.plan(this.dataSource.manager, providerId, parsed, false).then((planned) => report(parsed, planned, true, false));
    return this.dataSource.transaction(async (manager) => {
      const planned = await this.plan(manager, providerId, parsed, true);
      const result = report(parsed, planned, false, false);
      if (result.summary.rejected > 0) {
        throw new AppError(400, CatalogueErrorCode.IMPORT_REJECTED, `${result.summary.rejected} row(s) rejected: nothing was imported`, { ...result });
      }
      await this.write(manager, providerId, planned);
      await this.audit.record(manager, {
        actorUserId: user.apiKey ? null : user.id,
        action: 'catalogue.imported',
        providerId,
        details: { ...result.summary, ...(user.apiKey ? { apiKeyId: user.apiKey.id } : {}) },
      });
      return report(parsed, planned, false, true);
    });
  }

  /** The documented template: the columns, one example row, and (xlsx) a sheet that explains each column. */
  async template(format: 'csv' | 'xlsx'): Promise<string | Buffer> {
    const names = IMPORT_COLUMNS.map((c) => c.name);
    const example = IMPORT_COLUMNS.map((c) => c.example);
    if (format === 'csv') return toCsv([names, example]);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Kurstillfällen');
    sheet.addRow(names);
    sheet.addRow(example);
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((column) => (column.width = 22));
    const help = workbook.addWorksheet('Kolumner');
    help.addRow(['Kolumn', 'Obligatorisk', 'Vad den ska innehålla']);
    for (const column of IMPORT_COLUMNS) help.addRow([column.name, column.required ? 'ja' : 'nej', column.help]);
    help.getRow(1).font = { bold: true };
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private async read(file: ImportFile): Promise<{ header: string[]; rows: Cell[][] }> {
    let table: Cell[][];
    if (file.kind === 'csv') {
      table = parseCsv(typeof file.body === 'string' ? file.body : file.body.toString('utf8'));
    } else {
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      } catch {
        throw new AppError(400, CatalogueErrorCode.IMPORT_UNREADABLE, 'The file is not a readable xlsx workbook');
      }
      const sheet = workbook.worksheets[0];
      table = [];
      sheet?.eachRow({ includeEmpty: false }, (row) => {
        const values = (row.values as unknown[]).slice(1).map(cellValue);
        if (values.some((v) => v !== null && v !== '')) table.push(values);
      });
    }
    if (table.length < 2) throw new AppError(400, CatalogueErrorCode.IMPORT_UNREADABLE, 'The file has no rows under its header');
    if (table.length - 1 > MAX_IMPORT_ROWS) throw new AppError(400, CatalogueErrorCode.IMPORT_UNREADABLE, `At most ${MAX_IMPORT_ROWS} rows per file`);
    const header = table[0].map((h) => String(h ?? '').trim().toLowerCase());
    const problem = headerProblem(header);
    if (problem) throw new AppError(400, CatalogueErrorCode.IMPORT_COLUMNS, problem, { columns: IMPORT_COLUMNS.map((c) => c.name) });
    return { header, rows: table.slice(1) };
  }

  /** Rows of one course code must describe the same course; a session (course and start) once. */
  private checkCourses(parsed: ParsedRow[]): void {
    const firstOf = new Map<string, ParsedRow>();
    const starts = new Map<string, number>();
    for (const row of parsed) {
      if (!row.offering || !row.session) continue;
      const first = firstOf.get(row.offering.courseCode);
      if (!first) firstOf.set(row.offering.courseCode, row);
      else if (!sameOffering(first.offering!, row.offering)) {
        row.reasons.push(`Kursuppgifterna skiljer sig från rad ${first.line}, som har samma course_code`);
      }
      const key = `${row.offering.courseCode}\u0000${row.session.startsAt.toISOString()}`;
      const earlier = starts.get(key);
      if (earlier) row.reasons.push(`Samma kurs och starttid som rad ${earlier}`);
      else starts.set(key, row.line);
    }
  }

  /** Codes against reference data: one query per kind for the whole file. */
  private async checkCodes(parsed: ParsedRow[]): Promise<void> {
    const checks: Array<{ kind: ReferenceKind; column: string; codes: (row: ParsedRow) => string[] }> = [
      { kind: 'theme', column: 'themes', codes: (r) => r.offering!.themeCodes },
      { kind: 'format', column: 'format', codes: (r) => [r.offering!.format] },
      { kind: 'accessibilityFeature', column: 'accessibility_features', codes: (r) => r.offering!.accessibilityFeatures },
      { kind: 'municipality', column: 'municipality_code', codes: (r) => (r.session!.municipalityCode ? [r.session!.municipalityCode] : []) },
    ];
    const valid = parsed.filter((r) => r.offering && r.session);
    for (const check of checks) {
      const unknown = new Set(await this.reference.unknownCodes(check.kind, [...new Set(valid.flatMap(check.codes))]));
      if (unknown.size === 0) continue;
      for (const row of valid) {
        const bad = check.codes(row).filter((code) => unknown.has(code));
        if (bad.length) row.reasons.push(`${check.column}: okända koder ${bad.join(', ')}`);
      }
    }
  }

  /** Matches rows with the provider's offerings and sessions (locked for a real run) and finds what cannot be changed. */
  private async plan(manager: EntityManager, providerId: string, parsed: ParsedRow[], lock: boolean): Promise<Planned[]> {
    const codes = [...new Set(parsed.filter((r) => r.offering).map((r) => r.offering!.courseCode))];
    const offerings = codes.length
      ? await manager.getRepository(Offering).find({ where: { providerId, courseCode: In(codes) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : [];
    const offeringByCode = new Map(offerings.map((o) => [o.courseCode!, o]));
    const sessions = offerings.length
      ? await manager.getRepository(Session).find({ where: { offeringId: In(offerings.map((o) => o.id)) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : [];
    const sessionByStart = new Map(sessions.map((s) => [`${s.offeringId}\u0000${s.startsAt.toISOString()}`, s]));
    const planned: Planned[] = [];
    for (const row of parsed) {
      if (!row.offering || !row.session) continue;
      const existingOffering = offeringByCode.get(row.offering.courseCode) ?? null;
      const existingSession = existingOffering ? (sessionByStart.get(`${existingOffering.id}\u0000${row.session.startsAt.toISOString()}`) ?? null) : null;
      if (existingOffering?.status === 'archived') row.reasons.push('Kursen är arkiverad och kan inte ändras');
      if (existingSession?.status === 'cancelled') row.reasons.push('Tillfället är inställt och kan inte ändras');
      if (existingSession && row.session.capacity < existingSession.seatsTaken) {
        row.reasons.push(`capacity kan inte bli lägre än de ${existingSession.seatsTaken} platser som redan är bokade`);
      }
      if (row.reasons.length === 0) planned.push({ row, offering: row.offering, session: row.session, existingOffering, existingSession });
    }
    return planned;
  }

  private async write(manager: EntityManager, providerId: string, planned: Planned[]): Promise<void> {
    const offeringIds = new Map<string, string>();
    const offerings = manager.getRepository(Offering);
    // The offering's columns as they are stored (hours is numeric, read by TypeORM as text).
    const fields = ({ courseCode: _code, hours, ...rest }: ImportedOffering) => ({ ...rest, hours: hours === null ? null : String(hours) });
    const newOfferings = new Map<string, ImportedOffering>();
    for (const plan of planned) {
      if (plan.existingOffering) offeringIds.set(plan.offering.courseCode, plan.existingOffering.id);
      else newOfferings.set(plan.offering.courseCode, plan.offering);
    }
    if (newOfferings.size) {
      const inserted = await offerings.insert([...newOfferings.values()].map((o) => ({ providerId, courseCode: o.courseCode, status: 'draft' as const, ...fields(o) })));
      [...newOfferings.keys()].forEach((code, i) => offeringIds.set(code, inserted.identifiers[i].id as string));
    }
    const updated = new Set<string>();
    for (const plan of planned) {
      if (plan.existingOffering && !updated.has(plan.existingOffering.id)) {
        updated.add(plan.existingOffering.id);
        await offerings.update({ id: plan.existingOffering.id }, fields(plan.offering));
      }
    }
    const sessions = manager.getRepository(Session);
    // An imported session's fields are session columns as they are.
    const sessionFields = (session: ImportedSession) => ({ ...session });
    const fresh = planned.filter((p) => !p.existingSession);
    if (fresh.length) {
      const inserted = await sessions.insert(fresh.map((p) => ({ offeringId: offeringIds.get(p.offering.courseCode)!, ...sessionFields(p.session) })));
      fresh.forEach((p, i) => (p.row.sessionId = inserted.identifiers[i].id as string));
    }
    for (const plan of planned.filter((p) => p.existingSession)) {
      const session = plan.existingSession!;
      await sessions.update({ id: session.id }, sessionFields(plan.session));
      if (plan.session.capacity > session.capacity) await this.events.emit(manager, 'capacityRaised', session.id);
      plan.row.sessionId = session.id;
    }
    for (const plan of planned) plan.row.offeringId = offeringIds.get(plan.offering.courseCode)!;
  }
}

/** An xlsx cell's value: rich text and formulas as their text or result, hyperlinks as their text. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value as Cell;
  const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown };
  if (v.richText) return v.richText.map((part) => part.text).join('');
  if ('result' in v) return cellValue(v.result);
  if ('text' in v) return cellValue(v.text);
  return String(value);
}

function report(parsed: ParsedRow[], planned: Planned[], dryRun: boolean, written: boolean): ImportReportDto {
  const plans = new Map(planned.map((p) => [p.row.line, p]));
  const rows: ImportRowDto[] = parsed.map((row) => {
    const plan = row.reasons.length ? undefined : plans.get(row.line);
    return {
      row: row.line,
      courseCode: row.courseCode,
      startsAt: plan?.session.startsAt.toISOString() ?? null,
      result: plan ? (plan.existingSession ? 'updated' : 'created') : 'rejected',
      offering: plan ? (plan.existingOffering ? 'updated' : 'created') : null,
      offeringId: row.offeringId ?? plan?.existingOffering?.id ?? null,
      sessionId: row.sessionId ?? plan?.existingSession?.id ?? null,
      reasons: row.reasons,
    };
  });
  const count = (result: ImportRowDto['result']) => rows.filter((r) => r.result === result).length;
  return { dryRun, written, summary: { created: count('created'), updated: count('updated'), rejected: count('rejected') }, rows };
}
