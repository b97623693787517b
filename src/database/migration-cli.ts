/**
 * npm run migration:generate -- <Name> | migration:run | migration:revert
 * Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR like `npm start`.
 * `generate` writes src/database/migrations/<timestamp>-<name>.ts with what the entities need
 * beyond the migrated schema; add it to migrations/index.ts, then review and name things.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from '../config/app-config.js';
import { dataSourceOptions, runMigrations } from './data-source.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  loadDotEnv();
  const config = loadConfig();
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'kompetenslyft', log: console.log });
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      console.log(`applied ${await runMigrations(dataSource)} migration(s)`);
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'generate') {
      if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('usage: migration:generate -- <PascalCaseName>');
      await runMigrations(dataSource);
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        console.log('entities and migrations agree: nothing to generate');
        return;
      }
      const timestamp = Date.now();
      const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
      // Parameterised statements (e.g. enum or comment changes) keep their parameters.
      const call = (x: { query: string; parameters?: unknown[] }) =>
        `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? `, ${JSON.stringify(x.parameters)}` : ''});`;
      const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${sql.upQueries.map(call).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${sql.downQueries.reverse().map(call).join('\n')}
  }
}
`;
      const file = path.resolve('src/database/migrations', `${timestamp}-${name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}.ts`);
      fs.writeFileSync(file, body);
      console.log(`wrote ${file}`);
    } else {
      throw new Error('usage: migration-cli generate <Name> | run | revert');
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
