import type { Page } from 'playwright-core';
import { checked, signInWithPassword, useBrowsers, WebClient } from '../support/browser.js';
import { fastUser, givenMember, givenOrganisation, givenProvider, givenSession } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, uniqueEmail } from '../support/factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenWebhookEndpoint, webhookPageRoutes } from '../support/webhook-pages.js';

const inviteLink = (text: string) => /(http:\/\/kompetenslyft\.test\/invite\/[A-Za-z0-9_-]+)/.exec(text)?.[1];

describe('web: coordinators register providers (whose staff accept the invitation in the browser) and see the programme\'s state', () => {
  const browsers = useBrowsers();
  const t = useTestContext({ smtp: true });

  /** A coordinator registers a provider and invites its first staff member, who accepts in the browser and reaches the provider's pages. */
  async function journey(page: Page, options: { check: boolean; name: string }) {
    const check = async (what: string) => {
      if (options.check) expect(await checked(page, what)).toEqual({ page: what, problems: [] });
    };
    const coordinator = await givenUser(t, { coordinator: true, name: 'Cecilia Coordinator' });
    const staffEmail = uniqueEmail('forsta.personal');
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password);
    await page.click('nav >> text=Samordning');
    expect(await page.textContent('h1')).toBe('Programmets läge');
    await check('dashboard');
    await page.click('main a:has-text("Utbildningsanordnare")');
    await check('providers');
    await page.click('main a:has-text("Registrera en anordnare")');
    await check('register provider');
    await page.fill('#orgNumber', '123');
    await page.click('main button:has-text("Registrera och bjud in")');
    const summary = await page.textContent('.govuk-error-summary');
    expect(summary).toContain('Fyll i anordnarens namn.');
    expect(summary).toContain('Välj slags anordnare.');
    expect(summary).toContain('Skriv ett giltigt organisationsnummer');
    await check('register provider with errors');
    await page.fill('#name', options.name);
    await page.check('input[name="kind"][value="folk_high_school"]');
    await page.fill('#orgNumber', '802009-6007');
    await page.selectOption('#municipalityCode', '0380');
    await page.fill('#staffEmail', staffEmail);
    await page.click('main button:has-text("Registrera och bjud in")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain(`${options.name} är registrerad och ${staffEmail} har fått en inbjudan.`);
    expect(await page.textContent('main')).toContain(staffEmail);
    await check('registered provider');
    const providerId = new URL(page.url()).pathname.split('/')[3];
    await page.click('text=Logga ut');

    // The staff member accepts the emailed invitation in the browser.
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailMatching(staffEmail, (m) => /\/invite\//.test(m.text ?? ''));
    await page.goto(inviteLink(mail.text!)!.replace('http://kompetenslyft.test', t.app.baseUrl));
    expect(await page.textContent('main')).toContain(options.name);
    await check('invitation');
    await page.fill('#name', 'Petra Personal');
    await page.fill('#password', 'ett-bra-lösenord-123');
    await page.click('main button:has-text("Tacka ja")');
    await page.waitForSelector('text=Välkommen!');
    await signInWithPassword(page, t.app, staffEmail, 'ett-bra-lösenord-123', '/anordnare');
    expect(new URL(page.url()).pathname).toBe(`/anordnare/${providerId}`);
    expect(await page.textContent('main')).toContain(options.name);
    await page.close();
    return { providerId, staffEmail };
  }

  it('registers a provider, invites its first staff member, who accepts and reaches the provider\'s pages (JavaScript on, every page checked)', async () => {
    const { providerId, staffEmail } = await journey(await browsers.js.context.newPage(), { check: true, name: 'Folkhögskolan Linnea' });
    const [provider] = await t.db.query<{ name: string; kind: string; org_number: string; municipality_code: string }>('SELECT name, kind, org_number, municipality_code FROM providers WHERE id = $1', [providerId]);
    expect(provider).toEqual({ name: 'Folkhögskolan Linnea', kind: 'folk_high_school', org_number: '802009-6007', municipality_code: '0380' });
    expect(await countRows(t.db, 'provider_staff s JOIN users u ON u.id = s.user_id', 'provider_id = $1 AND u.email = $2', [providerId, staffEmail])).toBe(1);
  });

  it('the same journey works with JavaScript off; a name already registered is refused on the form', async () => {
    const { providerId } = await journey(await browsers.noScript.context.newPage(), { check: false, name: 'Studieförbundet Utan Skript' });
    expect(await countRows(t.db, 'provider_staff', 'provider_id = $1', [providerId])).toBe(1);
    const coordinator = await givenUser(t, { coordinator: true });
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    await web.get('/samordning/anordnare/ny');
    const before = await countRows(t.db, 'providers');
    const invitationsBefore = await countRows(t.db, 'invitations');
    const taken = await web.post('/samordning/anordnare/ny', { name: 'Studieförbundet Utan Skript', kind: 'study_association', staffEmail: uniqueEmail() });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Det finns redan en anordnare med det namnet.');
    const bad = await web.post('/samordning/anordnare/ny', { name: 'X'.repeat(201), kind: 'castle', staffEmail: 'inte-en-adress', municipalityCode: '9999' });
    expect(bad.status).toBe(400);
    for (const message of ['Anordnarens namn får ha högst 200 tecken.', 'Välj slags anordnare.', 'Skriv en e-postadress i rätt format', 'Välj en kommun i listan.']) expect(bad.text).toContain(message);
    expect(await countRows(t.db, 'providers')).toBe(before);
    expect(await countRows(t.db, 'invitations')).toBe(invitationsBefore);
  });

  it('a coordinator adds a programme webhook with JavaScript off (errors on the form first; the secret shown once), and changes its events', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const page = await browsers.noScript.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning');
    await page.click('#areas a:has-text("Programmets webhookar")');
    expect(await page.textContent('h1')).toBe('Webhookar');
    await page.click('main a:has-text("Lägg till en webhook")');
    await page.fill('#url', 'https://hooks.example.se/program');
    await page.click('main button:has-text("Lägg till webhook")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj minst en händelse.');
    expect(await page.inputValue('#url')).toBe('https://hooks.example.se/program');
    expect(await countRows(t.db, 'webhook_endpoints', `owner_kind = 'programme'`)).toBe(0);
    await page.check('input[name="events"][value="booking.expired"]');
    await page.click('main button:has-text("Lägg till webhook")');
    expect(await page.inputValue('#secret')).toMatch(/^whsec_/);
    const [endpoint] = await t.db.query<{ id: string; events: string[]; provider_id: string | null; organisation_id: string | null }>(`SELECT id, events, provider_id, organisation_id FROM webhook_endpoints WHERE owner_kind = 'programme'`);
    expect(endpoint).toEqual({ id: expect.any(String), events: ['booking.expired'], provider_id: null, organisation_id: null });
    await page.click('main a:has-text("Till webhooken")');
    await page.click('main a:has-text("Ändra adress och händelser")');
    await page.check('input[name="events"][value="session.cancelled"]');
    await page.click('main button:has-text("Spara ändringarna")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Ändringarna är sparade.');
    expect((await t.db.query<{ events: string[] }>('SELECT events FROM webhook_endpoints WHERE id = $1', [endpoint.id]))[0].events).toEqual(['booking.expired', 'session.cancelled']);
    await page.close();
    await t.db.query('DELETE FROM webhook_endpoints WHERE id = $1', [endpoint.id]);
  });

  it('the dashboard shows open rounds with their response rate, bookings this month, sessions without attendance and mail failures', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    await givenOrganisation(t.db);
    await givenOrganisation(t.db);
    await givenRound(t, coordinator, { title: 'Inventering för instrumentpanelen' });
    const providerId = await givenProvider(t.db);
    const upcoming = await givenSession(t.db, providerId);
    for (let i = 0; i < 2; i++) {
      const person = await fastUser(t.db);
      await t.app.http.post(`/api/v1/sessions/${upcoming.id}/bookings`).set(person.auth).send({}).expect(201);
    }
    const startsAt = new Date(Date.now() - 3 * 24 * 3600_000);
    const past = await givenSession(t.db, providerId, { startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), title: 'Kurs utan närvaro' });
    const attendee = await fastUser(t.db);
    await t.db.query(`INSERT INTO bookings (session_id, user_id, status, confirmed_at) VALUES ($1, $2, 'confirmed', now())`, [past.id, attendee.id]);
    await t.db.query(
      `INSERT INTO mail_outbox (dedupe_key, to_address, template, locale, subject, text_body, html_body, status, attempts, next_attempt_at, last_error, message_id)
       VALUES ('dashboard-test', 'studsar@example.se', 'booking_confirmed', 'sv', 'Test', 'x', 'x', 'failed', 5, now(), '550 mailbox unavailable', '<dashboard-test@kompetenslyft.test>')`,
    );
    const [month] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE created_at >= (date_trunc('month', now() AT TIME ZONE 'Europe/Stockholm') AT TIME ZONE 'Europe/Stockholm')`);
    const invited = await countRows(t.db, 'organisations');
    const failed = await countRows(t.db, 'mail_outbox', `status = 'failed'`);

    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning');
    const figures = await page.$$eval('#figures .govuk-summary-list__row', (rows) => rows.map((r) => [r.querySelector('dt')!.textContent!.trim(), r.querySelector('dd')!.textContent!.trim()]));
    expect(figures.slice(0, 3)).toEqual([
      ['Bokningar den här månaden', String(month.n)],
      ['Tillfällen utan registrerad närvaro', '1'],
      ['Mejl som inte gick fram', String(failed)],
    ]);
    expect(month.n).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('main')).toContain(`Inventering för instrumentpanelen`);
    expect(await page.textContent('main')).toContain(`0 av ${invited} organisationer har svarat (0 %)`);
    expect(await page.textContent('main')).toContain('Kurs utan närvaro');
    expect(await checked(page, 'dashboard with figures')).toEqual({ page: 'dashboard with figures', problems: [] });
    await page.close();
  });

  it('authorisation: only coordinators reach the coordinator pages (employees and provider staff get 403, nothing written; signed out → sign in)', async () => {
    const staff = await givenUser(t);
    const providerId = await givenProvider(t.db, [staff.id]);
    const employee = await givenUser(t);
    const organisationId = await givenOrganisation(t.db);
    const orgAdmin = await givenUser(t);
    await givenMember(t.db, organisationId, orgAdmin.id, 'org_admin');
    const owner = await givenUser(t, { coordinator: true });
    const endpoint = await givenWebhookEndpoint(t, owner, {});
    const hook = `/samordning/webhookar/${endpoint.id}`;
    const webhookPages = webhookPageRoutes('/samordning/webhookar', endpoint);
    const gets = ['/samordning', '/samordning/anordnare', '/samordning/anordnare/ny', `/samordning/anordnare/${providerId}`, '/samordning/webhookar', ...webhookPages.gets];
    const posts: [string, Record<string, string>][] = [
      ['/samordning/anordnare/ny', { name: 'Obehörig anordnare', kind: 'other', staffEmail: uniqueEmail() }],
      [`/samordning/anordnare/${providerId}/bjud-in`, { email: uniqueEmail() }],
      ...webhookPages.posts,
    ];
    const providers = await countRows(t.db, 'providers');
    const invitations = await countRows(t.db, 'invitations');
    const endpoints = async () => ({
      endpoints: await t.db.query('SELECT id, url, events, enabled, secret_encrypted FROM webhook_endpoints ORDER BY id'),
      deliveries: await countRows(t.db, 'webhook_deliveries'),
    });
    const webhooksBefore = await endpoints();
    for (const [who, person] of [['provider staff', staff], ['employee', employee], ['org admin', orgAdmin]] as const) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of gets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of posts) expect([who, path, (await web.post(path, body)).status]).toEqual([who, path, 403]);
    }
    const signedOut = new WebClient(t.app);
    for (const path of gets) expect([path, (await signedOut.get(path)).status]).toEqual([path, 303]);
    expect(await countRows(t.db, 'providers')).toBe(providers);
    expect(await countRows(t.db, 'invitations')).toBe(invitations);
    expect(await endpoints()).toEqual(webhooksBefore);

    // A coordinator without the CSRF token: 403, nothing written; an unknown provider: 404.
    const coordinator = await givenUser(t, { coordinator: true });
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    expect((await web.post(...posts[0], { csrf: false })).status).toBe(403);
    expect(await countRows(t.db, 'providers')).toBe(providers);
    expect((await web.get('/samordning/anordnare/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await web.get('/samordning/anordnare/inte-ett-id')).status).toBe(404);
    // The programme's pages show the programme's endpoints only: an organisation's endpoint there is not found.
    const orgEndpoint = await givenWebhookEndpoint(t, orgAdmin, { organisationId });
    expect((await web.get(`/samordning/webhookar/${orgEndpoint.id}`)).status).toBe(404);
    expect((await web.get(`/samordning/webhookar/${orgEndpoint.id}/andra`)).status).toBe(404);
    expect((await web.get(hook)).status).toBe(200);
    await t.db.query('DELETE FROM webhook_endpoints WHERE id = ANY($1::uuid[])', [[endpoint.id, orgEndpoint.id]]);
  });
});
