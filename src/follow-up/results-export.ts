import ExcelJS from 'exceljs';
import { toCsv, type CsvCell } from '../common/csv.js';
import type { EvaluationResultsDto } from './dto/results.dto.js';
import type { QuestionType } from './questionnaire.types.js';

const HEADER = ['Enkät', 'Version', 'Inbjudna', 'Svar', 'Svarsfrekvens', 'Fråga', 'Frågetyp', 'Svarsalternativ', 'Antal', 'Medelvärde'];

/** Question types as people read them. */
export const QUESTION_TYPE_SV: Record<QuestionType, string> = {
  likert5: 'Skala 1–5',
  single_choice: 'Ett svar',
  multi_choice: 'Flera svar',
  text: 'Fritext',
  number: 'Tal',
  nps: 'Rekommendation 0–10',
};

type Row = CsvCell[];

/** One row per answer option (or free-text answer); a suppressed questionnaire is one row of counts. */
function rows(results: EvaluationResultsDto): Row[] {
  const out: Row[] = [];
  for (const q of results.questionnaires) {
    const head: Row = [q.title, q.version, q.invited, q.responses, q.responseRate];
    if (q.suppressed) {
      out.push([...head, 'Färre än 5 svar: visas inte', null, null, null, null]);
      continue;
    }
    for (const question of q.questions) {
      const at: Row = [...head, question.text, QUESTION_TYPE_SV[question.type]];
      if (question.distribution) for (const d of question.distribution) out.push([...at, d.label, d.count, question.mean ?? null]);
      else if (question.texts) for (const text of question.texts) out.push([...at, text, 1, null]);
      else out.push([...at, null, question.answered, question.mean ?? null]);
    }
  }
  return out;
}

/** Free text comes from anyone: the one CSV writer guards formulas. */
export function resultsCsv(results: EvaluationResultsDto): string {
  return toCsv([HEADER, ...rows(results)]);
}

export async function resultsXlsx(results: EvaluationResultsDto): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Resultat');
  sheet.addRow(HEADER);
  sheet.getRow(1).font = { bold: true };
  // Cells are written as text or numbers, never as formulas: nothing to guard in a workbook.
  for (const row of rows(results)) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
