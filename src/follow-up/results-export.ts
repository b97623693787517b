import ExcelJS from 'exceljs';
import type { EvaluationResultsDto } from './dto/results.dto.js';

const HEADER = ['questionnaire', 'version', 'invited', 'responses', 'response_rate', 'question_key', 'question', 'type', 'answer', 'count', 'mean'];

type Row = (string | number | null)[];

/** One row per answer option (or free-text answer); a suppressed questionnaire is one row of counts. */
function rows(results: EvaluationResultsDto): Row[] {
  const out: Row[] = [];
  for (const q of results.questionnaires) {
    const head: Row = [q.title, q.version, q.invited, q.responses, q.responseRate];
    if (q.suppressed) {
      out.push([...head, null, null, null, null, null, null]);
      continue;
    }
    for (const question of q.questions) {
      const at: Row = [...head, question.key, question.text, question.type];
      if (question.distribution) for (const d of question.distribution) out.push([...at, d.label, d.count, question.mean ?? null]);
      else if (question.texts) for (const text of question.texts) out.push([...at, text, 1, null]);
      else out.push([...at, null, question.answered, question.mean ?? null]);
    }
  }
  return out;
}

/** A cell that starts like a formula is prefixed so that spreadsheets show it as text (free text comes from anyone). */
function safe(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  const guarded = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function resultsCsv(results: EvaluationResultsDto): string {
  return [HEADER, ...rows(results)].map((row) => row.map(safe).join(',')).join('\r\n') + '\r\n';
}

export async function resultsXlsx(results: EvaluationResultsDto): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Resultat');
  sheet.addRow(HEADER);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows(results)) {
    sheet.addRow(row.map((v) => (typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
