import { Injectable } from '@nestjs/common';
import { toCsv } from '../common/csv.js';
import { sectionsCsv, sectionsXlsx, type ReportSection } from '../needs/needs-report.export.js';
import { suppressRow } from '../needs/suppression.js';
import type { CofinancingDto, CofinancingRowDto, IndicatorDimensionDto, IndicatorsDto } from './dto/reports.dto.js';
import { hoursOf } from './participant-time.js';
import { ParticipantsRepository, type IndicatorRow } from './participants.repository.js';
import { RegisterService } from './register.service.js';

const GENDER: Array<[string, string]> = [['woman', 'Kvinnor'], ['man', 'Män'], ['non_binary', 'Ickebinära/annat'], ['not_stated', 'Ej angivet']];
const AGE: Array<[string, string]> = [['under_18', 'Under 18 år'], ['18_29', '18–29 år'], ['30_54', '30–54 år'], ['55_plus', '55 år och äldre'], ['unknown', 'Okänd ålder']];
const EDUCATION: Array<[string, string]> = [['isced_0_2', 'ISCED 0–2'], ['isced_3_4', 'ISCED 3–4'], ['isced_5_8', 'ISCED 5–8'], ['unknown', 'Okänd']];
const DISABILITY: Array<[string, string]> = [['yes', 'Ja'], ['no', 'Nej'], ['prefer_not_to_say', 'Vill inte uppge'], ['not_stated', 'Ej angivet']];

function genderOf(row: IndicatorRow): string {
  if (row.gender === 'woman' || row.gender === 'man') return row.gender;
  return row.gender === 'non_binary_other' ? 'non_binary' : 'not_stated';
}

function ageBandOf(row: IndicatorRow): string {
  if (row.age === null) return 'unknown';
  return row.age < 18 ? 'under_18' : row.age < 30 ? '18_29' : row.age < 55 ? '30_54' : '55_plus';
}

/** One dimension: counts per key (every key listed, zeros too), suppressed as one row (suppressRow). */
function dimension(dimension: string, title: string, keys: Array<[string, string]>, rows: IndicatorRow[], keyOf: (row: IndicatorRow) => string): IndicatorDimensionDto {
  const counts: Record<string, number> = Object.fromEntries(keys.map(([key]) => [key, 0]));
  for (const row of rows) counts[keyOf(row)] += 1;
  const shown = suppressRow(counts);
  return { dimension, title, cells: keys.map(([key, label]) => ({ key, label, count: shown[key] })) };
}

/** Places present among the participants (sorted by code), and "unknown" for those without one. */
function places(rows: IndicatorRow[], code: (r: IndicatorRow) => string | null, name: (r: IndicatorRow) => string | null): Array<[string, string]> {
  const seen = new Map<string, string>();
  for (const row of rows) {
    const c = code(row);
    if (c) seen.set(c, name(row) ?? c);
  }
  return [...[...seen.entries()].sort(([a], [b]) => a.localeCompare(b)), ['unknown', 'Okänd']];
}

const COFINANCING_HEADERS = ['Organisationsnummer', 'Organisation', 'Månad', 'Intygade timmar', 'Ej intygade timmar', 'Värde (kr)'];

/** Co-financing (certified hours × unit cost) and the programme's participant indicators. */
@Injectable()
export class ProgrammeReportsService {
  constructor(
    private readonly register: RegisterService,
    private readonly repository: ParticipantsRepository,
  ) {}

  async cofinancing(programmeId: string, month: string | undefined): Promise<CofinancingDto> {
    const programme = await this.register.esfProgramme(programmeId);
    const unit = programme.unitCostPerHourSek === null ? null : Number(programme.unitCostPerHourSek);
    const items: CofinancingRowDto[] = (await this.repository.cofinancing(programmeId, month ? `${month}-01` : null)).map((r) => ({
      organisationId: r.organisation_id,
      orgNumber: r.org_number,
      organisationName: r.organisation_name,
      month: r.month,
      certifiedHours: hoursOf(r.certified_hours),
      uncertifiedHours: hoursOf(r.uncertified_hours),
      valueSek: r.value_sek === null ? null : Number(r.value_sek),
    }));
    const certified = hoursOf(items.reduce((s, i) => s + i.certifiedHours, 0));
    return {
      programmeId,
      unitCostPerHourSek: unit,
      cosignRequired: programme.timeCosign,
      items,
      total: {
        organisationId: null,
        orgNumber: null,
        organisationName: null,
        month: month ?? 'all',
        certifiedHours: certified,
        uncertifiedHours: hoursOf(items.reduce((s, i) => s + i.uncertifiedHours, 0)),
        valueSek: unit === null ? null : Math.round(certified * unit * 100) / 100,
      },
    };
  }

  cofinancingExport(report: CofinancingDto, format: 'csv' | 'xlsx'): Promise<Buffer> | Buffer {
    const table = [...report.items, report.total].map((r) => [r.orgNumber ?? (r === report.total ? 'Totalt' : ''), r.organisationName ?? '', r.month === 'all' ? 'Alla' : r.month, r.certifiedHours, r.uncertifiedHours, r.valueSek ?? '']);
    if (format === 'csv') return Buffer.from(toCsv([COFINANCING_HEADERS, ...table]), 'utf8');
    return sectionsXlsx([{ sheet: 'Medfinansiering', title: 'Medfinansiering: intygad deltagartid', headers: COFINANCING_HEADERS, rows: table }]);
  }

  async indicators(programmeId: string): Promise<IndicatorsDto> {
    await this.register.esfProgramme(programmeId);
    const rows = await this.repository.indicatorRows(programmeId);
    return {
      programmeId,
      participants: rows.length,
      dimensions: [
        dimension('gender', 'Kön', GENDER, rows, genderOf),
        dimension('ageBand', 'Ålder vid start', AGE, rows, ageBandOf),
        dimension('education', 'Utbildningsnivå', EDUCATION, rows, (r) => r.education_level ?? 'unknown'),
        dimension('county', 'Län', places(rows, (r) => r.county_code, (r) => r.county_name), rows, (r) => r.county_code ?? 'unknown'),
        dimension('municipality', 'Kommun', places(rows, (r) => r.municipality_code, (r) => r.municipality_name), rows, (r) => r.municipality_code ?? 'unknown'),
        dimension('disability', 'Funktionsnedsättning (frivillig uppgift)', DISABILITY, rows, (r) => r.disability ?? 'not_stated'),
      ],
    };
  }

  indicatorsExport(report: IndicatorsDto, format: 'csv' | 'xlsx'): Promise<Buffer> | Buffer {
    const sections: ReportSection[] = report.dimensions.map((d) => ({ sheet: d.title, title: d.title, headers: [d.title, 'Kod', 'Antal deltagare'], rows: d.cells.map((c) => [c.label, c.key, c.count]) }));
    if (format === 'csv') return Buffer.from(sectionsCsv(sections), 'utf8');
    return sectionsXlsx(sections);
  }
}
