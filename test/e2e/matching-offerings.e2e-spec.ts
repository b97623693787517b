import { startTestApp, type TestApp } from '../support/app.js';
import { givenOffering, givenProvider, givenPublishedOffering, givenSession, givenStaff } from '../support/catalogue-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { givenUser, type GivenUser } from '../support/factories.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';

/**
 * matching_offerings (migration MatchingOfferings) is recommendations' narrow copy of the published
 * offerings, kept by a trigger on offerings: it must hold exactly the published offerings with
 * their current matching columns, whatever happens to them through the API, and the places of
 * their scheduled sessions (recommendations bound a session's place score with them).
 */
describe('matching: matching_offerings follows the published offerings', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let app: TestApp;
  let staff: GivenUser;
  let providerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
    app = await startTestApp({ databaseUrl: db.url, smtpUrl: smtp.url });
    const ctx = { app, db };
    const coordinator = await givenUser(ctx, { coordinator: true });
    providerId = (await givenProvider(ctx, coordinator)).id;
    staff = await givenStaff(ctx, providerId);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await db?.drop();
  });

  const COLUMNS = 'theme_codes, format, language, target_groups, accessibility_features, places';
  const copyOf = (id: string) => db.query(`SELECT ${COLUMNS} FROM matching_offerings WHERE offering_id = $1`, [id]);
  const sourceOf = (id: string) => db.query(`SELECT ${COLUMNS} FROM offerings WHERE id = $1`, [id]);
  /** The whole table against the published offerings, row for row. */
  const mismatches = () =>
    db.query(`SELECT coalesce(o.id, c.offering_id) AS id FROM (SELECT id, ${COLUMNS} FROM offerings WHERE status = 'published') o
                FULL JOIN matching_offerings c ON c.offering_id = o.id
               WHERE o.id IS NULL OR c.offering_id IS NULL
                  OR (o.theme_codes, o.format, o.language, o.target_groups, o.accessibility_features)
                     IS DISTINCT FROM (c.theme_codes, c.format, c.language, c.target_groups, c.accessibility_features)
                  OR o.places IS DISTINCT FROM c.places`);

  it('a draft is absent, a published offering is copied, edits follow, archiving removes it', async () => {
    const ctx = { app, db };
    const offering = await givenOffering(ctx, staff, providerId, { themeCodes: ['public_procurement'], accessibilityFeatures: ['step_free_access'] });
    await givenSession(ctx, staff, offering.id);
    expect(await copyOf(offering.id)).toEqual([]);

    await app.http.post(`/api/v1/offerings/${offering.id}/publish`).set(staff.auth).expect(200);
    expect(await copyOf(offering.id)).toEqual([
      {
        theme_codes: ['public_procurement'],
        format: 'short_course',
        language: 'sv',
        target_groups: ['social_economy'],
        accessibility_features: ['step_free_access'],
        places: ['0380', 'county:03'],
      },
    ]);

    await app.http
      .patch(`/api/v1/offerings/${offering.id}`)
      .set(staff.auth)
      .send({ themeCodes: ['digital_skills', 'local_partnerships'], format: 'study_circle', language: 'en', targetGroups: ['social_economy', 'public_sector'], accessibilityFeatures: ['induction_loop', 'captions'] })
      .expect(200);
    expect(await copyOf(offering.id)).toEqual(await sourceOf(offering.id));
    expect((await copyOf(offering.id))[0]).toMatchObject({ theme_codes: ['digital_skills', 'local_partnerships'], format: 'study_circle', language: 'en' });

    // an edit of other columns leaves the copy as it is; the places follow the scheduled sessions
    await app.http.patch(`/api/v1/offerings/${offering.id}`).set(staff.auth).send({ title: 'Ny titel', priceSek: 100 }).expect(200);
    expect(await copyOf(offering.id)).toEqual(await sourceOf(offering.id));
    const other = await givenSession(ctx, staff, offering.id, 40, { municipalityCode: '0580', online: true, onlineUrl: 'https://meet.example.se/kurs' });
    expect(await copyOf(offering.id)).toEqual(await sourceOf(offering.id));
    expect((await copyOf(offering.id))[0].places).toEqual(['0380', '0580', 'county:03', 'county:05', 'online']);
    await app.http.post(`/api/v1/sessions/${other.id}/cancel`).set(staff.auth).send({ reason: 'Kursledaren är sjuk.' }).expect(200);
    expect((await copyOf(offering.id))[0].places).toEqual(['0380', 'county:03']);

    await app.http.post(`/api/v1/offerings/${offering.id}/archive`).set(staff.auth).expect(200);
    expect(await copyOf(offering.id)).toEqual([]);
    expect(await mismatches()).toEqual([]);
  });

  it('holds exactly the published offerings after a mix of drafts, publications and archivals', async () => {
    const ctx = { app, db };
    const published = [];
    for (let i = 0; i < 4; i++) published.push(await givenPublishedOffering(ctx, staff, providerId, { themeCodes: i % 2 ? ['volunteers'] : ['digital_skills'] }));
    await givenOffering(ctx, staff, providerId);
    await app.http.post(`/api/v1/offerings/${published[1].id}/archive`).set(staff.auth).expect(200);
    expect(await mismatches()).toEqual([]);
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM matching_offerings`);
    const [{ expected }] = await db.query<{ expected: number }>(`SELECT count(*)::int AS expected FROM offerings WHERE status = 'published'`);
    expect(count).toBe(expected);
    expect(count).toBe(3);
  });
});
