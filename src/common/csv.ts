/** One CSV writer for every export: what spreadsheet programs open as the person meant it. */

export type CsvCell = string | number | null | undefined;

/** Byte order mark: without it, Excel reads UTF-8 as Windows-1252 ("nÃ¶jd" for "nöjd"). */
export const BOM = '\uFEFF';

/**
 * Text that starts like a formula (= + - @, or a tab or carriage return before one) gets a leading
 * apostrophe, so that a spreadsheet shows it as text instead of running it (CSV injection).
 * Numbers are left alone: a negative number is a number, not a formula.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A cell: text always quoted (quotes doubled) and guarded; numbers as they are; null and undefined empty. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return `"${guardFormula(value).replace(/"/g, '""')}"`;
}

/** A whole file: the BOM, then each row as comma-separated cells, every line ended by CRLF (RFC 4180). */
export function toCsv(rows: CsvCell[][]): string {
  return BOM + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}
