import type { Lang } from './texts.js';

/**
 * Server-side horizontal bar charts (no client library, no JavaScript): `barChart()` computes the
 * geometry and the text alternative, `web/templates/chart.njk`'s `barChart` macro draws the SVG.
 * The SVG is drawn in a 600-unit-wide viewBox and scales to its container (a 390 px phone too);
 * each bar is labelled with its value, `role="img"` with a <title> and a <desc> that says every
 * number, and a link to the table with the same numbers when `tableId` is given.
 *
 * In a page handler:
 *
 *     const chart = barChart({
 *       id: 'coverage-chart',
 *       lang: page.lang,
 *       title: t.chartTitle,                       // shown as the figure's caption and the SVG's <title>
 *       series: [t.demand, t.supply],              // one name per value (omit for a single series)
 *       rows: gaps.map((g) => ({ label: g.themeName, values: [g.demand, g.supply] })),
 *       tableId: 'coverage',                       // the <table> with the same numbers
 *       tableLinkText: t.seeTable,
 *     });
 *
 * In the template:
 *
 *     {% from "web/templates/chart.njk" import barChart %}
 *     {{ barChart(chart) }}
 */

export interface BarChartInput {
  /** Unique on the page: the figure's id and the prefix of the SVG's ids. */
  id: string;
  lang: Lang;
  title: string;
  /** A sentence before the numbers in the text alternative (what is measured, which unit). */
  summary?: string;
  /** The series' names, when a row has more than one value (up to three); shown as a legend. */
  series?: string[];
  rows: { label: string; values: number[]; texts?: string[] }[];
  /** Appended to each value's text (e.g. ' %'), unless `texts` gives the row's texts. */
  unit?: string;
  /** The bars' full length; by default the largest value. */
  max?: number;
  tableId?: string;
  tableLinkText?: string;
}

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  series: number;
  text: string;
  textX: number;
  textY: number;
}

export interface BarChart {
  id: string;
  titleId: string;
  descId: string;
  title: string;
  /** Every number in words: the SVG's <desc>. */
  description: string;
  width: number;
  height: number;
  rows: { label: string; labelY: number; bars: ChartBar[] }[];
  legend: { name: string; series: number; x: number; y: number }[];
  /** How many series, to define the hatch pattern only when used. */
  seriesCount: number;
  tableId?: string;
  tableLinkText?: string;
}

export const CHART_WIDTH = 600;
const LABEL_SIZE = 18;
const BAR_HEIGHT = 22;
const BAR_GAP = 4;
const ROW_GAP = 18;
/** Room right of the longest bar for its value's text. */
const VALUE_ROOM = 110;
const LEGEND_HEIGHT = 34;
const MAX_LABEL = 58;

const NUMBER_LOCALES: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

/** Computes a horizontal bar chart's geometry and text alternative (see the module's comment for use). */
export function barChart(input: BarChartInput): BarChart {
  const seriesCount = Math.max(1, Math.min(3, input.series?.length ?? 1));
  const numbers = new Intl.NumberFormat(NUMBER_LOCALES[input.lang], { maximumFractionDigits: 1 });
  const max = input.max ?? Math.max(0, ...input.rows.flatMap((r) => r.values.slice(0, seriesCount)));
  const barRoom = CHART_WIDTH - VALUE_ROOM;
  const legend = seriesCount > 1 ? (input.series ?? []).slice(0, seriesCount).map((name, series) => ({ name, series, x: series * 200, y: 8 })) : [];
  let y = legend.length ? LEGEND_HEIGHT : 0;
  const rows = input.rows.map((row) => {
    const labelY = y + LABEL_SIZE;
    y += LABEL_SIZE + 8;
    const bars: ChartBar[] = [];
    for (let series = 0; series < seriesCount; series++) {
      const value = row.values[series] ?? 0;
      const width = max > 0 ? Math.round((Math.max(0, value) / max) * barRoom * 10) / 10 : 0;
      const text = row.texts?.[series] ?? `${numbers.format(value)}${input.unit ?? ''}`;
      bars.push({ x: 0, y, width, height: BAR_HEIGHT, series, text, textX: width + 8, textY: y + BAR_HEIGHT - 6 });
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += ROW_GAP - BAR_GAP;
    return { label: truncate(row.label), labelY, bars };
  });
  const names = input.series ?? [];
  const description = [
    input.summary,
    ...input.rows.map((row, i) =>
      `${row.label}: ${rows[i].bars.map((bar) => (seriesCount > 1 ? `${names[bar.series]} ${bar.text}` : bar.text)).join(', ')}`,
    ),
  ]
    .filter(Boolean)
    .join('. ');
  return {
    id: input.id,
    titleId: `${input.id}-title`,
    descId: `${input.id}-desc`,
    title: input.title,
    description: description ? `${description}.` : '',
    width: CHART_WIDTH,
    height: Math.max(y, 1),
    rows,
    legend,
    seriesCount,
    tableId: input.tableId,
    tableLinkText: input.tableLinkText,
  };
}

function truncate(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}
