import fs from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const state = globalThis.__KL_EMBEDDED__;
  if (state) {
    await state.embedded.stop();
    fs.rmSync(state.dataDir, { recursive: true, force: true });
    return;
  }
  // A shared server (TEST_DATABASE_URL): drop what this run created.
  const admin = new pg.Client({ connectionString: process.env.KL_TEST_ADMIN_URL });
  await admin.connect();
  try {
    const runId = process.env.KL_TEST_RUN_ID;
    const { rows } = await admin.query(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`kl\\_t\\_${runId}\\_%`, `kl_template_${runId}`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
