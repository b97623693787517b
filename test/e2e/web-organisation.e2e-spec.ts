import type { Page } from 'playwright-core';
import { checked, launchBrowser, signInWithPassword, WebClient, type Browser } from '../support/browser.js';
import { givenProvider, givenSession } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenMember, givenOrganisation, type GivenOrganisation } from '../support/organisation-factories.js';
import { pressFor, tabTo, typeInto } from '../support/keyboard.js';
import { givenWebhookEndpoint, webhookPageRoutes } from '../support/webhook-pages.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const linkIn = (text: string, path: string) => new RegExp(`(http://kompetenslyft\\.test${path}[^\\s"<>]+)`).exec(text)?.[1];

describe('web: organisation admin (members, invitations, approvals, needs from the round\'s email) and my data', () => {
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
  const t = useTestContext({ smtp: true, env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } });
  let coordinator: GivenUser;
  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
  });
  beforeEach(async () => {
    await browser.context.clearCookies();
    await noScript.context.clearCookies();
  });

  async function pendingBooking(org: GivenOrganisation, title: string) {
    const employee = await givenMember(t, org.id);
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId, { title, requiresApproval: true });
    const res = await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(employee.auth).send({}).expect(201);
    expect(res.body.status).toBe('pending_approval');
    return { employee, bookingId: res.body.id as string };
  }

  async function adminJourney(page: Page, check: (name: string) => Promise<void>) {
    const org = await givenOrganisation(t, { name: `Returbutiken ${Date.now()}` });
    const first = await pendingBooking(org, 'Kurs att godkänna');
    const second = await pendingBooking(org, 'Kurs att avslå');
    await signInWithPassword(page, t.app, org.admin.email, org.admin.password);

    await page.click('nav >> text=Organisation');
    await check('organisations');
    await page.click(`main a:has-text("Returbutiken")`);
    await check('organisation');
    await page.click('main a:has-text("Organisationens bokningar")');
    await check('organisation bookings');
    await page.click(`main form[action$="/${first.bookingId}/godkann"] button`);
    await page.waitForURL((url) => url.pathname.endsWith('/bokningar'));
    expect(await countRows(t.db, 'bookings', `id = $1 AND status = 'confirmed'`, [first.bookingId])).toBe(1);

    await page.click(`main a[href$="/${second.bookingId}/avsla"]`);
    await check('reject');
    await page.click('main button:has-text("Avslå bokningen")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Fyll i ett skäl.');
    await check('reject with errors');
    expect(await countRows(t.db, 'bookings', `id = $1 AND status = 'pending_approval'`, [second.bookingId])).toBe(1);
    await page.fill('#reason', 'Krockar med <b>bokslutet</b>.');
    await page.click('main button:has-text("Avslå bokningen")');
    await page.waitForURL((url) => url.pathname.endsWith('/bokningar'));
    expect(await t.db.query('SELECT status, rejection_reason FROM bookings WHERE id = $1', [second.bookingId])).toEqual([{ status: 'rejected', rejection_reason: 'Krockar med <b>bokslutet</b>.' }]);
    return org;
  }

  it('an org admin approves one booking and rejects another with a reason (JavaScript on, every page checked)', async () => {
    const page = await browser.context.newPage();
    await adminJourney(page, async (name) => expect(await checked(page, name)).toEqual({ page: name, problems: [] }));
    await page.close();
  });

  it('the same approvals work with JavaScript off', async () => {
    const page = await noScript.context.newPage();
    await adminJourney(page, async () => undefined);
    await page.close();
  });

  async function needsJourney(page: Page, check: (name: string) => Promise<void>) {
    const org = await givenOrganisation(t);
    const round = await givenRound(t, coordinator, { invite: { organisationIds: [org.id] }, title: 'Inventering <i>2027</i>' });
    await t.app.dispatchMail();
    const mails = await t.smtp.waitForMailTo(org.admin.email);
    const link = linkIn(mails.map((m) => m.text).join('\n'), '/inventering/')!;
    expect(link).toBe(`http://kompetenslyft.test/inventering/${round.id}?organisation=${org.id}`);
    await page.goto(link.replace('http://kompetenslyft.test', t.app.baseUrl));
    expect(new URL(page.url()).pathname).toBe('/logga-in');
    await page.fill('#email', org.admin.email);
    await page.fill('#password', org.admin.password);
    await page.click('form[action="/logga-in"] button');
    await page.waitForURL((url) => url.pathname === `/inventering/${round.id}`);
    expect(await page.textContent('h1')).toBe('Inventering <i>2027</i>');
    await check('needs round');

    // Bad input: the form again with the summary and the fields' messages; nothing written.
    await page.fill('#people', 'många');
    await page.click('main button:has-text("Lägg till behovet")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj ett ämne.');
    expect(await page.inputValue('#people')).toBe('många');
    await check('needs round with errors');
    expect(await countRows(t.db, 'needs_statements', 'round_id = $1', [round.id])).toBe(0);

    await page.selectOption('#themeCode', 'public_procurement');
    await page.fill('#people', '4');
    await page.check('input[name="preferredFormats"][value="short_course"]');
    await page.check('input[name="priority"][value="high"]');
    await page.fill('#comment', 'Vi behöver <script>x</script> snart.');
    await page.click('main button:has-text("Lägg till behovet")');
    await page.waitForSelector('text=Behovet är tillagt.');
    expect(await t.db.query('SELECT theme_code, people, priority, comment FROM needs_statements WHERE round_id = $1', [round.id])).toEqual([
      { theme_code: 'public_procurement', people: 4, priority: 'high', comment: 'Vi behöver <script>x</script> snart.' },
    ]);

    await page.click('main button:has-text("Spara svaren")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj om ni har en plan.');
    expect(await countRows(t.db, 'needs_assessments', 'round_id = $1', [round.id])).toBe(0);
    await page.check('input[name="hasPlan"][value="in_progress"]');
    await page.check('input[name="hasTrained"][value="no"]');
    await page.check('input[name="wantsTraining"][value="yes"]');
    await page.check('input[name="knowledge"][value="2"]');
    await page.check('input[name="accWantsTraining"][value="yes"]');
    await page.check('input[name="supportNeeds"][value="mentoring"]');
    await page.check('input[name="followUpMethods"][value="interviews"]');
    await page.check('input[name="channels"][value="newsletter"]');
    await page.fill('#projects', 'Kompetenslyft Öst\nÅterbruk i samverkan');
    await page.click('main button:has-text("Spara svaren")');
    await page.waitForSelector('text=Svaren är sparade.');
    await check('needs round saved');
    const [assessment] = await t.db.query<Record<string, unknown>>('SELECT * FROM needs_assessments WHERE round_id = $1', [round.id]);
    expect(JSON.stringify(assessment)).toContain('Återbruk i samverkan');
    expect(await page.isChecked('input[name="hasPlan"][value="in_progress"]')).toBe(true);
  }

  it('an org admin follows the round\'s email link, signs in, states a need and answers the assessment (JavaScript on, every page checked)', async () => {
    const page = await browser.context.newPage();
    await needsJourney(page, async (name) => expect(await checked(page, name)).toEqual({ page: name, problems: [] }));
    await page.close();
  });

  it('the needs journey works with JavaScript off', async () => {
    const page = await noScript.context.newPage();
    await needsJourney(page, async () => undefined);
    await page.close();
  });

  /**
   * An org admin books a session for an employee: who books is chosen on the form, the check page
   * names them, and the answer speaks of the participant. `check`: each state's checks (none with
   * JavaScript off, where axe-core cannot run); `keyboard`: Tab, arrow keys and Enter only.
   */
  async function bookForEmployee(page: Page, check: (name: string) => Promise<void>, keyboard = false) {
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const providerId = await givenProvider(t.db);
    const session = await givenSession(t.db, providerId, { title: 'Kurs för personalen' });
    const suffix = keyboard ? ' (keyboard)' : '';
    await signInWithPassword(page, t.app, org.admin.email, org.admin.password);
    await page.goto(`${t.app.baseUrl}/boka/${session.id}`);
    await check(`book for an employee${suffix}`);
    const chosen = `${org.id}:${employee.id}`;
    if (keyboard) {
      // Tab reaches the radio group at its chosen option; the arrow keys move the choice.
      let focused = (await tabTo(page, (el) => el.name === 'participant')).value;
      for (let i = 0; focused !== chosen && i < 5; i++) {
        await page.keyboard.press('ArrowDown');
        focused = (await page.evaluate('document.activeElement.value')) as string;
      }
      expect(await page.isChecked(`input[name="participant"][value="${chosen}"]`)).toBe(true);
      await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Fortsätt');
      await pressFor(page, 'Enter', 'main button:has-text("Boka")');
    } else {
      await page.check(`input[name="participant"][value="${chosen}"]`);
      await page.click('main button:has-text("Fortsätt")');
    }
    expect(await page.textContent('main')).toContain('Employee');
    await check(`check booking for an employee${suffix}`);
    if (keyboard) {
      await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Boka');
      await pressFor(page, 'Enter', '.govuk-panel');
    } else {
      await page.click('main button:has-text("Boka")');
      await page.waitForSelector('.govuk-panel');
    }
    // The answer speaks of the participant, not of the admin who booked.
    expect(await page.textContent('.govuk-panel')).toContain('Deltagaren har en plats. Vi har skickat en bekräftelse till deltagarens e-post.');
    expect(await page.textContent('.govuk-caption-l')).toBe('Bokning åt en deltagare');
    await check(`booked for an employee${suffix}`);
    expect(await t.db.query('SELECT user_id, organisation_id, status FROM bookings WHERE session_id = $1', [session.id])).toEqual([
      { user_id: employee.id, organisation_id: org.id, status: 'confirmed' },
    ]);
  }

  it('an org admin books a session for an employee (who books is chosen on the form; the check page names them)', async () => {
    const page = await browser.context.newPage();
    await bookForEmployee(page, async (name) => expect(await checked(page, name)).toEqual({ page: name, problems: [] }));
    await page.close();
  });

  it('booking for an employee works with JavaScript off', async () => {
    const page = await noScript.context.newPage();
    await bookForEmployee(page, async () => undefined);
    await page.close();
  });

  it('booking for an employee works with the keyboard alone (every state checked)', async () => {
    const page = await browser.context.newPage();
    await bookForEmployee(page, async (name) => expect(await checked(page, name)).toEqual({ page: name, problems: [] }), true);
    await page.close();
  });

  it('an org admin changes a role, removes a member, invites a person (bad address first) and withdraws the invitation', async () => {
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const page = await browser.context.newPage();
    await signInWithPassword(page, t.app, org.admin.email, org.admin.password);
    await page.goto(`${t.app.baseUrl}/organisation/${org.id}/medlemmar`);
    expect(await checked(page, 'members')).toEqual({ page: 'members', problems: [] });
    await page.selectOption(`#role-${employee.id}`, 'org_admin');
    await page.click(`form[action$="/${employee.id}/roll"] button`);
    await page.waitForLoadState();
    expect(await countRows(t.db, 'organisation_members', `user_id = $1 AND role = 'org_admin'`, [employee.id])).toBe(1);
    await page.click(`a[href$="/${employee.id}/ta-bort"]`);
    expect(await checked(page, 'remove member')).toEqual({ page: 'remove member', problems: [] });
    await page.click('main button:has-text("Ja, ta bort")');
    await page.waitForURL((url) => url.pathname.endsWith('/medlemmar'));
    expect(await countRows(t.db, 'organisation_members', 'organisation_id = $1 AND user_id = $2', [org.id, employee.id])).toBe(0);

    await page.goto(`${t.app.baseUrl}/organisation/${org.id}/bjud-in`);
    expect(await checked(page, 'invite')).toEqual({ page: 'invite', problems: [] });
    await page.fill('#email', 'inte-en-adress');
    await page.click('main button:has-text("Skicka inbjudan")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Skriv en e-postadress i rätt format');
    expect(await page.inputValue('#email')).toBe('inte-en-adress');
    expect(await checked(page, 'invite with errors')).toEqual({ page: 'invite with errors', problems: [] });
    expect(await countRows(t.db, 'invitations', 'target_id = $1', [org.id])).toBe(0);
    await page.fill('#email', 'ny.kollega@example.se');
    await page.click('main button:has-text("Skicka inbjudan")');
    await page.waitForSelector('text=Inbjudan är skickad');
    expect(await countRows(t.db, 'invitations', `target_id = $1 AND email = 'ny.kollega@example.se'`, [org.id])).toBe(1);
    await page.goto(`${t.app.baseUrl}/organisation/${org.id}/medlemmar`);
    await page.click('main button:has-text("Återkalla")');
    await page.waitForURL((url) => url.pathname.endsWith('/medlemmar'));
    expect(await countRows(t.db, 'invitations', `target_id = $1 AND voided_at IS NULL AND accepted_at IS NULL`, [org.id])).toBe(0);
    await page.close();
  });

  it('an org admin adds a webhook (secret shown once), changes its address and events, pings it, retries, rotates, turns it off and on (JavaScript on, every state checked)', async () => {
    const receiver = await startWebhookReceiver();
    const page = await browser.context.newPage();
    const check = async (name: string) => expect(await checked(page, name)).toEqual({ page: name, problems: [] });
    try {
      const org = await givenOrganisation(t, { name: `Webbhuset ${Date.now()}` });
      const endpoints = () => t.db.query<{ url: string; events: string[]; description: string | null; enabled: boolean }>('SELECT url, events, description, enabled FROM webhook_endpoints WHERE organisation_id = $1', [org.id]);
      await signInWithPassword(page, t.app, org.admin.email, org.admin.password, `/organisation/${org.id}`);
      await page.click('main a:has-text("Webhookar")');
      expect(await page.textContent('h1')).toBe('Webhookar');
      expect(await page.textContent('main')).toContain('Ni har inga webhookar.');
      await check('organisation webhooks (none)');
      await page.click('main a:has-text("Lägg till en webhook")');
      await check('new organisation webhook');
      await page.click('main button:has-text("Lägg till webhook")');
      const summary = await page.textContent('.govuk-error-summary');
      expect(summary).toContain('Fyll i adressen.');
      expect(summary).toContain('Välj minst en händelse.');
      await check('new organisation webhook with errors');
      await page.fill('#url', `${receiver.url}/forst`);
      await page.fill('#description', 'Personalsystemet');
      await page.check('input[name="events"][value="booking.created"]');
      await page.check('input[name="events"][value="booking.expired"]');
      await page.click('main button:has-text("Lägg till webhook")');
      expect(await page.textContent('h1')).toContain('Webhooken är tillagd');
      await check('organisation webhook secret shown once');
      const secret = await page.inputValue('#secret');
      expect(secret).toMatch(/^whsec_/);
      expect(await endpoints()).toEqual([{ url: `${receiver.url}/forst`, events: ['booking.created', 'booking.expired'], description: 'Personalsystemet', enabled: true }]);
      await page.click('main a:has-text("Till webhooken")');
      expect(await page.textContent('h1')).toBe('Personalsystemet');
      await check('organisation webhook (no deliveries)');

      // Changing the address and events: a refused address first (nothing written), then saved.
      await page.click('main a:has-text("Ändra adress och händelser")');
      expect(await page.inputValue('#url')).toBe(`${receiver.url}/forst`);
      expect(await page.isChecked('input[name="events"][value="booking.expired"]')).toBe(true);
      await check('edit organisation webhook');
      await page.fill('#url', 'ftp://inte.en.webbadress');
      await page.click('main button:has-text("Spara ändringarna")');
      expect(await page.textContent('.govuk-error-summary')).toContain('Adressen kan inte användas');
      await check('edit organisation webhook with errors');
      expect((await endpoints())[0].url).toBe(`${receiver.url}/forst`);
      await page.fill('#url', `${receiver.url}/sedan`);
      await page.uncheck('input[name="events"][value="booking.created"]');
      await page.check('input[name="events"][value="waitlist.promoted"]');
      await page.click('main button:has-text("Spara ändringarna")');
      await page.waitForSelector('text=Ändringarna är sparade.');
      expect(await page.textContent('#settings')).toContain('En erbjuden plats togs inte i tid');
      await check('organisation webhook saved');
      expect(await endpoints()).toEqual([{ url: `${receiver.url}/sedan`, events: ['booking.expired', 'waitlist.promoted'], description: 'Personalsystemet', enabled: true }]);

      // A test ping at the new address, signed with the secret; the log shows it; a retry sends it again.
      await page.click('main button:has-text("Skicka ett test")');
      await page.waitForSelector('text=Ett test är skickat.');
      await receiver.waitFor(1);
      expect(receiver.verified(secret, '/hooks/sedan').map((e) => e.type)).toEqual(['webhook.test']);
      await page.goto(page.url().split('?')[0]);
      expect(await page.textContent('#deliveries')).toContain('webhook.test');
      await check('organisation webhook with a delivery');
      await page.click('#deliveries button:has-text("Försök igen")');
      await page.waitForSelector('text=Leveransen skickas igen.');
      await receiver.waitFor(2);
      expect(receiver.received[1].id).toBe(receiver.received[0].id);
      await page.click('main button:has-text("Byt hemlighet")');
      expect(await page.inputValue('#secret')).not.toBe(secret);
      await check('organisation webhook secret rotated');
      await page.click('main a:has-text("Till webhooken")');
      await page.click('main button:has-text("Stäng av")');
      await page.waitForSelector('text=Webhooken är avstängd.');
      expect((await endpoints())[0].enabled).toBe(false);
      await check('organisation webhook turned off');
      await page.click('main button:has-text("Sätt på")');
      await page.waitForSelector('text=Webhooken är på.');
      expect((await endpoints())[0].enabled).toBe(true);
      await page.click('a.govuk-back-link');
      expect(await page.textContent('#endpoints')).toContain('Personalsystemet');
      await check('organisation webhooks (one)');
    } finally {
      await page.close();
      await receiver.close();
    }
  });

  it('an org admin adds a webhook and turns it off with the keyboard alone (every state checked)', async () => {
    const page = await browser.context.newPage();
    const check = async (name: string) => expect(await checked(page, name)).toEqual({ page: name, problems: [] });
    try {
      const org = await givenOrganisation(t, { name: `Tangentbordet ${Date.now()}` });
      await signInWithPassword(page, t.app, org.admin.email, org.admin.password, `/organisation/${org.id}/webhookar`);
      await tabTo(page, (el) => el.tag === 'A' && el.text === 'Lägg till en webhook');
      await pressFor(page, 'Enter', (url) => url.pathname.endsWith('/webhookar/ny'));
      await check('new organisation webhook (keyboard)');
      await typeInto(page, 'url', 'http://127.0.0.1:9/hooks/tangent');
      await tabTo(page, (el) => el.name === 'events' && el.value === 'booking.cancelled');
      await page.keyboard.press('Space');
      await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Lägg till webhook');
      await pressFor(page, 'Enter', 'text=Webhooken är tillagd');
      await check('organisation webhook secret shown once (keyboard)');
      const endpoints = () => t.db.query<{ url: string; events: string[]; enabled: boolean }>('SELECT url, events, enabled FROM webhook_endpoints WHERE organisation_id = $1', [org.id]);
      expect(await endpoints()).toEqual([{ url: 'http://127.0.0.1:9/hooks/tangent', events: ['booking.cancelled'], enabled: true }]);
      await tabTo(page, (el) => el.tag === 'A' && el.text === 'Till webhooken');
      await pressFor(page, 'Enter', (url) => /\/webhookar\/[0-9a-f-]{36}$/.test(url.pathname));
      await tabTo(page, (el) => el.tag === 'BUTTON' && el.text.startsWith('Stäng av'));
      await pressFor(page, 'Enter', 'text=Webhooken är avstängd.');
      await check('organisation webhook turned off (keyboard)');
      expect((await endpoints())[0].enabled).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('one organisation\'s admin (and an employee) never sees or changes another organisation\'s members, bookings, needs or webhooks through any page', async () => {
    const a = await givenOrganisation(t);
    const b = await givenOrganisation(t);
    const { bookingId, employee } = await pendingBooking(a, 'Kurs hos A');
    const round = await givenRound(t, coordinator, { invite: { organisationIds: [a.id, b.id] } });
    const endpoint = await givenWebhookEndpoint(t, a.admin, { organisationId: a.id });
    const webhookPages = webhookPageRoutes(`/organisation/${a.id}/webhookar`, endpoint);
    const reads = [
      `/organisation/${a.id}`,
      `/organisation/${a.id}/medlemmar`,
      `/organisation/${a.id}/bjud-in`,
      `/organisation/${a.id}/bokningar`,
      `/organisation/${a.id}/bokningar/${bookingId}/avsla`,
      `/organisation/${a.id}/medlemmar/${employee.id}/ta-bort`,
      `/inventering/${round.id}?organisation=${a.id}`,
      `/bokningar/${bookingId}`,
      `/organisation/${a.id}/webhookar`,
      ...webhookPages.gets,
      `/organisation/${b.id}/webhookar/${endpoint.id}`,
    ];
    const writes: [string, Record<string, string>][] = [
      [`/organisation/${a.id}/bokningar/${bookingId}/godkann`, {}],
      [`/organisation/${b.id}/bokningar/${bookingId}/godkann`, {}],
      [`/organisation/${a.id}/bokningar/${bookingId}/avsla`, { reason: 'Nej' }],
      [`/organisation/${a.id}/medlemmar/${employee.id}/roll`, { role: 'org_admin' }],
      [`/organisation/${a.id}/medlemmar/${employee.id}/ta-bort`, {}],
      [`/organisation/${a.id}/bjud-in`, { email: 'x@example.se', role: 'employee' }],
      [`/inventering/${round.id}/behov?organisation=${a.id}`, { themeCode: 'public_procurement', people: '3', preferredFormats: 'short_course' }],
      [`/inventering/${round.id}/bedomning?organisation=${a.id}`, { hasPlan: 'yes', hasTrained: 'no', wantsTraining: 'no', knowledge: '3', accWantsTraining: 'no' }],
      ...webhookPages.posts,
    ];
    const before = async () => [
      await countRows(t.db, 'bookings', `id = $1 AND status = 'pending_approval'`, [bookingId]),
      await countRows(t.db, 'organisation_members', 'organisation_id = $1', [a.id]),
      await countRows(t.db, 'invitations', 'target_id = $1', [a.id]),
      await countRows(t.db, 'needs_statements', 'organisation_id = $1', [a.id]),
      await countRows(t.db, 'needs_assessments', 'organisation_id = $1', [a.id]),
      await t.db.query('SELECT id, url, events, enabled, secret_encrypted FROM webhook_endpoints WHERE organisation_id = $1', [a.id]),
      await countRows(t.db, 'webhook_deliveries', 'endpoint_id = $1', [endpoint.id]),
    ];
    const employeeOfA = await givenMember(t, a.id);
    const state = await before();
    for (const [who, person] of [['admin of B', b.admin], ['employee of A', employeeOfA]] as const) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of reads) {
        if (who === 'employee of A' && path === `/organisation/${a.id}`) continue; // a member sees the organisation's own page
        const res = await web.get(path);
        expect([who, path, res.status]).toEqual([who, path, expect.any(Number)]);
        expect([who, path, [403, 404].includes(res.status)]).toEqual([who, path, true]);
        expect(res.text).not.toContain(employee.email);
      }
      for (const [path, body] of writes) {
        const res = await web.post(path, body);
        expect([who, path, [403, 404].includes(res.status)]).toEqual([who, path, true]);
      }
    }
    expect(await before()).toEqual(state);
  });

  it('my data: the profile with "vill ej uppge", bad input in Swedish, the download, and erasure confirmed twice that ends the session', async () => {
    const person = await givenUser(t, { name: 'Radera Mig' });
    const page = await browser.context.newPage();
    await signInWithPassword(page, t.app, person.email, person.password);
    await page.click('nav >> text=Mina uppgifter');
    expect(await checked(page, 'my data')).toEqual({ page: 'my data', problems: [] });
    expect(await page.locator('input[name="gender"][value="prefer_not_to_say"]').count()).toBe(1);
    expect(await page.locator('input[name="employmentType"][value=""]').count()).toBe(1);
    await page.fill('#birthYear', '1850');
    await page.click('main button:has-text("Spara")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Födelseåret måste vara ett heltal mellan 1920 och');
    expect(await page.inputValue('#birthYear')).toBe('1850');
    expect(await checked(page, 'my data with errors')).toEqual({ page: 'my data with errors', problems: [] });
    expect(await countRows(t.db, 'person_profiles', 'user_id = $1', [person.id])).toBe(0);
    await page.fill('#birthYear', '1980');
    await page.check('input[name="gender"][value="prefer_not_to_say"]');
    await page.click('main button:has-text("Spara")');
    await page.waitForSelector('text=Dina uppgifter är sparade.');
    expect(await t.db.query('SELECT gender, birth_year FROM person_profiles WHERE user_id = $1', [person.id])).toEqual([{ gender: 'prefer_not_to_say', birth_year: 1980 }]);

    const web = new WebClient(t.app);
    await web.signIn(person.email, person.password);
    const exported = await web.get('/mina-uppgifter/export.json');
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(exported.text).account.email).toBe(person.email);

    await page.click('main a:has-text("Radera mitt konto")');
    expect(await checked(page, 'erase')).toEqual({ page: 'erase', problems: [] });
    await page.click('main button:has-text("Fortsätt")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj att du förstår.');
    await page.check('input[name="understand"]');
    await page.click('main button:has-text("Fortsätt")');
    expect(await page.textContent('h1')).toBe('Är du säker?');
    expect(await checked(page, 'erase: are you sure')).toEqual({ page: 'erase: are you sure', problems: [] });
    expect(await countRows(t.db, 'users', 'id = $1 AND erased_at IS NULL', [person.id])).toBe(1);
    await page.click('main button:has-text("Ja, radera mitt konto")');
    await page.waitForSelector('text=Ditt konto är raderat');
    expect(await countRows(t.db, 'users', 'id = $1 AND erased_at IS NOT NULL', [person.id])).toBe(1);
    expect(await countRows(t.db, 'web_sessions', 'user_id = $1', [person.id])).toBe(0);
    // The other browser's session ended with the account.
    const after = await web.get('/mina-uppgifter');
    expect([after.status, after.headers.location]).toEqual([303, '/logga-in?next=%2Fmina-uppgifter']);
    await page.close();
  });
});
