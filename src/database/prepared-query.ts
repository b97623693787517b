import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

const names = new Map<string, string>();

/**
 * Runs `sql` as a named prepared statement on the pooled connection that serves it, so that
 * PostgreSQL parses and plans a hot read once per connection instead of on every request (TypeORM
 * sends unnamed statements, planned each time). After five executions PostgreSQL keeps a generic
 * plan when it costs no more than the custom ones. The name is derived from the text, so each
 * distinct statement shape gets its own. For reads on hot paths only: it bypasses TypeORM's query
 * logging, and needs session pooling (not a transaction-mode pgBouncer).
 */
export async function queryPrepared<T>(dataSource: DataSource, sql: string, values: unknown[]): Promise<T[]> {
  let name = names.get(sql);
  if (!name) {
    name = `kl_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const result = await pool.query({ name, text: sql, values });
  return result.rows as T[];
}
