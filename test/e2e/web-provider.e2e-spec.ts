import type { Page } from 'playwright-core';
import { checked, signInWithPassword, WebClient } from '../support/browser.js';
import { fastUsers, givenMember, givenOrganisation, givenSession } from '../support/bookings-factories.js';
import { countRows, givenUser } from '../support/factories.js';
import { dispatchFollowUp } from '../support/follow-up-factories.js';
import { tabTo } from '../support/keyboard.js';
import { dayAhead, useProviderPages } from '../support/provider-factories.js';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

describe('web: provider staff manage offerings and sessions, see participants, record attendance', () => {
  const { browsers, t, staffOf } = useProviderPages();

  /** Creates an offering with two sessions and publishes it, as a person does; with JavaScript on, each page is checked. */
  async function offeringJourney(page: Page, options: { check: boolean; title: string }) {
    const check = async (name: string) => {
      if (options.check) expect(await checked(page, name)).toEqual({ page: name, problems: [] });
    };
    await page.goto(`${t.app.baseUrl}/anordnare`);
    expect(new URL(page.url()).pathname).toMatch(/^\/anordnare\/[0-9a-f-]{36}$/);
    expect(await page.textContent('h1')).toBe('Utbud');
    await check('offerings (empty)');
    await page.click('main a:has-text("Lägg till utbud")');
    await check('new offering');
    await page.click('main button:has-text("Spara som utkast")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Fyll i namnet på kursen.');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj minst ett ämne.');
    await check('new offering with errors');
    await page.fill('#title', options.title);
    await page.fill('#description', 'Om LOU, anbud och avtal med kommuner.');
    await page.check('input[name="themeCodes"][value="public_procurement"]');
    await page.check('input[name="format"][value="short_course"]');
    await page.check('input[name="accessibilityFeatures"][value="induction_loop"]');
    await page.fill('#hours', '7,5');
    await page.fill('#priceSek', '0');
    await page.click('main button:has-text("Spara som utkast")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('main')).toContain('Utkast');
    await check('draft offering');
    const offeringId = new URL(page.url()).pathname.split('/')[3];

    // Publishing without a session is refused with a message.
    await page.click('main button:has-text("Publicera")');
    expect(await page.textContent('main')).toContain('kan inte publiceras förrän det har ett kommande tillfälle');
    await check('cannot publish');
    await page.goto(`${t.app.baseUrl}/anordnare/utbud/${offeringId}`);

    for (const [i, place] of ['0380', ''].entries()) {
      await page.click('main a:has-text("Lägg till tillfälle")');
      if (i === 0) await check('new session');
      await page.fill('#date', dayAhead(20 + i));
      await page.fill('#startTime', '09:00');
      await page.fill('#endTime', i === 0 ? '08:00' : '12:00');
      await page.selectOption('#municipalityCode', place);
      if (place === '') {
        await page.check('input[name="online"]');
        await page.fill('#onlineUrl', 'https://meet.example.se/lou');
      } else await page.fill('#venue', 'Storgatan 1');
      await page.fill('#capacity', '12');
      await page.check(`input[name="waitlistMode"][value="${i === 0 ? 'offer' : 'auto'}"]`);
      await page.click('main button:has-text("Lägg till tillfälle")');
      if (i === 0) {
        // The end before the start: the catalogue's rule, in Swedish, on the field.
        expect(await page.textContent('.govuk-error-summary')).toContain('Sluttiden måste vara efter starttiden.');
        expect(await page.inputValue('#venue')).toBe('Storgatan 1');
        await check('new session with errors');
        await page.fill('#endTime', '16:00');
        await page.click('main button:has-text("Lägg till tillfälle")');
      }
      await page.waitForSelector('.govuk-notification-banner');
    }
    await check('offering with sessions');
    await page.click('main button:has-text("Publicera")');
    await page.waitForSelector('text=Utbudet är publicerat');
    await check('published offering');

    await page.click('main a:has-text("Ändra uppgifterna")');
    await check('edit offering');
    await page.fill('#priceSek', '250');
    await page.click('main button:has-text("Spara")');
    await page.waitForSelector('text=Ändringarna är sparade');

    // The public search finds it.
    await page.goto(`${t.app.baseUrl}/kurser?q=${encodeURIComponent(options.title.split(' ')[0])}`);
    expect(await page.textContent('main')).toContain(options.title);
    return offeringId;
  }

  it('staff create an offering with two sessions, publish it and find it in the public search (JavaScript on, every page checked)', async () => {
    const staff = await staffOf();
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, '/anordnare');
    const offeringId = await offeringJourney(page, { check: true, title: 'Anbudsskrivning för kooperativ' });
    const [row] = await t.db.query<{ status: string; provider_id: string; hours: string; price_sek: number; accessibility_features: string[] }>(
      'SELECT status, provider_id, hours, price_sek, accessibility_features FROM offerings WHERE id = $1',
      [offeringId],
    );
    expect(row).toMatchObject({ status: 'published', provider_id: staff.providerId, price_sek: 250, accessibility_features: ['induction_loop'] });
    expect(Number(row.hours)).toBe(7.5);
    const sessions = await t.db.query<{ starts_at: Date; online: boolean; online_url: string | null; waitlist_mode: string; capacity: number }>(
      'SELECT starts_at, online, online_url, waitlist_mode, capacity FROM sessions WHERE offering_id = $1 ORDER BY starts_at',
      [offeringId],
    );
    expect(sessions.map((s) => [s.online, s.online_url, s.waitlist_mode, s.capacity])).toEqual([
      [false, null, 'offer', 12],
      [true, 'https://meet.example.se/lou', 'auto', 12],
    ]);
    // 09:00 in Stockholm on the chosen day.
    expect(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' }).format(sessions[0].starts_at)).toBe('09:00');

    // Archive: gone from the search.
    await page.goto(`${t.app.baseUrl}/anordnare/utbud/${offeringId}`);
    await page.click('main button:has-text("Arkivera")');
    await page.waitForSelector('text=Utbudet är arkiverat');
    expect(await checked(page, 'archived offering')).toEqual({ page: 'archived offering', problems: [] });
    await page.goto(`${t.app.baseUrl}/kurser?q=Anbudsskrivning`);
    expect(await page.textContent('main')).not.toContain('Anbudsskrivning för kooperativ');
    await page.close();
  });

  it('the same journey works with JavaScript off', async () => {
    const staff = await staffOf();
    const page = await browsers.noScript.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, '/anordnare');
    const offeringId = await offeringJourney(page, { check: false, title: 'Styrelsearbete utan skript' });
    expect(await countRows(t.db, 'offerings', `id = $1 AND status = 'published'`, [offeringId])).toBe(1);
    expect(await countRows(t.db, 'sessions', 'offering_id = $1', [offeringId])).toBe(2);
    await page.close();
  });

  /** A session starting in two hours with three confirmed bookings (one asked for a hearing loop). */
  async function bookedSession(staffProviderId: string) {
    const organisationId = await givenOrganisation(t.db, 'Kooperativet Framsteg');
    const people = await fastUsers(t.db, 3, { prefix: 'deltagare' });
    await givenMember(t.db, organisationId, people.map((p) => p.id));
    const startsAt = new Date(Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR);
    const session = await givenSession(t.db, staffProviderId, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 5, title: 'Bokföring för föreningar' });
    for (const [i, person] of people.entries()) {
      await t.app.http
        .post(`/api/v1/sessions/${session.id}/bookings`)
        .set(person.auth)
        .send(i === 0 ? { accessibilityRequests: ['induction_loop'], note: 'Jag hör dåligt.' } : {})
        .expect(201);
    }
    return { session, people };
  }

  it('after the session, staff see the participants and their needs, download the sign-in sheet, and record attendance with the keyboard only on a phone; the attended get the evaluation email', async () => {
    const staff = await staffOf();
    const { session, people } = await bookedSession(staff.providerId);
    t.app.clock.advance(session.endsAt.getTime() - Date.now() + 10 * 60_000);
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/tillfallen/${session.id}`);
    expect(await page.textContent('main')).toContain('Hörslinga');
    expect(await page.textContent('main')).toContain('Jag hör dåligt.');
    expect(await page.textContent('main')).toContain('Kooperativet Framsteg');
    expect(await checked(page, 'session participants')).toEqual({ page: 'session participants', problems: [] });
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), `/anordnare/tillfallen/${session.id}/deltagarlista.csv`);
    expect(csv.split('\n')[0]).toContain('Namn');
    for (const person of people) expect(csv).toContain(person.email);

    await page.click('main a:has-text("Registrera närvaro")');
    expect(await checked(page, 'attendance form')).toEqual({ page: 'attendance form', problems: [] });
    // Keyboard only: Tab to each control (its focus visible), Space ticks, Enter submits.
    const bookingOf = async (userId: string) => (await t.db.query<{ id: string }>('SELECT id FROM bookings WHERE user_id = $1 AND session_id = $2', [userId, session.id]))[0].id;
    const [first, second, third] = [await bookingOf(people[0].id), await bookingOf(people[1].id), await bookingOf(people[2].id)];
    await tabTo(page, (el) => el.name === 'present' && el.value === first);
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.name === 'present' && el.value === third);
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Fortsätt');
    await Promise.all([page.waitForSelector('text=Stämmer närvaron?'), page.keyboard.press('Enter')]);
    expect(await page.textContent('main')).toContain('Närvarande (2)');
    expect(await page.textContent('main')).toContain('Frånvarande (1)');
    expect(await checked(page, 'attendance check')).toEqual({ page: 'attendance check', problems: [] });
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Bekräfta närvaron');
    await Promise.all([page.waitForSelector('.govuk-notification-banner'), page.keyboard.press('Enter')]);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Närvaron är registrerad för 3 personer');
    expect(await checked(page, 'attendance recorded')).toEqual({ page: 'attendance recorded', problems: [] });
    const rows = await t.db.query<{ id: string; attended: boolean }>('SELECT id, attended FROM bookings WHERE session_id = $1', [session.id]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.attended]))).toEqual({ [first]: true, [second]: false, [third]: true });

    // The default follow-up plan's first step (a day after the end): the attended are emailed, the absent person is not.
    t.app.clock.advance(DAY + HOUR);
    await dispatchFollowUp(t.app);
    for (const person of [people[0], people[2]]) await t.smtp.waitForMailMatching(person.email, (m) => (m.text ?? '').includes('/survey/'));
    expect(t.smtp.to(people[1].email).filter((m) => (m.text ?? '').includes('/survey/'))).toHaveLength(0);
    await page.close();
  });

  it('"everyone was there" then confirm, with JavaScript off', async () => {
    const staff = await staffOf();
    const { session } = await bookedSession(staff.providerId);
    t.app.clock.advance(session.endsAt.getTime() - Date.now() + 10 * 60_000);
    const page = await browsers.noScript.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/tillfallen/${session.id}/narvaro`);
    await page.click('main button:has-text("Alla var där")');
    expect(await page.textContent('main')).toContain('Närvarande (3)');
    await page.click('main button:has-text("Bekräfta närvaron")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await countRows(t.db, 'bookings', 'session_id = $1 AND attended', [session.id])).toBe(3);
    await page.close();
  });

  it('cancels a session with a reason (the people who booked are told); an empty reason is refused and changes nothing', async () => {
    const staff = await staffOf();
    const { session, people } = await bookedSession(staff.providerId);
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, `/anordnare/tillfallen/${session.id}`);
    await page.click('main a:has-text("Ställ in tillfället")');
    expect(await checked(page, 'cancel session')).toEqual({ page: 'cancel session', problems: [] });
    await page.click('main button:has-text("Ställ in tillfället")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Fyll i en anledning.');
    expect(await checked(page, 'cancel session with errors')).toEqual({ page: 'cancel session with errors', problems: [] });
    expect(await countRows(t.db, 'sessions', `id = $1 AND status = 'scheduled'`, [session.id])).toBe(1);
    await page.fill('#reason', 'Kursledaren är sjuk.');
    await page.click('main button:has-text("Ställ in tillfället")');
    await page.waitForSelector('text=Tillfället är inställt: Kursledaren är sjuk.');
    expect(await checked(page, 'cancelled session')).toEqual({ page: 'cancelled session', problems: [] });
    expect(await countRows(t.db, 'bookings', `session_id = $1 AND status = 'cancelled'`, [session.id])).toBe(3);
    await t.app.dispatchMail();
    await t.smtp.waitForMailMatching(people[0].email, (m) => (m.text ?? '').includes('Kursledaren är sjuk.'));
    await page.close();
  });

  it('lists the provider\'s sessions that ended over a day ago without attendance (not another provider\'s), linking to the attendance page', async () => {
    const staff = await staffOf();
    const other = await staffOf('Olle Other');
    const startsAt = new Date(Date.now() - 3 * DAY);
    const ours = await givenSession(t.db, staff.providerId, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), title: 'Vår glömda kurs' });
    const theirs = await givenSession(t.db, other.providerId, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), title: 'Deras glömda kurs' });
    const [person] = await fastUsers(t.db, 1);
    for (const session of [ours, theirs]) await t.db.query(`INSERT INTO bookings (session_id, user_id, status, confirmed_at) VALUES ($1, $2, 'confirmed', now())`, [session.id, person.id]);
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, staff.email, staff.password, '/anordnare');
    const missing = await page.textContent('#attendance-missing');
    expect(missing).toContain('Närvaro saknas');
    expect(missing).toContain('Vår glömda kurs');
    expect(missing).toContain('1 utan närvaro');
    expect(missing).not.toContain('Deras glömda kurs');
    expect(await checked(page, 'offerings with attendance missing')).toEqual({ page: 'offerings with attendance missing', problems: [] });
    await page.click('#attendance-missing a');
    expect(new URL(page.url()).pathname).toBe(`/anordnare/tillfallen/${ours.id}/narvaro`);
    await page.close();
  });

  it('authorisation: another provider\'s staff and other people never see or change this provider\'s offerings, sessions or participants', async () => {
    const staff = await staffOf();
    const other = await staffOf('Olle Other');
    const employee = await givenUser(t, { name: 'Eva Employee' });
    const coordinator = await givenUser(t, { coordinator: true });
    const { session } = await bookedSession(staff.providerId);
    const offeringId = session.offeringId;
    const gets = [
      `/anordnare/${staff.providerId}`,
      `/anordnare/${staff.providerId}/nytt`,
      `/anordnare/utbud/${offeringId}`,
      `/anordnare/utbud/${offeringId}/andra`,
      `/anordnare/utbud/${offeringId}/tillfallen/nytt`,
      `/anordnare/tillfallen/${session.id}`,
      `/anordnare/tillfallen/${session.id}/deltagarlista.csv`,
      `/anordnare/tillfallen/${session.id}/narvaro`,
      `/anordnare/tillfallen/${session.id}/stall-in`,
    ];
    const posts: [string, Record<string, string | string[]>][] = [
      [`/anordnare/${staff.providerId}/nytt`, { title: 'Intrång', description: 'x', themeCodes: 'public_procurement', format: 'short_course', targetGroups: 'social_economy', priceSek: '0' }],
      [`/anordnare/utbud/${offeringId}/andra`, { title: 'Intrång', description: 'x', themeCodes: 'public_procurement', format: 'short_course', targetGroups: 'social_economy', priceSek: '0' }],
      [`/anordnare/utbud/${offeringId}/publicera`, {}],
      [`/anordnare/utbud/${offeringId}/arkivera`, {}],
      [`/anordnare/utbud/${offeringId}/tillfallen/nytt`, { date: dayAhead(30), startTime: '09:00', endTime: '12:00', municipalityCode: '0380', capacity: '5', requiresApproval: 'no', waitlistMode: 'offer' }],
      [`/anordnare/tillfallen/${session.id}/narvaro`, { action: 'all' }],
      [`/anordnare/tillfallen/${session.id}/narvaro/bekrafta`, { people: [], present: [] }],
      [`/anordnare/tillfallen/${session.id}/stall-in`, { reason: 'Intrång i schemat' }],
    ];
    const snapshot = async () =>
      t.db.query('SELECT o.title, o.status, o.updated_at, count(s.*)::int AS sessions, max(s.status) AS session_status FROM offerings o LEFT JOIN sessions s ON s.offering_id = o.id WHERE o.provider_id = $1 GROUP BY o.id', [staff.providerId]);
    const before = await snapshot();
    const offeringsBefore = await countRows(t.db, 'offerings');
    for (const [who, person] of [['other provider\'s staff', other], ['employee', employee]] as const) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of gets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of posts) {
        const res = await web.post(path, body);
        expect([who, path, res.status]).toEqual([who, path, 403]);
        expect(res.text).toContain('Du har inte behörighet');
      }
    }
    const signedOut = new WebClient(t.app);
    for (const path of gets) expect([path, (await signedOut.get(path)).status]).toEqual([path, 303]);
    expect(await snapshot()).toEqual(before);
    expect(await countRows(t.db, 'offerings')).toBe(offeringsBefore);
    expect(await countRows(t.db, 'bookings', 'session_id = $1 AND attended IS NOT NULL', [session.id])).toBe(0);

    // The other provider's staff see only their own provider at /anordnare; coordinators reach every page.
    const otherWeb = new WebClient(t.app);
    await otherWeb.signIn(other.email, other.password);
    expect((await otherWeb.get('/anordnare')).headers.location).toBe(`/anordnare/${other.providerId}`);
    const coordinatorWeb = new WebClient(t.app);
    await coordinatorWeb.signIn(coordinator.email, coordinator.password);
    for (const path of gets.filter((p) => !p.endsWith('/narvaro'))) expect([path, (await coordinatorWeb.get(path)).status]).toEqual([path, 200]);
    // Unknown and malformed ids are 404 pages.
    for (const path of ['/anordnare/utbud/00000000-0000-4000-8000-000000000000', '/anordnare/tillfallen/not-a-uuid', '/anordnare/00000000-0000-4000-8000-000000000000']) {
      expect([path, (await coordinatorWeb.get(path)).status]).toEqual([path, 404]);
    }
  });

  it('refuses posts without the CSRF token (403, nothing written), bad attendance lists, and shows markup as text', async () => {
    const staff = await staffOf();
    const { session } = await bookedSession(staff.providerId);
    const web = new WebClient(t.app);
    await web.signIn(staff.email, staff.password);
    const offeringsBefore = await countRows(t.db, 'offerings');
    expect((await web.post(`/anordnare/${staff.providerId}/nytt`, { title: 'Utan token', description: 'x', themeCodes: 'public_procurement', format: 'short_course', targetGroups: 'social_economy', priceSek: '0' }, { csrf: false })).status).toBe(403);
    expect((await web.post(`/anordnare/tillfallen/${session.id}/stall-in`, { reason: 'Utan token' }, { csrf: false })).status).toBe(403);
    expect(await countRows(t.db, 'offerings')).toBe(offeringsBefore);
    expect(await countRows(t.db, 'sessions', `id = $1 AND status = 'scheduled'`, [session.id])).toBe(1);

    // Bad offering input: 400 with Swedish messages, what was typed kept, nothing written.
    const bad = await web.post(`/anordnare/${staff.providerId}/nytt`, { title: 'ab', description: '', themeCodes: ['public_procurement', 'no_such_theme'], format: 'x', priceSek: '-1', hours: '0,25', contactEmail: 'inte-en-adress' });
    expect(bad.status).toBe(400);
    for (const message of ['Namnet på kursen måste ha minst 3 tecken.', 'Fyll i en beskrivning.', 'Välj minst ett ämne.', 'Välj kursform.', 'Välj minst en målgrupp.', 'Pris måste vara ett heltal mellan 0 och 1000000.', 'Antal timmar måste vara ett tal', 'Skriv en e-postadress i rätt format']) {
      expect(bad.text).toContain(message);
    }
    expect(bad.text).toContain('value="inte-en-adress"');
    expect(await countRows(t.db, 'offerings')).toBe(offeringsBefore);

    // Before the start, attendance is refused (409) and nothing recorded; afterwards a list with a stranger's booking is refused (400).
    const [booking] = await t.db.query<{ id: string }>('SELECT id FROM bookings WHERE session_id = $1 LIMIT 1', [session.id]);
    const early = await web.post(`/anordnare/tillfallen/${session.id}/narvaro/bekrafta`, { people: [booking.id], present: [booking.id] });
    expect(early.status).toBe(409);
    // (Signed in again: moving the clock past the session ends the idle web session.)
    t.app.clock.advance(session.endsAt.getTime() - Date.now() + 60_000);
    await web.signIn(staff.email, staff.password);
    const stranger = await web.post(`/anordnare/tillfallen/${session.id}/narvaro/bekrafta`, { people: [booking.id, '00000000-0000-4000-8000-000000000000'], present: [booking.id] });
    expect(stranger.status).toBe(400);
    const notListed = await web.post(`/anordnare/tillfallen/${session.id}/narvaro/bekrafta`, { people: [booking.id], present: ['00000000-0000-4000-8000-000000000000'] });
    expect(notListed.status).toBe(400);
    expect(await countRows(t.db, 'bookings', 'session_id = $1 AND attended IS NOT NULL', [session.id])).toBe(0);

    // Markup in titles and notes is text.
    await t.db.query(`UPDATE offerings SET title = 'Kurs <script>alert(1)</script>' WHERE id = $1`, [session.offeringId]);
    await t.db.query(`UPDATE bookings SET note = '<img src=x onerror=alert(1)>' WHERE id = $1`, [booking.id]);
    for (const path of [`/anordnare/${staff.providerId}`, `/anordnare/utbud/${session.offeringId}`, `/anordnare/tillfallen/${session.id}`]) {
      const res = await web.get(path);
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).not.toContain('<img src=x');
    }
  });
});
