import { useTestContext } from '../support/context.js';
import { givenProvider, givenPublishedOffering, givenStaff } from '../support/catalogue-factories.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenEmployees, givenOrgIn, interventionBody, programmeBody } from '../support/programme-factories.js';

/** Who may do what with programmes, and bad input: refused with the exact status and code, nothing written. */
describe('programmes: authorisation matrix and bad input', () => {
  const t = useTestContext();
  let coordinator: GivenUser;
  let orgAdmin: GivenUser & { organisationId: string };
  let otherOrgAdmin: GivenUser & { organisationId: string };
  let staff: GivenUser;
  let otherStaff: GivenUser;
  let employee: { auth: { Authorization: string } };
  let providerId: string;
  let programmeId: string;
  let inUppsala: string;
  let elsewhere: string;
  let offeringId: string;

  const snapshot = async () => ({
    programmes: await countRows(t.db, 'programmes'),
    interventions: await countRows(t.db, 'interventions'),
    links: await countRows(t.db, 'intervention_offerings'),
    drafts: await countRows(t.db, 'programme_drafts'),
    changed: (await t.db.query<{ v: string }>(`SELECT md5(string_agg(i::text, ',' ORDER BY id)) AS v FROM interventions i`))[0].v,
  });

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
    orgAdmin = await givenOrgIn(t, '0380');
    otherOrgAdmin = await givenOrgIn(t, '1880');
    [employee] = await givenEmployees(t.db, orgAdmin.organisationId, ['woman']);
    providerId = (await givenProvider(t, coordinator)).id;
    staff = await givenStaff(t, providerId);
    otherStaff = await givenStaff(t, (await givenProvider(t, coordinator)).id);
    offeringId = (await givenPublishedOffering(t, staff, providerId)).id;
    programmeId = (await t.app.http.post('/api/v1/programmes').set(coordinator.auth).send(programmeBody()).expect(201)).body.id;
    inUppsala = (await t.app.http.post(`/api/v1/programmes/${programmeId}/interventions`).set(coordinator.auth).send(interventionBody({ providerId })).expect(201)).body.id;
    elsewhere = (await t.app.http.post(`/api/v1/programmes/${programmeId}/interventions`).set(coordinator.auth).send(interventionBody({ counties: ['05'] })).expect(201)).body.id;
  });

  it('reads: org admins and provider staff see only the interventions that concern them; employees 403; anonymous 401', async () => {
    const visible = async (who: { auth: { Authorization: string } }) =>
      (await t.app.http.get(`/api/v1/programmes/${programmeId}/interventions`).set(who.auth).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await visible(coordinator)).toEqual([inUppsala, elsewhere]);
    expect(await visible(orgAdmin)).toEqual([inUppsala]);
    expect(await visible(staff)).toEqual([inUppsala]);
    expect((await t.app.http.get('/api/v1/programmes').set(orgAdmin.auth).expect(200)).body).toMatchObject({ total: 1, items: [{ id: programmeId, interventions: 1 }] });
    expect((await t.app.http.get('/api/v1/programmes').set(otherStaff.auth).expect(200)).body).toEqual({ items: [], total: 0 });
    await t.app.http.get(`/api/v1/interventions/${inUppsala}`).set(staff.auth).expect(200);
    const progress = await t.app.http.get(`/api/v1/programmes/${programmeId}/progress`).set(orgAdmin.auth).expect(200);
    expect(progress.body.interventions.map((i: { interventionId: string }) => i.interventionId)).toEqual([inUppsala]);

    const refusals: [string, { auth: { Authorization: string } } | null, number, string][] = [];
    for (const path of [`/api/v1/programmes/${programmeId}`, `/api/v1/programmes/${programmeId}/interventions`, `/api/v1/programmes/${programmeId}/progress`, `/api/v1/interventions/${elsewhere}`]) {
      refusals.push([path, otherOrgAdmin, 403, 'PROGRAMME_ACCESS_DENIED'], [path, otherStaff, 403, 'PROGRAMME_ACCESS_DENIED'], [path, employee, 403, 'PROGRAMME_ACCESS_DENIED'], [path, null, 401, 'UNAUTHENTICATED']);
    }
    refusals.push([`/api/v1/interventions/${elsewhere}`, orgAdmin, 403, 'PROGRAMME_ACCESS_DENIED'], [`/api/v1/interventions/${elsewhere}`, staff, 403, 'PROGRAMME_ACCESS_DENIED']);
    refusals.push([`/api/v1/programmes`, employee, 403, 'PROGRAMME_ACCESS_DENIED'], [`/api/v1/programmes`, null, 401, 'UNAUTHENTICATED']);
    for (const who of [orgAdmin, staff, employee]) refusals.push([`/api/v1/programmes/${programmeId}/plan`, who, 403, 'FORBIDDEN']);
    for (const [path, who, status, code] of refusals) {
      const req = t.app.http.get(path);
      const res = await (who ? req.set(who.auth) : req);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status, code });
    }
  });

  it('writes: only coordinators; every other role is refused and nothing changes', async () => {
    const before = await snapshot();
    const writes: [string, string, object][] = [
      ['post', '/api/v1/programmes', programmeBody()],
      ['patch', `/api/v1/programmes/${programmeId}`, { title: 'Nytt namn' }],
      ['post', `/api/v1/programmes/${programmeId}/draft-from-round`, { roundId: '00000000-0000-4000-8000-000000000000' }],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody()],
      ['patch', `/api/v1/interventions/${inUppsala}`, { plannedParticipants: 1 }],
      ['post', `/api/v1/interventions/${inUppsala}/approve`, {}],
      ['post', `/api/v1/interventions/${inUppsala}/cancel`, {}],
      ['delete', `/api/v1/interventions/${inUppsala}`, {}],
      ['post', `/api/v1/interventions/${inUppsala}/offerings`, { offeringId }],
      ['delete', `/api/v1/interventions/${inUppsala}/offerings/${offeringId}`, {}],
    ];
    for (const [method, path, body] of writes) {
      for (const [who, status, code] of [[orgAdmin, 403, 'FORBIDDEN'], [staff, 403, 'FORBIDDEN'], [employee, 403, 'FORBIDDEN'], [null, 401, 'UNAUTHENTICATED']] as const) {
        const req = (t.app.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path);
        const res = await (who ? req.set(who.auth) : req).send(body);
        expect({ method, path, status: res.status, code: res.body.code }).toEqual({ method, path, status, code });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('bad input: 400 naming the field, 404 for unknown ids, 409 for state; nothing written', async () => {
    const before = await snapshot();
    const bad: [string, string, object, number, string, string | null][] = [
      ['post', '/api/v1/programmes', programmeBody({ startsOn: '2028-01-01', endsOn: '2027-01-01' }), 400, 'VALIDATION_FAILED', 'endsOn'],
      ['post', '/api/v1/programmes', programmeBody({ fundingSource: 'lottery' }), 400, 'VALIDATION_FAILED', 'fundingSource'],
      ['post', '/api/v1/programmes', programmeBody({ budgetSek: -1 }), 400, 'VALIDATION_FAILED', 'budgetSek'],
      ['post', '/api/v1/programmes', programmeBody({ finalPaymentYear: 1999 }), 400, 'VALIDATION_FAILED', 'finalPaymentYear'],
      ['patch', `/api/v1/programmes/${programmeId}`, { endsOn: '2020-01-01' }, 400, 'VALIDATION_FAILED', 'endsOn'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ startsOn: '2028-01-01', endsOn: '2027-12-31' }), 400, 'VALIDATION_FAILED', 'endsOn'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ plannedParticipants: -1 }), 400, 'VALIDATION_FAILED', 'plannedParticipants'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ plannedWomen: 15, plannedMen: 10 }), 400, 'VALIDATION_FAILED', 'plannedWomen'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ themeCode: 'astrology' }), 400, 'VALIDATION_FAILED', 'themeCode'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ format: 'rave' }), 400, 'VALIDATION_FAILED', 'format'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ counties: ['99'] }), 400, 'VALIDATION_FAILED', 'counties'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ providerId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED', 'providerId'],
      ['post', `/api/v1/programmes/${programmeId}/interventions`, interventionBody({ hoursPerParticipant: 0 }), 400, 'VALIDATION_FAILED', 'hoursPerParticipant'],
      ['patch', `/api/v1/interventions/${inUppsala}`, { plannedParticipants: -3 }, 400, 'VALIDATION_FAILED', 'plannedParticipants'],
      ['patch', `/api/v1/interventions/${inUppsala}`, { format: 'rave' }, 400, 'VALIDATION_FAILED', 'format'],
      ['post', `/api/v1/programmes/00000000-0000-4000-8000-000000000000/interventions`, interventionBody(), 404, 'PROGRAMME_NOT_FOUND', null],
      ['post', `/api/v1/programmes/${programmeId}/draft-from-round`, { roundId: '00000000-0000-4000-8000-000000000000' }, 404, 'NEEDS_ROUND_NOT_FOUND', null],
      ['post', `/api/v1/programmes/${programmeId}/draft-from-round`, { roundId: 'nope' }, 400, 'VALIDATION_FAILED', 'roundId'],
      ['post', `/api/v1/interventions/${inUppsala}/offerings`, { offeringId: '00000000-0000-4000-8000-000000000000' }, 404, 'OFFERING_NOT_FOUND', null],
      ['post', `/api/v1/interventions/00000000-0000-4000-8000-000000000000/offerings`, { offeringId }, 404, 'INTERVENTION_NOT_FOUND', null],
      ['delete', `/api/v1/interventions/${inUppsala}/offerings/${offeringId}`, {}, 404, 'OFFERING_NOT_LINKED', null],
      ['post', `/api/v1/interventions/not-a-uuid/approve`, {}, 400, 'VALIDATION_FAILED', 'id'],
    ];
    for (const [method, path, body, status, code, field] of bad) {
      const res = await (t.app.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path).set(coordinator.auth).send(body);
      const fields = Array.isArray(res.body.details) ? res.body.details.map((d: { field: string }) => d.field) : [];
      expect({ path, body, status: res.status, code: res.body.code, named: field === null || fields.includes(field) }).toEqual({ path, body, status, code, named: true });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('links an offering at most once, also when asked concurrently, and not to a cancelled intervention', async () => {
    const results = await Promise.all([inUppsala, elsewhere].map((id) => t.app.http.post(`/api/v1/interventions/${id}/offerings`).set(coordinator.auth).send({ offeringId })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('OFFERING_ALREADY_LINKED');
    expect(await countRows(t.db, 'intervention_offerings', 'offering_id = $1', [offeringId])).toBe(1);
    const other = (await givenPublishedOffering(t, staff, providerId)).id;
    await t.app.http.post(`/api/v1/interventions/${elsewhere}/cancel`).set(coordinator.auth).expect(200);
    expect((await t.app.http.post(`/api/v1/interventions/${elsewhere}/offerings`).set(coordinator.auth).send({ offeringId: other }).expect(409)).body.code).toBe('INTERVENTION_CANCELLED');
    expect((await t.app.http.post(`/api/v1/interventions/${elsewhere}/cancel`).set(coordinator.auth).expect(409)).body.code).toBe('INTERVENTION_WRONG_STATE');
    expect((await t.app.http.patch(`/api/v1/interventions/${elsewhere}`).set(coordinator.auth).send({ title: 'Ändrad' }).expect(409)).body.code).toBe('INTERVENTION_CANCELLED');
    expect(await countRows(t.db, 'intervention_offerings', 'offering_id = $1', [other])).toBe(0);
  });

  it('an Idempotency-Key on a create returns the first result instead of creating twice; a proposed intervention can be deleted', async () => {
    const send = () => t.app.http.post(`/api/v1/programmes/${programmeId}/interventions`).set(coordinator.auth).set('Idempotency-Key', 'insats-1').send(interventionBody({ title: 'En gång' }));
    const [a, b] = [await send().expect(201), await send()];
    expect(b.body.id).toBe(a.body.id);
    expect(await countRows(t.db, 'interventions', `title = 'En gång'`)).toBe(1);
    await t.app.http.delete(`/api/v1/interventions/${a.body.id}`).set(coordinator.auth).expect(204);
    expect(await countRows(t.db, 'interventions', `title = 'En gång'`)).toBe(0);
  });

  it('the PDF answers 503 with a clear code when Chromium is missing', async () => {
    const { startTestApp } = await import('../support/app.js');
    const app = await startTestApp({ databaseUrl: t.db.url, env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    try {
      const res = await app.http.get(`/api/v1/programmes/${programmeId}/plan?format=pdf`).set(coordinator.auth).expect(503);
      expect(res.body.code).toBe('PROGRAMME_PDF_UNAVAILABLE');
      await app.http.get(`/api/v1/programmes/${programmeId}/plan?format=html`).set(coordinator.auth).expect(200);
    } finally {
      await app.close();
    }
  });
});
