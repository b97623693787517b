import type { EntityManager } from 'typeorm';

/**
 * TypeORM's `manager.query()` answers SELECT and INSERT with the rows, but UPDATE and DELETE with
 * `[rows, affectedCount]`. Hand casts of that shape went wrong once (an INSERT destructured as an
 * UPDATE: `invited: undefined` in an audit entry). Use these instead of casting.
 */

function isUpdateShape(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}

/** The rows of any raw result of `manager.query()` (rows are objects, never arrays, so the shapes cannot be confused). */
export function rows<T>(result: unknown): T[] {
  if (isUpdateShape(result)) return result[0] as T[];
  if (Array.isArray(result)) return result as T[];
  throw new Error('not a raw query result');
}

/** Runs a statement and answers its rows and the number of rows it affected, whatever its kind. */
export async function run<T>(manager: EntityManager, text: string, params: unknown[] = []): Promise<{ rows: T[]; affected: number }> {
  const own = manager.queryRunner ? null : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? own!;
  try {
    const result = (await runner.query(text, params, true)) as { records: T[]; affected?: number };
    return { rows: result.records ?? [], affected: result.affected ?? 0 };
  } finally {
    await own?.release();
  }
}

/** The number of rows a statement inserted, updated or deleted. */
export async function affected(manager: EntityManager, text: string, params: unknown[] = []): Promise<number> {
  return (await run(manager, text, params)).affected;
}
