import { countRows, givenUser } from '../support/factories.js';
import { givenOrganisation, uniqueOrgNumber } from '../support/organisation-factories.js';
import { useTestContext } from '../support/context.js';

describe('organisations: registration, validation, listing, changes', () => {
  const t = useTestContext();
  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'Returbutiken Ekonomisk Förening',
    orgNumber: uniqueOrgNumber(),
    legalForm: 'ekonomisk_forening',
    sector: 'social_economy',
    municipalityCode: '0380',
    ...overrides,
  });


  it('registers an organisation and makes the creator its org_admin', async () => {
    const user = await givenUser(t);
    const res = await t.app.http
      .post('/api/v1/organisations')
      .set(user.auth)
      .send(body({ contactEmail: 'Info@Retur.se', employeeCount: 12, website: 'https://retur.se' }))
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'Returbutiken Ekonomisk Förening',
      legalForm: 'ekonomisk_forening',
      sector: 'social_economy',
      municipalityCode: '0380',
      municipalityName: 'Uppsala',
      countyCode: '03',
      contactEmail: 'info@retur.se',
      employeeCount: 12,
    });
    const me = await t.app.http.get('/api/v1/me').set(user.auth).expect(200);
    expect(me.body.memberships).toEqual([
      { kind: 'organisation', id: res.body.id, name: 'Returbutiken Ekonomisk Förening', role: 'org_admin', jobTitle: null },
    ]);
    const audit = await t.db.query(`SELECT action FROM audit_log WHERE organisation_id = $1`, [res.body.id]);
    expect(audit).toEqual([{ action: 'organisation.created' }]);
  });

  describe('organisation numbers', () => {
    // The valid examples of DOMAIN.md, in every accepted spelling; each test uses a fresh database row.
    it.each([
      ['212000-0142', '212000-0142'],
      ['2021005224', '202100-5224'],
      ['16556036-0793', '556036-0793'],
    ])('accepts %s, stored as %s', async (input, stored) => {
      await t.db.query(`DELETE FROM organisations WHERE org_number = $1`, [stored]);
      const user = await givenUser(t);
      const res = await t.app.http.post('/api/v1/organisations').set(user.auth).send(body({ orgNumber: input })).expect(201);
      expect(res.body.orgNumber).toBe(stored);
    });

    it.each([
      ['212000-0143', 'wrong check digit', 'has a wrong check digit'],
      ['21200-0142', 'wrong length', 'must be 10 digits'],
      ['212000-01423', 'wrong length', 'must be 10 digits'],
      ['21200A-0142', 'letters', 'must be 10 digits'],
      ['811218-9876', 'third digit below 2', 'third digit must be 2 or higher'],
      [5560360793, 'a number instead of a string', 'must be a string'],
    ])('rejects %s (%s) with 400 naming orgNumber, writing nothing', async (orgNumber, _label, message) => {
      const user = await givenUser(t);
      const before = await countRows(t.db, 'organisations');
      const res = await t.app.http.post('/api/v1/organisations').set(user.auth).send(body({ orgNumber })).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([{ field: 'orgNumber', messages: [expect.stringContaining(message)] }]);
      expect(await countRows(t.db, 'organisations')).toBe(before);
      expect(await countRows(t.db, 'organisation_members', 'user_id = $1', [user.id])).toBe(0);
    });

    it('refuses a duplicate organisation number in another spelling with 409', async () => {
      const user = await givenUser(t);
      const first = await t.app.http.post('/api/v1/organisations').set(user.auth).send(body()).expect(201);
      const before = await countRows(t.db, 'organisations');
      const res = await t.app.http
        .post('/api/v1/organisations')
        .set(user.auth)
        .send(body({ orgNumber: `16${first.body.orgNumber.replace('-', '')}` }))
        .expect(409);
      expect(res.body).toMatchObject({ code: 'ORGANISATION_NUMBER_TAKEN', details: { field: 'orgNumber' } });
      expect(await countRows(t.db, 'organisations')).toBe(before);
    });
  });

  it.each([
    [{ legalForm: 'kommanditbolag' }, 'legalForm'],
    [{ sector: 'private' }, 'sector'],
    [{ municipalityCode: '0180' }, 'municipalityCode'],
    [{ municipalityCode: 'Uppsala' }, 'municipalityCode'],
    [{ name: '' }, 'name'],
    [{ name: 42 }, 'name'],
    [{ employeeCount: -1 }, 'employeeCount'],
    [{ employeeCount: '12' }, 'employeeCount'],
    [{ contactEmail: 'nope' }, 'contactEmail'],
    [{ website: 'javascript:alert(1)' }, 'website'],
    [{ owner: 'someone' }, 'owner'],
  ])('rejects %j with 400 naming %s, writing nothing', async (override, field) => {
    const user = await givenUser(t);
    const before = await countRows(t.db, 'organisations');
    const res = await t.app.http.post('/api/v1/organisations').set(user.auth).send(body(override)).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await countRows(t.db, 'organisations')).toBe(before);
  });

  it('refuses missing required fields, naming each', async () => {
    const user = await givenUser(t);
    const res = await t.app.http.post('/api/v1/organisations').set(user.auth).send({}).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['legalForm', 'municipalityCode', 'name', 'orgNumber', 'sector'].sort(),
    );
  });

  it('lists all organisations with filters for coordinators, and only their own for everyone else', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const a = await givenOrganisation(t, { municipalityCode: '0580', legalForm: 'stiftelse', name: 'Stiftelsen Linköpingshjälpen' });
    const b = await givenOrganisation(t, { municipalityCode: '1880', sector: 'public', legalForm: 'kommun', name: 'Örebro kommun' });

    const own = await t.app.http.get('/api/v1/organisations').set(a.admin.auth).expect(200);
    expect(own.body).toEqual({ items: [expect.objectContaining({ id: a.id })], total: 1 });

    const byCounty = await t.app.http.get('/api/v1/organisations?county=05').set(coordinator.auth).expect(200);
    expect(byCounty.body.items.map((o: { id: string }) => o.id)).toContain(a.id);
    expect(byCounty.body.items.map((o: { id: string }) => o.id)).not.toContain(b.id);
    const bySector = await t.app.http.get('/api/v1/organisations?sector=public').set(coordinator.auth).expect(200);
    expect(bySector.body.items.map((o: { id: string }) => o.id)).toEqual([b.id]);
    const byForm = await t.app.http.get('/api/v1/organisations?legalForm=stiftelse&municipality=0580').set(coordinator.auth).expect(200);
    expect(byForm.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const byName = await t.app.http.get('/api/v1/organisations?q=linköpings').set(coordinator.auth).expect(200);
    expect(byName.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);

    const paged = await t.app.http.get('/api/v1/organisations?limit=1&offset=1').set(coordinator.auth).expect(200);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toBeGreaterThanOrEqual(2);

    await t.app.http.get('/api/v1/organisations?limit=0').set(coordinator.auth).expect(400);
    await t.app.http.get('/api/v1/organisations?county=X').set(coordinator.auth).expect(400);
  });

  it('lets an org admin change details but never the organisation number', async () => {
    const org = await givenOrganisation(t);
    const res = await t.app.http
      .patch(`/api/v1/organisations/${org.id}`)
      .set(org.admin.auth)
      .send({ name: 'Nytt Namn', municipalityCode: '0581', employeeCount: 3 })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'Nytt Namn', municipalityCode: '0581', employeeCount: 3, orgNumber: org.orgNumber });
    const refused = await t.app.http.patch(`/api/v1/organisations/${org.id}`).set(org.admin.auth).send({ orgNumber: '212000-0142' }).expect(400);
    expect(refused.body.details[0].field).toBe('orgNumber');
  });

  it('honours Idempotency-Key: the same key and body once, another body 409', async () => {
    const user = await givenUser(t);
    const request = body();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.app.http.post('/api/v1/organisations').set(user.auth).set('Idempotency-Key', 'org-create-1').send(request)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(await countRows(t.db, 'organisations', 'org_number = $1', [request.orgNumber])).toBe(1);

    const other = await t.app.http
      .post('/api/v1/organisations')
      .set(user.auth)
      .set('Idempotency-Key', 'org-create-1')
      .send(body())
      .expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Keys are per person: someone else's identical key acts on its own.
    const someoneElse = await givenUser(t);
    await t.app.http.post('/api/v1/organisations').set(someoneElse.auth).set('Idempotency-Key', 'org-create-1').send(body()).expect(201);
  });
});
