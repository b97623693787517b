import type { CoverageReportDto } from '../../matching/dto/coverage.dto.js';
import type { NeedsReportDto } from '../../needs/dto/report.dto.js';
import { reportSections, type ReportSection } from '../../needs/needs-report.export.js';
import { type BarChart, barChart } from '../charts.js';
import { type SortedTable, sortTable } from '../tables.js';
import { fill } from '../views.js';
import type { Lang } from '../texts.js';
import { REPORT_SECTIONS_EN, ROUNDS_TEXTS } from './rounds-texts.js';

type Cell = string | number;
type Texts = (typeof ROUNDS_TEXTS)['sv'];

/** One of the report's tables on the page: the export's own section (same rows, same numbers), sortable, maybe with a chart. */
export interface ReportTable {
  id: string;
  title: string;
  table: SortedTable<Cell[]>;
  /** Rows kept under the sorted ones (the total). */
  footer: Cell[][];
  numeric: boolean[];
  charts: BarChart[];
}

/** A "<5" cell sorts between 0 and 5, an "x" (hidden) cell last, numbers as numbers. */
function sortValue(cell: Cell): string | number | null {
  if (typeof cell === 'number') return cell;
  if (cell === '<5') return 4.5;
  if (cell === 'x') return null;
  return cell;
}

const ALL_THEMES = 'Alla teman';
const FREE_TEXT = 'fritext';

/** Which rows of a section are drawn, and from which columns (label, values): the numbers people compare. */
function chartsFor(section: ReportSection, id: string, lang: Lang, t: Texts, title: string): BarChart[] {
  const rows = (filter: (r: Cell[]) => boolean, label: number, values: number[]) =>
    section.rows.filter(filter).map((r) => ({ label: String(r[label]), values: values.map((v) => (typeof r[v] === 'number' ? (r[v] as number) : 0)) }));
  const chart = (suffix: string, chartTitle: string, data: { label: string; values: number[] }[], series?: string[]) =>
    data.length ? [barChart({ id: `${id}-${suffix}`, lang, title: chartTitle, rows: data, series, tableId: id, tableLinkText: t.seeTable })] : [];
  switch (section.sheet) {
    case 'F1 F2 Behov per tema':
      return chart('chart', t.demandChart, rows((r) => r[0] !== '', 1, [3]));
    case 'F2 Län':
      return chart('chart', t.countyChart, rows((r) => r[0] === ALL_THEMES, 1, [3]));
    case 'F4 Form':
      return chart('chart', t.formatChart, rows((r) => r[0] === ALL_THEMES, 1, [3]));
    case 'F3 Utbud':
      return chart('chart', t.supplyChart, rows(() => true, 0, [2, 3]), [t.peopleSeries, t.seatsSeries]);
    case 'F7 Tillgänglighet':
      return chart('chart', t.levelsChart, rows((r) => r[0] === 'Kunskapsnivå', 1, [2]));
    case 'F5 Stödstruktur':
    case 'F8 Utbildare':
    case 'F10 Uppföljning':
    case 'F11 Kanaler':
    case 'F12 Samverkan':
      return chart('chart', fill(t.optionsChart, { title }), rows((r) => r[1] !== FREE_TEXT && typeof r[2] === 'number', 0, [2]));
    default:
      return [];
  }
}

/** The report's sections as page tables (captions in the page's language), each sortable by `?sort=q<n>.<column>`. */
export function reportTables(report: NeedsReportDto, lang: Lang, path: string, query: Record<string, unknown>): ReportTable[] {
  const t = ROUNDS_TEXTS[lang];
  return reportSections(report).map((section, index) => {
    const id = `q${index}`;
    const english = lang === 'en' ? REPORT_SECTIONS_EN[section.sheet] : undefined;
    const title = english?.title ?? section.title;
    const headers = english?.headers ?? section.headers;
    // The total row of the themes table stays last, whatever the order.
    const isFooter = (row: Cell[]) => row[0] === '' && row[1] === 'Totalt';
    const body = section.rows.filter((r) => !isFooter(r));
    const numeric = headers.map((_, c) => body.length > 0 && body.every((r) => typeof r[c] === 'number' || r[c] === '<5' || r[c] === 'x' || r[c] === ''));
    const table = sortTable(body, {
      id,
      name: id,
      path,
      query,
      columns: headers.map((text, c) => ({ key: String(c), text, numeric: numeric[c], value: (r: Cell[]) => sortValue(r[c]) })),
      initial: { sort: '-', dir: 'asc' },
    });
    return { id, title, table, footer: section.rows.filter(isFooter), numeric, charts: chartsFor(section, id, lang, t, title) };
  });
}

export interface CoverageRow {
  order: number;
  theme: string;
  county: string;
  people: number;
  seats: number;
  gap: number;
  noSupply: boolean;
  best: string;
}

/** The coverage cells in the service's order (no supply first, then the largest gap), sortable, with a chart of the first gaps. */
export function coverageView(report: CoverageReportDto, lang: Lang, path: string, query: Record<string, unknown>): { table: SortedTable<CoverageRow>; chart: BarChart | null; demand: number } {
  const t = ROUNDS_TEXTS[lang];
  const rows: CoverageRow[] = report.cells.map((c, i) => ({
    order: i + 1,
    theme: lang === 'en' ? c.themeNameEn : c.themeNameSv,
    county: c.countyName,
    people: c.people,
    seats: c.seats,
    gap: c.gap,
    noSupply: c.noSupply,
    best: c.best.map((b) => `${b.title} (${b.providerName})`).join('; '),
  }));
  const table = sortTable(rows, {
    id: 'coverage',
    path,
    query,
    columns: [
      { key: 'order', text: t.orderColumn, value: (r) => r.order, numeric: true },
      { key: 'theme', text: t.themeColumn, value: (r) => r.theme },
      { key: 'county', text: t.countyColumn, value: (r) => r.county },
      { key: 'people', text: t.peopleColumn, value: (r) => r.people, numeric: true },
      { key: 'seats', text: t.seatsColumn, value: (r) => r.seats, numeric: true },
      { key: 'gap', text: t.gapColumn, value: (r) => r.gap, numeric: true },
    ],
    initial: { sort: 'order', dir: 'asc' },
  });
  const gaps = rows.filter((r) => r.gap > 0).slice(0, 10);
  const chart = gaps.length
    ? barChart({
        id: 'coverage-chart',
        lang,
        title: t.coverageChart,
        series: [t.peopleSeries, t.seatsSeries],
        rows: gaps.map((r) => ({ label: `${r.theme} – ${r.county}`, values: [r.people, r.seats] })),
        tableId: 'coverage',
        tableLinkText: t.seeTable,
      })
    : null;
  return { table, chart, demand: rows.reduce((sum, r) => sum + r.people, 0) };
}
