import { checked, launchBrowser, signInWithPassword, WebClient, type Browser } from '../support/browser.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser } from '../support/factories.js';

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
});
