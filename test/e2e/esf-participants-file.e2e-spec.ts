import { parse } from 'csv-parse/sync';
import type { FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, givenParticipants, personnummer, setClock, type EsfProgramme } from '../support/esf-factories.js';
import { countRows } from '../support/factories.js';

const at = (iso: string) => new Date(iso);

/**
 * The monthly participant file (issue 20): per month the starts and ends in date order with
 * identity numbers in clear, coordinators only, every download audited; a send recorded per month,
 * and a correction to an earlier month marks it and the later months to be sent again.
 */
describe('ESF participants: the monthly file', () => {
  const t = useTestContext();
  let esf: EsfProgramme;
  let anna: FastUser;
  let bo: FastUser;
  let cilla: FastUser;
  let dora: FastUser;
  let january: { id: string };
  const numbers = { anna: personnummer('19850709'), bo: personnummer('19700320') };
  const bookings: Record<string, string> = {};
  const file = (month: string, auth = esf.coordinator.auth) => t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants/monthly-file?month=${month}`).set(auth);
  const months = async () =>
    Object.fromEntries(
      (await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants/monthly-files`).set(esf.coordinator.auth).expect(200)).body.items.map(
        (i: { month: string; status: string }) => [i.month, i.status],
      ),
    );

  afterAll(() => t.app.clock.reset());

  beforeAll(async () => {
    esf = await givenEsfProgramme(t, { startsOn: '2027-01-01' });
    [anna, bo, cilla, dora] = await givenParticipants(t, esf, ['woman', 'man', 'woman', 'woman']);
    january = await givenEsfSession(t, esf, at('2027-01-14T09:00:00Z'), 3);
    const february = await givenEsfSession(t, esf, at('2027-02-11T09:00:00Z'), 3);
    [bookings.anna, bookings.bo, bookings.dora] = await book(t, january.id, [anna, bo, dora]);
    [bookings.cilla] = await book(t, february.id, [cilla]);
    await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: numbers.anna }).expect(204);
    await t.app.http.put('/api/v1/me/participant-identity').set(bo.auth).send({ personalIdentityNumber: `${numbers.bo.slice(2, 8)}-${numbers.bo.slice(8)}` }).expect(204);
    setClock(t.app, at('2027-01-14T13:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${january.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.anna, attended: true }, { bookingId: bookings.bo, attended: true }] }).expect(200);
    setClock(t.app, at('2027-02-11T13:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${february.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.cilla, attended: true }] }).expect(200);
    setClock(t.app, at('2027-02-20T10:00:00Z'));
    await t.app.http.post(`/api/v1/me/esf-participations/${esf.programmeId}/leave`).set(bo.auth).expect(200);
    setClock(t.app, at('2027-03-05T10:00:00Z'));
  });

  it('lists each month\'s starts and ends in date order with identity numbers in clear, and audits every download', async () => {
    const res = await file('2027-01').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['cache-control']).toBe('no-store');
    const jan = parse(res.text, { bom: true }) as string[][];
    expect(jan[0]).toEqual(['Personnummer', 'Händelse', 'Datum', 'Organisationsnummer']);
    const expectedJanuary = [
      [anna.id, [numbers.anna, 'Start', '2027-01-14', esf.organisation.orgNumber]],
      [bo.id, [numbers.bo, 'Start', '2027-01-14', esf.organisation.orgNumber]],
    ].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([, row]) => row);
    expect(jan.slice(1)).toEqual(expectedJanuary);
    const feb = parse((await file('2027-02').expect(200)).text, { bom: true }) as string[][];
    // Cilla started on the 11th (no number given yet); Bo left on the 20th
    expect(feb.slice(1)).toEqual([
      ['', 'Start', '2027-02-11', esf.organisation.orgNumber],
      [numbers.bo, 'Slut', '2027-02-20', esf.organisation.orgNumber],
    ]);
    expect(parse((await file('2027-03').expect(200)).text, { bom: true })).toHaveLength(1);
    const audit = await t.db.query<{ actor_user_id: string; details: Record<string, unknown> }>(
      `SELECT actor_user_id, details FROM audit_log WHERE action = 'esf_monthly_file.downloaded' ORDER BY id`,
    );
    expect(audit).toEqual([
      { actor_user_id: esf.coordinator.id, details: { programmeId: esf.programmeId, month: '2027-01', rows: 2, missingIdentityNumbers: 0 } },
      { actor_user_id: esf.coordinator.id, details: { programmeId: esf.programmeId, month: '2027-02', rows: 2, missingIdentityNumbers: 1 } },
      { actor_user_id: esf.coordinator.id, details: { programmeId: esf.programmeId, month: '2027-03', rows: 0, missingIdentityNumbers: 0 } },
    ]);
    // the register's export never holds the numbers
    const register = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants?format=csv`).set(esf.coordinator.auth).expect(200);
    for (const n of Object.values(numbers)) expect(register.text).not.toContain(n.slice(2, 8));
  });

  it('refuses everyone but coordinators, and bad or future months; nothing is audited or recorded', async () => {
    const audited = await countRows(t.db, 'audit_log', `action LIKE 'esf_monthly_file.%'`);
    for (const auth of [anna.auth, esf.organisation.admin.auth, esf.staff.auth]) {
      expect((await file('2027-01', auth).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants/monthly-files`).set(auth).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.app.http.post(`/api/v1/programmes/${esf.programmeId}/participants/monthly-files/2027-01/sent`).set(auth).expect(403)).body.code).toBe('FORBIDDEN');
    }
    for (const month of ['2027-1', '2027-13', 'januari', '']) {
      expect((await file(month).expect(400)).body.details[0].field).toBe('month');
    }
    expect((await file('2027-04').expect(400)).body.details[0].field).toBe('month');
    expect((await t.app.http.post(`/api/v1/programmes/${esf.programmeId}/participants/monthly-files/2027-13/sent`).set(esf.coordinator.auth).expect(400)).body.details[0].field).toBe('month');
    expect((await t.app.http.post(`/api/v1/programmes/${esf.programmeId}/participants/monthly-files/2027-03/sent`).set(esf.coordinator.auth).expect(409)).body.code).toBe('MONTHLY_FILE_MONTH_NOT_OVER');
    expect((await t.app.http.get('/api/v1/programmes/00000000-0000-4000-8000-000000000000/participants/monthly-file?month=2027-01').set(esf.coordinator.auth).expect(404)).body.code).toBe('PROGRAMME_NOT_FOUND');
    expect(await countRows(t.db, 'audit_log', `action LIKE 'esf_monthly_file.%'`)).toBe(audited);
    expect(await countRows(t.db, 'esf_monthly_file_sends')).toBe(0);
  });

  it('records a send once when two race; then a correction to January marks January and February to be sent again', async () => {
    expect(await months()).toEqual({ '2027-01': 'not_sent', '2027-02': 'not_sent', '2027-03': 'not_sent' });
    const sent = (month: string) => t.app.http.post(`/api/v1/programmes/${esf.programmeId}/participants/monthly-files/${month}/sent`).set(esf.coordinator.auth);
    const race = await Promise.all([sent('2027-01'), sent('2027-01')]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(race.find((r) => r.status === 409)!.body.code).toBe('MONTHLY_FILE_ALREADY_SENT');
    expect(race.find((r) => r.status === 201)!.body).toMatchObject({ month: '2027-01', starts: 2, ends: 0, status: 'sent', dueOn: '2027-02-28', monthOver: true });
    await sent('2027-02').expect(201);
    expect(await countRows(t.db, 'esf_monthly_file_sends')).toBe(2);
    expect(await months()).toEqual({ '2027-01': 'sent', '2027-02': 'sent', '2027-03': 'not_sent' });
    // Dora's January attendance is recorded late: January changes, so January and every later month sent must go again
    await t.app.http.post(`/api/v1/sessions/${january.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.dora, attended: true }] }).expect(200);
    expect(await months()).toEqual({ '2027-01': 'resend', '2027-02': 'resend', '2027-03': 'not_sent' });
    await sent('2027-01').expect(201);
    expect(await months()).toEqual({ '2027-01': 'sent', '2027-02': 'resend', '2027-03': 'not_sent' });
    await sent('2027-02').expect(201);
    expect(await months()).toEqual({ '2027-01': 'sent', '2027-02': 'sent', '2027-03': 'not_sent' });
    // an identity number given later changes February (Cilla's row) only
    await t.app.http.put('/api/v1/me/participant-identity').set(cilla.auth).send({ personalIdentityNumber: personnummer('19991231') }).expect(204);
    expect(await months()).toEqual({ '2027-01': 'sent', '2027-02': 'resend', '2027-03': 'not_sent' });
    expect(await countRows(t.db, 'audit_log', `action = 'esf_monthly_file.sent'`)).toBe(4);
  });
});
