import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response, Test } from 'supertest';
import { givenOffering, givenProvider, givenPublishedOffering, givenSession, givenStaff } from '../support/catalogue-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenMember, givenOrganisation, type GivenOrganisation } from '../support/organisation-factories.js';

type Role = 'anonymous' | 'employee' | 'adminA' | 'adminB' | 'staff1' | 'staff2' | 'coordinator';

function expectError(res: Response, status: number, code: string, field?: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  if (field) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
}

/**
 * A small region: an association in Uppsala (an admin, an employee who needs an induction loop),
 * one in Linköping, a municipality in Örebro; two providers with in-person, online, full and
 * accessibility-equipped sessions; one open round.
 */
describe('matching: recommendations, matches, coverage and provider demand', () => {
  const t = useTestContext();
  let coordinator: GivenUser;
  let orgA: GivenOrganisation;
  let orgB: GivenOrganisation;
  let orgC: GivenOrganisation;
  let employee: GivenUser;
  let employeeB: GivenUser;
  let staff1: GivenUser;
  let staff2: GivenUser;
  let provider1: string;
  let provider2: string;
  let users: Record<Exclude<Role, 'anonymous'>, GivenUser>;
  let roundId: string;
  const statements: Record<string, string> = {};
  const offerings: Record<string, { id: string; sessionIds: string[] }> = {};

  const as = (role: Role, req: Test) => (role === 'anonymous' ? req : req.set(users[role].auth));
  const get = (role: Role, path: string) => as(role, t.app.http.get(`/api/v1${path}`));
  const writtenRows = async () =>
    Promise.all(['offerings', 'sessions', 'needs_statements', 'needs_rounds', 'person_profiles', 'audit_log'].map((table) => countRows(t.db, table)));

  beforeAll(async () => {
    const ctx = { app: t.app, db: t.db };
    coordinator = await givenUser(ctx, { coordinator: true });
    orgA = await givenOrganisation(ctx, { municipalityCode: '0380' });
    orgB = await givenOrganisation(ctx, { municipalityCode: '0580' });
    orgC = await givenOrganisation(ctx, { municipalityCode: '1880', sector: 'public', legalForm: 'kommun' });
    employee = await givenMember(ctx, orgA.id, 'employee');
    employeeB = await givenMember(ctx, orgB.id, 'employee');
    await t.db.query(`INSERT INTO person_profiles (user_id, accessibility_needs) VALUES ($1, '{induction_loop}')`, [employee.id]);

    provider1 = (await givenProvider(ctx, coordinator, { name: 'Studieförbundet Uppland' })).id;
    provider2 = (await givenProvider(ctx, coordinator, { name: 'Folkhögskolan Östra' })).id;
    staff1 = await givenStaff(ctx, provider1);
    staff2 = await givenStaff(ctx, provider2);
    users = { employee, adminA: orgA.admin, adminB: orgB.admin, staff1, staff2, coordinator };

    offerings.loop = await givenPublishedOffering(
      ctx,
      coordinator,
      provider1,
      { title: 'Upphandling med hörslinga', accessibilityFeatures: ['step_free_access', 'induction_loop'] },
      [{ days: 30 }, { days: 60, bookingOpensAt: new Date(Date.now() + 10 * 86_400_000).toISOString() }],
    );
    offerings.noLoop = await givenPublishedOffering(
      ctx,
      coordinator,
      provider1,
      { title: 'Upphandlingscirkel', format: 'study_circle', accessibilityFeatures: [] },
      [{ days: 20 }],
    );
    offerings.online = await givenPublishedOffering(
      ctx,
      coordinator,
      provider2,
      { title: 'Digitala verktyg på distans', themeCodes: ['digital_skills'], format: 'online_course', accessibilityFeatures: ['induction_loop', 'captions'] },
      [{ days: 40, online: true, municipalityCode: undefined, venue: undefined, onlineUrl: 'https://meet.example.se/digital', capacity: 10 }],
    );
    offerings.full = await givenPublishedOffering(
      ctx,
      coordinator,
      provider2,
      { title: 'Upphandling i Linköping', accessibilityFeatures: ['induction_loop'] },
      [{ days: 25, municipalityCode: '0580', venue: 'Stadsbiblioteket, Linköping', capacity: 15 }],
    );
    await t.db.query('UPDATE sessions SET seats_taken = capacity WHERE id = $1', [offerings.full.sessionIds[0]]);

    roundId = (await givenRound(ctx, coordinator)).id;
    const state = async (user: GivenUser, key: string, body: Record<string, unknown>) => {
      const res = await t.app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(user.auth).send(body).expect(201);
      statements[key] = res.body.id;
    };
    await state(orgA.admin, 'a1', { organisationId: orgA.id, themeCode: 'public_procurement', people: 12, preferredFormats: ['short_course', 'study_circle'] });
    await state(employee, 'own', { organisationId: orgA.id, themeCode: 'digital_skills', people: 1, preferredFormats: ['short_course', 'online_course'], online: true });
    await state(orgB.admin, 'b1', {
      organisationId: orgB.id,
      themeCode: 'public_procurement',
      people: 8,
      preferredFormats: ['study_circle'],
      municipalityCode: '0580',
      accessibilityNeeds: ['induction_loop'],
    });
    await state(orgB.admin, 'b2', { organisationId: orgB.id, themeCode: 'gender_equality', people: 6, preferredFormats: ['lecture_series'] });
    await state(orgC.admin, 'c1', { organisationId: orgC.id, themeCode: 'volunteers', people: 3, preferredFormats: ['short_course'] });
  });

  describe('GET /me/recommendations', () => {
    it('ranks the bookable sessions for the employee: the accessible one in the same municipality first', async () => {
      const res = await get('employee', '/me/recommendations').expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((i: { offering: { title: string }; score: number }) => [i.offering.title, i.score])).toEqual([
        ['Upphandling med hörslinga', 100],
        ['Digitala verktyg på distans', 94],
        ['Upphandling i Linköping', 84],
      ]);
      const [top, online, full] = res.body.items;
      expect(top.session.id).toBe(offerings.loop.sessionIds[0]);
      expect(top.reasons.map((r: { sv: string }) => r.sv)).toEqual(['Rätt tema', 'Önskad form', 'Samma kommun', 'Hörslinga finns']);
      expect(top.reasons.map((r: { en: string }) => r.en)).toEqual(['The right theme', 'The preferred format', 'Same municipality', 'Induction loop provided']);
      expect(top.statements).toEqual([{ id: statements.a1, roundId, organisationId: orgA.id, themeCode: 'public_procurement', personal: false }]);
      expect(online.statements).toEqual([{ id: statements.own, roundId, organisationId: orgA.id, themeCode: 'digital_skills', personal: true }]);
      expect(online.reasons.map((r: { code: string }) => r.code)).toContain('online_wanted');
      expect(full.session.seatsLeft).toBe(0);
      expect(full.reasons.map((r: { sv: string }) => r.sv)).toContain('Fullbokad – kö finns');
    });

    it('pages, filters by theme, and leaves out what needs no loop for someone else', async () => {
      const page = await get('employee', '/me/recommendations?limit=1&offset=1').expect(200);
      expect(page.body.total).toBe(3);
      expect(page.body.items.map((i: { offering: { title: string } }) => i.offering.title)).toEqual(['Digitala verktyg på distans']);
      const past = await get('employee', '/me/recommendations?limit=5&offset=10').expect(200);
      expect(past.body).toEqual({ items: [], total: 3 });
      const theme = await get('employee', '/me/recommendations?themeCode=digital_skills').expect(200);
      expect(theme.body.total).toBe(1);
      // The admin of the same organisation has no loop in their profile: the circle without a loop fits them too.
      const admin = await get('adminA', '/me/recommendations').expect(200);
      expect(admin.body.items.map((i: { offering: { title: string } }) => i.offering.title)).toEqual([
        'Upphandling med hörslinga',
        'Upphandlingscirkel',
        'Upphandling i Linköping',
      ]);
    });

    it('lists every statement a session answers, the best first and equal ones in the order they were made', async () => {
      const colleague = await givenMember({ app: t.app, db: t.db }, orgA.id, 'employee');
      const body = { organisationId: orgA.id, themeCode: 'public_procurement', people: 1 };
      const same = await t.app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(colleague.auth).send({ ...body, preferredFormats: ['short_course', 'study_circle'] });
      const weaker = await t.app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(colleague.auth).send({ ...body, preferredFormats: ['lecture_series'] });
      try {
        const res = await t.app.http.get('/api/v1/me/recommendations?limit=1').set(colleague.auth).expect(200);
        expect(res.body.items[0].offering.title).toBe('Upphandling med hörslinga');
        // a1 (the organisation's, made first) and the colleague's own with the same profile score alike; the other scores less.
        expect(res.body.items[0].statements.map((s: { id: string; personal: boolean }) => [s.id, s.personal])).toEqual([
          [statements.a1, false],
          [same.body.id, true],
          [weaker.body.id, true],
        ]);
      } finally {
        await t.db.query('DELETE FROM needs_statements WHERE id = ANY($1::uuid[])', [[same.body.id, weaker.body.id]]);
      }
    });

    it('gives provider staff and coordinators, who state no needs, an empty list', async () => {
      for (const role of ['staff1', 'coordinator'] as const) {
        expect((await get(role, '/me/recommendations').expect(200)).body).toEqual({ items: [], total: 0 });
      }
      expectError(await get('anonymous', '/me/recommendations'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /needs-rounds/:id/statements/:statementId/matches', () => {
    it('ranks the sessions for a statement and shows the excluded ones with why', async () => {
      const res = await get('adminB', `/needs-rounds/${roundId}/statements/${statements.b1}/matches`).expect(200);
      expect(res.body.statement).toEqual({ id: statements.b1, roundId, organisationId: orgB.id, themeCode: 'public_procurement', personal: false });
      expect(res.body.items.map((i: { offering: { title: string }; score: number }) => [i.offering.title, i.score])).toEqual([
        ['Upphandling i Linköping', 80],
        ['Upphandling med hörslinga', 64],
      ]);
      expect(res.body.total).toBe(2);
      expect(res.body.excluded).toEqual({
        total: 1,
        items: [
          expect.objectContaining({
            offering: expect.objectContaining({ title: 'Upphandlingscirkel' }),
            reason: { code: 'accessibility_missing', sv: 'Saknar: Hörslinga', en: 'Missing: Induction loop' },
          }),
        ],
      });
    });

    it('lets the admins of the organisation, the person who stated it and coordinators see it; refuses the rest', async () => {
      const path = `/needs-rounds/${roundId}/statements/${statements.b1}/matches`;
      const expected: Record<Role, [number, string?]> = {
        anonymous: [401, 'UNAUTHENTICATED'],
        employee: [403, 'MATCHING_STATEMENT_ACCESS_DENIED'],
        adminA: [403, 'MATCHING_STATEMENT_ACCESS_DENIED'],
        adminB: [200],
        staff1: [403, 'MATCHING_STATEMENT_ACCESS_DENIED'],
        staff2: [403, 'MATCHING_STATEMENT_ACCESS_DENIED'],
        coordinator: [200],
      };
      for (const [role, [status, code]] of Object.entries(expected) as [Role, [number, string?]][]) {
        const res = await get(role, path);
        if (code) expectError(res, status, code);
        else expect({ role, status: res.status }).toEqual({ role, status });
      }
      // An employee of the same organisation does not see the organisation's statement; the owner sees their own.
      expectError(await t.app.http.get(`/api/v1${path}`).set(employeeB.auth), 403, 'MATCHING_STATEMENT_ACCESS_DENIED');
      const own = await get('employee', `/needs-rounds/${roundId}/statements/${statements.own}/matches`).expect(200);
      expect(own.body.items.map((i: { offering: { title: string } }) => i.offering.title)).toEqual(['Digitala verktyg på distans']);
      await get('adminA', `/needs-rounds/${roundId}/statements/${statements.own}/matches`).expect(200);
    });
  });

  describe('GET /needs-rounds/:id/coverage', () => {
    it('lists demand against supply per theme and county, demand without supply first', async () => {
      const res = await get('coordinator', `/needs-rounds/${roundId}/coverage`).expect(200);
      expect(
        res.body.cells.map((c: Record<string, unknown>) => [c.themeCode, c.countyCode, c.people, c.seats, c.localSeats, c.onlineSeats, c.sessions, c.gap, c.noSupply]),
      ).toEqual([
        ['public_procurement', '05', 8, 0, 0, 0, 1, 8, true],
        ['gender_equality', '05', 6, 0, 0, 0, 0, 6, true],
        ['volunteers', '18', 3, 0, 0, 0, 0, 3, true],
        ['digital_skills', '03', 1, 10, 0, 10, 1, -9, false],
        ['public_procurement', '03', 12, 60, 60, 0, 3, -48, false],
      ]);
      const byKey = new Map(res.body.cells.map((c: { themeCode: string; countyCode: string }) => [`${c.themeCode}/${c.countyCode}`, c]));
      expect((byKey.get('public_procurement/03') as { best: unknown }).best).toEqual([
        { offeringId: offerings.loop.id, title: 'Upphandling med hörslinga', providerName: 'Studieförbundet Uppland', score: 94 },
        { offeringId: offerings.noLoop.id, title: 'Upphandlingscirkel', providerName: 'Studieförbundet Uppland', score: 74 },
      ]);
      expect((byKey.get('public_procurement/05') as { best: unknown }).best).toEqual([
        { offeringId: offerings.full.id, title: 'Upphandling i Linköping', providerName: 'Folkhögskolan Östra', score: 74 },
      ]);
      expect(res.body.cells[0]).toMatchObject({ themeNameSv: 'Offentlig upphandling (LOU) och avtal med kommuner', countyName: 'Östergötlands län' });
    });

    it('exports CSV and xlsx with Swedish headings, both holding exactly the JSON report\'s cells', async () => {
      const json = (await get('coordinator', `/needs-rounds/${roundId}/coverage`).expect(200)).body as {
        round: { title: string };
        cells: {
          themeNameSv: string;
          themeCode: string;
          countyName: string;
          countyCode: string;
          people: number;
          seats: number;
          localSeats: number;
          onlineSeats: number;
          sessions: number;
          gap: number;
          noSupply: boolean;
          best: { title: string; providerName: string; score: number }[];
        }[];
      };
      const title = `Täckning: behov och utbud per tema och län – ${json.round.title}`;
      const headers = [
        'Tema',
        'Kod',
        'Län',
        'Länskod',
        'Antal personer',
        'Lediga platser',
        'Varav på plats i länet',
        'Varav distans',
        'Tillfällen',
        'Gap (personer − platser)',
        'Utbud saknas',
        'Bäst matchande utbud',
      ];
      const expected = json.cells.map((c) => [
        c.themeNameSv,
        c.themeCode,
        c.countyName,
        c.countyCode,
        c.people,
        c.seats,
        c.localSeats,
        c.onlineSeats,
        c.sessions,
        c.gap,
        c.noSupply ? 'Ja' : 'Nej',
        c.best.map((b) => `${b.title} (${b.providerName}, ${b.score})`).join('; '),
      ]);
      expect(expected).toHaveLength(5);
      expect(expected[0]).toEqual([
        'Offentlig upphandling (LOU) och avtal med kommuner',
        'public_procurement',
        'Östergötlands län',
        '05',
        8,
        0,
        0,
        0,
        1,
        8,
        'Ja',
        'Upphandling i Linköping (Folkhögskolan Östra, 74)',
      ]);

      const csv = await get('coordinator', `/needs-rounds/${roundId}/coverage?format=csv`).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="tackning-\d{4}-\d{2}-\d{2}\.csv"/);
      expect(csv.text.startsWith('\uFEFF')).toBe(true);
      const csvRows = parse(csv.text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
      expect(csvRows).toEqual([[title], headers, ...expected.map((row) => row.map(String))]);

      const xlsx = await get('coordinator', `/needs-rounds/${roundId}/coverage?format=xlsx`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect(xlsx.headers['content-disposition']).toMatch(/attachment; filename="tackning-\d{4}-\d{2}-\d{2}\.xlsx"/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer); // a Node Buffer at run time; exceljs types it apart
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Täckning']);
      const values = workbook.worksheets[0].getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
      // Numbers stay numbers in the workbook.
      expect(values).toEqual([[title], headers, ...expected]);
    });

    it('is for coordinators only', async () => {
      const expected: Record<Role, [number, string]> = {
        anonymous: [401, 'UNAUTHENTICATED'],
        employee: [403, 'FORBIDDEN'],
        adminA: [403, 'FORBIDDEN'],
        adminB: [403, 'FORBIDDEN'],
        staff1: [403, 'FORBIDDEN'],
        staff2: [403, 'FORBIDDEN'],
        coordinator: [200, ''],
      };
      for (const [role, [status, code]] of Object.entries(expected) as [Role, [number, string]][]) {
        const res = await get(role, `/needs-rounds/${roundId}/coverage`);
        if (code) expectError(res, status, code);
        else expect(res.status).toBe(200);
      }
    });
  });

  describe('GET /providers/:id/demand', () => {
    it('shows the provider demand per theme and county, its own themes first, small cells as "<5"', async () => {
      const res = await get('staff1', `/providers/${provider1}/demand?roundId=${roundId}`).expect(200);
      expect(res.body.themesOffered).toEqual(['public_procurement']);
      expect(res.body.cells.map((c: Record<string, unknown>) => [c.themeCode, c.countyCode, c.people, c.offeredByProvider, c.seats, c.noSupply])).toEqual([
        ['public_procurement', '03', 12, true, 60, false],
        ['public_procurement', '05', 8, true, 0, true],
        ['digital_skills', '03', '<5', false, 10, false],
        ['gender_equality', '05', 6, false, 0, true],
        ['volunteers', '18', '<5', false, 0, true],
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/Förening|organisationId/);
      // Without roundId: the most recently opened round.
      expect((await get('staff1', `/providers/${provider1}/demand`).expect(200)).body.round.id).toBe(roundId);
    });

    it('is for the provider\'s staff and coordinators', async () => {
      const expected: Record<Role, [number, string]> = {
        anonymous: [401, 'UNAUTHENTICATED'],
        employee: [403, 'PROVIDER_ACCESS_DENIED'],
        adminA: [403, 'PROVIDER_ACCESS_DENIED'],
        adminB: [403, 'PROVIDER_ACCESS_DENIED'],
        staff1: [200, ''],
        staff2: [403, 'PROVIDER_ACCESS_DENIED'],
        coordinator: [200, ''],
      };
      for (const [role, [status, code]] of Object.entries(expected) as [Role, [number, string]][]) {
        const res = await get(role, `/providers/${provider1}/demand?roundId=${roundId}`);
        if (code) expectError(res, status, code);
        else expect({ role, status: res.status }).toEqual({ role, status });
      }
    });
  });

  describe('bad input', () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    it.each([
      ['employee', '/me/recommendations?limit=0', 400, 'VALIDATION_FAILED', 'limit'],
      ['employee', '/me/recommendations?limit=101', 400, 'VALIDATION_FAILED', 'limit'],
      ['employee', '/me/recommendations?limit=ten', 400, 'VALIDATION_FAILED', 'limit'],
      ['employee', '/me/recommendations?offset=-1', 400, 'VALIDATION_FAILED', 'offset'],
      ['employee', '/me/recommendations?themeCode=no_such_theme', 400, 'VALIDATION_FAILED', 'themeCode'],
      ['employee', '/me/recommendations?themeCode=DROP%20TABLE', 400, 'VALIDATION_FAILED', 'themeCode'],
      ['employee', '/me/recommendations?other=1', 400, 'VALIDATION_FAILED', 'other'],
      ['coordinator', '/needs-rounds/not-a-uuid/statements/00000000-0000-4000-8000-000000000000/matches', 400, 'VALIDATION_FAILED', 'id'],
      ['coordinator', '/needs-rounds/ROUND/statements/nope/matches', 400, 'VALIDATION_FAILED', 'statementId'],
      ['coordinator', `/needs-rounds/${unknown}/statements/${unknown}/matches`, 404, 'NEEDS_ROUND_NOT_FOUND', undefined],
      ['coordinator', 'ROUND_UNKNOWN_STATEMENT', 404, 'NEEDS_STATEMENT_NOT_FOUND', undefined],
      ['coordinator', 'MATCHES?limit=500', 400, 'VALIDATION_FAILED', 'limit'],
      ['coordinator', '/needs-rounds/not-a-uuid/coverage', 400, 'VALIDATION_FAILED', 'id'],
      ['coordinator', `/needs-rounds/${unknown}/coverage`, 404, 'NEEDS_ROUND_NOT_FOUND', undefined],
      ['coordinator', 'ROUND/coverage?format=pdf', 400, 'VALIDATION_FAILED', 'format'],
      ['coordinator', '/providers/not-a-uuid/demand', 400, 'VALIDATION_FAILED', 'id'],
      ['coordinator', `/providers/${unknown}/demand`, 404, 'PROVIDER_NOT_FOUND', undefined],
      ['coordinator', 'PROVIDER?roundId=nope', 400, 'VALIDATION_FAILED', 'roundId'],
      ['coordinator', `PROVIDER?roundId=${unknown}`, 404, 'NEEDS_ROUND_NOT_FOUND', undefined],
    ] as [Role, string, number, string, string | undefined][])('%s GET %s → %i %s', async (role, template, status, code, field) => {
      const path = template
        .replace('ROUND_UNKNOWN_STATEMENT', `/needs-rounds/${roundId}/statements/${unknown}/matches`)
        .replace('MATCHES', `/needs-rounds/${roundId}/statements/${statements.b1}/matches`)
        .replace(/^ROUND\/coverage/, `/needs-rounds/${roundId}/coverage`)
        .replace(/\/needs-rounds\/ROUND\//, `/needs-rounds/${roundId}/`)
        .replace(/^PROVIDER/, `/providers/${provider1}/demand`);
      const before = await writtenRows();
      expectError(await get(role, path), status, code, field);
      expect(await writtenRows()).toEqual(before);
    });
  });
});

/**
 * Recommendations are published, bookable sessions only. An employee of an association in Uppsala
 * (an induction loop in their profile) and their organisation's need for public procurement as a
 * short course; six offerings that each match it perfectly (the theme, the first-choice format,
 * Uppsala, a loop), of which only one is published with a bookable session: a draft, an archived
 * offering, a cancelled session, a session that will have started and one whose booking will have
 * closed when the clock moves three days on.
 */
describe('matching: recommendations leave out what cannot be booked', () => {
  const t = useTestContext();
  const DAY = 24 * 3600_000;
  let coordinator: GivenUser;
  let org: GivenOrganisation;
  let employee: GivenUser;
  let roundId: string;
  let statementId: string;
  const sessions = {} as Record<'bookable' | 'draft' | 'archived' | 'cancelled' | 'past' | 'closed', string>;

  beforeAll(async () => {
    const ctx = { app: t.app, db: t.db };
    coordinator = await givenUser(ctx, { coordinator: true });
    org = await givenOrganisation(ctx, { municipalityCode: '0380' });
    employee = await givenMember(ctx, org.id, 'employee');
    await t.db.query(`INSERT INTO person_profiles (user_id, accessibility_needs) VALUES ($1, '{induction_loop}')`, [employee.id]);
    const provider = (await givenProvider(ctx, coordinator, { name: 'Studieförbundet Uppland' })).id;
    const perfect = (title: string) => ({ title, accessibilityFeatures: ['step_free_access', 'induction_loop'] });

    sessions.bookable = (await givenPublishedOffering(ctx, coordinator, provider, perfect('Bokningsbar'), [{ days: 30 }])).sessionIds[0];
    const draft = await givenOffering(ctx, coordinator, provider, perfect('Utkast'));
    sessions.draft = (await givenSession(ctx, coordinator, draft.id, 30)).id;
    const archived = await givenPublishedOffering(ctx, coordinator, provider, perfect('Arkiverad'), [{ days: 30 }]);
    await t.app.http.post(`/api/v1/offerings/${archived.id}/archive`).set(coordinator.auth).expect(200);
    sessions.archived = archived.sessionIds[0];
    sessions.cancelled = (await givenPublishedOffering(ctx, coordinator, provider, perfect('Inställd'), [{ days: 30 }])).sessionIds[0];
    await t.app.http.post(`/api/v1/sessions/${sessions.cancelled}/cancel`).set(coordinator.auth).send({ reason: 'Kursledaren är sjuk.' }).expect(200);
    // Bookable today; after the clock moves three days on, one has started (and ended) and the other's booking has closed.
    sessions.past = (await givenPublishedOffering(ctx, coordinator, provider, perfect('Passerad'), [{ days: 2 }])).sessionIds[0];
    sessions.closed = (
      await givenPublishedOffering(ctx, coordinator, provider, perfect('Bokningen stängd'), [{ days: 30, bookingClosesAt: new Date(Date.now() + DAY).toISOString() }])
    ).sessionIds[0];

    roundId = (await givenRound(ctx, coordinator)).id;
    statementId = (
      await t.app.http
        .post(`/api/v1/needs-rounds/${roundId}/statements`)
        .set(org.admin.auth)
        .send({ organisationId: org.id, themeCode: 'public_procurement', people: 4, preferredFormats: ['short_course'] })
        .expect(201)
    ).body.id;
  });

  const recommended = async (user: GivenUser) => {
    const res = await t.app.http.get('/api/v1/me/recommendations').set(user.auth).expect(200);
    return {
      total: res.body.total as number,
      items: (res.body.items as { offering: { title: string }; session: { id: string }; score: number }[])
        .map((i) => ({ title: i.offering.title, sessionId: i.session.id, score: i.score }))
        .sort((a, b) => a.title.localeCompare(b.title, 'sv')),
    };
  };

  it('recommends only the published, bookable session, though each of the others is otherwise a perfect match', async () => {
    // Today the sessions that are about to start or to close are still bookable: perfect matches, as the bookable one.
    expect(await recommended(employee)).toEqual({
      total: 3,
      items: [
        { title: 'Bokningen stängd', sessionId: sessions.closed, score: 100 },
        { title: 'Bokningsbar', sessionId: sessions.bookable, score: 100 },
        { title: 'Passerad', sessionId: sessions.past, score: 100 },
      ],
    });

    t.app.clock.advance(3 * DAY);
    expect(await recommended(employee)).toEqual({ total: 1, items: [{ title: 'Bokningsbar', sessionId: sessions.bookable, score: 100 }] });
    // The statement's matches (for its admin) leave them out too, and do not list them as excluded.
    const matches = await t.app.http.get(`/api/v1/needs-rounds/${roundId}/statements/${statementId}/matches`).set(org.admin.auth).expect(200);
    expect(matches.body.items.map((i: { session: { id: string }; score: number }) => [i.session.id, i.score])).toEqual([[sessions.bookable, 100]]);
    expect({ total: matches.body.total, excluded: matches.body.excluded }).toEqual({ total: 1, excluded: { total: 0, items: [] } });
  });
});
