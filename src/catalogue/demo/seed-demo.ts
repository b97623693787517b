import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../config/app-config.js';
import { dataSourceOptions, runMigrations } from '../../database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../database/embedded-postgres.js';
import { DEMO_PROVIDERS, generateCatalogue } from './catalogue-generator.js';
import { loadCatalogue } from './catalogue-loader.js';

/**
 * `npm run seed:demo`: fills an EMPTY catalogue with a believable region (the universities and
 * study associations of DOMAIN.md, a few hundred offerings, sessions in the 48 municipalities and
 * online over the next six months). Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR,
 * exactly like `npm start`; refuses when providers or offerings already exist.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | undefined;
  let dataSource: DataSource | undefined;
  try {
    if (!config.databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'kompetenslyft', log: (m) => console.error(m) });
    }
    dataSource = await new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url, { extra: { max: 2 } })).initialize();
    await runMigrations(dataSource);
    const [{ n }] = (await dataSource.query('SELECT (SELECT count(*) FROM providers) + (SELECT count(*) FROM offerings) AS n')) as { n: string }[];
    if (Number(n) > 0) {
      console.error('seed:demo: the catalogue is not empty (providers or offerings exist): refusing to add demo data.');
      return 1;
    }
    const now = new Date();
    const data = generateCatalogue({ seed: 20261126, providers: DEMO_PROVIDERS.length, offerings: 300, sessionsPerOffering: 2.5, now, horizonDays: 182 });
    const counts = await dataSource.transaction((manager) => loadCatalogue(manager, { providers: DEMO_PROVIDERS, ...data, now }));
    console.log(`seed:demo: added ${counts.providers} providers, ${counts.offerings} offerings and ${counts.sessions} sessions.`);
    return 0;
  } finally {
    await dataSource?.destroy();
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
