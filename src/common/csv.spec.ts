import { parse } from 'csv-parse/sync';
import { BOM, csvCell, toCsv } from './csv.js';

describe('toCsv', () => {
  it('starts with a BOM, ends every line with CRLF, and reads back as written (csv-parse)', () => {
    const rows = [
      ['Namn', 'Antal', 'Kommentar'],
      ['Åsa Öberg', 3, 'Säger "hej", och\nbyter rad'],
      ['Tom', null, ''],
    ];
    const text = toCsv(rows);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\r')).toBe(false);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text, { bom: true })).toEqual([
      ['Namn', 'Antal', 'Kommentar'],
      ['Åsa Öberg', '3', 'Säger "hej", och\nbyter rad'],
      ['Tom', '', ''],
    ]);
  });

  it('guards text that a spreadsheet would run as a formula, not numbers', () => {
    for (const formula of ['=1+1', '+46 70', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(formula)).toBe(`"'${formula}"`);
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell('a=b')).toBe('"a=b"');
  });
});
