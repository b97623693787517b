// Runs once per test run, outside Jest's module system (so it is plain ESM and uses the built code:
// `npm test` builds first). Starts a PostgreSQL server (embedded in the system temp folder, or the
// one TEST_DATABASE_URL names) and a migrated template database; each test file clones the template
// (CREATE DATABASE … TEMPLATE) so that files run in parallel on databases of their own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export default async function globalSetup() {
  let built;
  try {
    built = {
      ...(await import('../../dist/database/data-source.js')),
      ...(await import('../../dist/database/embedded-postgres.js')),
    };
  } catch (error) {
    throw new Error(`The e2e tests use the built migrations: run "npm run build" first (or "npm test"). ${error.message}`);
  }
  const { DataSource } = await import('typeorm');
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let adminUrl;
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kompetenslyft-test-'));
    fs.chmodSync(dataDir, 0o755);
    const embedded = await built.startEmbeddedPostgres({ dataDir, database: 'postgres', fast: true });
    adminUrl = embedded.url;
    globalThis.__KL_EMBEDDED__ = { embedded, dataDir };
  }
  const template = `kl_template_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const dataSource = await new DataSource(built.dataSourceOptions(url.toString(), { extra: { max: 2 } })).initialize();
  await built.runMigrations(dataSource);
  await dataSource.destroy();

  process.env.KL_TEST_ADMIN_URL = adminUrl;
  process.env.KL_TEST_TEMPLATE = template;
  process.env.KL_TEST_RUN_ID = runId;
}
