import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenMember, givenOrganisation, type GivenOrganisation } from '../support/organisation-factories.js';
import { DAY_MS, givenProviderStaff, givenRound } from '../support/needs-factories.js';

type Role = 'anonymous' | 'employee' | 'adminA' | 'adminB' | 'outsider' | 'staff' | 'coordinator';

function expectError(res: Response, status: number, code: string, field?: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  if (field) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
}

describe('needs mapping: who may do what, and bad input', () => {
  let db: TestDatabase;
  let app: TestApp;
  let ctx: { app: TestApp; db: TestDatabase };
  let coordinator: GivenUser;
  let orgA: GivenOrganisation;
  let orgB: GivenOrganisation;
  let orgOut: GivenOrganisation;
  let employee: GivenUser;
  let staff: GivenUser;
  let users: Record<Exclude<Role, 'anonymous'>, GivenUser>;
  let roundId: string;
  let draftId: string;
  let statementA: string;
  let statementOwn: string;

  const statement = (organisationId: string, extra: Record<string, unknown> = {}) => ({
    organisationId,
    themeCode: 'digital_skills',
    people: 6,
    women: 3,
    men: 2,
    preferredFormats: ['short_course'],
    ...extra,
  });
  const as = (role: Role, req: import('supertest').Test) => (role === 'anonymous' ? req : req.set(users[role].auth));

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    ctx = { app, db };
    coordinator = await givenUser(ctx, { coordinator: true });
    orgA = await givenOrganisation(ctx, { municipalityCode: '0380' });
    orgB = await givenOrganisation(ctx, { municipalityCode: '0580' });
    orgOut = await givenOrganisation(ctx, { municipalityCode: '1880' });
    employee = await givenMember(ctx, orgA.id);
    staff = await givenProviderStaff(ctx);
    users = { employee, adminA: orgA.admin, adminB: orgB.admin, outsider: orgOut.admin, staff, coordinator };
    roundId = (await givenRound(ctx, coordinator, { invite: { organisationIds: [orgA.id, orgB.id] } })).id;
    draftId = (await givenRound(ctx, coordinator, { open: false })).id;
    statementA = (await app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(orgA.admin.auth).send(statement(orgA.id)).expect(201)).body.id;
    await app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(orgB.admin.auth).send(statement(orgB.id)).expect(201);
    statementOwn = (
      await app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(employee.auth).send(statement(orgA.id, { people: 1, women: 1, men: 0 })).expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe('authorisation matrix', () => {
    it('only coordinators create, change, open, close and compare rounds', async () => {
      const body = { title: 'Ny runda', opensAt: '2030-01-01T00:00:00Z', closesAt: '2030-02-01T00:00:00Z', invite: { all: true } };
      for (const role of ['anonymous', 'employee', 'adminA', 'staff'] as Role[]) {
        const before = await countRows(db, 'needs_rounds');
        const expected = role === 'anonymous' ? [401, 'UNAUTHENTICATED'] : [403, 'FORBIDDEN'];
        expectError(await as(role, app.http.post('/api/v1/needs-rounds')).send(body), expected[0] as number, expected[1] as string);
        expectError(await as(role, app.http.patch(`/api/v1/needs-rounds/${draftId}`)).send({ title: 'x y' }), expected[0] as number, expected[1] as string);
        expectError(await as(role, app.http.post(`/api/v1/needs-rounds/${draftId}/open`)), expected[0] as number, expected[1] as string);
        expectError(await as(role, app.http.post(`/api/v1/needs-rounds/${roundId}/close`)), expected[0] as number, expected[1] as string);
        expectError(await as(role, app.http.get(`/api/v1/needs-rounds/compare?a=${roundId}&b=${draftId}`)), expected[0] as number, expected[1] as string);
        expect(await countRows(db, 'needs_rounds')).toBe(before);
      }
      expect(await countRows(db, 'needs_rounds', `status = 'draft' AND title = 'Behovsinventering 2027'`)).toBe(1);
      await as('coordinator', app.http.patch(`/api/v1/needs-rounds/${draftId}`)).send({ title: 'Utkast' }).expect(200);
      await as('coordinator', app.http.get(`/api/v1/needs-rounds/compare?a=${roundId}&b=${draftId}`)).expect(200);
    });

    it('lists and shows rounds to coordinators, members of invited organisations and provider staff (opened rounds)', async () => {
      const ids = async (role: Role) => (await as(role, app.http.get('/api/v1/needs-rounds')).expect(200)).body.items.map((r: { id: string }) => r.id);
      expect((await ids('coordinator')).sort()).toEqual([roundId, draftId].sort());
      expect(await ids('adminA')).toEqual([roundId]);
      expect(await ids('employee')).toEqual([roundId]);
      expect(await ids('staff')).toEqual([roundId]);
      expect(await ids('outsider')).toEqual([]);
      expectError(await app.http.get('/api/v1/needs-rounds'), 401, 'UNAUTHENTICATED');

      for (const role of ['employee', 'adminA', 'adminB', 'staff', 'coordinator'] as Role[]) await as(role, app.http.get(`/api/v1/needs-rounds/${roundId}`)).expect(200);
      expectError(await as('outsider', app.http.get(`/api/v1/needs-rounds/${roundId}`)), 403, 'NEEDS_ROUND_ACCESS_DENIED');
      expectError(await as('staff', app.http.get(`/api/v1/needs-rounds/${draftId}`)), 403, 'NEEDS_ROUND_ACCESS_DENIED');
      expectError(await app.http.get(`/api/v1/needs-rounds/${roundId}`), 401, 'UNAUTHENTICATED');
    });

    it('takes statements from the organisation\'s admins and its employees (for themselves) only', async () => {
      const url = `/api/v1/needs-rounds/${roundId}/statements`;
      const before = await countRows(db, 'needs_statements');
      expectError(await app.http.post(url).send(statement(orgA.id)), 401, 'UNAUTHENTICATED');
      expectError(await as('adminB', app.http.post(url)).send(statement(orgA.id)), 403, 'ORGANISATION_ACCESS_DENIED');
      expectError(await as('staff', app.http.post(url)).send(statement(orgA.id)), 403, 'ORGANISATION_ACCESS_DENIED');
      expectError(await as('outsider', app.http.post(url)).send(statement(orgOut.id)), 403, 'NEEDS_ORGANISATION_NOT_INVITED');
      expectError(await as('employee', app.http.post(url)).send(statement(orgA.id)), 400, 'VALIDATION_FAILED', 'people');
      expect(await countRows(db, 'needs_statements')).toBe(before);
      await as('coordinator', app.http.post(url)).send(statement(orgB.id, { people: 2, women: 0, men: 0 })).expect(201);
    });

    it('shows org admins their organisation\'s statements, employees their own, coordinators all', async () => {
      const url = `/api/v1/needs-rounds/${roundId}/statements`;
      const seen = async (role: Role, query = '') =>
        (await as(role, app.http.get(url + query)).expect(200)).body.items.map((s: { organisationId: string; personal: boolean }) => `${s.organisationId === orgA.id ? 'A' : 'B'}${s.personal ? '*' : ''}`);
      expect((await seen('adminA')).sort()).toEqual(['A', 'A*']);
      expect(await seen('adminB')).toEqual(['B', 'B']);
      expect(await seen('employee')).toEqual(['A*']);
      expect((await seen('coordinator')).sort()).toEqual(['A', 'A*', 'B', 'B']);
      expect((await seen('coordinator', `?organisationId=${orgB.id}`)).sort()).toEqual(['B', 'B']);
      expectError(await as('adminB', app.http.get(`${url}?organisationId=${orgA.id}`)), 403, 'ORGANISATION_ACCESS_DENIED');
      expectError(await as('staff', app.http.get(url)), 403, 'NEEDS_ROUND_ACCESS_DENIED');
      expectError(await as('outsider', app.http.get(url)), 403, 'NEEDS_ROUND_ACCESS_DENIED');
      expectError(await app.http.get(url), 401, 'UNAUTHENTICATED');
    });

    it('lets the organisation\'s admins change any of its statements and employees only their own', async () => {
      const url = (id: string) => `/api/v1/needs-rounds/${roundId}/statements/${id}`;
      for (const role of ['adminB', 'employee', 'staff', 'outsider'] as Role[]) {
        expectError(await as(role, app.http.patch(url(statementA))).send({ people: 9 }), 403, 'NEEDS_STATEMENT_ACCESS_DENIED');
        expectError(await as(role, app.http.delete(url(statementA))), 403, 'NEEDS_STATEMENT_ACCESS_DENIED');
      }
      expectError(await app.http.patch(url(statementA)).send({ people: 9 }), 401, 'UNAUTHENTICATED');
      expect(await db.query('SELECT people FROM needs_statements WHERE id = $1', [statementA])).toEqual([{ people: 6 }]);

      expect((await as('adminA', app.http.patch(url(statementA))).send({ people: 9 }).expect(200)).body.people).toBe(9);
      expect((await as('coordinator', app.http.patch(url(statementA))).send({ priority: 'high' }).expect(200)).body).toMatchObject({ people: 9, priority: 'high' });
      expect((await as('employee', app.http.patch(url(statementOwn))).send({ comment: 'Gärna på kvällar' }).expect(200)).body.comment).toBe('Gärna på kvällar');
      expect((await as('adminA', app.http.patch(url(statementOwn))).send({ priority: 'low' }).expect(200)).body.priority).toBe('low');
      expectError(await as('employee', app.http.patch(url(statementOwn))).send({ people: 2 }), 400, 'VALIDATION_FAILED', 'people');

      const extra = (await as('adminA', app.http.post(`/api/v1/needs-rounds/${roundId}/statements`)).send(statement(orgA.id)).expect(201)).body.id;
      await as('adminA', app.http.delete(url(extra))).expect(204);
      expect(await countRows(db, 'needs_statements', 'id = $1', [extra])).toBe(0);
    });

    it('lets only the organisation\'s admins (and coordinators) answer and read its assessment', async () => {
      const url = `/api/v1/needs-rounds/${roundId}/assessments/${orgA.id}`;
      const body = { accessibility: { knowledge: 3, wantsTraining: true } };
      for (const role of ['employee', 'adminB', 'staff', 'outsider'] as Role[]) {
        expectError(await as(role, app.http.put(url)).send(body), 403, 'ORGANISATION_ACCESS_DENIED');
        expectError(await as(role, app.http.get(url)), 403, 'ORGANISATION_ACCESS_DENIED');
      }
      expectError(await app.http.put(url).send(body), 401, 'UNAUTHENTICATED');
      expect(await countRows(db, 'needs_assessments')).toBe(0);
      expectError(await as('adminA', app.http.get(url)), 404, 'NEEDS_ASSESSMENT_NOT_FOUND');
      await as('adminA', app.http.put(url)).send(body).expect(200);
      await as('coordinator', app.http.put(url)).send({ ...body, channels: { codes: ['email'] } }).expect(200);
      expect((await as('adminA', app.http.get(url)).expect(200)).body.channels).toEqual({ codes: ['email'] });
      expectError(await as('outsider', app.http.put(`/api/v1/needs-rounds/${roundId}/assessments/${orgOut.id}`)).send(body), 403, 'NEEDS_ORGANISATION_NOT_INVITED');
    });

    it('shows the report to coordinators only, and the suppressed demand view to provider staff and coordinators', async () => {
      for (const role of ['employee', 'adminA', 'adminB', 'staff', 'outsider'] as Role[]) {
        expectError(await as(role, app.http.get(`/api/v1/needs-rounds/${roundId}/report`)), 403, 'FORBIDDEN');
        expectError(await as(role, app.http.get(`/api/v1/needs-rounds/${roundId}/report?format=xlsx`)), 403, 'FORBIDDEN');
      }
      expectError(await app.http.get(`/api/v1/needs-rounds/${roundId}/report`), 401, 'UNAUTHENTICATED');
      await as('coordinator', app.http.get(`/api/v1/needs-rounds/${roundId}/report`)).expect(200);

      for (const role of ['employee', 'adminA', 'adminB', 'outsider'] as Role[]) {
        expectError(await as(role, app.http.get(`/api/v1/needs-rounds/${roundId}/demand`)), 403, 'NEEDS_ROUND_ACCESS_DENIED');
      }
      expectError(await app.http.get(`/api/v1/needs-rounds/${roundId}/demand`), 401, 'UNAUTHENTICATED');
      await as('staff', app.http.get(`/api/v1/needs-rounds/${roundId}/demand`)).expect(200);
      await as('coordinator', app.http.get(`/api/v1/needs-rounds/${roundId}/demand`)).expect(200);
      expectError(await as('staff', app.http.get(`/api/v1/needs-rounds/${draftId}/demand`)), 403, 'NEEDS_ROUND_ACCESS_DENIED');
    });
  });

  describe('bad input: exact status, code and field; nothing written', () => {
    const url = () => `/api/v1/needs-rounds/${roundId}/statements`;
    const cases: [string, Record<string, unknown>, string][] = [
      ['an unknown theme', { themeCode: 'astrology' }, 'themeCode'],
      ['negative people', { people: -3, women: 0, men: 0 }, 'people'],
      ['zero people', { people: 0, women: 0, men: 0 }, 'people'],
      ['people as a string', { people: '6' }, 'people'],
      ['women + men + other > people', { people: 5, women: 3, men: 2, otherGender: 1 }, 'people'],
      ['a negative gender count', { women: -1 }, 'women'],
      ['an unknown format', { preferredFormats: ['short_course', 'hackathon'] }, 'preferredFormats'],
      ['no formats', { preferredFormats: [] }, 'preferredFormats'],
      ['an unknown municipality', { municipalityCode: '9999' }, 'municipalityCode'],
      ['a municipality and online', { municipalityCode: '0380', online: true }, 'municipalityCode'],
      ['an unknown accessibility code', { accessibilityNeeds: ['telepathy'] }, 'accessibilityNeeds'],
      ['an unknown period', { preferredPeriod: ['monsoon'] }, 'preferredPeriod'],
      ['a malformed organisation id', { organisationId: 'org-1' }, 'organisationId'],
      ['an unknown field', { budget: 100 }, 'budget'],
    ];
    it.each(cases)('refuses a statement with %s (400 naming the field)', async (_what, patch, field) => {
      const before = await countRows(db, 'needs_statements');
      expectError(await as('adminA', app.http.post(url())).send(statement(orgA.id, patch)), 400, 'VALIDATION_FAILED', field);
      expect(await countRows(db, 'needs_statements')).toBe(before);
    });

    it('refuses malformed and unknown ids', async () => {
      const before = await countRows(db, 'needs_statements');
      expectError(await as('adminA', app.http.post('/api/v1/needs-rounds/not-a-uuid/statements')).send(statement(orgA.id)), 400, 'VALIDATION_FAILED', 'id');
      expectError(await as('adminA', app.http.post('/api/v1/needs-rounds/00000000-0000-4000-8000-000000000000/statements')).send(statement(orgA.id)), 404, 'NEEDS_ROUND_NOT_FOUND');
      expectError(await as('adminA', app.http.post(url())).send(statement('00000000-0000-4000-8000-000000000000')), 404, 'ORGANISATION_NOT_FOUND');
      expectError(await as('adminA', app.http.patch(`${url()}/nope`)).send({ people: 2 }), 400, 'VALIDATION_FAILED', 'statementId');
      expectError(await as('adminA', app.http.patch(`${url()}/00000000-0000-4000-8000-000000000000`)).send({ people: 2 }), 404, 'NEEDS_STATEMENT_NOT_FOUND');
      expectError(await as('coordinator', app.http.get('/api/v1/needs-rounds/12345')), 400, 'VALIDATION_FAILED', 'id');
      expectError(await as('coordinator', app.http.get('/api/v1/needs-rounds/compare?a=x&b=y')), 400, 'VALIDATION_FAILED', 'a');
      expectError(await as('coordinator', app.http.get(`/api/v1/needs-rounds/compare?a=${roundId}&b=00000000-0000-4000-8000-000000000000`)), 404, 'NEEDS_ROUND_NOT_FOUND');
      expectError(await as('coordinator', app.http.get(`/api/v1/needs-rounds/${roundId}/report?format=pdf`)), 400, 'VALIDATION_FAILED', 'format');
      expect(await countRows(db, 'needs_statements')).toBe(before);
    });

    it('refuses a change that breaks the rules, leaving the statement as it was', async () => {
      const [before] = await db.query('SELECT people, women, men FROM needs_statements WHERE id = $1', [statementA]);
      expectError(await as('adminA', app.http.patch(`${url()}/${statementA}`)).send({ women: 20 }), 400, 'VALIDATION_FAILED', 'people');
      expectError(await as('adminA', app.http.patch(`${url()}/${statementA}`)).send({ themeCode: 'astrology' }), 400, 'VALIDATION_FAILED', 'themeCode');
      expectError(await as('adminA', app.http.patch(`${url()}/${statementA}`)).send({ organisationId: orgB.id }), 400, 'VALIDATION_FAILED', 'organisationId');
      expect(await db.query('SELECT people, women, men FROM needs_statements WHERE id = $1', [statementA])).toEqual([before]);
    });

    it('refuses bad rounds and bad assessments', async () => {
      const rounds = await countRows(db, 'needs_rounds');
      const round = { title: 'Runda', opensAt: '2030-02-01T00:00:00Z', closesAt: '2030-03-01T00:00:00Z', invite: { all: true } };
      const post = (body: Record<string, unknown>) => as('coordinator', app.http.post('/api/v1/needs-rounds')).send(body);
      expectError(await post({ ...round, closesAt: '2030-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED', 'closesAt');
      expectError(await post({ ...round, opensAt: 'tomorrow' }), 400, 'VALIDATION_FAILED', 'opensAt');
      expectError(await post({ ...round, invite: { all: true, counties: ['03'] } }), 400, 'VALIDATION_FAILED', 'invite');
      expectError(await post({ ...round, invite: {} }), 400, 'VALIDATION_FAILED', 'invite');
      expectError(await post({ ...round, invite: { counties: ['3'] } }), 400, 'VALIDATION_FAILED', 'invite.counties');
      expectError(await post({ ...round, invite: { organisationIds: ['00000000-0000-4000-8000-000000000000'] } }), 400, 'VALIDATION_FAILED', 'invite.organisationIds');
      expectError(await post({ ...round, title: undefined }), 400, 'VALIDATION_FAILED', 'title');
      expect(await countRows(db, 'needs_rounds')).toBe(rounds);
      expectError(await as('coordinator', app.http.patch(`/api/v1/needs-rounds/${roundId}`)).send({ invite: { all: true } }), 409, 'NEEDS_ROUND_INVITE_LOCKED');

      const put = (body: Record<string, unknown>) => as('adminB', app.http.put(`/api/v1/needs-rounds/${roundId}/assessments/${orgB.id}`)).send(body);
      expectError(await put({ accessibility: { knowledge: 6, wantsTraining: true } }), 400, 'VALIDATION_FAILED', 'accessibility.knowledge');
      expectError(await put({ genderEquality: { hasPlan: 'maybe', hasTrained: true, wantsTraining: true } }), 400, 'VALIDATION_FAILED', 'genderEquality.hasPlan');
      expectError(await put({ socialEnterpriseSupport: { needs: ['magic'] } }), 400, 'VALIDATION_FAILED', 'socialEnterpriseSupport.needs');
      expectError(await put({ channels: { codes: ['carrier_pigeon'] } }), 400, 'VALIDATION_FAILED', 'channels.codes');
      expectError(await put({ preferredProviders: { providerIds: ['00000000-0000-4000-8000-000000000000'] } }), 400, 'VALIDATION_FAILED', 'preferredProviders.providerIds');
      expect(await countRows(db, 'needs_assessments', 'organisation_id = $1', [orgB.id])).toBe(0);
    });

    it('takes answers only while the round is open and within its dates (409 with a code)', async () => {
      const before = await countRows(db, 'needs_statements');
      // A draft round: not open.
      const draftOrg = await givenRound(ctx, coordinator, { invite: { organisationIds: [orgA.id] }, open: false });
      expectError(await as('adminA', app.http.post(`/api/v1/needs-rounds/${draftOrg.id}/statements`)).send(statement(orgA.id)), 403, 'NEEDS_ORGANISATION_NOT_INVITED');
      // Opened, but opensAt is in the future.
      const now = app.clock.now().getTime();
      const future = await as('coordinator', app.http.post('/api/v1/needs-rounds'))
        .send({ title: 'Senare', opensAt: new Date(now + 2 * DAY_MS).toISOString(), closesAt: new Date(now + 9 * DAY_MS).toISOString(), invite: { organisationIds: [orgA.id] } })
        .expect(201);
      await as('coordinator', app.http.post(`/api/v1/needs-rounds/${future.body.id}/open`)).expect(200);
      expectError(await as('adminA', app.http.post(`/api/v1/needs-rounds/${future.body.id}/statements`)).send(statement(orgA.id)), 409, 'NEEDS_ROUND_OUTSIDE_DATES');
      // After closesAt while still open (this round and the main one).
      app.clock.advance(21 * DAY_MS); // past both rounds' closesAt
      try {
        expectError(await as('adminA', app.http.post(`/api/v1/needs-rounds/${future.body.id}/statements`)).send(statement(orgA.id)), 409, 'NEEDS_ROUND_OUTSIDE_DATES');
        expectError(await as('adminA', app.http.patch(`${url()}/${statementA}`)).send({ people: 7 }), 409, 'NEEDS_ROUND_OUTSIDE_DATES');
        expectError(await as('adminA', app.http.delete(`${url()}/${statementA}`)), 409, 'NEEDS_ROUND_OUTSIDE_DATES');
        expect((await as('adminA', app.http.get(`/api/v1/needs-rounds/${future.body.id}`)).expect(200)).body.acceptingStatements).toBe(false);
      } finally {
        app.clock.reset();
      }
      expect(await countRows(db, 'needs_statements')).toBe(before);
      expect(await db.query('SELECT people FROM needs_statements WHERE id = $1', [statementA])).toEqual([{ people: 9 }]);

      // A draft cannot be closed; a closed round cannot be opened again or changed.
      expectError(await as('coordinator', app.http.post(`/api/v1/needs-rounds/${draftOrg.id}/close`)), 409, 'NEEDS_ROUND_WRONG_STATE');
      await as('coordinator', app.http.post(`/api/v1/needs-rounds/${future.body.id}/close`)).expect(200);
      expectError(await as('coordinator', app.http.post(`/api/v1/needs-rounds/${future.body.id}/open`)), 409, 'NEEDS_ROUND_WRONG_STATE');
      expectError(await as('coordinator', app.http.patch(`/api/v1/needs-rounds/${future.body.id}`)).send({ title: 'Ändrad' }), 409, 'NEEDS_ROUND_WRONG_STATE');
    });
  });
});
