import { parse } from 'csv-parse/sync';
import type { FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, givenParticipants, setClock, type EsfProgramme } from '../support/esf-factories.js';
import { countRows } from '../support/factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

/**
 * ESF participant time (issue 20): hours per participant, session and day from attendance; monthly
 * time reports certified with a one-time code by email (through the outbox and a real SMTP sink);
 * co-signing by the org admin; corrections after certification; co-financing = certified hours ×
 * unit cost; indicators with small-cell suppression.
 */
describe('ESF participant time: reports, certification, co-financing, indicators', () => {
  const t = useTestContext({ smtp: true });
  let esf: EsfProgramme;
  let anna: FastUser;
  let bo: FastUser;
  const sessions: Record<string, { id: string }> = {};
  const bookings: Record<string, string> = {};
  const reportOf = async (person: FastUser, month: string) =>
    (await t.app.http.get(`/api/v1/me/time-reports?month=${month}`).set(person.auth).expect(200)).body.items.find((r: { status: string }) => r.status !== 'corrected');

  /** Asks for a code and reads it from the email the SMTP sink received. */
  async function codeFor(person: FastUser, reportId: string): Promise<string> {
    const codeMails = () => t.smtp.to(person.email).filter((m) => m.subject?.startsWith('Din kod'));
    const before = codeMails().length;
    const res = await t.app.http.post(`/api/v1/me/time-reports/${reportId}/certification-code`).set(person.auth).expect(202);
    expect(new Date(res.body.expiresAt).getTime() - t.app.clock.now().getTime()).toBeGreaterThan(14 * MINUTE);
    await t.app.dispatchMail();
    await t.smtp.waitForMailMatching(person.email, () => codeMails().length > before);
    const mail = codeMails()[before];
    const code = /Din kod är (\d{6})\./.exec(mail.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.subject).toBe(`Din kod för att intyga din tid: ${code}`);
    expect(mail.text).toContain(`http://kompetenslyft.test/tidrapporter/${reportId}`);
    return code!;
  }

  afterAll(() => t.app.clock.reset());

  beforeAll(async () => {
    esf = await givenEsfProgramme(t);
    [anna, bo] = await givenParticipants(t, esf, ['woman', 'man']);
    sessions.jan = await givenEsfSession(t, esf, at('2027-01-14T09:00:00Z'), 3);
    sessions.feb1 = await givenEsfSession(t, esf, at('2027-02-04T09:00:00Z'), 4);
    sessions.feb2 = await givenEsfSession(t, esf, at('2027-02-18T09:00:00Z'), 3);
    [bookings.annaJan, bookings.boJan] = await book(t, sessions.jan.id, [anna, bo]);
    [bookings.annaFeb1] = await book(t, sessions.feb1.id, [anna]);
    [bookings.annaFeb2] = await book(t, sessions.feb2.id, [anna]);
    const attend = async (sessionId: string, when: string, records: unknown[]) => {
      setClock(t.app, at(when));
      await t.app.http.post(`/api/v1/sessions/${sessionId}/attendance`).set(esf.staff.auth).send({ records }).expect(200);
    };
    await attend(sessions.jan.id, '2027-01-14T13:00:00Z', [{ bookingId: bookings.annaJan, attended: true }, { bookingId: bookings.boJan, attended: true }]);
    await attend(sessions.feb1.id, '2027-02-04T14:00:00Z', [{ bookingId: bookings.annaFeb1, attended: true }]);
    await attend(sessions.feb2.id, '2027-02-18T13:00:00Z', [{ bookingId: bookings.annaFeb2, attended: true, hours: 2 }]);
    setClock(t.app, at('2027-03-03T08:00:00Z'));
  });

  it('makes a report per month with exact hours per session and day', async () => {
    const res = await t.app.http.get('/api/v1/me/time-reports').set(anna.auth).expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((r: Record<string, unknown>) => [r.month, r.version, r.status, r.hours, r.sessions])).toEqual([
      ['2027-02', 1, 'open', 6, 2],
      ['2027-01', 1, 'open', 3, 1],
    ]);
    expect(res.body.items[0]).toMatchObject({
      programmeId: esf.programmeId,
      organisationId: esf.organisation.id,
      cosignRequired: false,
      lines: [
        { day: '2027-02-04', sessionId: sessions.feb1.id, hours: 4 },
        { day: '2027-02-18', sessionId: sessions.feb2.id, hours: 2 },
      ],
    });
    const onlyJanuary = await t.app.http.get('/api/v1/me/time-reports?month=2027-01').set(anna.auth).expect(200);
    expect(onlyJanuary.body.items.map((r: { month: string }) => r.month)).toEqual(['2027-01']);
    await t.app.http.get('/api/v1/me/time-reports?month=2027-13').set(anna.auth).expect(400);
    const theirs = await t.app.http.get('/api/v1/me/time-reports').set(bo.auth).expect(200);
    expect(theirs.body.items.map((r: Record<string, unknown>) => [r.month, r.hours])).toEqual([['2027-01', 3]]);
  });

  it('refuses a wrong code (nothing changes but the tries), an expired code and someone else\'s report; certifies with the right code', async () => {
    const january = await reportOf(anna, '2027-01');
    const code = await codeFor(anna, january.id);
    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certify`).set(anna.auth).send({ code: wrong }).expect(400);
    expect(refused.body).toMatchObject({ code: 'CERTIFICATION_CODE_INVALID', details: { triesLeft: 4 } });
    expect(await reportOf(anna, '2027-01')).toMatchObject({ status: 'open', certifiedAt: null });
    // someone else's report: as if it did not exist, for the code and the certification
    const mailsBefore = await countRows(t.db, 'mail_outbox');
    expect((await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certification-code`).set(bo.auth).expect(404)).body.code).toBe('TIME_REPORT_NOT_FOUND');
    expect((await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certify`).set(bo.auth).send({ code }).expect(404)).body.code).toBe('TIME_REPORT_NOT_FOUND');
    expect(await countRows(t.db, 'mail_outbox')).toBe(mailsBefore);
    // bad input
    for (const bad of ['12345', '1234567', 'abcdef', '']) {
      const res = await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certify`).set(anna.auth).send({ code: bad }).expect(400);
      expect(res.body.details[0].field).toBe('code');
    }
    await t.app.http.post('/api/v1/me/time-reports/not-a-uuid/certify').set(anna.auth).send({ code }).expect(400);
    // a second code within a minute is refused; the code asked for stays
    expect((await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certification-code`).set(anna.auth).expect(429)).body.code).toBe('CERTIFICATION_CODE_RECENTLY_SENT');
    // expired after 15 minutes
    t.app.clock.advance(16 * MINUTE);
    expect((await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certify`).set(anna.auth).send({ code }).expect(409)).body.code).toBe('CERTIFICATION_CODE_EXPIRED');
    expect(await reportOf(anna, '2027-01')).toMatchObject({ status: 'open' });
    const fresh = await codeFor(anna, january.id);
    const certified = await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certify`).set(anna.auth).send({ code: fresh }).expect(200);
    expect(certified.body).toMatchObject({ id: january.id, status: 'certified', hours: 3, lines: [{ day: '2027-01-14', hours: 3 }] });
    expect(await countRows(t.db, 'esf_certification_codes', 'report_id = $1', [january.id])).toBe(0);
    expect(await countRows(t.db, 'audit_log', `action = 'esf_time_report.certified' AND subject_user_id = $1`, [anna.id])).toBe(1);
    const again = await t.app.http.post(`/api/v1/me/time-reports/${january.id}/certification-code`).set(anna.auth).expect(409);
    expect(again.body.code).toBe('TIME_REPORT_NOT_OPEN');
    // the code is stored only as a keyed hash, and the sent email lost its body
    const [mail] = await t.db.query<{ text_body: string }>(`SELECT text_body FROM mail_outbox WHERE template = 'time_report_code' AND status = 'sent' LIMIT 1`);
    expect(mail.text_body).toBe('');
  });

  it('uses a code up after 5 wrong tries', async () => {
    const february = await reportOf(anna, '2027-02');
    t.app.clock.advance(2 * MINUTE);
    const code = await codeFor(anna, february.id);
    const wrong = code === '000000' ? '111111' : '000000';
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.app.http.post(`/api/v1/me/time-reports/${february.id}/certify`).set(anna.auth).send({ code: wrong })).body.code);
    expect(statuses).toEqual(['CERTIFICATION_CODE_INVALID', 'CERTIFICATION_CODE_INVALID', 'CERTIFICATION_CODE_INVALID', 'CERTIFICATION_CODE_INVALID', 'CERTIFICATION_CODE_TRIES_USED']);
    const late = await t.app.http.post(`/api/v1/me/time-reports/${february.id}/certify`).set(anna.auth).send({ code }).expect(400);
    expect(late.body.code).toBe('CERTIFICATION_CODE_INVALID');
    expect(await reportOf(anna, '2027-02')).toMatchObject({ status: 'open' });
  });

  it('certifies once when two requests race with the same code', async () => {
    const february = await reportOf(anna, '2027-02');
    t.app.clock.advance(2 * MINUTE);
    const code = await codeFor(anna, february.id);
    const results = await Promise.all([1, 2, 3].map(() => t.app.http.post(`/api/v1/me/time-reports/${february.id}/certify`).set(anna.auth).send({ code })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['TIME_REPORT_NOT_OPEN', 'TIME_REPORT_NOT_OPEN']);
    expect(await countRows(t.db, 'audit_log', `action = 'esf_time_report.certified' AND details->>'reportId' = $1`, [february.id])).toBe(1);
  });

  it('values certified hours at the unit cost per organisation and month, the rest as uncertified', async () => {
    const bosJanuary = await reportOf(bo, '2027-01');
    expect(bosJanuary).toMatchObject({ status: 'open', hours: 3 });
    const res = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/cofinancing`).set(esf.coordinator.auth).expect(200);
    expect(res.body).toMatchObject({ programmeId: esf.programmeId, unitCostPerHourSek: 300, cosignRequired: false });
    expect(res.body.items).toEqual([
      { organisationId: esf.organisation.id, orgNumber: esf.organisation.orgNumber, organisationName: expect.any(String), month: '2027-01', certifiedHours: 3, uncertifiedHours: 3, valueSek: 900 },
      { organisationId: esf.organisation.id, orgNumber: esf.organisation.orgNumber, organisationName: expect.any(String), month: '2027-02', certifiedHours: 6, uncertifiedHours: 0, valueSek: 1800 },
    ]);
    expect(res.body.total).toMatchObject({ month: 'all', certifiedHours: 9, uncertifiedHours: 3, valueSek: 2700 });
    const february = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/cofinancing?month=2027-02`).set(esf.coordinator.auth).expect(200);
    expect(february.body.total).toMatchObject({ month: '2027-02', certifiedHours: 6, valueSek: 1800 });
    const csv = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/cofinancing?format=csv`).set(esf.coordinator.auth).expect(200);
    const rows = parse(csv.text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Organisationsnummer', 'Organisation', 'Månad', 'Intygade timmar', 'Ej intygade timmar', 'Värde (kr)']);
    expect(rows[rows.length - 1]).toEqual(['Totalt', '', 'Alla', '9', '3', '2700']);
  });

  it('turns a change of attendance after certification into a correction report; the certified one stays as it was', async () => {
    setClock(t.app, at('2027-03-10T08:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${sessions.jan.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.annaJan, attended: true, hours: 1 }] }).expect(200);
    const res = await t.app.http.get('/api/v1/me/time-reports?month=2027-01').set(anna.auth).expect(200);
    expect(res.body.items.map((r: Record<string, unknown>) => [r.version, r.status, r.hours])).toEqual([
      [2, 'open', 1],
      [1, 'corrected', 3],
    ]);
    const [correction, original] = res.body.items;
    expect(correction.correctsReportId).toBe(original.id);
    expect(original.lines).toEqual([{ day: '2027-01-14', sessionId: sessions.jan.id, offeringId: expect.any(String), hours: 3 }]);
    const cofinancing = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/cofinancing?month=2027-01`).set(esf.coordinator.auth).expect(200);
    expect(cofinancing.body.total).toMatchObject({ certifiedHours: 0, uncertifiedHours: 4, valueSek: 0 });
    // the same attendance recorded again changes nothing more
    await t.app.http.post(`/api/v1/sessions/${sessions.jan.id}/attendance`).set(esf.staff.auth).send({ records: [{ bookingId: bookings.annaJan, attended: true, hours: 1 }] }).expect(200);
    expect(await countRows(t.db, 'esf_time_reports', `participant_id = $1 AND month = '2027-01-01'`, [correction.participantId])).toBe(2);
    const code = await codeFor(anna, correction.id);
    await t.app.http.post(`/api/v1/me/time-reports/${correction.id}/certify`).set(anna.auth).send({ code }).expect(200);
    const after = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/cofinancing?month=2027-01`).set(esf.coordinator.auth).expect(200);
    expect(after.body.total).toMatchObject({ certifiedHours: 1, uncertifiedHours: 3, valueSek: 300 });
  });

  it('co-signing: only the participation\'s org admin, only certified reports, only when the programme asks; co-financing then counts co-signed hours', async () => {
    const cosigned = await givenEsfProgramme(t, { timeCosign: true, unitCostPerHourSek: 250 });
    const [eva] = await givenParticipants(t, cosigned, ['woman']);
    setClock(t.app, new Date());
    const session = await givenEsfSession(t, cosigned, at('2027-04-07T09:00:00Z'), 2);
    const [booking] = await book(t, session.id, [eva]);
    setClock(t.app, at('2027-04-07T12:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(cosigned.staff.auth).send({ records: [{ bookingId: booking, attended: true }] }).expect(200);
    const report = await reportOf(eva, '2027-04');
    expect(report.cosignRequired).toBe(true);
    const url = (orgId: string, reportId = report.id) => `/api/v1/organisations/${orgId}/time-reports/${reportId}/cosign`;
    const admin = cosigned.organisation.admin;
    expect((await t.app.http.post(url(cosigned.organisation.id)).set(admin.auth).expect(409)).body.code).toBe('TIME_REPORT_NOT_CERTIFIED');
    const code = await codeFor(eva, report.id);
    await t.app.http.post(`/api/v1/me/time-reports/${report.id}/certify`).set(eva.auth).send({ code }).expect(200);
    const before = await t.app.http.get(`/api/v1/programmes/${cosigned.programmeId}/cofinancing`).set(cosigned.coordinator.auth).expect(200);
    expect(before.body.total).toMatchObject({ certifiedHours: 0, uncertifiedHours: 2, valueSek: 0 });
    const other = await givenOrganisation(t);
    const employee = await givenMember(t, cosigned.organisation.id, 'employee');
    const refusals: Array<[string, { Authorization: string }, string, number, string]> = [
      ['another organisation\'s admin', other.admin.auth, url(cosigned.organisation.id), 403, 'ORGANISATION_ACCESS_DENIED'],
      ['another organisation\'s admin, through their own', other.admin.auth, url(other.id), 404, 'TIME_REPORT_NOT_FOUND'],
      ['an employee', employee.auth, url(cosigned.organisation.id), 403, 'ORGANISATION_ACCESS_DENIED'],
      ['the participant', eva.auth, url(cosigned.organisation.id), 403, 'ORGANISATION_ACCESS_DENIED'],
      ['provider staff', cosigned.staff.auth, url(cosigned.organisation.id), 403, 'ORGANISATION_ACCESS_DENIED'],
      ['an unknown report', admin.auth, url(cosigned.organisation.id, '00000000-0000-4000-8000-000000000000'), 404, 'TIME_REPORT_NOT_FOUND'],
      ['a programme without co-signing', esf.organisation.admin.auth, url(esf.organisation.id, (await reportOf(bo, '2027-01')).id), 409, 'TIME_REPORT_COSIGN_NOT_REQUIRED'],
    ];
    for (const [who, auth, path, status, code] of refusals) {
      const res = await t.app.http.post(path).set(auth);
      expect([who, res.status, res.body.code]).toEqual([who, status, code]);
    }
    expect(await countRows(t.db, 'esf_time_reports', `status = 'cosigned'`)).toBe(0);
    const done = await t.app.http.post(url(cosigned.organisation.id)).set(admin.auth).expect(200);
    expect(done.body).toMatchObject({ status: 'cosigned', cosignedAt: expect.any(String) });
    expect((await t.app.http.post(url(cosigned.organisation.id)).set(admin.auth).expect(409)).body.code).toBe('TIME_REPORT_NOT_CERTIFIED');
    const after = await t.app.http.get(`/api/v1/programmes/${cosigned.programmeId}/cofinancing`).set(cosigned.coordinator.auth).expect(200);
    expect(after.body.total).toMatchObject({ certifiedHours: 2, uncertifiedHours: 0, valueSek: 500 });
    expect(await countRows(t.db, 'audit_log', `action = 'esf_time_report.cosigned' AND organisation_id = $1`, [cosigned.organisation.id])).toBe(1);
  });

  it('shows an org admin their organisation\'s reports only; a person sees only their own', async () => {
    const list = await t.app.http.get(`/api/v1/organisations/${esf.organisation.id}/time-reports`).set(esf.organisation.admin.auth).expect(200);
    expect(new Set(list.body.items.map((r: { organisationId: string }) => r.organisationId))).toEqual(new Set([esf.organisation.id]));
    // Anna: January (corrected, and its certified correction), February; Bo: January
    expect(list.body.total).toBe(4);
    const other = await givenOrganisation(t);
    expect((await t.app.http.get(`/api/v1/organisations/${esf.organisation.id}/time-reports`).set(other.admin.auth).expect(403)).body.code).toBe('ORGANISATION_ACCESS_DENIED');
    expect((await t.app.http.get(`/api/v1/organisations/${esf.organisation.id}/time-reports`).set(anna.auth).expect(403)).body.code).toBe('ORGANISATION_ACCESS_DENIED');
    expect((await t.app.http.get(`/api/v1/organisations/${other.id}/time-reports`).set(other.admin.auth).expect(200)).body.total).toBe(0);
    const mine = await t.app.http.get('/api/v1/me/time-reports').set(bo.auth).expect(200);
    expect(mine.body.items.every((r: { participantId: string }) => r.participantId === mine.body.items[0].participantId)).toBe(true);
  });

  it('co-financing and indicators are for coordinators only', async () => {
    for (const path of ['cofinancing', 'indicators', 'cofinancing?format=csv', 'indicators?format=xlsx']) {
      for (const auth of [anna.auth, esf.organisation.admin.auth, esf.staff.auth]) {
        expect((await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/${path}`).set(auth).expect(403)).body.code).toBe('FORBIDDEN');
      }
    }
    await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/cofinancing?month=2027-1`).set(esf.coordinator.auth).expect(400);
    expect((await t.app.http.get('/api/v1/programmes/00000000-0000-4000-8000-000000000000/indicators').set(esf.coordinator.auth).expect(404)).body.code).toBe('PROGRAMME_NOT_FOUND');
  });

  it('counts participants by gender, age band, education, county and disability, with "<5" cells and secondary suppression', async () => {
    const big = await givenEsfProgramme(t);
    // 9 women, 6 men, 1 not stated; birth years and education set for some
    const people = await givenParticipants(t, big, [...Array(9).fill('woman'), ...Array(6).fill('man'), null]);
    await t.db.query(
      `UPDATE person_profiles SET birth_year = b.y, education_level = b.e FROM unnest($1::uuid[], $2::int[], $3::varchar[]) AS b(id, y, e) WHERE user_id = b.id`,
      [people.map((p) => p.id), people.map((_, i) => (i < 10 ? 1990 : i < 15 ? 1965 : 2010)), people.map((_, i) => (i < 12 ? 'isced_3_4' : 'isced_5_8'))],
    );
    await t.db.query(`INSERT INTO person_sensitive_data (user_id, disability) SELECT unnest($1::uuid[]), 'yes'`, [people.slice(0, 2).map((p) => p.id)]);
    setClock(t.app, new Date());
    const session = await givenEsfSession(t, big, at('2027-05-05T09:00:00Z'), 2);
    const ids = await book(t, session.id, people);
    setClock(t.app, at('2027-05-05T12:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(big.staff.auth).send({ records: ids.map((bookingId) => ({ bookingId, attended: true })) }).expect(200);
    const res = await t.app.http.get(`/api/v1/programmes/${big.programmeId}/indicators`).set(big.coordinator.auth).expect(200);
    expect(res.body.participants).toBe(16);
    const cells = (dimension: string) => Object.fromEntries(res.body.dimensions.find((d: { dimension: string }) => d.dimension === dimension).cells.map((c: { key: string; count: unknown }) => [c.key, c.count]));
    // 9, 6, 0, 1 → two small cells: no secondary suppression needed
    expect(cells('gender')).toEqual({ woman: 9, man: 6, non_binary: '<5', not_stated: '<5' });
    // ages in 2027: 37 (10 people), 62 (5), 17 (1): one small band besides zeros
    expect(cells('ageBand')).toEqual({ under_18: '<5', '18_29': '<5', '30_54': 10, '55_plus': 5, unknown: '<5' });
    // 12 + 4: exactly one small cell besides zeros → the smallest other ("unknown" 0 is small too)
    expect(cells('education')).toEqual({ isced_0_2: '<5', isced_3_4: 12, isced_5_8: '<5', unknown: '<5' });
    // all in Uppsala län (03) through the organisation in 0380: one county and "unknown" 0, which
    // alone is small, so the county is hidden too (16 of 16 would give the small cell away)
    expect(cells('county')).toEqual({ '03': 'x', unknown: '<5' });
    expect(cells('municipality')).toEqual({ '0380': 'x', unknown: '<5' });
    expect(cells('disability')).toEqual({ yes: '<5', no: '<5', prefer_not_to_say: '<5', not_stated: 14 });
    const csv = await t.app.http.get(`/api/v1/programmes/${big.programmeId}/indicators?format=csv`).set(big.coordinator.auth).expect(200);
    const rows = parse(csv.text, { bom: true, relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual(['Kön']);
    expect(rows[2]).toEqual(['Kvinnor', 'woman', '9']);
    expect(csv.text).not.toContain(people[0].email);
  });

  it('a certification racing a change of attendance: either certified then corrected, or refused; never a certified report that disagrees with attendance', async () => {
    setClock(t.app, new Date());
    const people = await givenParticipants(t, esf, ['woman', 'man', 'woman']);
    const session = await givenEsfSession(t, esf, at('2027-03-03T09:00:00Z'), 3);
    const ids = await book(t, session.id, people);
    setClock(t.app, at('2027-03-03T13:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(esf.staff.auth).send({ records: ids.map((bookingId) => ({ bookingId, attended: true })) }).expect(200);
    const codes: string[] = [];
    for (const person of people) codes.push(await codeFor(person, (await reportOf(person, '2027-03')).id));
    const reports = await Promise.all(people.map((p) => reportOf(p, '2027-03')));
    const [attendance, ...certifications] = await Promise.all([
      t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(esf.staff.auth).send({ records: ids.map((bookingId) => ({ bookingId, attended: true, hours: 1 })) }),
      ...people.map((person, i) => t.app.http.post(`/api/v1/me/time-reports/${reports[i].id}/certify`).set(person.auth).send({ code: codes[i] })),
    ]);
    expect(attendance.status).toBe(200);
    for (const [i, person] of people.entries()) {
      const all = (await t.app.http.get('/api/v1/me/time-reports?month=2027-03').set(person.auth).expect(200)).body.items;
      const outcome = all.map((r: Record<string, unknown>) => [r.version, r.status, r.hours]);
      if (certifications[i].status === 200) {
        expect(certifications[i].body.hours).toBe(3);
        expect(outcome).toEqual([[2, 'open', 1], [1, 'corrected', 3]]);
      } else {
        expect([certifications[i].status, certifications[i].body.code]).toEqual([400, 'CERTIFICATION_CODE_INVALID']);
        expect(outcome).toEqual([[1, 'open', 1]]);
      }
    }
    setClock(t.app, at('2027-03-03T14:00:00Z'));
  });
});
