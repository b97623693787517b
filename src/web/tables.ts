/**
 * Tables people compare, sortable without JavaScript: the header cells are links
 * (`?sort=<column>&dir=asc|desc`), the sorted header carries `aria-sort`, and only whitelisted
 * columns are ever sorted on (anything else in the query falls back to the default order).
 *
 * In a page handler:
 *
 *     const table = sortTable(rows, {
 *       path: '/samordning/tackning',
 *       query,                                   // other parameters (filters) are kept in the links
 *       id: 'coverage',                          // the <table>'s id: links land on it (#coverage)
 *       columns: [
 *         { key: 'theme', text: t.theme, value: (r) => r.themeName },
 *         { key: 'demand', text: t.demand, value: (r) => r.demand, numeric: true },
 *       ],
 *       initial: { sort: 'demand', dir: 'desc' },
 *     });
 *     page.render('…/coverage.njk', { table });
 *
 * In the template (see `web/templates/tables.njk`):
 *
 *     {% from "web/templates/tables.njk" import sortableHead %}
 *     <table class="govuk-table" id="{{ table.id }}">
 *       <caption class="govuk-table__caption govuk-table__caption--m">…</caption>
 *       {{ sortableHead(table) }}
 *       <tbody class="govuk-table__body">{% for r in table.rows %}…{% endfor %}</tbody>
 *     </table>
 *
 * Several tables on one page: give each a `name`; its links then say `?sort=<name>.<column>`, and
 * a table only follows a `sort` that names it (the others keep their initial order).
 */

export type SortDir = 'asc' | 'desc';

export interface SortColumn<Row> {
  /** What `?sort=` says for this column (the whitelist). */
  key: string;
  /** The header's text, in the page's language. */
  text: string;
  /** The value sorted on; null/undefined/'' sort last in either direction. Omit for a column that is not sortable. */
  value?: (row: Row) => string | number | null | undefined;
  /** Numbers: right-aligned header (govuk-table__header--numeric) and descending first. */
  numeric?: boolean;
}

export interface SortTableOptions<Row> {
  columns: SortColumn<Row>[];
  /** The order before anyone clicks (its column must be sortable). */
  initial: { sort: string; dir: SortDir };
  /** The page's path, for the header links. */
  path: string;
  /** The request's query: `sort`/`dir` are read from it, every other parameter is kept in the links. */
  query?: Record<string, unknown>;
  /** The table's element id: links end in `#<id>` so that the page opens at the table. */
  id?: string;
  /** When a page has several sortable tables: links say `sort=<name>.<column>`. */
  name?: string;
}

export interface SortHeader {
  key: string;
  text: string;
  numeric: boolean;
  sortable: boolean;
  /** The link that sorts by this column (the other direction when it is already sorted on). */
  href: string;
  /** `aria-sort` for the header cell: only the sorted column says ascending/descending. */
  ariaSort: 'ascending' | 'descending' | 'none';
  sorted: boolean;
  dir: SortDir | null;
}

export interface SortedTable<Row> {
  id?: string;
  rows: Row[];
  headers: SortHeader[];
  sort: string;
  dir: SortDir;
}

/** Reads `sort`/`dir` against the whitelist: an unknown column or direction gives the initial order. */
export function parseSort(query: Record<string, unknown> | undefined, columns: { key: string; value?: unknown }[], initial: { sort: string; dir: SortDir }, name?: string): { sort: string; dir: SortDir } {
  const asked = typeof query?.sort === 'string' ? query.sort : '';
  const prefix = name ? `${name}.` : '';
  if (!asked.startsWith(prefix)) return initial;
  const key = asked.slice(prefix.length);
  const column = columns.find((c) => c.key === key && c.value);
  if (!column) return initial;
  const dir = query?.dir === 'asc' || query?.dir === 'desc' ? query.dir : initial.dir;
  return { sort: key, dir };
}

const collator = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

/** Compares two cell values: numbers as numbers, text in Swedish order (å, ä, ö last); empty values always last. */
function compare(a: string | number | null | undefined, b: string | number | null | undefined, dir: SortDir): number {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
  return dir === 'asc' ? order : -order;
}

/** Sorts the rows (a stable copy; the input is untouched) and builds the header cells with their links and aria-sort. */
export function sortTable<Row>(rows: readonly Row[], options: SortTableOptions<Row>): SortedTable<Row> {
  const { columns, initial, path, query, id, name } = options;
  const { sort, dir } = parseSort(query, columns, initial, name);
  const column = columns.find((c) => c.key === sort);
  const sorted = [...rows];
  if (column?.value) {
    const value = column.value;
    sorted.sort((x, y) => compare(value(x), value(y), dir));
  }
  const headers = columns.map((c): SortHeader => {
    const isSorted = c.key === sort && !!c.value;
    const nextDir: SortDir = isSorted ? (dir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc';
    return {
      key: c.key,
      text: c.text,
      numeric: !!c.numeric,
      sortable: !!c.value,
      href: c.value ? sortHref(path, query, `${name ? `${name}.` : ''}${c.key}`, nextDir, id) : '',
      ariaSort: isSorted ? (dir === 'asc' ? 'ascending' : 'descending') : 'none',
      sorted: isSorted,
      dir: isSorted ? dir : null,
    };
  });
  return { id, rows: sorted, headers, sort, dir };
}

/** The link for one header: the page's other query parameters kept (filters, language stays in its cookie). */
function sortHref(path: string, query: Record<string, unknown> | undefined, sort: string, dir: SortDir, id?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (key === 'sort' || key === 'dir' || key === 'lang') continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' || typeof v === 'number') params.append(key, String(v));
  }
  params.set('sort', sort);
  params.set('dir', dir);
  return `${path}?${params.toString()}${id ? `#${id}` : ''}`;
}
