/** Aggregates must not reveal individuals: cells with fewer than 5 people are shown as "<5". */
export const MIN_CELL = 5;
export const SMALL = '<5' as const;
/** A cell hidden only so that a "<5" cell in the same row cannot be worked out from the row's published total. */
export const HIDDEN = 'x' as const;
export type SuppressedCell = number | typeof SMALL | typeof HIDDEN;

export function suppress(value: number): number | typeof SMALL {
  return value < MIN_CELL ? SMALL : value;
}

/**
 * Suppresses a row of cells whose sum is published elsewhere (e.g. women, men, other and
 * unspecified of a theme whose total is exact). Cells under 5 (0 included, so that an empty cell
 * cannot be told from a small one) become "<5"; when exactly one cell is small, the smallest other
 * cell is hidden as "x" too, since otherwise total minus the rest gives the small one away.
 */
export function suppressRow<K extends string>(cells: Record<K, number>): Record<K, SuppressedCell> {
  const keys = Object.keys(cells) as K[];
  const out = {} as Record<K, SuppressedCell>;
  for (const key of keys) out[key] = suppress(cells[key]);
  const small = keys.filter((key) => out[key] === SMALL);
  if (small.length === 1) {
    const others = keys.filter((key) => out[key] !== SMALL).sort((a, b) => cells[a] - cells[b]);
    if (others.length > 0) out[others[0]] = HIDDEN;
  }
  return out;
}
