import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { useTestContext } from '../support/context.js';
import { givenUser, type GivenUser } from '../support/factories.js';
import { givenInvitedCourse, givenProviderStaff } from '../support/follow-up-factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';

const answers = (n: number) => ({ satisfaction: (n % 5) + 1, relevance: 4, leader: 5, accessibility: n % 2 ? 'yes' : 'no', comments: `Kommentar ${n}` });

describe('follow-up: results that protect people, and answers that cannot be traced', () => {
  const t = useTestContext({ smtp: true });
  let coordinator: GivenUser;

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
  });

  it('shows only the count below 5 responses and the aggregates from 5, to coordinators and that provider\'s staff', async () => {
    const org = await givenOrganisation(t);
    const { course, invited } = await givenInvitedCourse(t, coordinator, 7, { organisationId: org.id });
    const staff = await givenProviderStaff(t, course.providerId);
    for (const [i, p] of invited.slice(0, 4).entries()) {
      await t.app.http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answers(i) }).expect(201);
    }
    const url = `/api/v1/offerings/${course.offeringId}/evaluation-results`;
    const four = await t.app.http.get(url).set(coordinator.auth).expect(200);
    expect(four.body).toMatchObject({ minResponses: 5, invited: 7, responses: 4, scope: { offeringId: course.offeringId } });
    expect(four.body.questionnaires).toEqual([
      expect.objectContaining({ title: 'Vad tyckte du om kursen?', invited: 7, responses: 4, suppressed: true, questions: [] }),
    ]);
    expect(JSON.stringify(four.body)).not.toContain('Kommentar');

    await t.app.http.post(`/api/v1/evaluations/${invited[4].token}/responses`).send({ answers: answers(4) }).expect(201);
    const five = await t.app.http.get(url).set(staff.auth).expect(200);
    expect(five.body).toMatchObject({ invited: 7, responses: 5, responseRate: 0.71 });
    const [result] = five.body.questionnaires;
    expect(result.suppressed).toBe(false);
    const byKey = Object.fromEntries(result.questions.map((q: { key: string }) => [q.key, q]));
    expect(byKey.satisfaction).toMatchObject({ answered: 5, mean: 3 });
    expect(byKey.satisfaction.distribution.map((d: { count: number }) => d.count)).toEqual([1, 1, 1, 1, 1]);
    expect(byKey.relevance).toMatchObject({ mean: 4 });
    expect(byKey.accessibility.distribution).toEqual([
      { value: 'yes', label: 'Ja, allt fungerade bra', count: 2 },
      { value: 'partly', label: 'En del fungerade inte', count: 0 },
      { value: 'no', label: 'Nej, det fungerade inte', count: 3 },
    ]);
    expect(byKey.comments.texts).toEqual(['Kommentar 0', 'Kommentar 1', 'Kommentar 2', 'Kommentar 3', 'Kommentar 4']);

    // Per provider, theme and organisation.
    const byProvider = await t.app.http.get(`/api/v1/evaluation-results?providerId=${course.providerId}`).set(staff.auth).expect(200);
    expect(byProvider.body).toMatchObject({ responses: 5, invited: 7 });
    const byTheme = await t.app.http.get('/api/v1/evaluation-results?themeCode=finance_accounting').set(coordinator.auth).expect(200);
    expect(byTheme.body.responses).toBeGreaterThanOrEqual(5);
    const byOrg = await t.app.http.get(`/api/v1/evaluation-results?organisationId=${org.id}`).set(coordinator.auth).expect(200);
    expect(byOrg.body).toMatchObject({ responses: 5, invited: 7 });
    const otherOrg = await givenOrganisation(t);
    const none = await t.app.http.get(`/api/v1/evaluation-results?organisationId=${otherOrg.id}`).set(coordinator.auth).expect(200);
    expect(none.body).toMatchObject({ responses: 0, invited: 0, questionnaires: [] });

    // Exports.
    const csv = await t.app.http.get(`${url}?format=csv`).set(coordinator.auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    // A BOM (so that Excel reads UTF-8), Swedish headings and values, read back by a real CSV parser
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Enkät', 'Version', 'Inbjudna', 'Svar', 'Svarsfrekvens', 'Fråga', 'Frågetyp', 'Svarsalternativ', 'Antal', 'Medelvärde']);
    expect(rows).toContainEqual(['Vad tyckte du om kursen?', '1', '7', '5', '0.71', 'Hur nöjd är du med kursen?', 'Skala 1–5', 'Mycket nöjd', '1', '3']);
    expect(rows).toContainEqual(expect.arrayContaining(['Kursledaren förklarade på ett bra sätt.', 'Skala 1–5', 'Stämmer helt']));
    const identifiers = /^(satisfaction|relevance|leader|accessibility|comments|likert5|single_choice|multi_choice|text|number|nps)$/;
    expect(rows.flat().filter((cell) => identifiers.test(cell))).toEqual([]);
    const xlsx = await t.app.http.get(`${url}?format=xlsx`).set(coordinator.auth).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Resultat')!;
    expect(sheet.getRow(1).getCell(6).value).toBe('Fråga');
    expect(sheet.rowCount).toBe(rows.length);
    // the same cells as the CSV, numbers as numbers, text as it was written (no apostrophe before it)
    const cells: string[][] = [];
    sheet.eachRow((row) => cells.push(Array.from((row.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v)))));
    expect(cells.map((row) => [...row, ...Array(rows[0].length - row.length).fill('')])).toEqual(rows);
  });

  it('refuses results to those who may not see them', async () => {
    const { course } = await givenInvitedCourse(t, coordinator, 1);
    const other = await givenInvitedCourse(t, coordinator, 1);
    const otherStaff = await givenProviderStaff(t, other.course.providerId);
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const url = `/api/v1/offerings/${course.offeringId}/evaluation-results`;
    await t.app.http.get(url).expect(401);
    expect((await t.app.http.get(url).set(employee.auth).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await t.app.http.get(url).set(org.admin.auth).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await t.app.http.get(url).set(otherStaff.auth).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await t.app.http.get('/api/v1/offerings/00000000-0000-4000-8000-000000000000/evaluation-results').set(coordinator.auth).expect(404)).body.code).toBe(
      'OFFERING_NOT_FOUND',
    );
    const malformed = await t.app.http.get('/api/v1/offerings/nope/evaluation-results').set(coordinator.auth).expect(400);
    expect(malformed.body.details).toEqual([{ field: 'id', messages: ['must be a UUID'] }]);
    const badFormat = await t.app.http.get(`${url}?format=pdf`).set(coordinator.auth).expect(400);
    expect(badFormat.body.details[0].field).toBe('format');

    await t.app.http.get('/api/v1/evaluation-results').expect(401);
    expect((await t.app.http.get('/api/v1/evaluation-results').set(otherStaff.auth).expect(403)).body.code).toBe('EVALUATION_RESULTS_ACCESS_DENIED');
    expect((await t.app.http.get(`/api/v1/evaluation-results?providerId=${course.providerId}`).set(otherStaff.auth).expect(403)).body.code).toBe(
      'PROVIDER_ACCESS_DENIED',
    );
    expect(
      (await t.app.http.get(`/api/v1/evaluation-results?providerId=${other.course.providerId}&organisationId=${org.id}`).set(otherStaff.auth).expect(403)).body.code,
    ).toBe('EVALUATION_RESULTS_ACCESS_DENIED');
    expect((await t.app.http.get('/api/v1/evaluation-results?themeCode=astrology').set(coordinator.auth).expect(400)).body.details).toEqual([
      { field: 'themeCode', messages: ['unknown theme astrology'] },
    ]);
    await t.app.http.get('/api/v1/evaluation-results?organisationId=00000000-0000-4000-8000-000000000000').set(coordinator.auth).expect(404);
    await t.app.http.get(`/api/v1/evaluation-results?providerId=${other.course.providerId}`).set(otherStaff.auth).expect(200);
  });

  it('keeps nothing in the response table that links an answer to a person, an invitation, a booking or a moment', async () => {
    const { invited } = await givenInvitedCourse(t, coordinator, 3);
    for (const [i, p] of invited.entries()) {
      await t.app.http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answers(i) }).expect(201);
    }
    const columns = await t.db.query<{ column_name: string; data_type: string; column_default: string | null }>(
      `SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_name = 'evaluation_responses' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual(
      ['answered_on', 'answers', 'id', 'offering_id', 'organisation_id', 'provider_id', 'questionnaire_id', 'questionnaire_version', 'session_id', 'theme_codes'].sort(),
    );
    // No time finer than a day, and no serial id whose order could be matched to the invitations' answer order.
    expect(columns.filter((c) => /time/.test(c.data_type))).toEqual([]);
    expect(columns.find((c) => c.column_name === 'answered_on')!.data_type).toBe('date');
    expect(columns.find((c) => c.column_name === 'id')).toMatchObject({ data_type: 'uuid', column_default: 'gen_random_uuid()' });
    const fks = await t.db.query<{ conname: string; target: string }>(
      `SELECT conname, confrelid::regclass::text AS target FROM pg_constraint WHERE conrelid = 'evaluation_responses'::regclass AND contype = 'f'`,
    );
    expect(fks.map((f) => f.target)).toEqual(['questionnaires']);

    // No value in any response equals an identifier of the people or their invitations.
    const secrets = await t.db.query<{ v: string }>(
      `SELECT i.id::text AS v FROM evaluation_invitations i
       UNION ALL SELECT i.user_id::text FROM evaluation_invitations i
       UNION ALL SELECT i.booking_id::text FROM evaluation_invitations i
       UNION ALL SELECT token_hash FROM evaluation_tokens
       UNION ALL SELECT email FROM users`,
    );
    const responses = await t.db.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM evaluation_responses r');
    expect(responses.length).toBeGreaterThanOrEqual(3);
    for (const { row } of responses) {
      for (const { v } of secrets) expect(row.includes(v)).toBe(false);
      expect(row).not.toMatch(/T\d{2}:\d{2}/);
    }
    // The invitation knows only that it was answered.
    const invitation = await t.db.query<{ answered_at: Date | null; status: string }>(
      'SELECT answered_at, status FROM evaluation_invitations WHERE user_id = $1',
      [invited[0].user.id],
    );
    expect(invitation).toEqual([{ answered_at: expect.any(Date), status: 'answered' }]);
  });

  it('exports which evaluations a person was invited to and whether they answered (never the answers), and erases the invitations', async () => {
    const { invited } = await givenInvitedCourse(t, coordinator, 1);
    const [{ user, token }] = invited;
    await t.app.http.post(`/api/v1/evaluations/${token}/responses`).send({ answers: { ...answers(1), comments: 'Hemligt svar' } }).expect(201);
    const exported = await t.app.http.get('/api/v1/me/export').set(user.auth).expect(200);
    expect(exported.body.evaluationInvitations).toEqual([
      expect.objectContaining({ questionnaire: 'Vad tyckte du om kursen?', answered: true, status: 'answered' }),
    ]);
    expect(JSON.stringify(exported.body)).not.toContain('Hemligt svar');
    const responsesBefore = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evaluation_responses');
    await t.app.http.delete('/api/v1/me').set(user.auth).expect(200);
    expect(await t.db.query('SELECT id FROM evaluation_invitations WHERE user_id = $1', [user.id])).toEqual([]);
    expect(await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evaluation_responses')).toEqual(responsesBefore);
    await t.app.http.get(`/api/v1/evaluations/${token}`).expect(404);
  });
});
