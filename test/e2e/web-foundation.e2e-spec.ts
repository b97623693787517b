import { checked, launchBrowser, signInWithPassword, WebClient, type Browser } from '../support/browser.js';
import { useTestContext } from '../support/context.js';
import { givenProvider as givenCatalogueProvider, givenPublishedOffering } from '../support/catalogue-factories.js';
import { countRows, givenUser } from '../support/factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';

describe('web: foundation, sign-in and out, start page, find a course', () => {
  let browser: Browser;
  // Declared before the app's hooks: the browser closes (and drops its keep-alive connections) before the app does.
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const t = useTestContext({ smtp: true });

  it('the signed-out start page, sign-in page and 404 page pass axe, html-validate and fit a phone', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${t.app.baseUrl}/`);
    expect(await page.textContent('h1')).toBe('Kompetenslyft');
    expect(await checked(page, 'start')).toEqual({ page: 'start', problems: [] });
    await page.goto(`${t.app.baseUrl}/logga-in`);
    expect(await checked(page, 'sign-in')).toEqual({ page: 'sign-in', problems: [] });
    const missing = await page.goto(`${t.app.baseUrl}/kurser/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    expect(await checked(page, '404')).toEqual({ page: '404', problems: [] });
    await page.goto(`${t.app.baseUrl}/kurser`);
    expect(await checked(page, 'search')).toEqual({ page: 'search', problems: [] });
    await page.close();
  });

  it('signs in by password, shows the signed-in start page, and signs out', async () => {
    const person = await givenUser(t, { name: 'Signe Svensson' });
    const page = await browser.context.newPage();
    await signInWithPassword(page, t.app, person.email, person.password);
    expect(await page.textContent('h1')).toContain('Välkommen, Signe Svensson');
    expect(await checked(page, 'start signed in')).toEqual({ page: 'start signed in', problems: [] });
    expect(await countRows(t.db, 'web_sessions', 'user_id = $1', [person.id])).toBe(1);
    await page.click('text=Logga ut');
    await page.waitForSelector('a[href="/logga-in"]');
    expect(await countRows(t.db, 'web_sessions', 'user_id = $1', [person.id])).toBe(0);
    await page.close();
  });

  it('a sign-in form posted without its CSRF token is refused (403) and signs nobody in', async () => {
    const person = await givenUser(t);
    const client = new WebClient(t.app);
    await client.get('/logga-in');
    const before = await countRows(t.db, 'web_sessions');
    const res = await client.post('/logga-in', { email: person.email, password: person.password }, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Formuläret har gått ut');
    expect(await countRows(t.db, 'web_sessions')).toBe(before);
  });

  it('the error states pass axe and html-validate too: a search with a bad date, a refused form (403), English', async () => {
    const page = await browser.context.newPage();
    const bad = await page.goto(`${t.app.baseUrl}/kurser?from=31-12-2027`);
    expect(bad?.status()).toBe(400);
    expect(await page.textContent('.govuk-error-summary')).toContain('Skriv datumet som år-månad-dag');
    expect(await page.inputValue('#from')).toBe('');
    expect(await checked(page, 'search with a bad date')).toEqual({ page: 'search with a bad date', problems: [] });
    // A form whose token no longer belongs to this browser (another browser's cookie was lost).
    await page.goto(`${t.app.baseUrl}/logga-in`);
    await browser.context.clearCookies();
    await page.fill('#email', 'nagon@example.se');
    await page.fill('#password', 'fel-lösenord-123');
    await page.click('form[action="/logga-in"] button');
    expect(await page.textContent('h1')).toBe('Formuläret har gått ut');
    expect(await checked(page, 'csrf refused')).toEqual({ page: 'csrf refused', problems: [] });
    // English, remembered on the next page.
    await page.goto(`${t.app.baseUrl}/kurser?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${t.app.baseUrl}/logga-in`);
    expect(await page.textContent('h1')).toBe('Sign in');
    expect(await checked(page, 'sign-in in English')).toEqual({ page: 'sign-in in English', problems: [] });
    await page.click('text=På svenska');
    expect(await page.textContent('h1')).toBe('Logga in');
    // A wrong password: the form again, in Swedish, with the address kept; no session.
    await page.fill('#email', 'nagon@example.se');
    await page.fill('#password', 'fel-lösenord-123');
    await page.click('form[action="/logga-in"] button');
    expect(await page.textContent('.govuk-error-summary')).toContain('Fel e-postadress eller lösenord.');
    expect(await page.inputValue('#email')).toBe('nagon@example.se');
    expect(await checked(page, 'sign-in with errors')).toEqual({ page: 'sign-in with errors', problems: [] });
    await page.close();
  });

  it('the signed-in start page recommends sessions for my needs with the reasons in plain Swedish, and an admin sees the open needs round', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const provider = await givenCatalogueProvider(t, coordinator);
    await givenPublishedOffering(t, coordinator, provider.id, { title: 'Upphandling för nybörjare' }, [{ days: 30 }]);
    const round = await givenRound(t, coordinator, { invite: { organisationIds: [org.id] }, title: 'Vårens inventering' });
    await t.app.http
      .post(`/api/v1/needs-rounds/${round.id}/statements`)
      .set(org.admin.auth)
      .send({ organisationId: org.id, themeCode: 'public_procurement', people: 3, preferredFormats: ['short_course'] })
      .expect(201);
    const api = await t.app.http.get('/api/v1/me/recommendations').set(employee.auth).expect(200);
    expect(api.body.items.length).toBeGreaterThan(0);

    const page = await browser.context.newPage();
    await browser.context.clearCookies();
    await signInWithPassword(page, t.app, employee.email, employee.password);
    const main = await page.textContent('main');
    expect(main).toContain('Upphandling för nybörjare');
    expect(main).toContain(api.body.items[0].reasons[0].sv);
    expect(await checked(page, 'start with recommendations')).toEqual({ page: 'start with recommendations', problems: [] });
    await page.click('text=Logga ut');

    await signInWithPassword(page, t.app, org.admin.email, org.admin.password);
    await page.click('main a:has-text("Vårens inventering")');
    expect(new URL(page.url()).pathname).toBe(`/inventering/${round.id}`);
    await page.close();
  });
});

