import type { Page } from 'playwright-core';
import { checked, signInWithPassword, WebClient } from '../support/browser.js';
import { fastUser, givenMember, givenOrganisation, givenSession } from '../support/bookings-factories.js';
import { countRows, givenUser, uniqueEmail } from '../support/factories.js';
import { givenInvitedCourse, givenProviderStaff } from '../support/follow-up-factories.js';
import { pressFor, tabTo, typeInto } from '../support/keyboard.js';
import { givenRound } from '../support/needs-factories.js';
import { dayAhead, useProviderPages } from '../support/provider-factories.js';
import { givenWebhookEndpoint, webhookPageRoutes } from '../support/webhook-pages.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const inviteLink = (text: string) => /(http:\/\/kompetenslyft\.test\/invite\/[A-Za-z0-9_-]+)/.exec(text)?.[1];

const IMPORT_HEADER =
  'course_code,title,description,themes,format,target_groups,language,level,hours,price_sek,contact_email,accessibility_features,starts_at,ends_at,municipality_code,online,venue,online_url,capacity,booking_opens_at,booking_closes_at,cancellation_deadline,requires_approval,waitlist_mode';

/** An import row (one session) for a course code, so many days ahead. */
function importRow(code: string, days: number, capacity = '20'): string {
  const day = dayAhead(days);
  return `${code},Kurs ${code},Om ${code}.,public_procurement,short_course,social_economy,sv,,6,0,,,${day} 09:00,${day} 15:00,0380,nej,Kungsgatan 10,,${capacity},,,,nej,offer`;
}

describe('web: provider staff run their staff, sessions, demand, evaluations and integrations in the browser', () => {
  const { browsers, t, staffOf } = useProviderPages({ env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } });

  const sessionRow = async (id: string) =>
    (await t.db.query<Record<string, unknown> & { starts_at: Date; ends_at: Date }>('SELECT starts_at, ends_at, venue, capacity, municipality_code, online, online_url, booking_closes_at, requires_approval, waitlist_mode, updated_at FROM sessions WHERE id = $1', [id]))[0];

  /**
   * A staff member invites a colleague, who accepts the email's invitation in the browser and
   * reaches the provider; the colleague changes a session (bad input first), then leaves.
   */
  async function staffAndSessionJourney(page: Page, options: { check: boolean }) {
    const check = async (name: string) => {
      if (options.check) expect(await checked(page, name)).toEqual({ page: name, problems: [] });
    };
    const staff = await staffOf();
    const session = await givenSession(t.db, staff.providerId, { title: 'Styrelsearbete i praktiken' });
    const colleagueEmail = uniqueEmail('kollega');
    await signInWithPassword(page, t.app, staff.email, staff.password);
    // Provider staff find their pages in the menu.
    await page.click('nav >> text=Anordnare');
    expect(new URL(page.url()).pathname).toBe(`/anordnare/${staff.providerId}`);
    await page.click('main a:has-text("Personal")');
    expect(await page.textContent('h1')).toBe('Personal');
    expect(await page.textContent('#staff')).toContain('Stina Staff (du)');
    await check('staff');
    await page.click('main button:has-text("Skicka inbjudan")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Skriv en e-postadress i rätt format');
    await check('staff invite with errors');
    await page.fill('#email', 'inte-en-adress');
    await page.click('main button:has-text("Skicka inbjudan")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Skriv en e-postadress i rätt format');
    expect(await page.inputValue('#email')).toBe('inte-en-adress');
    await page.fill('#email', colleagueEmail);
    await page.click('main button:has-text("Skicka inbjudan")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain(`${colleagueEmail} har fått en inbjudan.`);
    expect(await page.textContent('#invitations')).toContain(colleagueEmail);
    await check('staff with an open invitation');
    await page.click('text=Logga ut');

    // The colleague accepts the emailed invitation in the browser and reaches the provider's pages.
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailMatching(colleagueEmail, (m) => /\/invite\//.test(m.text ?? ''));
    await page.goto(inviteLink(mail.text!)!.replace('http://kompetenslyft.test', t.app.baseUrl));
    await page.fill('#name', 'Kalle Kollega');
    await page.fill('#password', 'ett-bra-lösenord-123');
    await page.click('main button:has-text("Tacka ja")');
    await page.waitForSelector('text=Välkommen!');
    await signInWithPassword(page, t.app, colleagueEmail, 'ett-bra-lösenord-123', '/anordnare');
    expect(new URL(page.url()).pathname).toBe(`/anordnare/${staff.providerId}`);
    await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/personal`);
    expect(await page.textContent('#staff')).toContain('Kalle Kollega (du)');
    expect(await page.textContent('#staff')).toContain('Stina Staff');

    // The colleague changes the session: bad input first (nothing written), then a good change.
    await page.goto(`${t.app.baseUrl}/anordnare/tillfallen/${session.id}`);
    await page.click('main a:has-text("Ändra tillfället")');
    expect(await page.textContent('h1')).toBe('Ändra tillfället');
    expect(await page.inputValue('#capacity')).toBe('10');
    expect(await page.inputValue('#venue')).toBe('Storgatan 1, sal 3');
    await check('change session');
    const before = await sessionRow(session.id);
    await page.fill('#endTime', '06:00');
    await page.fill('#capacity', '0');
    await page.fill('#onlineUrl', 'inte en länk');
    await page.click('main button:has-text("Spara")');
    const summary = await page.textContent('.govuk-error-summary');
    expect(summary).toContain('Antal platser måste');
    expect(summary).toContain('Skriv en webbadress som börjar med https://');
    expect(await page.inputValue('#onlineUrl')).toBe('inte en länk');
    await check('change session with errors');
    expect(await sessionRow(session.id)).toEqual(before);
    await page.fill('#onlineUrl', '');
    await page.fill('#capacity', '25');
    await page.fill('#startTime', '10:00');
    await page.fill('#endTime', '09:00');
    await page.click('main button:has-text("Spara")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Sluttiden måste vara efter starttiden.');
    expect(await sessionRow(session.id)).toEqual(before);
    await page.fill('#endTime', '13:30');
    await page.fill('#venue', 'Nya lokalen, Kungsgatan 5');
    await page.check('input[name="waitlistMode"][value="auto"]');
    await page.check('input[name="requiresApproval"][value="yes"]');
    await page.click('main button:has-text("Spara")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Ändringarna av tillfället är sparade.');
    await check('session changed');
    const after = await sessionRow(session.id);
    expect(after).toMatchObject({ venue: 'Nya lokalen, Kungsgatan 5', capacity: 25, waitlist_mode: 'auto', requires_approval: true, municipality_code: '0380' });
    expect(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' }).format(after.starts_at)).toBe('10:00');
    expect(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' }).format(after.ends_at)).toBe('13:30');

    // The colleague leaves the provider (confirmed on a page of its own).
    await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/personal`);
    await page.click('#staff a:has-text("Lämna anordnaren")');
    expect(await page.textContent('h1')).toContain('Lämna');
    await check('leave provider');
    await page.click('main button:has-text("Ja, lämna")');
    await page.waitForSelector('text=Du har lämnat');
    await check('left provider');
    expect(await countRows(t.db, 'provider_staff s JOIN users u ON u.id = s.user_id', 'provider_id = $1 AND u.email = $2', [staff.providerId, colleagueEmail])).toBe(0);
    expect((await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}`))!.status()).toBe(403);
    await page.close();
    return staff;
  }

  it('staff invite a colleague who accepts in the browser, change a session (bad input writes nothing) and leave (JavaScript on, every state checked)', async () => {
    const staff = await staffAndSessionJourney(await browsers.js.context.newPage(), { check: true });
    expect(await countRows(t.db, 'provider_staff', 'provider_id = $1', [staff.providerId])).toBe(1);
  });

  it('the staff and session journey works with JavaScript off', async () => {
    const staff = await staffAndSessionJourney(await browsers.noScript.context.newPage(), { check: false });
    expect(await countRows(t.db, 'provider_staff', 'provider_id = $1', [staff.providerId])).toBe(1);
  });

  it('invites a colleague and changes a session with the keyboard alone (Tab and Enter, the focus visible, every state checked)', async () => {
    const staff = await staffOf();
    const session = await givenSession(t.db, staff.providerId, { title: 'Tangentbordstillfället' });
    const colleagueEmail = uniqueEmail('tangent');
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}/personal`);
    await typeInto(page, 'email', colleagueEmail);
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Skicka inbjudan');
    await pressFor(page, 'Enter', `text=${colleagueEmail} har fått en inbjudan.`);
    await check(page, 'staff invited by keyboard');
    expect(await countRows(t.db, 'invitations', 'email = $1', [colleagueEmail])).toBe(1);

    await page.goto(`${t.app.baseUrl}/anordnare/tillfallen/${session.id}`);
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Ändra tillfället');
    await pressFor(page, 'Enter', (url) => url.pathname.endsWith('/andra'));
    await typeInto(page, 'venue', 'Tangentgatan 1');
    await typeInto(page, 'capacity', '14');
    await check(page, 'change session filled in by keyboard');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Spara');
    await pressFor(page, 'Enter', 'text=Ändringarna av tillfället är sparade.');
    await check(page, 'session changed by keyboard');
    expect(await sessionRow(session.id)).toMatchObject({ venue: 'Tangentgatan 1', capacity: 14 });
    await page.close();
  });

  it('removes a colleague and withdraws an invitation; capacity below the booked seats is refused on the field', async () => {
    const staff = await staffOf();
    const colleague = await givenUser(t, { name: 'Berit Bort' });
    await t.db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [staff.providerId, colleague.id]);
    const session = await givenSession(t.db, staff.providerId, { capacity: 5 });
    for (let i = 0; i < 3; i++) {
      const person = await fastUser(t.db);
      await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({}).expect(201);
    }
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}/personal`);
    await page.click('#staff a:has-text("Ta bort")');
    expect(await page.textContent('h1')).toBe('Ta bort Berit Bort från personalen?');
    await check(page, 'remove colleague');
    await page.click('main button:has-text("Ja, ta bort")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Personen är borttagen från personalen.');
    await check(page, 'colleague removed');
    expect(await countRows(t.db, 'provider_staff', 'provider_id = $1 AND user_id = $2', [staff.providerId, colleague.id])).toBe(0);
    await page.fill('#email', uniqueEmail('angrad'));
    await page.click('main button:has-text("Skicka inbjudan")');
    await page.waitForSelector('#invitations');
    await page.click('#invitations button:has-text("Återkalla")');
    await page.waitForSelector('text=Inbjudan är återkallad.');
    expect(await page.$('#invitations')).toBeNull();
    await check(page, 'invitation withdrawn');

    await page.goto(`${t.app.baseUrl}/anordnare/tillfallen/${session.id}/andra`);
    const before = await sessionRow(session.id);
    await page.fill('#capacity', '2');
    await page.click('main button:has-text("Spara")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Antal platser kan inte vara färre än de 3 platser som redan är bokade.');
    await check(page, 'capacity below booked');
    expect(await sessionRow(session.id)).toEqual(before);
    // A cancelled session cannot change.
    await t.app.http.post(`/api/v1/sessions/${session.id}/cancel`).set(staff.auth).send({ reason: 'Kursledaren är sjuk' }).expect(200);
    expect((await page.goto(`${t.app.baseUrl}/anordnare/tillfallen/${session.id}/andra`))!.status()).toBe(409);
    expect(await page.textContent('main')).toContain('Ett inställt tillfälle kan inte ändras.');
    await check(page, 'change a cancelled session');
    await page.close();
  });

  it('changes the provider\'s details; bad input shows the error summary and writes nothing', async () => {
    const staff = await staffOf();
    const details = async () => (await t.db.query('SELECT name, municipality_code, website, contact_email FROM providers WHERE id = $1', [staff.providerId]))[0];
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}`);
    await page.click('main a:has-text("Anordnarens uppgifter")');
    await check(page, 'provider details');
    const before = await details();
    await page.fill('#name', 'X');
    await page.fill('#website', 'inte en webbplats');
    await page.fill('#contactEmail', 'ingen-adress');
    await page.click('main button:has-text("Spara")');
    const summary = await page.textContent('.govuk-error-summary');
    for (const message of ['Anordnarens namn måste ha minst 2 tecken.', 'Skriv en webbadress som börjar med https://', 'Skriv en e-postadress i rätt format']) expect(summary).toContain(message);
    expect(await page.inputValue('#website')).toBe('inte en webbplats');
    await check(page, 'provider details with errors');
    expect(await details()).toEqual(before);
    await page.fill('#name', 'Folkhögskolan Ny Namn');
    await page.fill('#website', 'https://folkhogskolan.example.se');
    await page.fill('#contactEmail', 'Kurser@Folkhogskolan.example.se');
    await page.selectOption('#municipalityCode', '0380');
    await page.click('main button:has-text("Spara")');
    await page.waitForSelector('.govuk-notification-banner');
    await check(page, 'provider details saved');
    expect(await details()).toMatchObject({ name: 'Folkhögskolan Ny Namn', municipality_code: '0380', website: 'https://folkhogskolan.example.se', contact_email: 'kurser@folkhogskolan.example.se' });
    await page.fill('#website', '');
    await page.click('main button:has-text("Spara")');
    await page.waitForSelector('.govuk-notification-banner');
    expect((await details()).website).toBeNull();
    await page.close();
  });

  async function check(page: Page, name: string) {
    expect(await checked(page, name)).toEqual({ page: name, problems: [] });
  }

  it('shows the demand for new offerings with small cells suppressed, sortable by links, with a chart (none before a round is opened)', async () => {
    const staff = await staffOf();
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}`);
    await page.click('main a:has-text("Efterfrågan på nya kurser")');
    // (No test before this one in the file opens a round.)
    expect(await page.textContent('main')).toContain('Det finns ingen öppnad inventering ännu.');
    await check(page, 'demand without an opened round');
    const coordinator = await givenUser(t, { coordinator: true });
    const orgA = await givenOrganisation(t.db);
    const orgB = await givenOrganisation(t.db);
    const round = await givenRound(t, coordinator, { invite: { organisationIds: [orgA, orgB] }, title: 'Inventering för anordnare' });
    const statement = (organisationId: string, themeCode: string, people: number) => ({ organisationId, themeCode, people, women: 0, men: 0, preferredFormats: ['short_course'] });
    await t.app.http.post(`/api/v1/needs-rounds/${round.id}/statements`).set(coordinator.auth).send(statement(orgA, 'public_procurement', 12)).expect(201);
    await t.app.http.post(`/api/v1/needs-rounds/${round.id}/statements`).set(coordinator.auth).send(statement(orgB, 'digital_skills', 3)).expect(201);
    await page.reload();
    await check(page, 'demand rounds');
    await page.click('#rounds a:has-text("Inventering för anordnare")');
    await check(page, 'demand table');
    const cells = () => page.$$eval('#demand tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    const rows = await cells();
    expect(rows[0][2]).toBe('12');
    expect(rows.find((r) => r[0].startsWith('Digital'))?.[2]).toBe('<5');
    expect(await page.getAttribute('#demand th:nth-child(3)', 'aria-sort')).toBe('descending');
    expect(await page.textContent('#demand-chart desc')).toContain('12');
    expect(await page.textContent('main')).not.toContain('Kooperativet');
    await page.click('#demand th:nth-child(3) a');
    expect(await page.getAttribute('#demand th:nth-child(3)', 'aria-sort')).toBe('ascending');
    expect((await cells())[0][2]).toBe('<5');
    await check(page, 'demand table sorted ascending');
    await page.close();
  });

  it('shows the evaluation results of the provider\'s own offerings: counts only below 5 responses, then the aggregates', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const { course, invited } = await givenInvitedCourse(t, coordinator, 6);
    const staff = await givenProviderStaff(t, course.providerId);
    const answers = (n: number) => ({ satisfaction: (n % 5) + 1, relevance: 4, leader: 5, accessibility: n % 2 ? 'yes' : 'no', comments: `Kommentar ${n}` });
    for (const [i, p] of invited.slice(0, 4).entries()) await t.app.http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answers(i) }).expect(201);
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${course.providerId}`);
    await page.click('main a:has-text("Utvärderingar")');
    const row = await page.$$eval('#results tbody tr td', (tds) => tds.map((td) => td.textContent!.trim()));
    expect(row.slice(1)).toEqual(['6', '4', '67 %']);
    await check(page, 'results per course');
    await page.click('#results tbody a');
    expect(await page.textContent('main')).toContain('Färre än 5 har svarat.');
    expect(await page.textContent('main')).not.toContain('Kommentar');
    await check(page, 'offering results suppressed');
    await t.app.http.post(`/api/v1/evaluations/${invited[4].token}/responses`).send({ answers: answers(4) }).expect(201);
    await page.reload();
    expect(await page.textContent('main')).not.toContain('Färre än 5 har svarat.');
    expect(await page.textContent('main')).toContain('Kommentar 4');
    expect(await page.$$eval('table[id$="-table"]', (t) => t.length)).toBeGreaterThan(0);
    await check(page, 'offering results');
    await page.close();
    // Another provider's staff do not see them.
    const other = await staffOf('Olle Annan');
    const web = new WebClient(t.app);
    await web.signIn(other.email, other.password);
    expect((await web.get(`/anordnare/utbud/${course.offeringId}/utvardering`)).status).toBe(403);
  });

  it('an API key made in the browser works against the JSON API until it is revoked there (then 401)', async () => {
    const staff = await staffOf();
    const session = await givenSession(t.db, staff.providerId);
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}`);
    await page.click('main a:has-text("Integrationer")');
    expect(await page.textContent('h1')).toBe('Integrationer');
    await check(page, 'integrations (empty)');
    const keysBefore = await countRows(t.db, 'api_keys', 'provider_id = $1', [staff.providerId]);
    await page.click('main button:has-text("Skapa nyckel")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Fyll i vad nyckeln är till för.');
    await check(page, 'integrations with errors');
    expect(await countRows(t.db, 'api_keys', 'provider_id = $1', [staff.providerId])).toBe(keysBefore);
    await page.fill('#name', 'Vårt kurssystem');
    await page.click('main button:has-text("Skapa nyckel")');
    expect(await page.textContent('h1')).toContain('API-nyckeln är skapad');
    await check(page, 'key shown once');
    const key = await page.inputValue('#secret');
    expect(key).toMatch(/^klk_/);
    await t.app.http.get(`/api/v1/sessions/${session.id}/bookings`).set({ 'X-Api-Key': key }).expect(200);
    await page.click('main a:has-text("Tillbaka till integrationer")');
    expect(await page.textContent('#keys')).toContain('Vårt kurssystem');
    expect(await page.textContent('#keys')).not.toContain('Aldrig');
    expect(await page.textContent('main')).not.toContain(key);
    await page.click('#keys a:has-text("Återkalla")');
    await check(page, 'revoke key');
    await page.click('main button:has-text("Ja, återkalla")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('#keys')).toContain('Återkallad');
    await check(page, 'key revoked');
    expect((await t.app.http.get(`/api/v1/sessions/${session.id}/bookings`).set({ 'X-Api-Key': key }).expect(401)).body.code).toMatch(/API_KEY/);
    // A provider without evaluations yet.
    await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/utvardering`);
    expect(await page.textContent('main')).toContain('Inga utvärderingar är skickade för era kurser ännu.');
    await check(page, 'results (none yet)');
    await page.close();
  });

  it('a webhook endpoint made in the browser gets a signed test ping; the log shows it, retries it; secret rotated, turned off and on', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const staff = await staffOf();
      const page = await browsers.js.context.newPage();
      await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}/integrationer`);
      await page.click('main a:has-text("Lägg till en webhook")');
      await check(page, 'new webhook');
      await page.fill('#url', 'ftp://inte.en.webbadress');
      await page.click('main button:has-text("Lägg till webhook")');
      const summary = await page.textContent('.govuk-error-summary');
      expect(summary).toContain('Välj minst en händelse.');
      await check(page, 'new webhook with errors');
      await page.check('input[name="events"][value="booking.created"]');
      await page.click('main button:has-text("Lägg till webhook")');
      expect(await page.textContent('.govuk-error-summary')).toContain('Adressen kan inte användas');
      expect(await countRows(t.db, 'webhook_endpoints', 'provider_id = $1', [staff.providerId])).toBe(0);
      await page.fill('#url', `${receiver.url}/kurser`);
      await page.fill('#description', 'Vårt kursregister');
      await page.click('main button:has-text("Lägg till webhook")');
      expect(await page.textContent('h1')).toContain('Webhooken är tillagd');
      await check(page, 'webhook secret shown once');
      const secret = await page.inputValue('#secret');
      expect(secret).toMatch(/^whsec_/);
      await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/integrationer`);
      expect(await page.textContent('#endpoints')).toContain('Vårt kursregister');
      await check(page, 'integrations with a webhook');
      await page.click('#endpoints a');
      await check(page, 'webhook (no deliveries)');
      await page.click('main button:has-text("Skicka ett test")');
      await page.waitForSelector('.govuk-notification-banner');
      await receiver.waitFor(1);
      expect(receiver.verified(secret).map((e) => e.type)).toEqual(['webhook.test']);
      await page.reload();
      expect(await page.textContent('#deliveries')).toContain('webhook.test');
      await check(page, 'webhook with a delivery');
      // A retry while the delivery is being sent is refused with a notice; nothing changes.
      const [delivery] = await t.db.query<{ id: string; status: string }>('SELECT d.id, d.status FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.provider_id = $1', [staff.providerId]);
      await t.db.query(`UPDATE webhook_deliveries SET status = 'sending' WHERE id = $1`, [delivery.id]);
      await page.click('#deliveries button:has-text("Försök igen")');
      await page.waitForSelector('text=Leveransen skickas just nu. Försök igen om en stund.');
      await check(page, 'webhook delivery retried while it is being sent');
      expect(receiver.received).toHaveLength(1);
      await t.db.query('UPDATE webhook_deliveries SET status = $2 WHERE id = $1', [delivery.id, delivery.status]);
      await page.goto(page.url().split('?')[0]);
      await page.click('#deliveries button:has-text("Försök igen")');
      await page.waitForSelector('text=Leveransen skickas igen.');
      await check(page, 'webhook delivery retried');
      await receiver.waitFor(2);
      expect(receiver.received[1].id).toBe(receiver.received[0].id);
      await page.click('main button:has-text("Byt hemlighet")');
      const rotated = await page.inputValue('#secret');
      expect(rotated).not.toBe(secret);
      await check(page, 'webhook secret rotated');
      await page.click('main a:has-text("Till webhooken")');
      await page.click('main button:has-text("Stäng av")');
      await page.waitForSelector('text=Webhooken är avstängd.');
      expect((await t.db.query<{ enabled: boolean }>('SELECT enabled FROM webhook_endpoints WHERE provider_id = $1', [staff.providerId]))[0].enabled).toBe(false);
      await check(page, 'webhook turned off');
      await page.click('main button:has-text("Sätt på")');
      await page.waitForSelector('text=Webhooken är på.');
      await check(page, 'webhook turned on');
      // The address and events change on the shared edit form.
      await page.click('main a:has-text("Ändra adress och händelser")');
      await page.fill('#url', `${receiver.url}/nya-kurser`);
      await page.check('input[name="events"][value="booking.expired"]');
      await page.click('main button:has-text("Spara ändringarna")');
      await page.waitForSelector('text=Ändringarna är sparade.');
      expect(await t.db.query('SELECT url, events FROM webhook_endpoints WHERE provider_id = $1', [staff.providerId])).toEqual([{ url: `${receiver.url}/nya-kurser`, events: ['booking.created', 'booking.expired'] }]);
      await page.close();
    } finally {
      await receiver.close();
    }
  });

  it('imports a catalogue from an uploaded file: the template, a dry run per row, then the real run; a bad row writes nothing', async () => {
    const staff = await staffOf();
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/${staff.providerId}/import`);
    await check(page, 'import');
    const template = await page.evaluate(async (url) => (await fetch(url)).text(), `/anordnare/${staff.providerId}/import/mall?format=csv`);
    expect(template.replace(/^\uFEFF/, '').split('\r\n')[0].replace(/"/g, '')).toBe(IMPORT_HEADER);
    await page.click('main button:has-text("Kontrollera filen")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj en fil att ladda upp.');
    await check(page, 'import without a file');

    const offerings = await countRows(t.db, 'offerings', 'provider_id = $1', [staff.providerId]);
    const bad = [IMPORT_HEADER, importRow('WEB-1', 30), importRow('WEB-2', 31, 'många')].join('\r\n');
    await page.setInputFiles('#file', { name: 'kurser.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.click('main button:has-text("Kontrollera filen")');
    expect(await page.textContent('#import-summary')).toBe('1 läggs till, 0 uppdateras, 1 nekas.');
    expect(await page.textContent('#rows')).toContain('capacity');
    expect(await page.$('button:has-text("Importera")')).toBeNull();
    await check(page, 'import dry run with a rejected row');
    // Posting the bad file for real anyway: 400 with the report, nothing written.
    const web = new WebClient(t.app);
    await web.signIn(staff.email, staff.password);
    await web.get(`/anordnare/${staff.providerId}/import`);
    const forced = await t.app.http
      .post(`/anordnare/${staff.providerId}/import/kor`)
      .set('Cookie', `kl_session=${web.cookie('kl_session')}`)
      .field('_csrf', web.csrf)
      .field('kind', 'csv')
      .field('filename', 'kurser.csv')
      .field('content', Buffer.from(bad).toString('base64'));
    expect(forced.status).toBe(400);
    // The JSON API still takes only the file itself: a multipart body is 415 there.
    const api = await t.app.http.post(`/api/v1/providers/${staff.providerId}/offerings/import`).set(staff.auth).attach('file', Buffer.from(bad), 'kurser.csv');
    expect([api.status, api.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(forced.text).toContain('Inget importerades, eftersom 1 rader nekades.');
    expect(await countRows(t.db, 'offerings', 'provider_id = $1', [staff.providerId])).toBe(offerings);

    const good = [IMPORT_HEADER, importRow('WEB-1', 30), importRow('WEB-1', 37), importRow('WEB-2', 31)].join('\r\n');
    await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/import`);
    await page.setInputFiles('#file', { name: 'kurser.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.click('main button:has-text("Kontrollera filen")');
    expect(await page.textContent('#import-summary')).toBe('3 läggs till, 0 uppdateras, 0 nekas.');
    await check(page, 'import dry run');
    expect(await countRows(t.db, 'offerings', 'provider_id = $1', [staff.providerId])).toBe(offerings);
    // Should the file change between the dry run and the real run (here: a bad one in its place), the real run still checks every row and writes nothing.
    await page.$eval('input[name="content"]', (input, content) => input.setAttribute('value', content), Buffer.from(bad).toString('base64'));
    await page.click('main button:has-text("Importera")');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.textContent('.govuk-error-summary')).toContain('Inget importerades, eftersom 1 rader nekades.');
    await check(page, 'import real run rejected');
    expect(await countRows(t.db, 'offerings', 'provider_id = $1', [staff.providerId])).toBe(offerings);
    await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/import`);
    await page.setInputFiles('#file', { name: 'kurser.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.click('main button:has-text("Kontrollera filen")');
    expect(await page.textContent('#import-summary')).toBe('3 läggs till, 0 uppdateras, 0 nekas.');
    await page.click('main button:has-text("Importera")');
    await page.waitForSelector('.govuk-panel');
    expect(await page.textContent('.govuk-panel')).toContain('3 tillfällen lades till');
    await check(page, 'imported');
    expect(await countRows(t.db, 'offerings', 'provider_id = $1', [staff.providerId])).toBe(offerings + 2);
    expect(await countRows(t.db, 'sessions s JOIN offerings o ON o.id = s.offering_id', 'o.provider_id = $1', [staff.providerId])).toBe(3);
    // An xlsx file is read too: the same rows again are updates.
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Kurstillfällen');
    for (const line of good.split('\r\n')) sheet.addRow(line.split(','));
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.goto(`${t.app.baseUrl}/anordnare/${staff.providerId}/import`);
    await page.setInputFiles('#file', { name: 'kurser.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    await page.click('main button:has-text("Kontrollera filen")');
    expect(await page.textContent('#import-summary')).toBe('0 läggs till, 3 uppdateras, 0 nekas.');
    await page.close();
  });

  it('authorisation: another provider\'s staff, employees and org admins get 403 on every route (nothing written); signed out → sign in', async () => {
    const staff = await staffOf();
    const other = await staffOf('Olle Annan');
    const session = await givenSession(t.db, staff.providerId);
    const colleague = await givenUser(t);
    await t.db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [staff.providerId, colleague.id]);
    const coordinator = await givenUser(t, { coordinator: true });
    const round = await givenRound(t, coordinator, { title: 'Inventering för matrisen' });
    const key = (await t.app.http.post(`/api/v1/providers/${staff.providerId}/api-keys`).set(staff.auth).send({ name: 'Nyckel' }).expect(201)).body;
    const endpoint = await givenWebhookEndpoint(t, staff, { providerId: staff.providerId });
    const employee = await givenUser(t);
    const orgAdmin = await givenUser(t);
    const orgId = await givenOrganisation(t.db);
    await givenMember(t.db, orgId, employee.id, 'employee');
    await givenMember(t.db, orgId, orgAdmin.id, 'org_admin');
    const p = staff.providerId;
    const webhookPages = webhookPageRoutes(`/anordnare/${p}/integrationer/webhookar`, endpoint);
    const gets = [
      `/anordnare/${p}/uppgifter`,
      `/anordnare/${p}/personal`,
      `/anordnare/${p}/personal/${colleague.id}/ta-bort`,
      `/anordnare/tillfallen/${session.id}/andra`,
      `/anordnare/${p}/efterfragan`,
      `/anordnare/${p}/efterfragan/${round.id}`,
      `/anordnare/${p}/utvardering`,
      `/anordnare/utbud/${session.offeringId}/utvardering`,
      `/anordnare/${p}/integrationer`,
      `/anordnare/${p}/integrationer/nycklar/${key.id}/aterkalla`,
      ...webhookPages.gets,
      `/anordnare/${p}/import`,
      `/anordnare/${p}/import/mall?format=csv`,
    ];
    const posts: [string, Record<string, string | string[]>][] = [
      [`/anordnare/${p}/uppgifter`, { name: 'Kapad anordnare' }],
      [`/anordnare/${p}/personal/bjud-in`, { email: uniqueEmail('intrang') }],
      [`/anordnare/${p}/personal/${colleague.id}/ta-bort`, {}],
      [`/anordnare/tillfallen/${session.id}/andra`, { date: dayAhead(30), startTime: '09:00', endTime: '12:00', municipalityCode: '0380', capacity: '99', requiresApproval: 'no', waitlistMode: 'offer' }],
      [`/anordnare/${p}/integrationer/nycklar`, { name: 'Intrång' }],
      [`/anordnare/${p}/integrationer/nycklar/${key.id}/aterkalla`, {}],
      ...webhookPages.posts,
      [`/anordnare/${p}/import`, {}],
      [`/anordnare/${p}/import/kor`, { kind: 'csv', content: Buffer.from(`${IMPORT_HEADER}\r\n${importRow('X-1', 30)}`).toString('base64') }],
    ];
    const snapshot = async () => ({
      provider: await t.db.query('SELECT name, municipality_code, website, contact_email FROM providers WHERE id = $1', [p]),
      staff: await countRows(t.db, 'provider_staff', 'provider_id = $1', [p]),
      invitations: await countRows(t.db, 'invitations'),
      session: await sessionRow(session.id),
      keys: await t.db.query('SELECT id, revoked_at FROM api_keys WHERE provider_id = $1 ORDER BY id', [p]),
      endpoints: await t.db.query('SELECT id, url, events, enabled, secret_encrypted FROM webhook_endpoints WHERE provider_id = $1 ORDER BY id', [p]),
      deliveries: await countRows(t.db, 'webhook_deliveries', 'endpoint_id = $1', [endpoint.id]),
      offerings: await countRows(t.db, 'offerings', 'provider_id = $1', [p]),
    });
    const before = await snapshot();
    for (const [who, person] of [['other provider\'s staff', other], ['employee', employee], ['org admin', orgAdmin]] as const) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of gets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of posts) {
        const res = await web.post(path, body);
        expect([who, path, res.status]).toEqual([who, path, 403]);
      }
    }
    const signedOut = new WebClient(t.app);
    for (const path of gets) {
      const res = await signedOut.get(path);
      expect([path, res.status, res.headers.location?.startsWith('/logga-in?next=')]).toEqual([path, 303, true]);
    }
    expect(await snapshot()).toEqual(before);
    // Staff of another provider do not get this provider's endpoint through their own provider's path either.
    const otherWeb = new WebClient(t.app);
    await otherWeb.signIn(other.email, other.password);
    expect((await otherWeb.get(`/anordnare/${other.providerId}/integrationer/webhookar/${endpoint.id}`)).status).toBe(403);
    // The provider's own staff reach every page.
    const own = new WebClient(t.app);
    await own.signIn(staff.email, staff.password);
    for (const path of gets) expect([path, (await own.get(path)).status]).toEqual([path, 200]);
    // In English too (every text of the pages exists in both languages).
    for (const path of gets.filter((g) => !g.includes('/mall'))) {
      const res = await own.get(`${path}?lang=en`);
      expect([path, res.status, /undefined|\[object Object\]/.test(res.text)]).toEqual([path, 200, false]);
      expect(res.text).toContain('<html lang="en">');
    }
    // CSRF: a post without the token is refused, nothing written.
    expect((await own.post(`/anordnare/${p}/integrationer/nycklar`, { name: 'Utan token' }, { csrf: false })).status).toBe(403);
    expect((await own.post(`/anordnare/${p}/personal/bjud-in`, { email: uniqueEmail() }, { csrf: false })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
