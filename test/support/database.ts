import { randomBytes } from 'node:crypto';
import pg from 'pg';

function adminUrl(): string {
  const url = process.env.KL_TEST_ADMIN_URL;
  if (!url) throw new Error('KL_TEST_ADMIN_URL is not set: run e2e tests through jest (global-setup)');
  return url;
}

function withDatabase(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  /** A plain pg pool on the test database, for assertions on tables. */
  pool: pg.Pool;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kl_t_${process.env.KL_TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${process.env.KL_TEST_TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client can still be told 57P01 by the DROP DATABASE … WITH (FORCE) at the end of a file
  // (seen with TEST_DATABASE_URL); that is the drop working, not a test failure. Anything else is.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  return {
    name,
    url,
    pool,
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
