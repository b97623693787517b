import nunjucks from 'nunjucks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { barChart, CHART_WIDTH, VALUE_ROOM, wrap } from './charts.js';

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')), { autoescape: true, trimBlocks: true, lstripBlocks: true });

function render(chart: unknown): string {
  return env.renderString('{% from "web/templates/chart.njk" import barChart %}{{ barChart(chart) }}', { chart });
}

describe('barChart', () => {
  it('scales the bars to the largest value, labels each value and says every number in its description', () => {
    const chart = barChart({ id: 'c', lang: 'sv', title: 'Svarsfrekvens', unit: ' %', rows: [{ label: 'Uppsala län', values: [50] }, { label: 'Gävleborg', values: [12.5] }, { label: 'Dalarna', values: [0] }] });
    const bars = chart.rows.map((r) => r.bars[0]);
    expect(bars[0].width).toBe(CHART_WIDTH - VALUE_ROOM);
    expect(bars[1].width).toBeCloseTo((CHART_WIDTH - VALUE_ROOM) / 4, 1);
    expect(bars[2].width).toBe(0);
    expect(bars.map((b) => b.text)).toEqual(['50 %', '12,5 %', '0 %']);
    expect(chart.description).toBe('Uppsala län: 50 %. Gävleborg: 12,5 %. Dalarna: 0 %.');
    expect(chart.height).toBeGreaterThan(bars[2].y + bars[2].height);
  });

  it('draws two series with a legend and names each series in the description', () => {
    const chart = barChart({ id: 'cov', lang: 'en', title: 'Demand and supply', summary: 'Per theme', series: ['Demand', 'Supply'], rows: [{ label: 'Economy', values: [1200, 3] }] });
    expect(chart.legend.map((l) => l.name)).toEqual(['Demand', 'Supply']);
    expect(chart.rows[0].bars).toHaveLength(2);
    expect(chart.description).toBe('Per theme. Economy: Demand 1,200, Supply 3.');
  });

  it('renders an accessible SVG: role img, named by its title, described by its desc, escaped labels, a link to the table', () => {
    const html = render(barChart({ id: 'r', lang: 'sv', title: 'Svar <per> län', series: ['A', 'B'], rows: [{ label: '<script>x</script>', values: [3, 1] }], tableId: 'tabell', tableLinkText: 'Visa som tabell' }));
    expect(html).toContain('role="img" aria-labelledby="r-title" aria-describedby="r-desc"');
    expect(html).toContain('<title id="r-title">Svar &lt;per&gt; län</title>');
    expect(html).toContain('<desc id="r-desc">&lt;script&gt;x&lt;/script&gt;: A 3, B 1.</desc>');
    expect(html).toContain('viewBox="0 0 480 ');
    expect(html).toContain('fill="url(#r-hatch)"');
    expect(html).toContain('<a class="govuk-link" href="#tabell">Visa som tabell</a>');
    expect(html).not.toContain('<script>');
  });

  it('wraps long labels onto two lines at spaces, shortens what is left, and keeps them whole in the description', () => {
    expect(wrap('Digital kompetens')).toEqual(['Digital kompetens']);
    expect(wrap('Offentlig upphandling (LOU) och avtal med kommuner – Östergötlands län')).toEqual(['Offentlig upphandling (LOU) och avtal med', 'kommuner – Östergötlands län']);
    const label = 'Tillgänglighet och inkludering av personer med funktionsnedsättning i arbetslivet och i föreningslivet överallt';
    const lines = wrap(label);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.length <= 46)).toBe(true);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(wrap('x'.repeat(60))).toEqual(['x'.repeat(46), 'x'.repeat(14)]);
    const chart = barChart({ id: 'l', lang: 'sv', title: 'T', rows: [{ label, values: [1] }, { label: 'Kort', values: [2] }] });
    expect(chart.rows[0].lines.map((l) => l.text)).toEqual(lines);
    expect(chart.rows[1].lines[0].y).toBeGreaterThan(chart.rows[0].bars[0].y);
    expect(chart.description).toContain(label);
  });
});

describe('chart and sortable table markup', () => {
  it('is valid HTML (html-validate, as the browser tests configure it)', async () => {
    const { HtmlValidate } = await import('html-validate');
    const { sortTable } = await import('./tables.js');
    const validator = new HtmlValidate({ extends: ['html-validate:standard'], rules: { 'attribute-boolean-style': 'off', 'no-redundant-role': 'off' } });
    const table = sortTable([{ name: 'A', n: 2 }, { name: 'B', n: 1 }], { columns: [{ key: 'name', text: 'Namn', value: (r) => r.name }, { key: 'n', text: 'Antal', value: (r) => r.n, numeric: true }], initial: { sort: 'n', dir: 'desc' }, path: '/x', id: 't', query: {} });
    const chart = barChart({ id: 'c', lang: 'sv', title: 'Antal', series: ['A', 'B'], rows: table.rows.map((r) => ({ label: r.name, values: [r.n, 1] })), tableId: 't', tableLinkText: 'Tabell' });
    const body = env.renderString(
      `{% from "web/templates/chart.njk" import barChart %}{% from "web/templates/tables.njk" import sortableHead %}
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>T</title></head><body><main>
{{ barChart(chart) }}
<table class="govuk-table" id="t"><caption class="govuk-table__caption">Antal</caption>{{ sortableHead(table) }}<tbody>{% for r in table.rows %}<tr><td>{{ r.name }}</td><td>{{ r.n }}</td></tr>{% endfor %}</tbody></table>
</main></body></html>`,
      { chart, table },
    );
    const report = await validator.validateString(body);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    expect(body).toContain('aria-sort="descending"');
  });
});
