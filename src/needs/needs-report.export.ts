import { toCsv } from '../common/csv.js';
import ExcelJS from 'exceljs';
import type { NeedsReportDto, SplitRowDto } from './dto/report.dto.js';

type Cell = string | number;

/** One question's table: a sheet in the workbook, a section in the CSV. Headings in Swedish. */
export interface ReportSection {
  sheet: string;
  title: string;
  headers: string[];
  rows: Cell[][];
}

const THEME_ALL = 'Alla teman';

function themeName(report: NeedsReportDto, code: string | null): string {
  if (code === null) return THEME_ALL;
  return report.themes.find((t) => t.themeCode === code)?.nameSv ?? code;
}

function splitSection(report: NeedsReportDto, sheet: string, title: string, keyHeading: string, rows: SplitRowDto[]): ReportSection {
  return {
    sheet,
    title,
    headers: ['Tema', keyHeading, 'Kod', 'Antal personer'],
    rows: rows.map((r) => [themeName(report, r.themeCode), r.label, r.key, r.people]),
  };
}

/** The report as tables, one per question (and one per split of demand). */
export function reportSections(report: NeedsReportDto): ReportSection[] {
  const a = report.assessments;
  const themeNames = new Map(report.themes.map((t) => [t.themeCode, t.nameSv]));
  return [
    {
      sheet: 'Svarsfrekvens',
      title: `Svarsfrekvens – ${report.round.title}`,
      headers: ['Inbjudna organisationer', 'Svarande organisationer', 'Med behov', 'Med bedömning', 'Svarsfrekvens'],
      rows: [[report.responseRate.invited, report.responseRate.answered, report.responseRate.withStatements, report.responseRate.withAssessment, report.responseRate.rate]],
    },
    {
      sheet: 'F1 F2 Behov per tema',
      title: 'Fråga 1–2: Behov av kompetensutveckling per tema (antal personer)',
      headers: ['Rang', 'Tema', 'Kod', 'Antal personer', 'Antal behov', 'Antal organisationer'],
      rows: [
        ...report.themes.map((t) => [t.rank, t.nameSv, t.themeCode, t.people, t.statements, t.organisations]),
        ['', 'Totalt', '', report.totals.people, report.totals.statements, ''],
      ],
    },
    splitSection(report, 'F2 Län', 'Fråga 2: Behov per län', 'Län', report.splits.county),
    splitSection(report, 'F2 Kommun', 'Fråga 2: Behov per kommun', 'Kommun', report.splits.municipality),
    splitSection(report, 'F2 Organisationsform', 'Fråga 2: Behov per organisationsform', 'Organisationsform', report.splits.legalForm),
    splitSection(report, 'F2 Sektor', 'Fråga 2: Behov per sektor', 'Sektor', report.splits.sector),
    {
      sheet: 'F2 Kön',
      title: 'Fråga 2: Behov per kön (celler under 5 visas som <5)',
      headers: ['Tema', 'Kvinnor', 'Män', 'Annat', 'Ej angivet'],
      rows: report.gender.map((g) => [themeName(report, g.themeCode), g.women, g.men, g.otherGender, g.unspecified]),
    },
    {
      sheet: 'F3 Utbud',
      title: `Fråga 3: Befintligt utbud ${report.supply.from.slice(0, 10)} – ${report.supply.to.slice(0, 10)} jämfört med behov`,
      headers: ['Tema', 'Kod', 'Antal personer', 'Lediga platser', 'Skillnad (behov − platser)'],
      rows: report.supply.demandVsSupply.map((d) => [themeNames.get(d.themeCode) ?? d.themeCode, d.themeCode, d.people, d.seatsLeft, d.gap]),
    },
    splitSection(report, 'F4 Form', 'Fråga 4: Behov per önskad form (förstahandsval)', 'Form', report.splits.format),
    {
      sheet: 'F5 Stödstruktur',
      title: 'Fråga 5: Stöd som behövs för att starta och utveckla sociala företag',
      headers: ['Stöd', 'Kod', 'Antal organisationer'],
      rows: [...a.socialEnterpriseSupport.options.map((o) => [o.label, o.key, o.count]), ...a.socialEnterpriseSupport.comments.map((c) => [c, 'fritext', ''])],
    },
    {
      sheet: 'F6 Jämställdhet',
      title: 'Fråga 6: Jämställdhet i organisationerna',
      headers: ['Fråga', 'Svar', 'Antal organisationer'],
      rows: [
        ...a.genderEquality.hasPlan.map((o) => ['Har jämställdhetsplan', o.label, o.count]),
        ['Har utbildat personalen i jämställdhet', 'Ja', a.genderEquality.hasTrained],
        ['Vill ha utbildning i jämställdhet', 'Ja', a.genderEquality.wantsTraining],
        ['Svarande', '', a.genderEquality.answered],
      ],
    },
    {
      sheet: 'F7 Tillgänglighet',
      title: 'Fråga 7: Kunskap om tillgänglighet (1 = mycket liten, 5 = mycket god)',
      headers: ['Fråga', 'Svar', 'Antal organisationer'],
      rows: [
        ...a.accessibility.levels.map((l) => ['Kunskapsnivå', l.label, l.count]),
        ['Medelvärde', '', a.accessibility.mean ?? ''],
        ['Vill ha utbildning i tillgänglighet', 'Ja', a.accessibility.wantsTraining],
        ['Svarande', '', a.accessibility.answered],
      ],
    },
    {
      sheet: 'F8 Utbildare',
      title: 'Fråga 8: Vem bör genomföra utbildningarna?',
      headers: ['Utbildare', 'Id', 'Antal organisationer'],
      rows: [...a.preferredProviders.options.map((o) => [o.label, o.key, o.count]), ...a.preferredProviders.comments.map((c) => [c, 'fritext', ''])],
    },
    {
      sheet: 'F9 Organisering',
      title: 'Fråga 9: Hur bör utbildningarna organiseras? (antal personer)',
      headers: ['Aspekt', 'Val', 'Kod', 'Antal personer'],
      rows: [
        ...report.organising.periods.map((r) => ['Tid på året', r.label, r.key, r.count]),
        ...report.organising.timeOfDay.map((r) => ['Tid på dagen', r.label, r.key, r.count]),
        ...report.organising.priority.map((r) => ['Prioritet', r.label, r.key, r.count]),
        ...report.organising.place.map((r) => ['Plats', r.label, r.key, r.count]),
        ...report.organising.accessibilityNeeds.map((r) => ['Tillgänglighetsbehov', r.label, r.key, r.count]),
      ],
    },
    {
      sheet: 'F10 Uppföljning',
      title: 'Fråga 10: Hur bör utbildningarna följas upp?',
      headers: ['Sätt', 'Kod', 'Antal organisationer'],
      rows: [...a.followUp.options.map((o) => [o.label, o.key, o.count]), ...a.followUp.comments.map((c) => [c, 'fritext', ''])],
    },
    {
      sheet: 'F11 Kanaler',
      title: 'Fråga 11: Hur bör utbildningarna spridas och marknadsföras?',
      headers: ['Kanal', 'Kod', 'Antal organisationer'],
      rows: [...a.channels.options.map((o) => [o.label, o.key, o.count]), ...a.channels.comments.map((c) => [c, 'fritext', ''])],
    },
    {
      sheet: 'F12 Samverkan',
      title: 'Fråga 12: Samverkan med andra projekt',
      headers: ['Projekt', 'Kod', 'Antal organisationer'],
      rows: [...a.cooperation.options.map((o) => [o.label, o.key, o.count]), ...a.cooperation.comments.map((c) => [c, 'fritext', ''])],
    },
  ].map((section) => ({ ...section, rows: section.rows as Cell[][] }));
}

/** CSV: a section per question (its title, headings, rows), separated by an empty line; UTF-8 with BOM for Excel. */
export function reportCsv(report: NeedsReportDto): string {
  return sectionsCsv(reportSections(report));
}

/** Any tables as CSV in the report's layout (also used by the matching module's coverage export). */
export function sectionsCsv(sections: ReportSection[]): string {
  return toCsv(sections.flatMap((section) => [[section.title], section.headers, ...section.rows, []]));
}

/** Excel: one sheet per question, Swedish headings, numbers as numbers. */
export async function reportXlsx(report: NeedsReportDto): Promise<Buffer> {
  return sectionsXlsx(reportSections(report));
}

/** Any tables as a workbook in the report's layout, one sheet per section. */
export async function sectionsXlsx(sections: ReportSection[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kompetenslyft';
  for (const section of sections) {
    const sheet = workbook.addWorksheet(section.sheet.slice(0, 31));
    sheet.addRow([section.title]).font = { bold: true, size: 13 };
    sheet.addRow(section.headers).font = { bold: true };
    for (const row of section.rows) sheet.addRow(row);
    sheet.columns.forEach((column, index) => {
      column.width = index === 0 ? 45 : 18;
    });
    sheet.views = [{ state: 'frozen', ySplit: 2 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
