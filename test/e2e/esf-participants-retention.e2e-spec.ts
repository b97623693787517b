import { parse } from 'csv-parse/sync';
import { RetentionJob } from '../../src/common/retention.js';
import type { FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, givenParticipants, personnummer, setClock, type EsfProgramme } from '../support/esf-factories.js';
import { countRows, givenUser } from '../support/factories.js';

const at = (iso: string) => new Date(iso);
const DAY = 24 * 3600_000;

/** Every text and JSON column of every table that holds one of `needles` (the erasure scan of secrets-at-rest). */
async function columnsHolding(t: ReturnType<typeof useTestContext>, needles: string[]): Promise<string[]> {
  const columns = await t.db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.udt_name IN ('_varchar', '_text'))`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const [hit] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE strpos(lower("${column_name}"::text), lower($1)) > 0`, [needle]);
      if (hit.n > 0) found.push(`${table_name}.${column_name}`);
    }
  }
  return found;
}

/**
 * ESF evidence is kept until 31 December of the fifth year after the programme's final payment,
 * through an erasure (GDPR art. 17(3)(b), said in the answer and the export), then purged by the
 * retention job; the other personal data with retention rules goes when its time is up.
 */
describe('ESF participants: retention and erasure', () => {
  const t = useTestContext({ smtp: true });
  let esf: EsfProgramme;
  let later: EsfProgramme;
  let anna: FastUser;
  let bo: FastUser;
  const numbers = { anna: personnummer('19800101'), bo: personnummer('19750505') };
  let annaReportId: string;

  afterAll(() => t.app.clock.reset());

  beforeAll(async () => {
    esf = await givenEsfProgramme(t, { finalPaymentYear: 2030 });
    later = await givenEsfProgramme(t, { finalPaymentYear: 2040 });
    [anna, bo] = await givenParticipants(t, esf, ['woman', 'man']);
    const session = await givenEsfSession(t, esf, at('2027-01-14T09:00:00Z'), 3);
    const other = await givenEsfSession(t, later, at('2027-01-20T09:00:00Z'), 2);
    const ids = await book(t, session.id, [anna, bo]);
    const [boLater] = await book(t, other.id, [bo]);
    await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: numbers.anna }).expect(204);
    await t.app.http.put('/api/v1/me/participant-identity').set(bo.auth).send({ personalIdentityNumber: numbers.bo }).expect(204);
    setClock(t.app, at('2027-01-14T13:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(esf.staff.auth).send({ records: ids.map((bookingId) => ({ bookingId, attended: true })) }).expect(200);
    setClock(t.app, at('2027-01-20T12:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${other.id}/attendance`).set(later.staff.auth).send({ records: [{ bookingId: boLater, attended: true }] }).expect(200);
    setClock(t.app, at('2027-02-03T08:00:00Z'));
    annaReportId = (await t.app.http.get('/api/v1/me/time-reports').set(anna.auth).expect(200)).body.items[0].id;
    await t.app.http.post(`/api/v1/me/time-reports/${annaReportId}/certification-code`).set(anna.auth).expect(202);
    await t.app.dispatchMail();
    const [mail] = await t.smtp.waitForMailMatching(anna.email, (m) => (m.subject ?? '').startsWith('Din kod')).then((m) => [m]);
    const code = /Din kod är (\d{6})\./.exec(mail.text ?? '')![1];
    await t.app.http.post(`/api/v1/me/time-reports/${annaReportId}/certify`).set(anna.auth).send({ code }).expect(200);
  });

  it('the data export says what ESF evidence is held and until when', async () => {
    const res = await t.app.http.get('/api/v1/me/export').set(anna.auth).expect(200);
    expect(res.body.esfParticipation).toEqual({
      identityNumber: { masked: '1980-01-**-****' },
      participations: [{ programmeId: esf.programmeId, programmeTitle: expect.any(String), keptUntil: '2035-12-31', legalBasis: expect.stringContaining('17(3)(b)') }],
      timeReports: [{ programmeId: esf.programmeId, month: '2027-01', version: 1, status: 'certified', hours: 3 }],
    });
    expect(JSON.stringify(res.body)).not.toContain(numbers.anna.slice(2, 8));
  });

  it('erasure during the hold keeps the ESF evidence (and says so) and removes everything else', async () => {
    const res = await t.app.http.delete('/api/v1/me').set(anna.auth).expect(200);
    expect(res.body).toEqual({
      erased: true,
      retained: [
        {
          kind: 'esf_participation',
          description: expect.stringContaining('identity number (encrypted)'),
          until: '2035-12-31',
          legalBasis: expect.stringContaining('GDPR art. 17(3)(b)'),
        },
      ],
    });
    // the register row stays, restricted to coordinators, without name or email
    const register = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants`).set(esf.coordinator.auth).expect(200);
    expect(register.body.evidenceKeptUntil).toBe('2035-12-31');
    const row = register.body.items.find((p: { userId: string }) => p.userId === anna.id);
    expect(row).toMatchObject({ erased: true, name: null, email: null, orgNumber: esf.organisation.orgNumber, startedOn: '2027-01-14', hoursAttended: 3, certifiedHours: 3 });
    // the monthly file still holds the identity number the funder needs
    const file = parse((await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants/monthly-file?month=2027-01`).set(esf.coordinator.auth).expect(200)).text, { bom: true }) as string[][];
    expect(file.map((r) => r[0])).toContain(numbers.anna);
    expect(await countRows(t.db, 'participant_identities', 'user_id = $1', [anna.id])).toBe(1);
    expect(await countRows(t.db, 'esf_time_reports r JOIN esf_participants ep ON ep.id = r.participant_id', 'ep.user_id = $1', [anna.id])).toBe(1);
    expect(await countRows(t.db, 'audit_log', `action = 'person.erased' AND subject_user_id = $1 AND details->'retained' = '["esf_participation"]'::jsonb`, [anna.id])).toBe(1);
    // the name and the address are gone everywhere
    expect(await columnsHolding(t, [anna.email, anna.name])).toEqual([]);
  });

  it('erasure with no ESF evidence held retains nothing', async () => {
    const person = await givenUser(t);
    expect((await t.app.http.delete('/api/v1/me').set(person.auth).expect(200)).body).toEqual({ erased: true, retained: [] });
  });

  it('purges a programme\'s evidence after 31 December of the fifth year after its final payment, and nothing else', async () => {
    const job = t.app.app.get(RetentionJob);
    setClock(t.app, at('2035-12-31T12:00:00Z'));
    expect((await job.purgeNow())['participants.esf-evidence']).toBe(0);
    expect(await countRows(t.db, 'esf_participants', 'programme_id = $1', [esf.programmeId])).toBe(2);
    setClock(t.app, at('2036-01-01T08:00:00Z'));
    const result = await job.purgeNow();
    // Anna's and Bo's participations, and Anna's identity number (Bo still takes part in the other programme)
    expect(result['participants.esf-evidence']).toBe(3);
    expect(await countRows(t.db, 'esf_participants', 'programme_id = $1', [esf.programmeId])).toBe(0);
    expect(await countRows(t.db, 'esf_time_reports')).toBe(1);
    expect(await countRows(t.db, 'esf_time_entries')).toBe(1);
    expect(await countRows(t.db, 'participant_identities', 'user_id = $1', [anna.id])).toBe(0);
    expect(await countRows(t.db, 'participant_identities', 'user_id = $1', [bo.id])).toBe(1);
    expect(await countRows(t.db, 'esf_participants', 'programme_id = $1', [later.programmeId])).toBe(1);
    // running it again changes nothing
    expect((await job.purgeNow())['participants.esf-evidence']).toBe(0);
    // erasure now keeps only what is still held: Bo's participation in the other programme
    expect((await t.app.http.delete('/api/v1/me').set(bo.auth).expect(200)).body.retained).toEqual([
      expect.objectContaining({ kind: 'esf_participation', until: '2045-12-31' }),
    ]);
  });

  it('purges sign-in links, failed sign-ins and unaccepted invitations when expired, and clears bookings\' notes after the session', async () => {
    t.app.clock.reset();
    const job = t.app.app.get(RetentionJob);
    const person = await givenUser(t);
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: person.email }).expect(202);
    await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'fel-lösenord-1' }).expect(401);
    await t.app.http.post(`/api/v1/organisations/${esf.organisation.id}/invitations`).set(esf.organisation.admin.auth).send({ email: 'ny.person@example.se', role: 'employee' }).expect(201);
    const session = await givenEsfSession(t, later, new Date(Date.now() + 2 * DAY), 2);
    const [carl] = await givenParticipants(t, later, ['man']);
    await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(carl.auth).send({ accessibilityRequests: ['induction_loop'], note: 'Jag kommer med rullstol' }).expect(201);
    const now = await job.purgeNow();
    expect(now).toMatchObject({ 'auth.magic-links': 0, 'invitations.expired': 0, 'bookings.notes': 0 });
    expect(await countRows(t.db, 'magic_link_tokens', 'user_id = $1', [person.id])).toBe(1);
    t.app.clock.advance(2 * DAY);
    expect((await job.purgeNow())['auth.magic-links']).toBeGreaterThanOrEqual(1);
    expect(await countRows(t.db, 'magic_link_tokens', 'user_id = $1', [person.id])).toBe(0);
    expect(await countRows(t.db, 'login_failures', 'account_key = $1', [person.email])).toBe(0);
    t.app.clock.advance(21 * DAY);
    expect((await job.purgeNow())['invitations.expired']).toBeGreaterThanOrEqual(1);
    expect(await countRows(t.db, 'invitations', 'email = $1', ['ny.person@example.se'])).toBe(0);
    expect(await countRows(t.db, 'bookings', 'user_id = $1 AND note IS NOT NULL', [carl.id])).toBe(1);
    t.app.clock.advance(90 * DAY);
    expect((await job.purgeNow())['bookings.notes']).toBeGreaterThanOrEqual(1);
    expect(await t.db.query(`SELECT note, accessibility_requests FROM bookings WHERE user_id = $1`, [carl.id])).toEqual([{ note: null, accessibility_requests: [] }]);
  });
});
