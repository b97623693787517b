import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenMember, givenOrganisation, type GivenOrganisation } from '../support/organisation-factories.js';
import {
  DAY_MS,
  givenProvider,
  givenProviderStaff,
  givenRound,
  givenSupply,
} from '../support/needs-factories.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';

/** Parses a binary response body (supertest buffers unknown types only when asked). */
function binary(res: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('needs mapping: a whole round from opening to report', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let app: TestApp;
  let ctx: { app: TestApp; db: TestDatabase };
  let coordinator: GivenUser;
  let orgA: GivenOrganisation;
  let orgB: GivenOrganisation;
  let orgC: GivenOrganisation;
  let orgD: GivenOrganisation;
  let employee: GivenUser;
  let roundId: string;
  let providerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
    app = await startTestApp({ databaseUrl: db.url, smtpUrl: smtp.url });
    ctx = { app, db };
    coordinator = await givenUser(ctx, { coordinator: true });
    orgA = await givenOrganisation(ctx, { name: 'Returbutiken', municipalityCode: '0380', legalForm: 'ekonomisk_forening' });
    orgB = await givenOrganisation(ctx, { name: 'Linköpings Stadsmission', municipalityCode: '0580', legalForm: 'ideell_forening' }, await givenUser(ctx, { locale: 'en' }));
    orgC = await givenOrganisation(ctx, { name: 'Tyst förening', municipalityCode: '0331', legalForm: 'stiftelse' });
    orgD = await givenOrganisation(ctx, { name: 'Örebro kooperativ', municipalityCode: '1880' });
    employee = await givenMember(ctx, orgA.id);
    providerId = await givenProvider(db, 'Studieförbundet Vuxenskolan');
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await db?.drop();
  });

  it('opens a round: invites the organisations in scope and emails their admins in their language', async () => {
    const round = await givenRound(ctx, coordinator, { invite: { counties: ['03', '05'] } });
    roundId = round.id;
    expect(round.body).toMatchObject({ status: 'open', acceptingStatements: true, invitedOrganisations: 3, invite: { scope: 'counties', values: ['03', '05'] } });
    const invited = await db.query<{ organisation_id: string; county_code: string }>(
      'SELECT organisation_id, county_code FROM needs_round_organisations WHERE round_id = $1 ORDER BY county_code',
      [roundId],
    );
    expect(invited.map((r) => r.organisation_id).sort()).toEqual([orgA.id, orgB.id, orgC.id].sort());
    // The audit entry counts them (issue 24, F5: it said `invited: undefined`, an INSERT read as an UPDATE).
    const audit = await db.query<{ details: unknown }>(`SELECT details FROM audit_log WHERE action = 'needs_round.opened' AND details->>'roundId' = $1`, [roundId]);
    expect(audit).toEqual([{ details: { roundId, invited: 3 } }]);

    await app.dispatchMail();
    await smtp.waitFor(3);
    const [toA] = smtp.to(orgA.admin.email);
    expect(toA.subject).toBe('Berätta vilken kompetensutveckling Returbutiken behöver');
    expect(toA.text).toContain(`http://kompetenslyft.test/inventering/${roundId}?organisation=${orgA.id}`);
    expect(smtp.to(orgB.admin.email)[0].subject).toBe('Tell us what competence development Linköpings Stadsmission needs');
    expect(smtp.to(orgC.admin.email)).toHaveLength(1);
    expect(smtp.to(orgD.admin.email)).toHaveLength(0);
    expect(smtp.to(employee.email)).toHaveLength(0);

    // Opening twice is a state conflict and sends nothing more.
    const again = await app.http.post(`/api/v1/needs-rounds/${roundId}/open`).set(coordinator.auth).expect(409);
    expect(again.body.code).toBe('NEEDS_ROUND_WRONG_STATE');
    await app.dispatchMail();
    expect(smtp.messages).toHaveLength(3);
  });

  it('takes statements from two organisations and an employee, and assessments', async () => {
    const post = (user: GivenUser, body: Record<string, unknown>) =>
      app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(user.auth).send(body).expect(201);
    const a1 = await post(orgA.admin, {
      organisationId: orgA.id,
      themeCode: 'public_procurement',
      people: 12,
      women: 7,
      men: 4,
      otherGender: 1,
      preferredFormats: ['study_circle', 'short_course'],
      municipalityCode: '0380',
      preferredPeriod: ['autumn'],
      preferredTimeOfDay: 'morning',
      priority: 'high',
      accessibilityNeeds: ['induction_loop'],
      comment: 'Helst på förmiddagar.',
    });
    expect(a1.body).toMatchObject({ organisationName: 'Returbutiken', personal: false, people: 12, preferredFormats: ['study_circle', 'short_course'] });
    await post(orgA.admin, { organisationId: orgA.id, themeCode: 'entrepreneurship', people: 3, women: 2, men: 1, preferredFormats: ['short_course'], online: true });
    await post(orgB.admin, {
      organisationId: orgB.id,
      themeCode: 'public_procurement',
      people: 20,
      women: 10,
      men: 10,
      preferredFormats: ['lecture_series'],
      preferredPeriod: ['spring', 'autumn'],
      priority: 'medium',
    });
    const own = await post(employee, { organisationId: orgA.id, themeCode: 'entrepreneurship', people: 1, women: 1, preferredFormats: ['online_course'], comment: 'Jag vill starta eget.' });
    expect(own.body).toMatchObject({ personal: true, personUserId: employee.id });

    // The org admin sees the employee's personal need; the employee sees only their own.
    const seenByAdmin = await app.http.get(`/api/v1/needs-rounds/${roundId}/statements`).set(orgA.admin.auth).expect(200);
    expect(seenByAdmin.body.total).toBe(3);
    const seenByEmployee = await app.http.get(`/api/v1/needs-rounds/${roundId}/statements`).set(employee.auth).expect(200);
    expect(seenByEmployee.body.items.map((s: { id: string }) => s.id)).toEqual([own.body.id]);

    await app.http
      .put(`/api/v1/needs-rounds/${roundId}/assessments/${orgA.id}`)
      .set(orgA.admin.auth)
      .send({
        genderEquality: { hasPlan: 'yes', hasTrained: true, wantsTraining: false },
        accessibility: { knowledge: 2, wantsTraining: true },
        socialEnterpriseSupport: { needs: ['mentoring', 'financing'], comment: 'Vi vill starta ett café.' },
        preferredProviders: { providerIds: [providerId], other: 'Coompanion' },
        followUp: { methods: ['survey_after_course'] },
        channels: { codes: ['email', 'umbrella_organisation'] },
        cooperation: { projects: ['Socialt entreprenörskap i Uppsala'] },
      })
      .expect(200);
    const putB = await app.http
      .put(`/api/v1/needs-rounds/${roundId}/assessments/${orgB.id}`)
      .set(orgB.admin.auth)
      .send({
        genderEquality: { hasPlan: 'no', hasTrained: false, wantsTraining: true },
        accessibility: { knowledge: 4, wantsTraining: true },
        socialEnterpriseSupport: { needs: ['mentoring'] },
        preferredProviders: { providerIds: [providerId] },
        followUp: { methods: ['survey_after_course', 'interviews'] },
        channels: { codes: ['email'] },
      })
      .expect(200);
    expect(putB.body).toMatchObject({ genderEquality: { hasPlan: 'no' }, cooperation: { projects: [] } });
    const getA = await app.http.get(`/api/v1/needs-rounds/${roundId}/assessments/${orgA.id}`).set(orgA.admin.auth).expect(200);
    expect(getA.body.preferredProviders).toEqual({ providerIds: [providerId], other: 'Coompanion' });
  });

  it('reports exactly the sums entered, with small gender cells suppressed and supply from the catalogue', async () => {
    const now = app.clock.now();
    await givenSupply(db, { providerId, themeCodes: ['public_procurement'], startsAt: new Date(now.getTime() + 30 * DAY_MS), capacity: 20, seatsTaken: 5 });
    await givenSupply(db, { themeCodes: ['public_procurement'], startsAt: new Date(now.getTime() + 400 * DAY_MS), capacity: 50 }); // beyond 6 months
    await givenSupply(db, { themeCodes: ['public_procurement'], startsAt: new Date(now.getTime() + 10 * DAY_MS), capacity: 50, status: 'draft' });

    const res = await app.http.get(`/api/v1/needs-rounds/${roundId}/report`).set(coordinator.auth).expect(200);
    const report = res.body;
    expect(report.responseRate).toEqual({ invited: 3, answered: 2, withStatements: 2, withAssessment: 2, rate: 0.667 });
    expect(report.totals).toEqual({ people: 36, statements: 4, personalStatements: 1 });
    expect(report.themes.map((t: Record<string, unknown>) => [t.rank, t.themeCode, t.people, t.statements, t.organisations])).toEqual([
      [1, 'public_procurement', 32, 2, 2],
      [2, 'entrepreneurship', 4, 2, 1],
    ]);
    const split = (rows: { themeCode: string | null; key: string; people: number }[]) =>
      Object.fromEntries(rows.map((r) => [`${r.themeCode ?? '*'}:${r.key}`, r.people]));
    expect(split(report.splits.county)).toEqual({ '*:03': 16, '*:05': 20, 'entrepreneurship:03': 4, 'public_procurement:03': 12, 'public_procurement:05': 20 });
    expect(split(report.splits.format)).toEqual({
      '*:study_circle': 12,
      '*:short_course': 3,
      '*:lecture_series': 20,
      '*:online_course': 1,
      'public_procurement:study_circle': 12,
      'public_procurement:lecture_series': 20,
      'entrepreneurship:short_course': 3,
      'entrepreneurship:online_course': 1,
    });
    expect(split(report.splits.municipality)).toMatchObject({ '*:0380': 16, '*:0580': 20 });
    expect(split(report.splits.legalForm)).toMatchObject({ '*:ekonomisk_forening': 16, '*:ideell_forening': 20 });
    expect(split(report.splits.sector)).toEqual({ '*:social_economy': 36, 'public_procurement:social_economy': 32, 'entrepreneurship:social_economy': 4 });
    expect(report.splits.county.find((r: { key: string }) => r.key === '03').label).toBe('Uppsala län');

    expect(report.gender).toEqual([
      { themeCode: 'public_procurement', women: 17, men: 14, otherGender: '<5', unspecified: '<5' },
      { themeCode: 'entrepreneurship', women: '<5', men: '<5', otherGender: '<5', unspecified: '<5' },
      { themeCode: null, women: 20, men: 15, otherGender: '<5', unspecified: '<5' },
    ]);
    expect(report.supply.themes).toEqual([{ themeCode: 'public_procurement', offerings: 1, sessions: 1, seats: 20, seatsLeft: 15 }]);
    expect(report.supply.demandVsSupply).toEqual([
      { themeCode: 'public_procurement', people: 32, seatsLeft: 15, gap: 17 },
      { themeCode: 'entrepreneurship', people: 4, seatsLeft: 0, gap: 4 },
    ]);
    const count = (rows: { key: string; count: unknown }[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));
    expect(count(report.organising.periods)).toEqual({ autumn: 32, spring: 20 });
    expect(count(report.organising.place)).toEqual({ in_person: 33, online: 3 });
    expect(count(report.organising.accessibilityNeeds)).toEqual({ induction_loop: 12 });

    const a = report.assessments;
    expect(a.organisations).toBe(2);
    expect(count(a.genderEquality.hasPlan)).toEqual({ yes: 1, in_progress: 0, no: 1, dont_know: 0 });
    expect([a.genderEquality.hasTrained, a.genderEquality.wantsTraining]).toEqual([1, 1]);
    expect(a.accessibility).toMatchObject({ answered: 2, mean: 3, wantsTraining: 2 });
    expect(count(a.socialEnterpriseSupport.options)).toMatchObject({ mentoring: 2, financing: 1, premises: 0 });
    expect(a.socialEnterpriseSupport.comments).toEqual(['Vi vill starta ett café.']);
    expect(a.preferredProviders.options).toEqual([{ key: providerId, label: 'Studieförbundet Vuxenskolan', count: 2 }]);
    expect(a.preferredProviders.comments).toEqual(['Coompanion']);
    expect(count(a.followUp.options)).toMatchObject({ survey_after_course: 2, interviews: 1 });
    expect(count(a.channels.options)).toMatchObject({ email: 2, umbrella_organisation: 1 });
    expect(a.cooperation.options).toEqual([{ key: 'Socialt entreprenörskap i Uppsala', label: 'Socialt entreprenörskap i Uppsala', count: 1 }]);
  });

  it('exports the report as an Excel workbook with one sheet per question, and as CSV', async () => {
    const res = await app.http
      .get(`/api/v1/needs-rounds/${roundId}/report?format=xlsx`)
      .set(coordinator.auth)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="behovsinventering-.*\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer); // a Node Buffer at run time; exceljs types it apart
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Svarsfrekvens',
      'F1 F2 Behov per tema',
      'F2 Län',
      'F2 Kommun',
      'F2 Organisationsform',
      'F2 Sektor',
      'F2 Kön',
      'F3 Utbud',
      'F4 Form',
      'F5 Stödstruktur',
      'F6 Jämställdhet',
      'F7 Tillgänglighet',
      'F8 Utbildare',
      'F9 Organisering',
      'F10 Uppföljning',
      'F11 Kanaler',
      'F12 Samverkan',
    ]);
    const values = (name: string) =>
      workbook.getWorksheet(name)!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    const themes = values('F1 F2 Behov per tema');
    expect(themes[1]).toEqual(['Rang', 'Tema', 'Kod', 'Antal personer', 'Antal behov', 'Antal organisationer']);
    expect(themes[2]).toEqual([1, 'Offentlig upphandling (LOU) och avtal med kommuner', 'public_procurement', 32, 2, 2]);
    expect(themes[3]).toEqual([2, 'Entreprenörskap och verksamhetsutveckling', 'entrepreneurship', 4, 2, 1]);
    expect(themes[4]).toEqual(['', 'Totalt', '', 36, 4, '']);
    const gender = values('F2 Kön');
    expect(gender[1]).toEqual(['Tema', 'Kvinnor', 'Män', 'Annat', 'Ej angivet']);
    expect(gender[2]).toEqual(['Offentlig upphandling (LOU) och avtal med kommuner', 17, 14, '<5', '<5']);
    expect(values('Svarsfrekvens')[2]).toEqual([3, 2, 2, 2, 0.667]);
    expect(values('F3 Utbud')[2]).toEqual(['Offentlig upphandling (LOU) och avtal med kommuner', 'public_procurement', 32, 15, 17]);
    expect(values('F6 Jämställdhet')).toContainEqual(['Vill ha utbildning i jämställdhet', 'Ja', 1]);

    const csv = await app.http.get(`/api/v1/needs-rounds/${roundId}/report?format=csv`).set(coordinator.auth).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    const at = rows.findIndex((row) => row[0] === 'Fråga 1–2: Behov av kompetensutveckling per tema (antal personer)');
    expect(at).toBeGreaterThan(0);
    expect(rows.slice(at + 1, at + 5)).toEqual([
      ['Rang', 'Tema', 'Kod', 'Antal personer', 'Antal behov', 'Antal organisationer'],
      ['1', 'Offentlig upphandling (LOU) och avtal med kommuner', 'public_procurement', '32', '2', '2'],
      ['2', 'Entreprenörskap och verksamhetsutveckling', 'entrepreneurship', '4', '2', '1'],
      ['', 'Totalt', '', '36', '4', ''],
    ]);
    expect(rows).toContainEqual(['Offentlig upphandling (LOU) och avtal med kommuner', '17', '14', '<5', '<5']);
    expect(rows.filter((row) => /^Fråga \d/.test(row[0]))).toHaveLength(16);
  });

  it('shows provider staff demand per theme and county with every small cell suppressed and no names', async () => {
    const staff = await givenProviderStaff(ctx);
    const res = await app.http.get(`/api/v1/needs-rounds/${roundId}/demand`).set(staff.auth).expect(200);
    expect(res.body.cells).toEqual([
      { themeCode: 'entrepreneurship', countyCode: '03', countyName: 'Uppsala län', people: '<5' },
      { themeCode: 'public_procurement', countyCode: '03', countyName: 'Uppsala län', people: 12 },
      { themeCode: 'public_procurement', countyCode: '05', countyName: 'Östergötlands län', people: 20 },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Returbutiken');
    await app.http.get(`/api/v1/needs-rounds/${roundId}/report`).set(staff.auth).expect(403);
  });

  it('compares the demand of two rounds per theme', async () => {
    const second = await givenRound(ctx, coordinator, { invite: { organisationIds: [orgA.id] }, title: 'Behovsinventering 2028' });
    await app.http
      .post(`/api/v1/needs-rounds/${second.id}/statements`)
      .set(orgA.admin.auth)
      .send({ organisationId: orgA.id, themeCode: 'public_procurement', people: 40, preferredFormats: ['study_circle'] })
      .expect(201);
    const res = await app.http.get(`/api/v1/needs-rounds/compare?a=${roundId}&b=${second.id}`).set(coordinator.auth).expect(200);
    expect(res.body).toMatchObject({ totalA: 36, totalB: 40 });
    expect(res.body.themes).toEqual([
      { themeCode: 'public_procurement', nameSv: 'Offentlig upphandling (LOU) och avtal med kommuner', peopleA: 32, peopleB: 40, change: 8, changeRate: 0.25, rankA: 1, rankB: 1 },
      { themeCode: 'entrepreneurship', nameSv: 'Entreprenörskap och verksamhetsutveckling', peopleA: 4, peopleB: 0, change: -4, changeRate: -1, rankA: 2, rankB: null },
    ]);
  });

  it('closes the round: answers are refused with 409 and nothing is written', async () => {
    await app.http.post(`/api/v1/needs-rounds/${roundId}/close`).set(coordinator.auth).expect(200);
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM needs_statements');
    const res = await app.http
      .post(`/api/v1/needs-rounds/${roundId}/statements`)
      .set(orgA.admin.auth)
      .send({ organisationId: orgA.id, themeCode: 'digital_skills', people: 2, preferredFormats: ['short_course'] })
      .expect(409);
    expect(res.body.code).toBe('NEEDS_ROUND_NOT_OPEN');
    const put = await app.http.put(`/api/v1/needs-rounds/${roundId}/assessments/${orgC.id}`).set(orgC.admin.auth).send({}).expect(409);
    expect(put.body.code).toBe('NEEDS_ROUND_NOT_OPEN');
    expect(await db.query('SELECT count(*)::int AS n FROM needs_statements')).toEqual(before);
    expect(await db.query('SELECT 1 FROM needs_assessments WHERE organisation_id = $1', [orgC.id])).toEqual([]);
  });

  it('exports an employee\'s personal need with their data and unlinks it when they erase their account', async () => {
    const exported = await app.http.get('/api/v1/me/export').set(employee.auth).expect(200);
    expect(exported.body.needsStatements).toHaveLength(1);
    expect(exported.body.needsStatements[0]).toMatchObject({ themeCode: 'entrepreneurship', people: 1, comment: 'Jag vill starta eget.' });
    await app.http.delete('/api/v1/me').set(employee.auth).expect(200);
    const rows = await db.query('SELECT person_user_id, comment, created_by_user_id FROM needs_statements WHERE people = 1 AND theme_code = $1', ['entrepreneurship']);
    expect(rows).toEqual([{ person_user_id: null, comment: null, created_by_user_id: null }]);
    const report = await app.http.get(`/api/v1/needs-rounds/${roundId}/report`).set(coordinator.auth).expect(200);
    expect(report.body.totals.people).toBe(36);
  });

  it('POST /needs-rounds as the public contract names it ({title, opensAt, closesAt}): a draft that invites nobody until the coordinator chooses', async () => {
    const opensAt = new Date(app.clock.now().getTime() + DAY_MS).toISOString();
    const closesAt = new Date(app.clock.now().getTime() + 30 * DAY_MS).toISOString();
    const created = await app.http.post('/api/v1/needs-rounds').set(coordinator.auth).send({ title: 'Utan inbjudan', opensAt, closesAt }).expect(201);
    expect(created.body).toMatchObject({ status: 'draft', invite: { scope: 'organisations', values: [] }, invitedOrganisations: 0 });
    const before = { invited: await countRows(db, 'needs_round_organisations'), mail: await countRows(db, 'mail_outbox') };
    const refused = await app.http.post(`/api/v1/needs-rounds/${created.body.id}/open`).set(coordinator.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'NEEDS_ROUND_NOBODY_INVITED', details: { field: 'invite' } });
    expect({ invited: await countRows(db, 'needs_round_organisations'), mail: await countRows(db, 'mail_outbox') }).toEqual(before);
    await app.http.patch(`/api/v1/needs-rounds/${created.body.id}`).set(coordinator.auth).send({ invite: { organisationIds: [orgD.id] } }).expect(200);
    const opened = await app.http.post(`/api/v1/needs-rounds/${created.body.id}/open`).set(coordinator.auth).expect(200);
    expect(opened.body).toMatchObject({ status: 'open', invitedOrganisations: 1 });
  });
});
