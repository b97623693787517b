import fs from 'node:fs';
import path from 'node:path';
import { rows } from './sql.js';

describe('rows()', () => {
  it('reads the rows of every shape manager.query() answers', () => {
    expect(rows([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]); // SELECT, INSERT … RETURNING
    expect(rows([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]); // UPDATE/DELETE … RETURNING
    expect(rows([[], 0])).toEqual([]);
    expect(rows([])).toEqual([]);
    // Two selected rows are not mistaken for the UPDATE shape: rows are objects, never arrays.
    expect(rows([{ n: 1 }, 2] as unknown)).toEqual([{ n: 1 }, 2]);
    expect(() => rows(undefined)).toThrow('not a raw query result');
  });
});

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('raw results are read with rows()/affected(), never cast by hand', () => {
  it('has no `as [rows, number]` cast anywhere in src', () => {
    const offenders = sources('src')
      .filter((file) => /as \[(?:[^[\]]|\[\])*,\s*number\]/.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
