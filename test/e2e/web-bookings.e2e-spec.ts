import type { Page } from 'playwright-core';
import { checked, launchBrowser, signInWithPassword, WebClient, type Browser } from '../support/browser.js';
import { givenMember, givenOrganisation, givenProvider, givenSession } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser } from '../support/factories.js';
import { tabTo } from '../support/keyboard.js';

const linkIn = (text: string, path: string) => new RegExp(`(http://kompetenslyft\\.test${path.replace(/[?]/g, '\\?')}[^\\s"<>]+)`).exec(text)?.[1];

describe('web: find a course, book it, see it in my bookings, cancel; the booking email\'s link', () => {
  let browser: Browser;
  let noScript: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    noScript = await launchBrowser({ javaScript: false });
  });
  afterAll(async () => {
    await browser?.close();
    await noScript?.close();
  });
  const t = useTestContext({ smtp: true });
  beforeEach(async () => {
    // Each test is another person in a fresh browser.
    await browser.context.clearCookies();
    await noScript.context.clearCookies();
  });

  async function employee(name = 'Eva Employee') {
    const person = await givenUser(t, { name });
    const organisationId = await givenOrganisation(t.db);
    await givenMember(t.db, organisationId, person.id);
    return { ...person, organisationId };
  }

  /** The whole journey as a person does it; with JavaScript on, every page is checked (axe, html-validate, 390 px). */
  async function journey(page: Page, options: { check: boolean; title: string }) {
    const check = async (name: string) => {
      if (options.check) expect(await checked(page, name)).toEqual({ page: name, problems: [] });
    };
    await page.goto(`${t.app.baseUrl}/kurser?q=${encodeURIComponent(options.title.split(' ')[0])}`);
    await check('search results');
    await page.click(`a:has-text("${options.title}")`);
    await check('offering');
    await page.click('main a.govuk-button:has-text("Boka")');
    await check('book form');
    await page.check('input[name="accessibility"][value="induction_loop"]');
    await page.fill('#note', 'Jag kommer med <b>rullstol</b>.');
    await page.click('main button:has-text("Fortsätt")');
    expect(await page.textContent('h1')).toContain('Kontrollera din bokning');
    expect(await page.textContent('main')).toContain('Jag kommer med <b>rullstol</b>.');
    await check('check answers');
    await page.click('main button:has-text("Boka")');
    await page.waitForSelector('.govuk-panel');
    expect(await page.textContent('.govuk-panel')).toContain('Bokningen är klar');
    expect(await page.textContent('.govuk-panel')).toContain('Du har en plats. Vi har skickat en bekräftelse till din e-post.');
    expect(await page.textContent('.govuk-caption-l')).toBe('Din bokning');
    expect(await page.getAttribute('a[href$="/kalender.ics"]', 'href')).toMatch(/^\/bokningar\/[0-9a-f-]+\/kalender\.ics$/);
    await check('confirmation');
    const bookingPath = new URL(page.url()).pathname;
    await page.click('nav >> text=Mina bokningar');
    expect(await page.textContent('main')).toContain(options.title);
    await check('my bookings');
    await page.click(`main a:has-text("${options.title}")`);
    await page.click('main a:has-text("Avboka")');
    expect(await page.textContent('main')).toContain('Du kan avboka fram till');
    await check('cancel');
    await page.click('main button:has-text("Ja, avboka")');
    await page.waitForURL((url) => url.pathname === bookingPath);
    expect(await page.textContent('main')).toContain('Avbokad');
    await check('cancelled booking');
    return bookingPath.split('/')[2];
  }

  it('an employee signs in by the emailed link, searches, books, sees the booking, downloads the calendar file and cancels (JavaScript on, every page checked)', async () => {
    const person = await employee();
    const providerId = await givenProvider(t.db);
    const title = 'Upphandling steg för steg';
    await givenSession(t.db, providerId, { title });
    const page = await browser.context.newPage();

    // Signed out, my bookings sends me to sign in; "email me a link" brings me back there.
    await page.goto(`${t.app.baseUrl}/bokningar`);
    expect(new URL(page.url()).pathname).toBe('/logga-in');
    await page.fill('#linkEmail', person.email);
    await page.click('text=Skicka en inloggningslänk');
    expect(await page.textContent('h1')).toBe('Kolla din e-post');
    await t.app.dispatchMail();
    const [mail] = await t.smtp.waitForMailTo(person.email);
    const link = linkIn(mail.text!, '/magic-link?token=')!;
    await page.goto(link.replace('http://kompetenslyft.test', t.app.baseUrl));
    await check(page, 'magic link');
    await page.click('main button:has-text("Logga in")');
    await page.waitForURL((url) => url.pathname === '/bokningar');

    const bookingId = await journey(page, { check: true, title });
    const [row] = await t.db.query<{ status: string; note: string; accessibility_requests: string[] }>('SELECT status, note, accessibility_requests FROM bookings WHERE id = $1', [bookingId]);
    expect(row).toEqual({ status: 'cancelled', note: 'Jag kommer med <b>rullstol</b>.', accessibility_requests: ['induction_loop'] });
    await page.close();
  });

  async function check(page: Page, name: string) {
    expect(await checked(page, name)).toEqual({ page: name, problems: [] });
  }

  it('the same journey works with JavaScript off', async () => {
    const person = await employee();
    const providerId = await givenProvider(t.db);
    const title = 'Bokföring utan skript';
    await givenSession(t.db, providerId, { title });
    const page = await noScript.context.newPage();
    await signInWithPassword(page, t.app, person.email, person.password);
    const bookingId = await journey(page, { check: false, title });
    expect(await countRows(t.db, 'bookings', `id = $1 AND status = 'cancelled'`, [bookingId])).toBe(1);
    await page.close();
  });

  it('books with the keyboard alone, with a visible focus on every control used', async () => {
    const person = await employee();
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId, { title: 'Tangentbordskursen' });
    const page = await browser.context.newPage();
    await signInWithPassword(page, t.app, person.email, person.password);
    await page.goto(`${t.app.baseUrl}/kurser/${session.offeringId}`);
    await tabTo(page, (el) => el.tag === 'A' && el.text.startsWith('Boka'));
    await Promise.all([page.waitForURL(/\/boka\//), page.keyboard.press('Enter')]);
    await tabTo(page, (el) => el.name === 'accessibility');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.name === 'note');
    await page.keyboard.type('Tack!');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Fortsätt');
    await Promise.all([page.waitForSelector('text=Kontrollera din bokning'), page.keyboard.press('Enter')]);
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Boka');
    await Promise.all([page.waitForSelector('.govuk-panel'), page.keyboard.press('Enter')]);
    expect(await countRows(t.db, 'bookings', `user_id = $1 AND status = 'confirmed' AND note = 'Tack!'`, [person.id])).toBe(1);
    await page.close();
  });

  it('the booking email\'s link opens the booking\'s page (after signing in)', async () => {
    const person = await employee();
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId, { title: 'Mejllänkskursen' });
    await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({}).expect(201);
    await t.app.dispatchMail();
    const mails = await t.smtp.waitForMailTo(person.email);
    const link = linkIn(mails.map((m) => m.text).join('\n'), '/bokningar/')!;
    expect(link).toMatch(/^http:\/\/kompetenslyft\.test\/bokningar\/[0-9a-f-]{36}$/);
    const page = await noScript.context.newPage();
    await page.goto(link.replace('http://kompetenslyft.test', t.app.baseUrl));
    expect(new URL(page.url()).pathname).toBe('/logga-in');
    await page.fill('#email', person.email);
    await page.fill('#password', person.password);
    await page.click('form[action="/logga-in"] button');
    await page.waitForURL((url) => url.pathname.startsWith('/bokningar/'));
    expect(await page.textContent('h1')).toBe('Mejllänkskursen');
    expect(await page.textContent('main')).toContain('Bokad');
    await page.close();
  });

  it('bad input re-shows the form with an error summary and the field\'s message in Swedish, keeps what was typed, and books nothing', async () => {
    const person = await employee();
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId);
    const web = new WebClient(t.app);
    await web.signIn(person.email, person.password);
    await web.get(`/boka/${session.id}`);
    const long = 'å'.repeat(1001);
    for (const path of [`/boka/${session.id}`, `/boka/${session.id}/bekrafta`]) {
      const res = await web.post(path, { note: long, accessibility: ['induction_loop', 'no_such_feature'] });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Det finns ett problem');
      expect(res.text).toContain('Meddelandet får ha högst 1000 tecken.');
      expect(res.text).toContain('Välj det du behöver.');
      expect(res.text).toContain(long);
    }
    expect(await countRows(t.db, 'bookings', 'user_id = $1', [person.id])).toBe(0);
  });

  it('refuses a booking posted without its CSRF token (403, nothing booked), and a signed-out session\'s cookie', async () => {
    const person = await employee();
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId);
    const web = new WebClient(t.app);
    await web.signIn(person.email, person.password);
    const refused = await web.post(`/boka/${session.id}/bekrafta`, {}, { csrf: false });
    expect(refused.status).toBe(403);
    const wrong = await web.post(`/boka/${session.id}/bekrafta`, { _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(await countRows(t.db, 'bookings', 'user_id = $1', [person.id])).toBe(0);

    const cookie = web.cookie('kl_session')!;
    expect((await web.post('/logga-ut')).status).toBe(303);
    const again = new WebClient(t.app);
    again.setCookie('kl_session', cookie);
    const res = await again.get('/bokningar');
    expect([res.status, res.headers.location]).toEqual([303, '/logga-in?next=%2Fbokningar']);
  });

  it('shows markup in course titles and notes as text, never as markup', async () => {
    const person = await employee('<i>Eva</i>');
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId, { title: 'Kurs <script>alert(1)</script>' });
    const web = new WebClient(t.app);
    await web.signIn(person.email, person.password);
    for (const path of ['/', `/kurser/${session.offeringId}`, '/kurser?q=Kurs', `/boka/${session.id}`]) {
      const res = await web.get(path);
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).not.toContain('<i>Eva</i>');
    }
    expect((await web.get(`/kurser/${session.offeringId}`)).text).toContain('Kurs &lt;script&gt;alert(1)&lt;/script&gt;');
    await web.post(`/boka/${session.id}/bekrafta`, { note: '<img src=x onerror=alert(1)>' });
    const [booking] = await t.db.query<{ id: string }>('SELECT id FROM bookings WHERE user_id = $1', [person.id]);
    const page = await web.get(`/bokningar/${booking.id}`);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img src=x');
  });

  it('a freed seat is offered: the waitlisted person accepts it on the booking page, downloads the calendar file; another leaves the waitlist', async () => {
    const [first, second, third] = [await employee('Först'), await employee('Tvåa'), await employee('Trea')];
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId, { capacity: 1, waitlistMode: 'offer', title: 'Populära kursen' });
    const clients = [];
    for (const person of [first, second, third]) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      await web.get(`/boka/${session.id}`);
      const res = await web.post(`/boka/${session.id}/bekrafta`, {});
      expect(res.status).toBe(303);
      clients.push({ web, id: res.headers.location.split('/')[2].split('?')[0] });
    }
    const [a, b, c] = clients;
    const waiting = await b.web.get(`/bokningar/${b.id}`);
    expect(waiting.text).toContain('Plats 1 i kön');
    expect(waiting.text).toContain('Du kan lämna kön när som helst.');

    // The confirmed person cancels (before the deadline): the seat is offered to the first in line.
    const confirm = await a.web.get(`/bokningar/${a.id}/avboka`);
    expect(confirm.text).toContain('Du kan avboka fram till');
    expect((await a.web.post(`/bokningar/${a.id}/avboka`)).status).toBe(303);
    const offered = await b.web.get(`/bokningar/${b.id}`);
    expect(offered.text).toContain('Du har fått en plats!');
    expect((await b.web.post(`/bokningar/${b.id}/acceptera`)).status).toBe(303);
    expect(await countRows(t.db, 'bookings', `id = $1 AND status = 'confirmed'`, [b.id])).toBe(1);
    const ics = await b.web.get(`/bokningar/${b.id}/kalender.ics`);
    expect([ics.status, ics.headers['content-type']]).toEqual([200, 'text/calendar; charset=utf-8']);
    expect(ics.text).toContain('BEGIN:VCALENDAR');
    expect(ics.text).toContain('Populära kursen');

    // The third leaves the waitlist; another person's booking page is not theirs to see.
    expect((await c.web.get(`/bokningar/${c.id}/avboka`)).text).toContain('Vill du lämna kön till Populära kursen?');
    expect((await c.web.post(`/bokningar/${c.id}/avboka`)).status).toBe(303);
    expect(await countRows(t.db, 'bookings', `id = $1 AND status = 'cancelled'`, [c.id])).toBe(1);
    expect([403, 404]).toContain((await c.web.get(`/bokningar/${b.id}`)).status);
    expect([403, 404]).toContain((await c.web.post(`/bokningar/${b.id}/avboka`)).status);
    expect(await countRows(t.db, 'bookings', `id = $1 AND status = 'confirmed'`, [b.id])).toBe(1);
  });
});

