import ExcelJS from 'exceljs';
import type { ProgrammePlanDto } from './dto/plan.dto.js';

/**
 * The programme document as a workbook (one sheet per part) and as a printable, accessible HTML
 * page. The page is a standalone template with every value escaped; it is written so that it can
 * move onto the web front end's view engine (src/web/, Nunjucks + GOV.UK Frontend) as a template
 * of this module's pages/ once that lands.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Numbers as Swedish readers write them (space between thousands, decimal comma). */
const cell = (value: string | number): string => (typeof value === 'number' ? value.toLocaleString('sv-SE').replace(/\u00a0/g, ' ') : value);

export async function planXlsx(plan: ProgrammePlanDto): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kompetenslyft';
  workbook.created = new Date(plan.generatedAt);
  for (const part of plan.parts) {
    // Sheet names: at most 31 characters, no [ ] : * ? / \.
    const sheet = workbook.addWorksheet(part.title.replace(/[[\]:*?/\\]/g, '').slice(0, 31));
    sheet.addRow([part.title]).font = { bold: true, size: 14 };
    sheet.addRow([`${plan.title} (${plan.period})`]);
    for (const text of part.text) sheet.addRow([text]);
    for (const table of part.tables) {
      sheet.addRow([]);
      sheet.addRow([table.caption]).font = { bold: true };
      sheet.addRow(table.headers).font = { bold: true };
      for (const row of table.rows) sheet.addRow(row);
    }
    sheet.columns.forEach((column) => (column.width = 18));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function planHtml(plan: ProgrammePlanDto): string {
  const parts = plan.parts
    .map(
      (part) => `<section aria-labelledby="part-${esc(part.key)}">
<h2 id="part-${esc(part.key)}">${esc(part.title)}</h2>
${part.text.map((t) => `<p>${esc(t)}</p>`).join('\n')}
${part.tables
  .map(
    (table) => `<div class="table-wrap" role="region" aria-label="${esc(table.caption)}" tabindex="0">
<table>
<caption>${esc(table.caption)}</caption>
<thead><tr>${table.headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${table.rows.length ? table.rows.map((row) => `<tr>${row.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${esc(cell(v))}</td>`).join('')}</tr>`).join('\n') : `<tr><td colspan="${table.headers.length}">Inga uppgifter ännu.</td></tr>`}
</tbody>
</table>
</div>`,
  )
  .join('\n')}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(plan.title)} – programdokument</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0 auto; padding: 1rem; max-width: 75rem; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid #0b5394; }
  .table-wrap { overflow-x: auto; margin: 1rem 0; }
  .table-wrap:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  caption { text-align: left; font-weight: bold; padding: .25rem 0; }
  th, td { border: 1px solid #595959; padding: .3rem .4rem; text-align: left; vertical-align: top; }
  th { background: #eef4fb; }
  td.num { text-align: right; white-space: nowrap; }
  .meta { color: #404040; }
  @media print { body { max-width: none; padding: 0; font-size: 10pt; } .table-wrap { overflow: visible; } section { break-inside: auto; } tr { break-inside: avoid; } }
  @page { size: A4 landscape; margin: 12mm; }
</style>
</head>
<body>
<main>
<h1>${esc(plan.title)}</h1>
<p class="meta">Programdokument · period ${esc(plan.period)} · finansiering ${esc(plan.fundingSourceSv)}${plan.roundTitle ? ` · behovsinventering: ${esc(plan.roundTitle)}` : ''} · skapat ${esc(plan.generatedAt.slice(0, 10))}</p>
${parts}
</main>
</body>
</html>`;
}
