import { parseSort, sortTable, type SortColumn } from './tables.js';

interface Row {
  theme: string;
  demand: number;
  supply: number | null;
}

const rows: Row[] = [
  { theme: 'Ekonomi', demand: 4, supply: 2 },
  { theme: 'Arbetsmiljö', demand: 9, supply: null },
  { theme: 'Öppenhet', demand: 1, supply: 7 },
  { theme: 'Digitalisering', demand: 9, supply: 3 },
];

const columns: SortColumn<Row>[] = [
  { key: 'theme', text: 'Tema', value: (r) => r.theme },
  { key: 'demand', text: 'Efterfrågan', value: (r) => r.demand, numeric: true },
  { key: 'supply', text: 'Utbud', value: (r) => r.supply, numeric: true },
  { key: 'note', text: 'Kommentar' },
];

const base = { columns, initial: { sort: 'demand', dir: 'desc' as const }, path: '/samordning/tackning', id: 'coverage' };

describe('sortTable', () => {
  it('keeps the initial order when nothing is asked, stable for equal values', () => {
    const table = sortTable(rows, { ...base, query: {} });
    expect(table.rows.map((r) => r.theme)).toEqual(['Arbetsmiljö', 'Digitalisering', 'Ekonomi', 'Öppenhet']);
    expect(table.sort).toBe('demand');
    expect(table.dir).toBe('desc');
  });

  it('sorts text in Swedish order (Ö after E) and numbers as numbers, empty values last either way', () => {
    expect(sortTable(rows, { ...base, query: { sort: 'theme', dir: 'asc' } }).rows.map((r) => r.theme)).toEqual(['Arbetsmiljö', 'Digitalisering', 'Ekonomi', 'Öppenhet']);
    expect(sortTable(rows, { ...base, query: { sort: 'theme', dir: 'desc' } }).rows.map((r) => r.theme)).toEqual(['Öppenhet', 'Ekonomi', 'Digitalisering', 'Arbetsmiljö']);
    expect(sortTable(rows, { ...base, query: { sort: 'supply', dir: 'asc' } }).rows.map((r) => r.supply)).toEqual([2, 3, 7, null]);
    expect(sortTable(rows, { ...base, query: { sort: 'supply', dir: 'desc' } }).rows.map((r) => r.supply)).toEqual([7, 3, 2, null]);
  });

  it('does not change the rows it was given', () => {
    const before = rows.map((r) => r.theme);
    sortTable(rows, { ...base, query: { sort: 'theme', dir: 'desc' } });
    expect(rows.map((r) => r.theme)).toEqual(before);
  });

  it('ignores columns outside the whitelist, unsortable columns and unknown directions', () => {
    expect(parseSort({ sort: 'password', dir: 'asc' }, columns, base.initial)).toEqual(base.initial);
    expect(parseSort({ sort: 'note', dir: 'asc' }, columns, base.initial)).toEqual(base.initial);
    expect(parseSort({ sort: 'theme', dir: 'sideways' }, columns, base.initial)).toEqual({ sort: 'theme', dir: 'desc' });
    expect(parseSort({ sort: ['theme'], dir: 'asc' }, columns, base.initial)).toEqual(base.initial);
  });

  it('builds header links that flip the sorted column and keep the other parameters, with aria-sort only on the sorted one', () => {
    const table = sortTable(rows, { ...base, query: { sort: 'theme', dir: 'asc', county: '03', lang: 'en' } });
    const [theme, demand, supply, note] = table.headers;
    expect(theme).toMatchObject({ sorted: true, ariaSort: 'ascending', dir: 'asc', href: '/samordning/tackning?county=03&sort=theme&dir=desc#coverage' });
    expect(demand).toMatchObject({ sorted: false, ariaSort: 'none', numeric: true, href: '/samordning/tackning?county=03&sort=demand&dir=desc#coverage' });
    expect(supply.href).toBe('/samordning/tackning?county=03&sort=supply&dir=desc#coverage');
    expect(note).toMatchObject({ sortable: false, href: '', ariaSort: 'none' });
  });

  it('gives each of several tables on a page its own sort name', () => {
    const named = { ...base, name: 'themes' };
    expect(sortTable(rows, { ...named, query: { sort: 'theme', dir: 'asc' } }).sort).toBe('demand');
    const table = sortTable(rows, { ...named, query: { sort: 'themes.theme', dir: 'asc' } });
    expect(table.sort).toBe('theme');
    expect(table.headers[0].href).toBe('/samordning/tackning?sort=themes.theme&dir=desc#coverage');
  });
});
