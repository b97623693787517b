import type { Page } from 'playwright-core';
import { checked, signInWithPassword, useBrowsers, WebClient } from '../support/browser.js';
import { givenStaff } from '../support/catalogue-factories.js';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, personnummer, setClock, type EsfProgramme } from '../support/esf-factories.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { pressFor, tabTo } from '../support/keyboard.js';
import { givenOrganisation } from '../support/organisation-factories.js';
import { programmeBody } from '../support/programme-factories.js';

const at = (iso: string) => new Date(iso);

/**
 * The ESF pages (issue 20): coordinators see a programme's participant register (identity numbers
 * only masked), end a participation, the indicators, the co-financing and the monthly files
 * (download audit-logged and equal to the API's CSV; mark as sent); org admins co-sign certified
 * time reports and enter a member's identity number (shown masked afterwards, with why). In a
 * browser with JavaScript (every state checked) and without; who may open what.
 *
 * January 2027: Anna (woman) attends 2 hours and certifies her report; Bo (man) attends 3 hours
 * and has not certified. The programme asks employers to co-sign (timeCosign). The clock stands
 * in February 2027, so January is over.
 */
describe('web: ESF participants for coordinators and org admins', () => {
  const browsers = useBrowsers();
  const t = useTestContext({ smtp: true });
  let esf: EsfProgramme;
  let coordinator: GivenUser;
  let anna: GivenUser;
  let bo: GivenUser;
  let staff: GivenUser;
  let annaReportId: string;
  let boReportId: string;
  const annaNumber = personnummer('19850709');

  /** Asks for a code and certifies the person's January report with it (through the API). */
  async function certify(person: GivenUser, reportId: string): Promise<void> {
    const before = t.smtp.to(person.email).filter((m) => m.subject?.startsWith('Din kod')).length;
    await t.app.http.post(`/api/v1/me/time-reports/${reportId}/certification-code`).set(person.auth).expect(202);
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailMatching(person.email, () => t.smtp.to(person.email).filter((m) => m.subject?.startsWith('Din kod')).length > before);
    const code = /Din kod är (\d{6})\./.exec(t.smtp.to(person.email).filter((m) => m.subject?.startsWith('Din kod')).at(-1)?.text ?? mail.text ?? '')![1];
    await t.app.http.post(`/api/v1/me/time-reports/${reportId}/certify`).set(person.auth).send({ code }).expect(200);
  }

  beforeAll(async () => {
    esf = await givenEsfProgramme(t, { timeCosign: true, title: 'ESF-programmet på webben' });
    coordinator = await givenUser(t, { coordinator: true, name: 'Cecilia Samordnare' });
    anna = await givenUser(t, { name: 'Anna Andersson' });
    bo = await givenUser(t, { name: 'Bo Berg' });
    staff = await givenStaff(t, esf.providerId);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'employee'`, [esf.organisation.id, [anna.id, bo.id]]);
    await t.db.query(`INSERT INTO person_profiles (user_id, gender) VALUES ($1, 'woman'), ($2, 'man')`, [anna.id, bo.id]);
    const session = await givenEsfSession(t, esf, at('2027-01-14T09:00:00Z'), 3);
    const [annaBooking, boBooking] = await book(t, session.id, [anna, bo] as never);
    setClock(t.app, at('2027-01-14T13:00:00Z'));
    await t.app.http
      .post(`/api/v1/sessions/${session.id}/attendance`)
      .set(esf.staff.auth)
      .send({ records: [{ bookingId: annaBooking, attended: true, hours: 2 }, { bookingId: boBooking, attended: true }] })
      .expect(200);
    setClock(t.app, at('2027-02-10T10:00:00Z'));
    annaReportId = (await t.app.http.get('/api/v1/me/time-reports').set(anna.auth).expect(200)).body.items[0].id;
    boReportId = (await t.app.http.get('/api/v1/me/time-reports').set(bo.auth).expect(200)).body.items[0].id;
    await certify(anna, annaReportId);
    await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: annaNumber }).expect(204);
  });

  afterAll(() => t.app.clock.reset());

  /** The coordinator's pages; `act` marks a month as sent and ends a participation. */
  async function coordinatorJourney(page: Page, options: { check: boolean; sendMonth: string; end: GivenUser }) {
    const check = async (what: string) => {
      if (options.check) expect(await checked(page, what)).toEqual({ page: what, problems: [] });
    };
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, `/samordning/program/${esf.programmeId}`);
    await page.click('main a:has-text("Deltagare i ESF")');
    expect(await page.textContent('h1')).toBe('Deltagarregister');
    const rows = await page.$$eval('#register tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim())));
    const byName = Object.fromEntries(rows.map((r) => [r[0], r]));
    expect(byName['Anna Andersson'].slice(0, 8)).toEqual(['Anna Andersson', esf.organisation.orgNumber, '2027-01-14', expect.any(String), '2', '2', 'Kvinna', '1985-07-**-****']);
    expect(byName['Bo Berg'].slice(0, 8)).toEqual(['Bo Berg', esf.organisation.orgNumber, '2027-01-14', expect.any(String), '3', '0', 'Man', expect.stringMatching(/^(Saknas|\d{4}-\d{2}-\*\*-\*\*\*\*)$/)]);
    expect(await page.content()).not.toContain(annaNumber);
    expect(await page.content()).not.toContain(annaNumber.slice(2));
    await check('register');
    await page.click('#register th a:has-text("Närvarotimmar")');
    expect(await page.getAttribute('#register th[aria-sort="descending"]', 'aria-sort')).toBe('descending');
    expect(await page.$$eval('#register tbody tr td:first-child', (tds) => tds.map((td) => td.textContent!.trim()))).toEqual(['Bo Berg', 'Anna Andersson']);
    await check('register sorted by hours');

    // End a participation: a date in the future is refused; empty means today.
    await page.click(`#register tr:has-text("${options.end.name}") a:has-text("Avsluta")`);
    await check('end participation');
    await page.fill('#endedOn', '2027-03-01');
    await page.click('main button:has-text("Avsluta deltagandet")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Slutdatum kan inte vara i framtiden.');
    await check('end participation with an error');
    await page.fill('#endedOn', '');
    await page.click('main button:has-text("Avsluta deltagandet")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Deltagandet är avslutat.');
    expect(await page.textContent(`#register tr:has-text("${options.end.name}")`)).toContain('2027-02-10');
    await check('participation ended');

    await page.click('main nav a:has-text("Indikatorer")');
    expect(await page.textContent('#participant-count')).toBe('Deltagare: 2');
    expect(await page.textContent('#indicator-gender')).toContain('<5');
    await check('indicators');
    await page.click('main nav a:has-text("Medfinansiering")');
    expect(await page.textContent('main')).toContain('Programmet kräver att arbetsgivaren skriver under.');
    await check('co-financing');

    await page.click('main nav a:has-text("Månadsfiler till SCB")');
    const january = await page.textContent('#month-2027-01');
    expect(january).toContain('2027-01');
    await check('monthly files');
    await page.click(`#month-${options.sendMonth} button:has-text("Markera som skickad")`);
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain(`Filen för ${options.sendMonth} är markerad som skickad.`);
    expect(await page.textContent(`#month-${options.sendMonth} .kl-file-status`)).toBe('Skickad');
    await check('monthly file marked as sent');
    await page.close();
  }

  it('coordinator: the register (identity numbers masked), sorting, ending a participation, indicators, co-financing, monthly files (JavaScript on, every page checked)', async () => {
    await coordinatorJourney(await browsers.js.context.newPage(), { check: true, sendMonth: '2027-01', end: bo });
    expect(await countRows(t.db, 'esf_participants', `user_id = $1 AND ended_on = '2027-02-10' AND end_reason = 'ended_by_coordinator'`, [bo.id])).toBe(1);
    expect(await countRows(t.db, 'esf_monthly_file_sends', `programme_id = $1 AND month = '2027-01-01'`, [esf.programmeId])).toBe(1);

    // The month's file: the same CSV as the API's, each download audit-logged; marking it sent again as it stands is refused.
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    const logged = await countRows(t.db, 'audit_log', `action = 'esf_monthly_file.downloaded'`);
    const file = await web.get(`/samordning/program/${esf.programmeId}/esf/manadsfiler/2027-01/deltagarfil.csv`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.headers['content-disposition']).toBe('attachment; filename="deltagarfil-2027-01.csv"');
    const api = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants/monthly-file?month=2027-01`).set(esf.coordinator.auth).expect(200);
    expect(file.text).toBe(api.text);
    expect(file.text).toContain(annaNumber);
    expect(await countRows(t.db, 'audit_log', `action = 'esf_monthly_file.downloaded'`)).toBe(logged + 2);
    expect(await countRows(t.db, 'audit_log', `action = 'esf_monthly_file.downloaded' AND actor_user_id = $1`, [coordinator.id])).toBe(1);
    await web.get(`/samordning/program/${esf.programmeId}/esf/manadsfiler`);
    const again = await web.post(`/samordning/program/${esf.programmeId}/esf/manadsfiler/2027-01/skickad`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Filen för 2027-01 är redan markerad som skickad i det här skicket.');
    const ongoing = await web.post(`/samordning/program/${esf.programmeId}/esf/manadsfiler/2027-02/skickad`);
    expect(ongoing.status).toBe(409);
    expect(ongoing.text).toContain('Månaden är inte slut än.');
    expect(await countRows(t.db, 'esf_monthly_file_sends', 'programme_id = $1', [esf.programmeId])).toBe(1);
    // A participation already ended; a date before the start; an unknown month.
    const ended = await web.post(`/samordning/program/${esf.programmeId}/esf/deltagare/${await participantOf(bo)}/avsluta`, { endedOn: '' });
    expect(ended.status).toBe(409);
    expect(ended.text).toContain('Deltagandet är redan avslutat.');
    const early = await web.post(`/samordning/program/${esf.programmeId}/esf/deltagare/${await participantOf(anna)}/avsluta`, { endedOn: '2027-01-01' });
    expect(early.status).toBe(400);
    expect(early.text).toContain('Slutdatum kan inte vara före startdatum.');
    expect(await countRows(t.db, 'esf_participants', 'user_id = $1 AND ended_on IS NULL', [anna.id])).toBe(1);
    expect((await web.get(`/samordning/program/${esf.programmeId}/esf/manadsfiler/2027-13/deltagarfil.csv`)).status).toBe(404);
    expect((await web.get(`/samordning/program/${esf.programmeId}/esf/okand.csv`)).status).toBe(404);
    expect((await web.get(`/samordning/program/${esf.programmeId}/esf/deltagarregister.pdf`)).status).toBe(404);
    // The programme's progress shows what was delivered: 2 booked, 2 attended (women and men under 5), 5 participant hours,
    // as the register counts them (Anna's 2 recorded hours and Bo's whole 3-hour session).
    const progress = await web.get(`/samordning/program/${esf.programmeId}/uppfoljning`);
    const cells = [...progress.text.split('id="progress"')[1].split('</tbody>')[0].matchAll(/<td class="govuk-table__cell[^"]*">([^<]*)</g)].map((m) => m[1].trim());
    expect(cells.slice(1, 7)).toEqual(['20', '2', '2', '&lt;5', '&lt;5', '5']);
    // The register as CSV has no identity number.
    const register = await web.get(`/samordning/program/${esf.programmeId}/esf/deltagarregister.csv`);
    expect(register.status).toBe(200);
    expect(register.text).toContain('Anna Andersson');
    expect(register.text).not.toContain(annaNumber);
    // Co-financing and indicators as the API's CSV; the xlsx files are workbooks.
    for (const [page, api] of [['medfinansiering', 'cofinancing'], ['indikatorer', 'indicators']]) {
      const mine = await web.get(`/samordning/program/${esf.programmeId}/esf/${page}.csv`);
      const theirs = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/${api}?format=csv`).set(esf.coordinator.auth).expect(200);
      expect([page, mine.status, mine.text]).toEqual([page, 200, theirs.text]);
    }
    for (const page of ['deltagarregister', 'medfinansiering', 'indikatorer']) {
      const xlsx = await web.get(`/samordning/program/${esf.programmeId}/esf/${page}.xlsx`);
      expect([page, xlsx.status, xlsx.headers['content-type']]).toEqual([page, 200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    }
    expect((await web.get(`/samordning/program/${esf.programmeId}/esf/okant.csv`)).status).toBe(404);
  });

  it('coordinator: the same pages work with JavaScript off', async () => {
    await coordinatorJourney(await browsers.noScript.context.newPage(), { check: false, sendMonth: '2026-12', end: anna });
    expect(await countRows(t.db, 'esf_participants', `user_id = $1 AND ended_on = '2027-02-10'`, [anna.id])).toBe(1);
    expect(await countRows(t.db, 'esf_monthly_file_sends', `programme_id = $1 AND month = '2026-12-01'`, [esf.programmeId])).toBe(1);
  });

  /** The org admin co-signs a certified report (when `cosign` is given) and enters (or changes) a member's identity number. */
  async function adminJourney(page: Page, options: { check: boolean; cosign?: GivenUser; member: GivenUser; number: string; masked: string }) {
    const check = async (what: string) => {
      if (options.check) expect(await checked(page, what)).toEqual({ page: what, problems: [] });
    };
    const admin = esf.organisation.admin;
    await signInWithPassword(page, t.app, admin.email, admin.password, `/organisation/${esf.organisation.id}`);
    await page.click('main a:has-text("Tidrapporter att skriva under (ESF)")');
    if (options.cosign) {
      expect(await page.textContent(`#time-reports tr:has-text("${options.cosign.name}")`)).toContain('Intygad – väntar på din underskrift');
      await check('time reports to co-sign');
      await page.click(`#time-reports tr:has-text("${options.cosign.name}") button:has-text("Skriv under")`);
      await page.waitForSelector('.govuk-notification-banner');
      expect(await page.textContent('.govuk-notification-banner')).toContain('Tidrapporten är underskriven.');
      expect(await page.textContent(`#time-reports tr:has-text("${options.cosign.name}")`)).toContain('Underskriven');
      await check('time report co-signed');
    }

    await page.click('main a:has-text("Personnummer för ESF")');
    await check('identity numbers');
    await page.click(`#identities tr:has-text("${options.member.name}") a`);
    expect(await page.textContent('#why')).toContain('Europeiska socialfonden');
    await check('identity number form');
    const wrong = `${options.number.slice(0, 11)}${(Number(options.number.at(-1)) + 1) % 10}`;
    await page.fill('#personalIdentityNumber', wrong);
    await page.click('main button:has-text("Spara numret")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Skriv ett giltigt personnummer eller samordningsnummer');
    expect(await page.inputValue('#personalIdentityNumber')).toBe('');
    expect(await page.content()).not.toContain(wrong);
    await check('identity number with an error');
    await page.fill('#personalIdentityNumber', `${options.number.slice(0, 8)}-${options.number.slice(8)}`);
    await page.click('main button:has-text("Spara numret")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Numret är sparat.');
    expect(await page.textContent('#masked')).toContain(options.masked);
    expect(await page.content()).not.toContain(options.number.slice(2));
    await check('identity number saved (masked)');
    await page.close();
  }

  it('org admin: co-signs Anna\'s certified time report with the keyboard alone (Tab and Enter, the focus visible, every state checked)', async () => {
    const admin = esf.organisation.admin;
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, admin.email, admin.password, `/organisation/${esf.organisation.id}`);
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Tidrapporter att skriva under (ESF)');
    await pressFor(page, 'Enter', (url) => url.pathname.endsWith('/tidrapporter'));
    expect(await page.textContent('#time-reports tr:has-text("Anna Andersson")')).toContain('Intygad – väntar på din underskrift');
    expect(await checked(page, 'time reports to co-sign')).toEqual({ page: 'time reports to co-sign', problems: [] });
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text.startsWith('Skriv under') && el.text.includes('Anna Andersson'));
    await pressFor(page, 'Enter', 'text=Tidrapporten är underskriven.');
    expect(await page.textContent('#time-reports tr:has-text("Anna Andersson")')).toContain('Underskriven');
    expect(await checked(page, 'time report co-signed')).toEqual({ page: 'time report co-signed', problems: [] });
    await page.close();
    expect(await countRows(t.db, 'esf_time_reports', `id = $1 AND status = 'cosigned'`, [annaReportId])).toBe(1);
    // The co-signed hours now count as co-financing: 2 h × 300 kr.
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    const cofinancing = await web.get(`/samordning/program/${esf.programmeId}/esf/medfinansiering`);
    expect(/id="cofinancing-total">([^<]+)</.exec(cofinancing.text)![1].replace(/\s/g, ' ')).toBe('600 kr');
  });

  it('org admin: enters a member\'s personnummer, shown masked with why (JavaScript on, every page checked)', async () => {
    const number = personnummer('19920315');
    await adminJourney(await browsers.js.context.newPage(), { check: true, member: bo, number, masked: '1992-03-**-****' });
    const [stored] = await t.db.query<{ id_cipher: Buffer | string }>('SELECT id_cipher FROM participant_identities WHERE user_id = $1', [bo.id]);
    expect(String(stored.id_cipher)).not.toContain(number);
    expect(await countRows(t.db, 'audit_log', `action = 'participant_identity.set' AND subject_user_id = $1`, [bo.id])).toBe(1);
  });

  it('org admin: the same with JavaScript off (co-signs Bo\'s report once he has certified, changes Anna\'s number)', async () => {
    await certify(bo, boReportId);
    const number = personnummer('19900101');
    await adminJourney(await browsers.noScript.context.newPage(), { check: false, cosign: bo, member: anna, number, masked: '1990-01-**-****' });
    expect(await countRows(t.db, 'esf_time_reports', `id = $1 AND status = 'cosigned'`, [boReportId])).toBe(1);
  });

  it('authorisation: only coordinators reach the ESF register pages; only the organisation\'s admins its time reports and identity numbers (nothing written otherwise)', async () => {
    const other = await givenOrganisation(t);
    const employee = await givenUser(t, { name: 'Cissi Anställd' });
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'employee')`, [esf.organisation.id, employee.id]);
    const annaParticipant = await participantOf(anna);
    const base = `/samordning/program/${esf.programmeId}/esf`;
    const coordinatorGets = [base, `${base}/deltagarregister.csv`, `${base}/medfinansiering.xlsx`, `${base}/indikatorer.csv`, `${base}/deltagare/${annaParticipant}/avsluta`, `${base}/indikatorer`, `${base}/medfinansiering`, `${base}/manadsfiler`, `${base}/manadsfiler/2027-01/deltagarfil.csv`];
    const coordinatorPosts: [string, Record<string, string>][] = [[`${base}/deltagare/${annaParticipant}/avsluta`, { endedOn: '' }], [`${base}/manadsfiler/2026-11/skickad`, {}]];
    const org = `/organisation/${esf.organisation.id}`;
    const adminGets = [`${org}/tidrapporter`, `${org}/personnummer`, `${org}/medlemmar/${employee.id}/personnummer`];
    const adminPosts: [string, Record<string, string>][] = [[`${org}/tidrapporter/${boReportId}/skriv-under`, {}], [`${org}/medlemmar/${anna.id}/personnummer`, { personalIdentityNumber: personnummer('19700101') }]];
    const state = async () => ({
      downloads: await countRows(t.db, 'audit_log', `action = 'esf_monthly_file.downloaded'`),
      sends: await countRows(t.db, 'esf_monthly_file_sends'),
      ended: await countRows(t.db, 'esf_participants', 'ended_on IS NOT NULL'),
      identities: await countRows(t.db, 'audit_log', `action = 'participant_identity.set'`),
      cosigned: await countRows(t.db, 'esf_time_reports', `status = 'cosigned'`),
    });
    const before = await state();
    const refusals: [string, GivenUser, boolean][] = [
      ['employee', employee, true],
      ['org admin (coordinator pages)', esf.organisation.admin, false],
      ['provider staff', staff, true],
      ['another organisation\'s admin', other.admin, true],
    ];
    for (const [who, person, alsoAdminPages] of refusals) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of coordinatorGets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of coordinatorPosts) expect([who, path, (await web.post(path, body)).status]).toEqual([who, path, 403]);
      if (!alsoAdminPages) continue;
      for (const path of adminGets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of adminPosts) expect([who, path, (await web.post(path, body)).status]).toEqual([who, path, 403]);
    }
    expect(await state()).toEqual(before);
    const signedOut = new WebClient(t.app);
    for (const path of [...coordinatorGets, ...adminGets]) expect([path, (await signedOut.get(path)).status]).toEqual([path, 303]);

    // A programme without ESF reporting has no ESF pages; a member of another organisation is not this one's.
    const coordinatorWeb = new WebClient(t.app);
    await coordinatorWeb.signIn(coordinator.email, coordinator.password);
    const plain = (await t.app.http.post('/api/v1/programmes').set(esf.coordinator.auth).send(programmeBody({ title: 'Utan ESF', esfReporting: false })).expect(201)).body.id as string;
    expect((await coordinatorWeb.get(`/samordning/program/${plain}/esf`)).status).toBe(409);
    const adminWeb = new WebClient(t.app);
    await adminWeb.signIn(esf.organisation.admin.email, esf.organisation.admin.password);
    expect((await adminWeb.get(`${org}/medlemmar/${other.admin.id}/personnummer`)).status).toBe(404);
  });

  async function participantOf(person: GivenUser): Promise<string> {
    const [row] = await t.db.query<{ id: string }>('SELECT id FROM esf_participants WHERE user_id = $1 AND programme_id = $2', [person.id, esf.programmeId]);
    return row.id;
  }
});
