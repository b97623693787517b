import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastUser } from '../support/bookings-factories.js';
import { fastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, givenParticipants, personnummer, recordingAgent, setClock, type EsfProgramme } from '../support/esf-factories.js';
import { countRows } from '../support/factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';
import { programmeBody } from '../support/programme-factories.js';

const at = (iso: string) => new Date(iso);

/**
 * ESF participants (issue 20), the identity number and the register: a person becomes a participant
 * at their first attended session of an ESF programme's intervention; the register shows their
 * organisation number, dates, hours and gender; identity numbers are validated, stored encrypted and
 * only ever answered masked.
 */
describe('ESF participants: identity numbers and the register', () => {
  const t = useTestContext();
  let esf: EsfProgramme;
  let anna: FastUser;
  let bo: FastUser;
  let cilla: FastUser;
  let january: { id: string; offeringId: string };
  let february: { id: string; offeringId: string };
  let later: { id: string };
  const bookings: Record<string, string> = {};
  const given = personnummer('19850709');
  /** Every answer of this file, to check that no identity number ever leaves in one. */
  const answers: string[] = [];
  const http = () => recordingAgent(t.app, answers);

  afterAll(() => {
    setClock(t.app, new Date());
    t.app.clock.reset();
  });

  beforeAll(async () => {
    esf = await givenEsfProgramme(t);
    [anna, bo, cilla] = await givenParticipants(t, esf, ['woman', 'man', null]);
    january = await givenEsfSession(t, esf, at('2027-01-14T09:00:00Z'), 3);
    february = await givenEsfSession(t, esf, at('2027-02-11T09:00:00Z'), 4);
    later = await givenEsfSession(t, esf, at('2027-05-20T09:00:00Z'), 2);
    [bookings.annaJan, bookings.boJan, bookings.cillaJan] = await book(t, january.id, [anna, bo, cilla]);
    [bookings.annaFeb, bookings.boFeb] = await book(t, february.id, [anna, bo]);
    [bookings.boLater] = await book(t, later.id, [bo]);
  });

  describe('identity numbers', () => {
    it('refuses invalid numbers (format, date, check digit) with 400 naming the field; nothing is written', async () => {
      const nine = given.slice(2, 11);
      const wrongCheck = `${given.slice(0, 11)}${(Number(given[11]) + 1) % 10}`;
      for (const bad of ['12345', '19851309-1234', '850230-1230', wrongCheck, `${nine}x`, 'ÅÄÖ']) {
        const res = await http().put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: bad }).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'personalIdentityNumber' }] });
      }
      const missing = await http().put('/api/v1/me/participant-identity').set(anna.auth).send({}).expect(400);
      expect(missing.body.details[0].field).toBe('personalIdentityNumber');
      expect(await countRows(t.db, 'participant_identities')).toBe(0);
    });

    it('refuses people in no ESF programme (409) and writes nothing', async () => {
      const outsider = await fastUser(t.db);
      const res = await http().put('/api/v1/me/participant-identity').set(outsider.auth).send({ personalIdentityNumber: personnummer() }).expect(409);
      expect(res.body.code).toBe('PARTICIPANT_NOT_IN_ESF_PROGRAMME');
      expect(await countRows(t.db, 'participant_identities')).toBe(0);
      const mine = await http().get('/api/v1/me/participant-identity').set(outsider.auth).expect(200);
      expect(mine.body).toMatchObject({ masked: null, requested: false });
    });

    it('stores a booked person\'s number encrypted (12 digits in, ciphertext at rest), answers it masked, with a plain-Swedish explanation, and audits it', async () => {
      const ten = `${given.slice(2, 8)}-${given.slice(8)}`;
      // an Idempotency-Key is ignored: not even a hash of the body is kept
      await http().put('/api/v1/me/participant-identity').set(anna.auth).set('Idempotency-Key', 'identity-1').send({ personalIdentityNumber: ten }).expect(204);
      expect(await countRows(t.db, 'idempotency_keys', `key = 'identity-1'`)).toBe(0);
      const mine = await http().get('/api/v1/me/participant-identity').set(anna.auth).expect(200);
      expect(mine.body).toEqual({ masked: '1985-07-**-****', requested: true, explanationSv: expect.stringContaining('SCB'), explanationEn: expect.stringContaining('Statistics Sweden') });
      expect(mine.body.explanationSv).toContain('krypterat');
      const [row] = await t.db.query<{ id_cipher: Buffer; key_id: string; set_by_user_id: string }>('SELECT id_cipher, key_id, set_by_user_id FROM participant_identities WHERE user_id = $1', [anna.id]);
      expect(row.set_by_user_id).toBe(anna.id);
      expect(row.key_id).toMatch(/^[0-9a-f]{16}$/);
      expect(row.id_cipher.length).toBe(1 + 12 + 16 + 12);
      for (const form of [given, given.slice(2), ten]) {
        expect(row.id_cipher.toString('latin1')).not.toContain(form);
        expect(row.id_cipher.toString('hex')).not.toContain(form);
      }
      const dump = await t.db.query<{ t: string }>(`SELECT row_to_json(p)::text AS t FROM participant_identities p`);
      expect(dump.map((d) => d.t).join()).not.toContain(given.slice(2, 8));
      const audit = await t.db.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE action = 'participant_identity.set' AND subject_user_id = $1`, [anna.id]);
      expect(audit).toEqual([{ details: { by: 'self', coordinationNumber: false } }]);
      expect(JSON.stringify(audit)).not.toContain(given.slice(2, 8));
    });

    it('lets the org admin enter an employee\'s number; refuses other organisations\' admins, employees and people outside the organisation', async () => {
      const path = (orgId: string, userId: string) => `/api/v1/organisations/${orgId}/members/${userId}/participant-identity`;
      const number = personnummer('19900101');
      const other = await givenOrganisation(t);
      const colleague = await givenMember(t, esf.organisation.id, 'employee');
      const before = await countRows(t.db, 'participant_identities');
      const refusals: Array<[string, { Authorization: string }, string, number, string]> = [
        ['another organisation\'s admin', other.admin.auth, path(esf.organisation.id, bo.id), 403, 'ORGANISATION_ACCESS_DENIED'],
        ['an employee for a colleague', colleague.auth ?? { Authorization: `Bearer ${colleague.token}` }, path(esf.organisation.id, bo.id), 403, 'ORGANISATION_ACCESS_DENIED'],
        ['provider staff', esf.staff.auth, path(esf.organisation.id, bo.id), 403, 'ORGANISATION_ACCESS_DENIED'],
        ['an admin for someone outside the organisation', other.admin.auth, path(other.id, bo.id), 404, 'PARTICIPANT_NOT_A_MEMBER'],
        ['an unknown organisation', esf.organisation.admin.auth, path('00000000-0000-4000-8000-000000000000', bo.id), 404, 'ORGANISATION_NOT_FOUND'],
      ];
      for (const [who, auth, url, status, code] of refusals) {
        const res = await http().put(url).set(auth).send({ personalIdentityNumber: number });
        expect([who, res.status, res.body.code]).toEqual([who, status, code]);
      }
      expect(await countRows(t.db, 'participant_identities')).toBe(before);
      await http().put(path(esf.organisation.id, bo.id)).set(esf.organisation.admin.auth).send({ personalIdentityNumber: number }).expect(204);
      const mine = await http().get('/api/v1/me/participant-identity').set(bo.auth).expect(200);
      expect(mine.body.masked).toBe('1990-01-**-****');
      const [audit] = await t.db.query<{ actor_user_id: string; organisation_id: string; details: Record<string, unknown> }>(
        `SELECT actor_user_id, organisation_id, details FROM audit_log WHERE action = 'participant_identity.set' AND subject_user_id = $1`,
        [bo.id],
      );
      expect(audit).toEqual({ actor_user_id: esf.organisation.admin.id, organisation_id: esf.organisation.id, details: { by: 'org_admin', coordinationNumber: false } });
    });
  });

  describe('the register', () => {
    it('refuses partial hours that are not whole hours of an attended session, and writes nothing', async () => {
      setClock(t.app, at('2027-01-14T13:00:00Z'));
      const cases = [
        [{ bookingId: bookings.annaJan, attended: false, hours: 2 }],
        [{ bookingId: bookings.annaJan, attended: true, hours: 4 }],
        [{ bookingId: bookings.annaJan, attended: true, hours: 1.5 }],
        [{ bookingId: bookings.annaJan, attended: true, hours: 0 }],
      ];
      for (const records of cases) {
        const res = await http().post(`/api/v1/sessions/${january.id}/attendance`).set(esf.staff.auth).send({ records }).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect(await countRows(t.db, 'bookings', 'attended IS NOT NULL')).toBe(0);
      expect(await countRows(t.db, 'esf_participants')).toBe(0);
    });

    it('makes people participants at their first attended session, with the session\'s hours or the whole hours recorded', async () => {
      setClock(t.app, at('2027-01-14T13:00:00Z'));
      await t.app.http
        .post(`/api/v1/sessions/${january.id}/attendance`)
        .set(esf.staff.auth)
        .send({ records: [{ bookingId: bookings.annaJan, attended: true }, { bookingId: bookings.boJan, attended: true, hours: 2 }, { bookingId: bookings.cillaJan, attended: false }] })
        .expect(200);
      setClock(t.app, at('2027-02-11T14:00:00Z'));
      await t.app.http
        .post(`/api/v1/sessions/${february.id}/attendance`)
        .set(esf.staff.auth)
        .send({ records: [{ bookingId: bookings.annaFeb, attended: true }, { bookingId: bookings.boFeb, attended: true }] })
        .expect(200);
      const res = await http().get(`/api/v1/programmes/${esf.programmeId}/participants`).set(esf.coordinator.auth).expect(200);
      expect(res.body.total).toBe(2);
      const byUser = Object.fromEntries(res.body.items.map((p: { userId: string }) => [p.userId, p]));
      expect(byUser[anna.id]).toMatchObject({
        programmeId: esf.programmeId,
        name: anna.name,
        email: anna.email,
        erased: false,
        organisationId: esf.organisation.id,
        orgNumber: esf.organisation.orgNumber,
        startedOn: '2027-01-14',
        endedOn: null,
        endReason: null,
        gender: 'woman',
        hoursAttended: 7,
        certifiedHours: 0,
        identityNumberGiven: true,
      });
      expect(byUser[bo.id]).toMatchObject({ startedOn: '2027-01-14', gender: 'man', hoursAttended: 6, identityNumberGiven: true });
      expect(await countRows(t.db, 'esf_participants', 'user_id = $1', [cilla.id])).toBe(0);
      expect(await t.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, hours::float8 AS hours FROM esf_time_entries WHERE booking_id = $1`, [bookings.boJan])).toEqual([{ day: '2027-01-14', hours: 2 }]);
      // The programme's progress counts the same participant hours as the register (Bo's 2 recorded hours, not the session's).
      const progress = (await http().get(`/api/v1/programmes/${esf.programmeId}/progress`).set(esf.coordinator.auth).expect(200)).body;
      expect(progress.total.hoursDelivered).toBe(7 + 6);
    });

    it('exports the register as CSV and xlsx with Swedish headings', async () => {
      const csv = await http().get(`/api/v1/programmes/${esf.programmeId}/participants?format=csv`).set(esf.coordinator.auth).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(csv.text, { bom: true }) as string[][];
      expect(rows[0]).toEqual(['Namn', 'E-post', 'Organisationsnummer', 'Startdatum', 'Slutdatum', 'Orsak', 'Kön', 'Närvarotimmar', 'Intygade timmar', 'Personnummer angivet']);
      expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[6], r[7], r[9]]).sort()).toEqual(
        [
          [anna.email, esf.organisation.orgNumber, '2027-01-14', 'Kvinna', '7', 'Ja'],
          [bo.email, esf.organisation.orgNumber, '2027-01-14', 'Man', '6', 'Ja'],
        ].sort(),
      );
      const xlsx = await http().get(`/api/v1/programmes/${esf.programmeId}/participants?format=xlsx`).set(esf.coordinator.auth).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      expect(workbook.getWorksheet('Deltagare')!.rowCount).toBe(4);
    });

    it('is for coordinators only: employees, org admins and provider staff are refused (403), unknown programmes 404, programmes without ESF reporting 409', async () => {
      for (const auth of [anna.auth, esf.organisation.admin.auth, esf.staff.auth]) {
        for (const format of ['json', 'csv']) {
          const res = await http().get(`/api/v1/programmes/${esf.programmeId}/participants?format=${format}`).set(auth).expect(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
      }
      const unknown = await http().get('/api/v1/programmes/00000000-0000-4000-8000-000000000000/participants').set(esf.coordinator.auth).expect(404);
      expect(unknown.body.code).toBe('PROGRAMME_NOT_FOUND');
      const plain = (await http().post('/api/v1/programmes').set(esf.coordinator.auth).send(programmeBody({ esfReporting: false, fundingSource: 'region' })).expect(201)).body.id;
      const notEsf = await http().get(`/api/v1/programmes/${plain}/participants`).set(esf.coordinator.auth).expect(409);
      expect(notEsf.body.code).toBe('PROGRAMME_NOT_ESF_REPORTING');
      await http().get(`/api/v1/programmes/${esf.programmeId}/participants?format=pdf`).set(esf.coordinator.auth).expect(400);
    });

    it('withdrawn attendance moves the start to the first day still attended', async () => {
      setClock(t.app, at('2027-02-12T10:00:00Z'));
      await http().post(`/api/v1/sessions/${january.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.annaJan, attended: false }] }).expect(200);
      const [row] = await t.db.query<{ started_on: string }>(`SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on FROM esf_participants WHERE user_id = $1`, [anna.id]);
      expect(row.started_on).toBe('2027-02-11');
      await http().post(`/api/v1/sessions/${january.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.annaJan, attended: true }] }).expect(200);
      const [again] = await t.db.query<{ started_on: string }>(`SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on FROM esf_participants WHERE user_id = $1`, [anna.id]);
      expect(again.started_on).toBe('2027-01-14');
    });
  });

  describe('ending a participation', () => {
    it('lets a person leave only with no booking ahead; then a coordinator cannot end it again', async () => {
      setClock(t.app, at('2027-03-02T10:00:00Z'));
      const early = await http().post(`/api/v1/me/esf-participations/${esf.programmeId}/leave`).set(bo.auth).expect(409);
      expect(early.body.code).toBe('PARTICIPANT_HAS_UPCOMING_BOOKING');
      expect(await countRows(t.db, 'esf_participants', 'ended_on IS NOT NULL')).toBe(0);
      const left = await http().post(`/api/v1/me/esf-participations/${esf.programmeId}/leave`).set(anna.auth).expect(200);
      expect(left.body).toMatchObject({ programmeId: esf.programmeId, startedOn: '2027-01-14', endedOn: '2027-03-02', endReason: 'left_on_request', hoursAttended: 7 });
      const twice = await http().post(`/api/v1/me/esf-participations/${esf.programmeId}/leave`).set(anna.auth).expect(409);
      expect(twice.body.code).toBe('PARTICIPANT_ALREADY_ENDED');
      const none = await http().post(`/api/v1/me/esf-participations/${esf.programmeId}/leave`).set(cilla.auth).expect(404);
      expect(none.body.code).toBe('PARTICIPANT_NOT_FOUND');
      const annaId = (await t.db.query<{ id: string }>('SELECT id FROM esf_participants WHERE user_id = $1', [anna.id]))[0].id;
      const again = await http().post(`/api/v1/programmes/${esf.programmeId}/participants/${annaId}/end`).set(esf.coordinator.auth).send({}).expect(409);
      expect(again.body.code).toBe('PARTICIPANT_ALREADY_ENDED');
      const mine = await http().get('/api/v1/me/esf-participations').set(anna.auth).expect(200);
      expect(mine.body).toMatchObject({ total: 1, items: [{ endedOn: '2027-03-02' }] });
    });

    it('lets a coordinator end a participation, validating the date; others are refused; nothing is written on refusal', async () => {
      const boId = (await t.db.query<{ id: string }>('SELECT id FROM esf_participants WHERE user_id = $1', [bo.id]))[0].id;
      const url = `/api/v1/programmes/${esf.programmeId}/participants/${boId}/end`;
      for (const auth of [bo.auth, esf.organisation.admin.auth, esf.staff.auth]) {
        expect((await http().post(url).set(auth).send({}).expect(403)).body.code).toBe('FORBIDDEN');
      }
      for (const endedOn of ['2027-01-13', '2027-03-03', '2027-02-30', '03/01/2027']) {
        const res = await http().post(url).set(esf.coordinator.auth).send({ endedOn }).expect(400);
        expect([endedOn, res.body.details[0].field]).toEqual([endedOn, 'endedOn']);
      }
      const unknown = await http().post(`/api/v1/programmes/${esf.programmeId}/participants/00000000-0000-4000-8000-000000000000/end`).set(esf.coordinator.auth).send({}).expect(404);
      expect(unknown.body.code).toBe('PARTICIPANT_NOT_FOUND');
      expect(await countRows(t.db, 'esf_participants', 'ended_on IS NOT NULL')).toBe(1);
      const ended = await http().post(url).set(esf.coordinator.auth).send({ endedOn: '2027-02-28' }).expect(200);
      expect(ended.body).toMatchObject({ userId: bo.id, endedOn: '2027-02-28', endReason: 'ended_by_coordinator' });
      expect(await countRows(t.db, 'audit_log', `action = 'esf_participant.ended' AND subject_user_id = $1`, [bo.id])).toBe(1);
    });

    it('ends every open participation at the programme\'s end once it is past', async () => {
      const other = await givenEsfProgramme(t, { endsOn: '2027-06-30' });
      const [dora] = await givenParticipants(t, other, ['woman']);
      setClock(t.app, new Date());
      const session = await givenEsfSession(t, other, at('2027-04-01T08:00:00Z'), 2);
      const [booking] = await book(t, session.id, [dora]);
      setClock(t.app, at('2027-04-01T12:00:00Z'));
      await http().post(`/api/v1/sessions/${session.id}/attendance`).set(other.staff.auth).send({ records: [{ bookingId: booking, attended: true }] }).expect(200);
      const before = await http().get(`/api/v1/programmes/${other.programmeId}/participants`).set(other.coordinator.auth).expect(200);
      expect(before.body.items[0]).toMatchObject({ startedOn: '2027-04-01', endedOn: null });
      setClock(t.app, at('2027-07-01T10:00:00Z'));
      const after = await http().get(`/api/v1/programmes/${other.programmeId}/participants`).set(other.coordinator.auth).expect(200);
      expect(after.body.items[0]).toMatchObject({ startedOn: '2027-04-01', endedOn: '2027-06-30', endReason: 'programme_ended' });
    });
  });

  it('never answers an identity number in clear', () => {
    expect(answers.length).toBeGreaterThan(40);
    for (const body of answers) {
      for (const form of [given, given.slice(2), `${given.slice(2, 8)}-${given.slice(8)}`]) expect(body).not.toContain(form);
    }
  });
});
