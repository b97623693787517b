import { DataSource } from 'typeorm';
import { createDemoAccounts, type DemoAccount } from '../../auth/demo/demo-accounts.js';
import { dataSourceOptions, runMigrations } from '../../database/data-source.js';
import { createDemoOrganisation } from '../../organisations/demo/demo-organisation.js';
import { DEMO_PROVIDERS, generateCatalogue } from './catalogue-generator.js';
import { loadCatalogue } from './catalogue-loader.js';

/** The demo seed refuses to mix its data into a catalogue that already has providers or offerings. */
export class DemoCatalogueNotEmptyError extends Error {
  constructor() {
    super('seed:demo: the catalogue is not empty (providers or offerings exist): refusing to add demo data.');
    this.name = 'DemoCatalogueNotEmptyError';
  }
}

/**
 * Migrates the database at `databaseUrl` and fills its EMPTY catalogue with the demo region (see
 * seed-demo.ts); throws DemoCatalogueNotEmptyError, writing nothing, when it is not empty.
 */
export async function seedDemoCatalogue(
  databaseUrl: string,
  options: { now?: Date } = {},
): Promise<{ providers: number; offerings: number; sessions: number; organisation: DemoOrganisation }> {
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl, { extra: { max: 2 } })).initialize();
  try {
    await runMigrations(dataSource);
    const [{ n }] = (await dataSource.query('SELECT (SELECT count(*) FROM providers) + (SELECT count(*) FROM offerings) AS n')) as { n: string }[];
    if (Number(n) > 0) throw new DemoCatalogueNotEmptyError();
    const now = options.now ?? new Date();
    // 180 days: a session starts at most half a day after day 180 (the generator sets its hour), so
    // inside six calendar months from any date (the shortest six months, e.g. from 27 November or
    // 1 September, are 181 days; 182 put sessions after the six months on such dates).
    const data = generateCatalogue({ seed: 20261126, providers: DEMO_PROVIDERS.length, offerings: 300, sessionsPerOffering: 2.5, now, horizonDays: 180 });
    return await dataSource.transaction(async (manager) => {
      const counts = await loadCatalogue(manager, { providers: DEMO_PROVIDERS, ...data, now });
      return { ...counts, organisation: await seedDemoOrganisation(manager) };
    });
  } finally {
    await dataSource.destroy();
  }
}

/** The demo organisation: an admin and two employees who can sign in to the web front end. */
export interface DemoOrganisation {
  id: string;
  name: string;
  people: (DemoAccount & { role: 'org_admin' | 'employee' })[];
}

const DEMO_PEOPLE = [
  { email: 'anna.admin@returbutiken.example', name: 'Anna Andersson', role: 'org_admin' as const, jobTitle: 'Verksamhetsledare' },
  { email: 'erik.employee@returbutiken.example', name: 'Erik Eriksson', role: 'employee' as const, jobTitle: 'Butiksbiträde' },
  { email: 'fatima.employee@returbutiken.example', name: 'Fatima Hassan', role: 'employee' as const, jobTitle: 'Arbetshandledare' },
];

async function seedDemoOrganisation(manager: Parameters<typeof createDemoAccounts>[0]): Promise<DemoOrganisation> {
  const accounts = await createDemoAccounts(manager, DEMO_PEOPLE.map(({ email, name }) => ({ email, name })));
  const name = 'Returbutiken Ekonomisk Förening (demo)';
  const id = await createDemoOrganisation(
    manager,
    { name, orgNumber: '769600-0007', municipalityCode: '0380' },
    accounts.map((account, i) => ({ userId: account.id, role: DEMO_PEOPLE[i].role, jobTitle: DEMO_PEOPLE[i].jobTitle })),
  );
  return { id, name, people: accounts.map((account, i) => ({ ...account, role: DEMO_PEOPLE[i].role })) };
}
