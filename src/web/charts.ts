import type { Lang } from './texts.js';

/**
 * Server-side horizontal bar charts (no client library, no JavaScript): `barChart()` computes the
 * geometry and the text alternative, `web/templates/chart.njk`'s `barChart` macro draws the SVG.
 * The SVG is drawn in a 480-unit-wide viewBox and scales to its container (a 390 px phone too);
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
  /** Each row's label in lines (long labels wrap at spaces, at most two lines, then shortened with …). */
  rows: { lines: { text: string; y: number }[]; bars: ChartBar[] }[];
  legend: { name: string; series: number; x: number; y: number }[];
  /** How many series, to define the hatch pattern only when used. */
  seriesCount: number;
  tableId?: string;
  tableLinkText?: string;
}

/**
 * 480 units wide, drawn at most 480 px wide (kl-chart's max-width): text of 18 units is 18 px on a
 * computer and about 13.5 px on a 390 px phone, where the figure is 360 px wide.
 */
export const CHART_WIDTH = 480;
const LABEL_SIZE = 18;
const LINE_HEIGHT = 22;
const BAR_HEIGHT = 20;
const BAR_GAP = 4;
const ROW_GAP = 14;
/** Room right of the longest bar for its value's text. */
export const VALUE_ROOM = 80;
/** One legend entry per line, so that long series names never overlap. */
const LEGEND_LINE = 24;
/** Characters on a label's line (18-unit text in 480 units), and at most two lines. */
const LINE_CHARS = 46;
const MAX_LINES = 2;

const NUMBER_LOCALES: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

/** Computes a horizontal bar chart's geometry and text alternative (see the module's comment for use). */
export function barChart(input: BarChartInput): BarChart {
  const seriesCount = Math.max(1, Math.min(3, input.series?.length ?? 1));
  const numbers = new Intl.NumberFormat(NUMBER_LOCALES[input.lang], { maximumFractionDigits: 1 });
  const max = input.max ?? Math.max(0, ...input.rows.flatMap((r) => r.values.slice(0, seriesCount)));
  const barRoom = CHART_WIDTH - VALUE_ROOM;
  const legend = seriesCount > 1 ? (input.series ?? []).slice(0, seriesCount).map((name, series) => ({ name, series, x: 0, y: 4 + series * LEGEND_LINE })) : [];
  let y = legend.length ? legend.length * LEGEND_LINE + 10 : 0;
  const rows = input.rows.map((row) => {
    const lines = wrap(row.label).map((text, i) => ({ text, y: y + LABEL_SIZE + i * LINE_HEIGHT }));
    y += lines.length * LINE_HEIGHT + 6;
    const bars: ChartBar[] = [];
    for (let series = 0; series < seriesCount; series++) {
      const value = row.values[series] ?? 0;
      const width = max > 0 ? Math.round((Math.max(0, value) / max) * barRoom * 10) / 10 : 0;
      const text = row.texts?.[series] ?? `${numbers.format(value)}${input.unit ?? ''}`;
      bars.push({ x: 0, y, width, height: BAR_HEIGHT, series, text, textX: width + 6, textY: y + BAR_HEIGHT - 5 });
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += ROW_GAP - BAR_GAP;
    return { lines, bars };
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

/** Splits a label into lines of at most LINE_CHARS at spaces (a longer word is cut), at most MAX_LINES, the last shortened with …. */
export function wrap(label: string): string[] {
  const lines: string[] = [];
  let rest = label.trim();
  while (rest && lines.length < MAX_LINES) {
    if (rest.length <= LINE_CHARS) {
      lines.push(rest);
      rest = '';
      break;
    }
    const space = rest.lastIndexOf(' ', LINE_CHARS);
    const cut = space > 0 ? space : LINE_CHARS;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut).trim();
  }
  if (rest) {
    const last = lines[lines.length - 1];
    lines[lines.length - 1] = `${last.slice(0, LINE_CHARS - 1).trimEnd()}…`;
  }
  return lines.length ? lines : [''];
}
