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

/**
 * Reads a CSV file (RFC 4180: quoted cells, doubled quotes, CRLF or LF) into rows of cells. The
 * delimiter is the header line's: a semicolon when it has semicolons and no commas (what Excel
 * writes with Swedish settings), else a comma. A leading BOM is dropped; blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let touched = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    if (touched || row.some((c) => c !== '')) rows.push(row);
    row = [];
    touched = false;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') {
      quoted = true;
      touched = true;
    } else if (ch === delimiter) {
      endCell();
      touched = true;
    } else if (ch === '\n' || (ch === '\r' && source[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endRow();
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}
