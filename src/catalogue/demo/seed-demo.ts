import 'reflect-metadata';
import { ConfigError, loadConfig, loadDotEnv } from '../../config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../database/embedded-postgres.js';
import { DemoCatalogueNotEmptyError, seedDemoCatalogue } from './demo-seeder.js';

/**
 * `npm run seed:demo`: fills an EMPTY catalogue with a believable region (the universities and
 * study associations of DOMAIN.md, a few hundred offerings, sessions in the 48 municipalities and
 * online over the next six months) and a demo organisation with an admin and two employees (their
 * passwords, new each time, are printed). Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR,
 * exactly like `npm start`; refuses when providers or offerings already exist.
 */
async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  let embedded: EmbeddedPostgres | undefined;
  try {
    if (!config.databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'kompetenslyft', log: (m) => console.error(m) });
    }
    const counts = await seedDemoCatalogue(config.databaseUrl ?? embedded!.url);
    console.log(`seed:demo: added ${counts.providers} providers, ${counts.offerings} offerings and ${counts.sessions} sessions.`);
    console.log(`seed:demo: the demo organisation "${counts.organisation.name}"; sign in at ${config.publicBaseUrl}/logga-in as:`);
    for (const person of counts.organisation.people) {
      console.log(`  ${person.role === 'org_admin' ? 'organisation admin' : 'employee          '}  ${person.email}  password: ${person.password}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DemoCatalogueNotEmptyError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `seed:demo failed: ${(error as Error).stack ?? error}`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
