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

describe('parseCsv', () => {
  it('reads quoted cells, doubled quotes, line breaks in cells, CRLF and a BOM; reads back what toCsv wrote', async () => {
    const { parseCsv, toCsv } = await import('./csv.js');
    expect(parseCsv('\uFEFFa,b\r\n"x, y","sa ""hej""\nrad 2"\r\n\r\n3,\n')).toEqual([['a', 'b'], ['x, y', 'sa "hej"\nrad 2'], ['3', '']]);
    const rows = [['kod', 'titel'], ['K1', 'Förening, styrelse och "ansvar"']];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  it('takes semicolons as the delimiter when the header has them and no commas', async () => {
    const { parseCsv } = await import('./csv.js');
    expect(parseCsv('a;b\n1,5;2\n')).toEqual([['a', 'b'], ['1,5', '2']]);
  });
});
