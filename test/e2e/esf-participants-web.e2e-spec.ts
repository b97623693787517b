import { checked, launchBrowser, signInWithPassword, WebClient, type Browser } from '../support/browser.js';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, setClock, type EsfProgramme } from '../support/esf-factories.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';

const at = (iso: string) => new Date(iso);

/**
 * The page the certification email links to (issue 20): a participant sees their time reports and
 * certifies one with the emailed code, in the browser (axe, html-validate, a phone's width) and
 * without one (forms posted with the session's CSRF token).
 */
describe('ESF participants: the time report pages', () => {
  let browser: Browser;
  // The browser is opened before the app and closed before it (its connections would hold the app's close).
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const t = useTestContext({ smtp: true });
  let esf: EsfProgramme;
  let anna: GivenUser;
  let bo: GivenUser;
  let reportId: string;

  beforeAll(async () => {
    esf = await givenEsfProgramme(t);
    anna = await givenUser(t, { name: 'Anna Andersson' });
    bo = await givenUser(t, { name: 'Bo Berg' });
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'employee'`, [esf.organisation.id, [anna.id, bo.id]]);
    const session = await givenEsfSession(t, esf, at('2027-01-14T09:00:00Z'), 3);
    const ids = await book(t, session.id, [anna, bo] as never);
    setClock(t.app, at('2027-01-14T13:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(esf.staff.auth).send({ records: ids.map((bookingId) => ({ bookingId, attended: true, hours: 2 })) }).expect(200);
    setClock(t.app, at('2027-01-20T10:00:00Z'));
    reportId = (await t.app.http.get('/api/v1/me/time-reports').set(anna.auth).expect(200)).body.items[0].id;
  });

  afterAll(() => t.app.clock.reset());

  it('shows the reports and certifies one with the emailed code; a wrong code is explained and changes nothing', async () => {
    const web = new WebClient(t.app);
    await web.signIn(anna.email, anna.password);
    const list = await web.get('/tidrapporter');
    expect(list.status).toBe(200);
    expect(list.text).toContain('januari 2027');
    expect(list.text).toContain(`/tidrapporter/${reportId}`);
    const page = await web.get(`/tidrapporter/${reportId}`);
    expect(page.text).toContain('Tidrapport för januari 2027');
    expect(page.text).toContain('Inte intygad');
    const sent = await web.post(`/tidrapporter/${reportId}/kod`);
    expect([sent.status, sent.headers.location]).toEqual([303, `/tidrapporter/${reportId}?kod=skickad`]);
    expect((await web.get(`/tidrapporter/${reportId}?kod=skickad`)).text).toContain('Vi har skickat en kod till din e-post');
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailMatching(anna.email, (m) => (m.subject ?? '').startsWith('Din kod'));
    expect(mail.text).toContain(`http://kompetenslyft.test/tidrapporter/${reportId}`);
    const code = /Din kod är (\d{6})\./.exec(mail.text ?? '')![1];
    const wrong = await web.post(`/tidrapporter/${reportId}/intyga`, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Koden stämmer inte');
    expect(wrong.text).toContain('govuk-error-summary');
    const empty = await web.post(`/tidrapporter/${reportId}/intyga`, { code: '' });
    expect(empty.status).toBe(400);
    expect(await countRows(t.db, 'esf_time_reports', `id = $1 AND status = 'open'`, [reportId])).toBe(1);
    // without the form's CSRF token: refused before anything is done
    const forged = await web.post(`/tidrapporter/${reportId}/intyga`, { code }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await countRows(t.db, 'esf_time_reports', `id = $1 AND status = 'open'`, [reportId])).toBe(1);
    const done = await web.post(`/tidrapporter/${reportId}/intyga`, { code });
    expect([done.status, done.headers.location]).toEqual([303, `/tidrapporter/${reportId}`]);
    const after = await web.get(`/tidrapporter/${reportId}`);
    expect(after.text).toContain('Din tid är intygad');
    expect(after.text).not.toContain('/intyga');
    expect(await countRows(t.db, 'esf_time_reports', `id = $1 AND status = 'certified'`, [reportId])).toBe(1);
  });

  it('answers 404 for someone else\'s report, and sends the signed-out to sign in', async () => {
    const web = new WebClient(t.app);
    const signedOut = await web.get(`/tidrapporter/${reportId}`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toContain('/logga-in');
    await web.signIn(bo.email, bo.password);
    expect((await web.get(`/tidrapporter/${reportId}`)).status).toBe(404);
    expect((await web.get('/tidrapporter/not-a-report')).status).toBe(404);
    const mails = await countRows(t.db, 'mail_outbox');
    expect((await web.post(`/tidrapporter/${reportId}/kod`)).status).toBe(404);
    expect(await countRows(t.db, 'mail_outbox')).toBe(mails);
  });

  it('erasing the account on the web says what ESF evidence is kept, and until when', async () => {
    const web = new WebClient(t.app);
    await web.signIn(anna.email, anna.password);
    await web.get('/mina-uppgifter/radera');
    expect((await web.post('/mina-uppgifter/radera', { understand: 'yes' })).status).toBe(200);
    const erased = await web.post('/mina-uppgifter/radera', { understand: 'yes', confirm: 'yes' });
    expect(erased.status).toBe(200);
    expect(erased.text).toContain('Ditt konto är raderat');
    expect(erased.text).toContain('Europeiska socialfonden');
    expect(erased.text).toContain('2035-12-31');
    expect(await countRows(t.db, 'esf_participants', 'user_id = $1', [anna.id])).toBe(1);
  });

  it('the pages pass axe and html-validate and fit a phone', async () => {
    const page = await browser.context.newPage();
    await signInWithPassword(page, t.app, bo.email, bo.password);
    await page.goto(`${t.app.baseUrl}/tidrapporter`);
    expect(await checked(page, 'time reports')).toEqual({ page: 'time reports', problems: [] });
    await page.click('main a.govuk-link');
    expect(await page.textContent('h1')).toContain('Tidrapport för januari 2027');
    expect(await checked(page, 'time report')).toEqual({ page: 'time report', problems: [] });
    await page.fill('#code', '12');
    await page.click('main button:has-text("Intyga min tid")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Koden stämmer inte');
    expect(await checked(page, 'time report with an error')).toEqual({ page: 'time report with an error', problems: [] });
    await page.close();
  });
});
