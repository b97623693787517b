import { DemoCatalogueNotEmptyError, seedDemoCatalogue } from '../../src/catalogue/demo/demo-seeder.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows } from '../support/factories.js';
import { WebClient } from '../support/browser.js';

/**
 * DOMAIN.md, "Providers": the universities and university colleges of the region, and the study
 * associations recognised by Folkbildningsrådet (Ibn Rushd lost its state grant for 2025–2027).
 */
const DOMAIN_UNIVERSITY_PLACES = ['Uppsala', 'Linköping', 'Örebro', 'Mälardalen'];
const DOMAIN_STUDY_ASSOCIATIONS = [
  'ABF',
  'Bilda',
  'Folkuniversitetet',
  'Kulturens',
  'Medborgarskolan',
  'NBV',
  'Sensus',
  'Studiefrämjandet',
  'Studieförbundet Vuxenskolan',
];

/** `months` calendar months after `date` (UTC), clamped to the end of a shorter month. */
function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
}

/** Rows in every table of the schema, for "wrote nothing" assertions. */
async function countAllTables(db: TestDatabase): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = await countRows(db, `"${name}"`);
  return counts;
}

interface Hit {
  id: string;
  themeCodes: string[];
  format: string;
  rank: number | null;
  sessions: Array<{ id: string; seatsLeft: number; startsAt: string; online: boolean; municipalityCode: string | null }>;
}

describe('seed:demo: the demo catalogue of the README walk-through', () => {
  let db: TestDatabase;
  let app: TestApp;
  let before: Date;
  let after: Date;
  let counts: Awaited<ReturnType<typeof seedDemoCatalogue>>;
  let rowsBeforeSeed: Record<string, number>;

  const search = async (query: string): Promise<{ items: Hit[]; total: number }> => (await app.http.get(`/api/v1/offerings?${query}`).expect(200)).body;

  beforeAll(async () => {
    // as in the README: seed a fresh (migrated, empty) database, then start the application on it
    db = await createTestDatabase();
    rowsBeforeSeed = await countAllTables(db);
    before = new Date();
    counts = await seedDemoCatalogue(db.url);
    after = new Date();
    app = await startTestApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('starts from an empty catalogue and reports what it added, as the rows in the database', async () => {
    expect({ providers: rowsBeforeSeed.providers, offerings: rowsBeforeSeed.offerings, sessions: rowsBeforeSeed.sessions }).toEqual({
      providers: 0,
      offerings: 0,
      sessions: 0,
    });
    expect({ providers: counts.providers, offerings: counts.offerings, sessions: counts.sessions }).toEqual({
      providers: await countRows(db, 'providers'),
      offerings: await countRows(db, 'offerings'),
      sessions: await countRows(db, 'sessions'),
    });
    // a few hundred offerings, each with at least one session
    expect(counts.offerings).toBeGreaterThanOrEqual(200);
    expect(counts.offerings).toBeLessThan(1000);
    expect(await countRows(db, 'offerings o', 'NOT EXISTS (SELECT 1 FROM sessions s WHERE s.offering_id = o.id)')).toBe(0);
    expect(await countRows(db, 'offerings', `status = 'published'`)).toBeGreaterThan(counts.offerings * 0.8);
  });

  it('has the universities and the study associations of DOMAIN.md as providers (and not Ibn Rushd)', async () => {
    const providers = await db.query<{ name: string; kind: string }>('SELECT name, kind FROM providers ORDER BY name');
    const names = (kind: string) => providers.filter((p) => p.kind === kind).map((p) => p.name);
    expect(names('study_association').sort()).toEqual([...DOMAIN_STUDY_ASSOCIATIONS].sort());
    const universities = names('university');
    expect(universities).toHaveLength(DOMAIN_UNIVERSITY_PLACES.length);
    for (const place of DOMAIN_UNIVERSITY_PLACES) {
      expect({ place, universities: universities.filter((name) => name.startsWith(place) && /universitet|högskola/.test(name)) }).toEqual({
        place,
        universities: [expect.any(String)],
      });
    }
    expect(providers.filter((p) => /ibn rushd/i.test(p.name))).toEqual([]);
    // every offering belongs to one of them, and each of them offers something
    expect(await countRows(db, 'providers p', 'NOT EXISTS (SELECT 1 FROM offerings o WHERE o.provider_id = p.id)')).toBe(0);
  });

  it('covers every theme and every format of the reference data', async () => {
    const unusedThemes = await db.query<{ code: string }>(
      'SELECT code FROM themes t WHERE NOT EXISTS (SELECT 1 FROM offerings o WHERE t.code = ANY(o.theme_codes)) ORDER BY code',
    );
    const unusedFormats = await db.query<{ code: string }>('SELECT code FROM formats f WHERE NOT EXISTS (SELECT 1 FROM offerings o WHERE o.format = f.code) ORDER BY code');
    expect({ unusedThemes, unusedFormats }).toEqual({ unusedThemes: [], unusedFormats: [] });
    expect(await countRows(db, 'themes')).toBe(14);
    expect(await countRows(db, 'formats')).toBe(7);
    // and only known codes
    expect(await countRows(db, 'offerings o', 'NOT (o.theme_codes <@ ARRAY(SELECT code FROM themes))')).toBe(0);
  });

  it('has sessions in all 48 municipalities of the programme and online', async () => {
    const missing = await db.query<{ code: string; name: string }>(
      'SELECT code, name FROM municipalities m WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.municipality_code = m.code) ORDER BY code',
    );
    expect(missing).toEqual([]);
    expect(await countRows(db, 'municipalities')).toBe(48);
    expect(await countRows(db, 'sessions', 'municipality_code IS NOT NULL AND municipality_code NOT IN (SELECT code FROM municipalities)')).toBe(0);
    expect(await countRows(db, 'sessions', 'online AND municipality_code IS NULL')).toBeGreaterThan(0);
  });

  it('schedules every session upcoming, within the next six months, and spread over all six', async () => {
    const sessions = await db.query<{ starts_at: Date; ends_at: Date; capacity: number; seats_taken: number; status: string }>(
      'SELECT starts_at, ends_at, capacity, seats_taken, status FROM sessions',
    );
    const horizon = addMonths(after, 6);
    const outside = sessions.filter((s) => !(s.starts_at > before && s.starts_at <= horizon)).map((s) => s.starts_at.toISOString());
    expect({ now: before.toISOString(), horizon: horizon.toISOString(), outside }).toEqual({ now: before.toISOString(), horizon: horizon.toISOString(), outside: [] });
    for (let month = 0; month < 6; month++) {
      const from = addMonths(before, month);
      const to = addMonths(before, month + 1);
      expect({ month, sessions: sessions.some((s) => s.starts_at >= from && s.starts_at < to) }).toEqual({ month, sessions: true });
    }
    expect(sessions.filter((s) => !(s.ends_at > s.starts_at) || s.seats_taken > s.capacity || s.status !== 'scheduled')).toEqual([]);
  });

  it('the public search then finds every published offering, and its filters see the demo data', async () => {
    const published = await countRows(db, 'offerings', `status = 'published'`);
    const all = await search('limit=100');
    expect(all.total).toBe(published);
    expect(all.items).toHaveLength(100);
    // seatsLeft as the database has it
    const hit = all.items[0];
    const [session] = await db.query<{ left: number }>('SELECT capacity - seats_taken AS left FROM sessions WHERE id = $1', [hit.sessions[0].id]);
    expect(hit.sessions[0].seatsLeft).toBe(session.left);
    const drafts = await db.query<{ id: string }>(`SELECT id FROM offerings WHERE status = 'draft'`);
    for (const { id } of drafts) await app.http.get(`/api/v1/offerings/${id}`).expect(404);

    for (const { code } of await db.query<{ code: string }>('SELECT code FROM themes ORDER BY code')) {
      const expected = await countRows(db, 'offerings', `status = 'published' AND $1 = ANY(theme_codes)`, [code]);
      expect({ code, total: (await search(`theme=${code}&limit=1`)).total }).toEqual({ code, total: expected });
      expect(expected).toBeGreaterThan(0);
    }
    for (const { code } of await db.query<{ code: string }>('SELECT code FROM formats ORDER BY code')) {
      const expected = await countRows(db, 'offerings', `status = 'published' AND format = $1`, [code]);
      expect({ code, total: (await search(`format=${code}&limit=1`)).total }).toEqual({ code, total: expected });
    }
    for (const county of ['03', '04', '05', '18', '19']) {
      const expected = await countRows(
        db,
        'offerings o',
        `o.status = 'published' AND EXISTS (SELECT 1 FROM sessions s JOIN municipalities m ON m.code = s.municipality_code WHERE s.offering_id = o.id AND m.county_code = $1)`,
        [county],
      );
      expect({ county, total: (await search(`county=${county}&limit=1`)).total }).toEqual({ county, total: expected });
      expect(expected).toBeGreaterThan(0);
    }
    const online = await search('online=true&limit=100');
    expect(online.total).toBeGreaterThan(0);
    for (const item of online.items) expect(item.sessions.every((s) => s.online)).toBe(true);

    // free text in Swedish: "utbildningar" finds the demo's "Utbildningen …" descriptions, ranked
    const text = await search('q=utbildningar&limit=5');
    expect(text.total).toBeGreaterThan(0);
    expect(text.items.every((item) => typeof item.rank === 'number' && item.rank > 0)).toBe(true);
  });

  it('creates a demo organisation whose admin and employees sign in to the web front end with the printed passwords', async () => {
    expect(counts.organisation.people.map((p) => p.role)).toEqual(['org_admin', 'employee', 'employee']);
    const passwords = counts.organisation.people.map((p) => p.password);
    expect(new Set(passwords).size).toBe(3);
    for (const person of counts.organisation.people) {
      expect(await countRows(db, 'organisation_members', 'organisation_id = $1 AND user_id = $2 AND role = $3', [counts.organisation.id, person.id, person.role])).toBe(1);
      const web = new WebClient(app);
      await web.signIn(person.email, person.password);
      expect((await web.get('/')).text).toContain(`Välkommen, ${person.name}`);
      const organisation = await web.get(`/organisation/${counts.organisation.id}/medlemmar`);
      expect([person.role, organisation.status]).toEqual([person.role, person.role === 'org_admin' ? 200 : 403]);
    }
    // The signed-in start page of an employee recommends nothing yet (no needs stated) but searches the demo catalogue.
    const web = new WebClient(app);
    await web.signIn(counts.organisation.people[1].email, counts.organisation.people[1].password);
    expect((await web.get('/kurser?q=upphandling')).text).toMatch(/\d+ kurser hittades/);
  });

  it('refuses a second run on the now non-empty database with a clear error, writing nothing', async () => {
    const rowsBefore = await countAllTables(db);
    await expect(seedDemoCatalogue(db.url)).rejects.toThrow(DemoCatalogueNotEmptyError);
    await expect(seedDemoCatalogue(db.url)).rejects.toThrow('the catalogue is not empty (providers or offerings exist): refusing to add demo data');
    expect(await countAllTables(db)).toEqual(rowsBefore);
    expect(rowsBefore.providers).toBe(counts.providers);
  });

  it('refuses a database with a single provider of its own, writing nothing', async () => {
    const other = await createTestDatabase();
    try {
      await other.query(`INSERT INTO providers (name, kind, municipality_code) VALUES ('Folkhögskolan i Heby', 'folk_high_school', '0331')`);
      const rowsBefore = await countAllTables(other);
      await expect(seedDemoCatalogue(other.url)).rejects.toThrow(DemoCatalogueNotEmptyError);
      expect(await countAllTables(other)).toEqual(rowsBefore);
      expect(rowsBefore).toMatchObject({ providers: 1, offerings: 0, sessions: 0 });
    } finally {
      await other.drop();
    }
  });
});
