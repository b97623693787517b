import ExcelJS from 'exceljs';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { stockholmParts } from '../../src/web/provider/provider-forms.js';
import { checked, signInWithPassword, useBrowsers, WebClient } from '../support/browser.js';
import { givenProvider as givenProviderWithStaff } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser, uniqueEmail } from '../support/factories.js';
import { pressFor, tabTo, typeInto } from '../support/keyboard.js';
import { DAY_MS, givenRound, givenSupply } from '../support/needs-factories.js';
import { givenMember, givenOrganisation, type GivenOrganisation } from '../support/organisation-factories.js';

let serial = 0;

describe('web: a coordinator runs a needs round (create, choose, open, answers, report, downloads, close), sees coverage and organisations', () => {
  const browsers = useBrowsers();
  const t = useTestContext({ smtp: false });

  const today = () => stockholmParts(t.app.clock.now().toISOString()).date;
  const inDays = (days: number) => stockholmParts(new Date(t.app.clock.now().getTime() + days * DAY_MS).toISOString()).date;

  /** An org admin states needs and answers the assessment through the organisation's own round page (/inventering/:id). */
  async function answer(org: GivenOrganisation, roundId: string, statements: { themeCode: string; people: string; format: string }[], assessment: boolean) {
    const web = new WebClient(t.app);
    await web.signIn(org.admin.email, org.admin.password);
    await web.get(`/inventering/${roundId}?organisation=${org.id}`);
    for (const s of statements) {
      const res = await web.post(`/inventering/${roundId}/behov?organisation=${org.id}`, { themeCode: s.themeCode, people: s.people, preferredFormats: s.format, priority: 'high' });
      expect(res.status).toBe(303);
    }
    if (assessment) {
      const res = await web.post(`/inventering/${roundId}/bedomning?organisation=${org.id}`, {
        hasPlan: 'yes',
        hasTrained: 'no',
        wantsTraining: 'yes',
        knowledge: '4',
        accWantsTraining: 'yes',
        supportNeeds: ['mentoring', 'financing'],
        followUpMethods: 'interviews',
        channels: ['newsletter', 'email'],
      });
      expect(res.status).toBe(303);
    }
  }

  /** The rows of a table on the page (header cells excluded), as text. */
  const tableRows = (page: Page, selector: string) =>
    page.$$eval(`${selector} tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim())));

  async function journey(page: Page, options: { check: boolean }) {
    const check = async (what: string) => {
      if (options.check) expect(await checked(page, what)).toEqual({ page: what, problems: [] });
    };
    serial += 1;
    const prefix = `Rundföreningen ${serial}${options.check ? 'J' : 'N'}`;
    const a = await givenOrganisation(t, { name: `${prefix} Alfa` });
    const b = await givenOrganisation(t, { name: `${prefix} Beta`, municipalityCode: '0580' });
    await givenOrganisation(t, { name: `Annan förening ${serial}${options.check ? 'J' : 'N'}` });
    await givenSupply(t.db, { themeCodes: ['digital_skills'], startsAt: new Date(t.app.clock.now().getTime() + 10 * DAY_MS), capacity: 6 });
    const coordinator = await givenUser(t, { coordinator: true, name: 'Cecilia Coordinator' });
    const title = `Behovsinventering ${serial} <b>våren</b>`;

    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning');
    await page.click('#areas a:has-text("Behovsinventeringar")');
    expect(await page.textContent('h1')).toBe('Behovsinventeringar');
    await check('rounds list');
    await page.click('main a:has-text("Skapa en behovsinventering")');
    await check('create round');

    // Bad input: the summary links each problem to its field, what was typed is kept, nothing is written.
    const rounds = await countRows(t.db, 'needs_rounds');
    await page.fill('#opensDate', '1 februari');
    await page.fill('#closesDate', '2020-01-01');
    await page.click('main button:has-text("Skapa inventeringen")');
    const summary = (await page.textContent('.govuk-error-summary'))!;
    for (const message of ['Fyll i namnet på inventeringen.', 'Skriv datumet som år-månad-dag', 'Datumet då inventeringen stänger har redan passerat.', 'Välj vilka organisationer som bjuds in.']) expect(summary).toContain(message);
    expect(await page.getAttribute('.govuk-error-summary a[href="#scope"]', 'href')).toBe('#scope');
    expect(await page.inputValue('#opensDate')).toBe('1 februari');
    expect(await page.title()).toMatch(/^Fel: /);
    await check('create round with errors');
    await page.fill('#title', title);
    await page.fill('#opensDate', today());
    await page.fill('#closesDate', inDays(30));
    await page.check('input[name="scope"][value="counties"]');
    await page.click('main button:has-text("Skapa inventeringen")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj minst ett län.');
    await check('create round without a county');
    expect(await countRows(t.db, 'needs_rounds')).toBe(rounds);

    await page.check('input[name="scope"][value="organisations"]');
    await page.click('main button:has-text("Skapa inventeringen")');
    await page.waitForURL((url) => url.pathname.endsWith('/organisationer'));
    const roundId = new URL(page.url()).pathname.split('/')[3];
    expect(await page.textContent('main')).toContain('Inga organisationer är valda ännu.');
    await check('choose organisations');
    await page.fill('#q', prefix);
    await page.click('main button:has-text("Sök")');
    expect(await page.$$eval('input[name="organisationIds"]', (inputs) => inputs.length)).toBe(2);
    await check('choose organisations: search results');
    await page.check(`input[name="organisationIds"][value="${a.id}"]`);
    await page.check(`input[name="organisationIds"][value="${b.id}"]`);
    await page.click('main button:has-text("Spara valet")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Valet av organisationer är sparat: 2 organisationer.');
    expect(await page.textContent('h1')).toBe(title);
    await check('draft round with chosen organisations');
    const [draft] = await t.db.query<{ status: string; invite_scope: string; invite_values: string[] }>('SELECT status, invite_scope, invite_values FROM needs_rounds WHERE id = $1', [roundId]);
    expect({ ...draft, invite_values: [...draft.invite_values].sort() }).toEqual({ status: 'draft', invite_scope: 'organisations', invite_values: [a.id, b.id].sort() });

    await page.click('main button:has-text("Öppna inventeringen")');
    await page.waitForSelector('text=Inventeringen är öppen.');
    expect(await page.textContent('.govuk-notification-banner')).toContain('2 organisationer är inbjudna');
    expect(await tableRows(page, '#invitees')).toEqual([
      [`${prefix} Alfa`, 'Uppsala', 'Uppsala län', 'Nej', 'Nej'],
      [`${prefix} Beta`, 'Linköping', 'Östergötlands län', 'Nej', 'Nej'],
    ]);
    await check('open round');

    // The organisations answer on their own pages.
    await answer(a, roundId, [{ themeCode: 'public_procurement', people: '12', format: 'short_course' }, { themeCode: 'digital_skills', people: '7', format: 'online_course' }], true);
    await answer(b, roundId, [{ themeCode: 'digital_skills', people: '9', format: 'online_course' }], false);

    await page.reload();
    expect(await page.textContent('#facts')).toContain('2 av 2 (100 %)');
    await page.click('#invitees th a:has-text("Har svarat på frågorna")');
    expect(await page.getAttribute('#invitees th:has-text("Har svarat på frågorna")', 'aria-sort')).toBe('ascending');
    expect((await tableRows(page, '#invitees')).map((r) => [r[0], r[4]])).toEqual([[`${prefix} Beta`, 'Nej'], [`${prefix} Alfa`, 'Ja']]);
    await check('round with answers, sorted by assessment');

    // The report: every question's table, charts, sortable; the downloads hold the same numbers.
    await page.click('main a:has-text("Rapporten")');
    expect(await page.textContent('h1')).toBe('Rapport');
    expect(await page.$$eval('main section table caption', (c) => c.length)).toBe(17);
    expect(await tableRows(page, '#q1')).toEqual([
      ['1', 'Digital kompetens', 'digital_skills', '16', '2', '2'],
      ['2', 'Offentlig upphandling (LOU) och avtal med kommuner', 'public_procurement', '12', '1', '1'],
    ]);
    expect(await page.textContent('#q1 tfoot')).toContain('28');
    expect(await page.getAttribute('#q1-chart svg', 'role')).toBe('img');
    expect(await page.textContent('#q1-chart desc')).toBe('Digital kompetens: 16. Offentlig upphandling (LOU) och avtal med kommuner: 12.');
    await check('report');
    await page.click('#q1 th a:has-text("Antal personer")');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'q1.3');
    expect(await page.getAttribute('#q1 th:has-text("Antal personer")', 'aria-sort')).toBe('descending');
    await page.click('#q1 th a:has-text("Antal personer")');
    await page.waitForURL((url) => url.searchParams.get('dir') === 'asc');
    expect(await page.getAttribute('#q1 th:has-text("Antal personer")', 'aria-sort')).toBe('ascending');
    expect((await tableRows(page, '#q1')).map((r) => r[3])).toEqual(['12', '16']);
    await check('report sorted by people');
    const pageRows = {
      themes: (await tableRows(page, '#q1')).sort((x, y) => Number(x[0]) - Number(y[0])),
      supply: await tableRows(page, '#q7'),
      support: await tableRows(page, '#q9'),
    };

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a:has-text("Rapporten som Excel-fil")')]);
    expect(download.suggestedFilename()).toMatch(/^behovsinventering-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer); // a Node Buffer at run time; exceljs types it apart
    const sheetRows = (name: string) => {
      const rows: string[][] = [];
      workbook.getWorksheet(name)!.eachRow((row, n) => {
        if (n > 2) rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
      });
      return rows;
    };
    expect(sheetRows('F1 F2 Behov per tema').slice(0, -1)).toEqual(pageRows.themes);
    expect(sheetRows('F1 F2 Behov per tema').at(-1)!.slice(1, 4)).toEqual(['Totalt', '', '28']);
    expect(sheetRows('F3 Utbud')).toEqual(pageRows.supply);
    expect(sheetRows('F5 Stödstruktur')).toEqual(pageRows.support);
    expect(sheetRows('Svarsfrekvens')).toEqual([['2', '2', '2', '1', '1']]);
    expect(pageRows.supply.find((r) => r[1] === 'digital_skills')!.slice(0, 3)).toEqual(['Digital kompetens', 'digital_skills', '16']);
    const csv = await Promise.all([page.waitForEvent('download'), page.click('#downloads a:has-text("Rapporten som CSV-fil")')]);
    expect(fs.readFileSync((await csv[0].path())!, 'utf8')).toContain('Digital kompetens');

    // Coverage: gaps first, table and chart.
    await page.goto(`${t.app.baseUrl}/samordning/tackning?inventering=${roundId}`);
    expect(await page.textContent('h1')).toBe('Täckning: behov och utbud');
    const coverage = await tableRows(page, '#coverage');
    expect(coverage[0].slice(1, 6)).toEqual(['Offentlig upphandling (LOU) och avtal med kommuner', 'Uppsala län', '12', '0 Saknas', '12']);
    expect(await page.getAttribute('#coverage-chart svg', 'role')).toBe('img');
    await check('coverage');
    await page.click('#coverage th a:has-text("Län")');
    expect(await page.getAttribute('#coverage th:has-text("Län")', 'aria-sort')).toBe('ascending');
    await check('coverage sorted by county');

    // Close, with a confirmation page.
    await page.goto(`${t.app.baseUrl}/samordning/inventeringar/${roundId}`);
    await page.click('main a:has-text("Stäng inventeringen")');
    expect(await page.textContent('h1')).toBe('Vill du stänga inventeringen?');
    await check('close round: confirm');
    expect((await t.db.query<{ status: string }>('SELECT status FROM needs_rounds WHERE id = $1', [roundId]))[0].status).toBe('open');
    await page.click('main button:has-text("Ja, stäng inventeringen")');
    await page.waitForSelector('text=Inventeringen är stängd.');
    await check('closed round');
    expect((await t.db.query<{ status: string }>('SELECT status FROM needs_rounds WHERE id = $1', [roundId]))[0].status).toBe('closed');

    await page.goto(`${t.app.baseUrl}/samordning/inventeringar`);
    expect(await page.textContent('#rounds')).toContain(title);
    expect(await page.textContent('#rounds')).toContain('2 av 2 (100 %)');
    await check('rounds list with a closed round');
    await page.close();
    return { roundId };
  }

  it('creation to the report download in the browser, JavaScript on, every state checked (axe, html-validate, 390 px)', async () => {
    await journey(await browsers.js.context.newPage(), { check: true });
  });

  it('the same journey with JavaScript off', async () => {
    await journey(await browsers.noScript.context.newPage(), { check: false });
  });

  it('creates a round for every organisation and opens it with the keyboard alone (Tab, Space and Enter, the focus visible, every state checked)', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning/inventeringar');
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Skapa en behovsinventering');
    await pressFor(page, 'Enter', (url) => url.pathname === '/samordning/inventeringar/ny');
    await typeInto(page, 'title', 'Inventering med tangentbordet');
    await typeInto(page, 'opensDate', today());
    await typeInto(page, 'closesDate', inDays(30));
    await tabTo(page, (el) => el.name === 'scope' && el.value === 'all');
    await page.keyboard.press('Space');
    await check(page, 'create round filled in by keyboard');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Skapa inventeringen');
    await pressFor(page, 'Enter', (url) => url.searchParams.has('skapad'));
    expect(await page.textContent('h1')).toBe('Inventering med tangentbordet');
    await check(page, 'draft round reached by keyboard');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Öppna inventeringen');
    await pressFor(page, 'Enter', 'text=Inventeringen är öppen.');
    await check(page, 'round opened by keyboard');
    const roundId = new URL(page.url()).pathname.split('/')[3];
    expect(await t.db.query('SELECT title, status, invite_scope FROM needs_rounds WHERE id = $1', [roundId])).toEqual([{ title: 'Inventering med tangentbordet', status: 'open', invite_scope: 'all' }]);
    await page.close();
  });

  it('bad input on the create form: 400 with the messages, nothing written; an unknown round is 404; opening a round without organisations says why', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    await web.get('/samordning/inventeringar/ny');
    const before = await countRows(t.db, 'needs_rounds');
    const cases: [Record<string, string | string[]>, string[]][] = [
      [{ title: 'X', opensDate: '2027-02-30', closesDate: 'snart', scope: 'everyone' }, ['Namnet på inventeringen måste ha minst 2 tecken.', 'Skriv datumet som år-månad-dag', 'Välj vilka organisationer som bjuds in.']],
      [{ title: 'Y'.repeat(201), opensDate: inDays(10), closesDate: inDays(5), scope: 'sectors' }, ['högst 200 tecken', 'Inventeringen måste stänga efter att den öppnar.', 'Välj minst en sektor.']],
      [{ title: 'Giltigt namn', opensDate: today(), closesDate: inDays(3), scope: 'counties', counties: ['03', '99'] }, ['Välj minst ett län.']],
      [{ title: 'Giltigt namn', opensDate: today(), closesDate: inDays(3), scope: 'sectors', sectors: 'castle' }, ['Välj minst en sektor.']],
    ];
    for (const [body, messages] of cases) {
      const res = await web.post('/samordning/inventeringar/ny', body);
      expect(res.status).toBe(400);
      expect(res.text).toContain('govuk-error-summary');
      for (const message of messages) expect(res.text).toContain(message);
    }
    expect(await countRows(t.db, 'needs_rounds')).toBe(before);
    expect((await web.get('/samordning/inventeringar/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await web.get('/samordning/inventeringar/inte-ett-id/rapport')).status).toBe(404);

    // Chosen organisations, none chosen yet: opening is refused on the round's page, nothing changes.
    const created = await web.post('/samordning/inventeringar/ny', { title: 'Utan organisationer', opensDate: today(), closesDate: inDays(3), scope: 'organisations' });
    expect(created.status).toBe(303);
    const roundId = created.headers.location.split('/')[3];
    await web.get(`/samordning/inventeringar/${roundId}`);
    const refused = await web.post(`/samordning/inventeringar/${roundId}/oppna`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Välj minst en organisation innan du öppnar inventeringen.');
    expect((await t.db.query<{ status: string }>('SELECT status FROM needs_rounds WHERE id = $1', [roundId]))[0].status).toBe('draft');
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, `/samordning/inventeringar/${roundId}`);
    await page.click('main button:has-text("Öppna inventeringen")');
    await page.waitForSelector('.govuk-error-summary');
    expect(await checked(page, 'open refused: nobody invited')).toEqual({ page: 'open refused: nobody invited', problems: [] });
    await page.goto(`${t.app.baseUrl}/samordning/inventeringar/${roundId}?lang=en`);
    expect(await page.textContent('h1')).toBe('Utan organisationer');
    expect(await checked(page, 'draft round in English')).toEqual({ page: 'draft round in English', problems: [] });
    await page.goto(`${t.app.baseUrl}/samordning/inventeringar/ny`);
    await page.click('main button:has-text("Create the round")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the name of the round.');
    expect(await checked(page, 'create round with errors in English')).toEqual({ page: 'create round with errors in English', problems: [] });
    await page.goto(`${t.app.baseUrl}/samordning/organisationer`);
    expect(await page.textContent('h1')).toBe('Organisations');
    expect(await checked(page, 'organisations in English')).toEqual({ page: 'organisations in English', problems: [] });
    await page.goto(`${t.app.baseUrl}/samordning/inventeringar?lang=sv`);
    await page.close();
  });

  it('the report in English and a round nobody answered: tables, charts and sorting stay accessible', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const round = await givenRound(t, coordinator, { invite: { counties: ['25'] }, title: 'Tom inventering' });
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, `/samordning/inventeringar/${round.id}/rapport?lang=en`);
    expect(await page.textContent('h1')).toBe('Report');
    expect(await page.textContent('#q1-section h2')).toBe('Questions 1–2: Needs for skills development per theme (people)');
    expect(await checked(page, 'empty report in English')).toEqual({ page: 'empty report in English', problems: [] });
    await page.goto(`${t.app.baseUrl}/samordning/tackning?inventering=${round.id}`);
    expect(await page.textContent('#no-demand')).toBe('No needs have been stated in the round yet.');
    expect(await checked(page, 'empty coverage in English')).toEqual({ page: 'empty coverage in English', problems: [] });
    await page.goto(`${t.app.baseUrl}/samordning?lang=sv`);
    await page.close();
  });

  /** A coordinator finds an organisation with the filters, makes a member its admin and invites another admin. */
  async function organisationsJourney(page: Page, javaScript: boolean) {
    const step = async (what: string) => {
      if (javaScript) await check(page, what);
    };
    const coordinator = await givenUser(t, { coordinator: true });
    const name = `Sökbara föreningen ${Date.now()}${javaScript ? 'J' : 'N'}`;
    const org = await givenOrganisation(t, { name, legalForm: 'ekonomisk_forening', municipalityCode: '0580' });
    await givenOrganisation(t, { name: `${name} i Uppsala`, legalForm: 'ekonomisk_forening' });
    const employee = await givenMember(t, org.id, 'employee');
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning');
    await page.click('#areas a:has-text("Organisationer")');
    await step('organisations');
    await page.fill('#q', name);
    await page.selectOption('#county', '05');
    await page.selectOption('#legalForm', 'ekonomisk_forening');
    await page.click('main button:has-text("Sök")');
    expect(await tableRows(page, '#results')).toEqual([[name, org.orgNumber, 'Ekonomisk förening', 'Linköping', 'Östergötlands län']]);
    await step('organisations filtered');
    await page.selectOption('#legalForm', 'stiftelse');
    await page.click('main button:has-text("Sök")');
    expect(await page.textContent('#results')).toContain('Inga organisationer matchar.');
    await step('organisations: no match');
    await page.goto(`${t.app.baseUrl}/samordning/organisationer?q=${encodeURIComponent(name)}&county=05`);
    await page.click(`#results a:has-text("${name}")`);
    expect(await page.textContent('h1')).toBe(name);
    expect(await tableRows(page, '#members')).toEqual(
      expect.arrayContaining([
        [org.admin.name, org.admin.email, 'Administratör'],
        [employee.name, employee.email, expect.stringContaining('Anställd')],
      ]),
    );
    await step('organisation');

    await page.click('#members button:has-text("Gör till administratör")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain(`${employee.name} är nu administratör för organisationen.`);
    await step('member made admin');
    expect((await t.db.query<{ role: string }>('SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [org.id, employee.id]))[0].role).toBe('org_admin');

    const invitations = await countRows(t.db, 'invitations');
    await page.fill('#email', 'inte en adress');
    await page.click('main button:has-text("Skicka inbjudan")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Skriv en e-postadress i rätt format');
    expect(await page.inputValue('#email')).toBe('inte en adress');
    await step('invite admin with errors');
    await page.fill('#email', employee.email);
    await page.click('main button:has-text("Skicka inbjudan")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Personen är redan medlem i organisationen.');
    expect(await countRows(t.db, 'invitations')).toBe(invitations);
    const email = uniqueEmail('ny.admin');
    await page.fill('#email', email);
    await page.click('main button:has-text("Skicka inbjudan")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain(`${email} har fått en inbjudan att bli administratör.`);
    await step('admin invited');
    expect(await t.db.query('SELECT role FROM invitations WHERE email = $1 AND target_id = $2', [email, org.id])).toEqual([{ role: 'org_admin' }]);
    await page.close();
  }

  it('organisations: search and filters, an organisation\'s members, a member made admin, an admin invited (bad input refused); JavaScript on, every state checked', async () => {
    await organisationsJourney(await browsers.js.context.newPage(), true);
  });

  it('the organisations journey with JavaScript off', async () => {
    await organisationsJourney(await browsers.noScript.context.newPage(), false);
  });

  it('authorisation: employees, org admins and provider staff get 403 on every route (nothing written); signed out → sign in', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id, 'employee');
    const staff = await givenUser(t);
    await givenProviderWithStaff(t.db, [staff.id]);
    const draft = await givenRound(t, coordinator, { invite: { organisationIds: [org.id] }, open: false, title: 'Utkast för behörighet' });
    const open = await givenRound(t, coordinator, { invite: { organisationIds: [org.id] }, title: 'Öppen för behörighet' });
    const gets = [
      '/samordning/inventeringar',
      '/samordning/inventeringar/ny',
      `/samordning/inventeringar/${draft.id}`,
      `/samordning/inventeringar/${draft.id}/organisationer`,
      `/samordning/inventeringar/${open.id}/stang`,
      `/samordning/inventeringar/${open.id}/rapport`,
      `/samordning/inventeringar/${open.id}/rapport.xlsx`,
      `/samordning/inventeringar/${open.id}/rapport.csv`,
      '/samordning/tackning',
      `/samordning/tackning.xlsx?inventering=${open.id}`,
      `/samordning/tackning.csv?inventering=${open.id}`,
      '/samordning/organisationer',
      `/samordning/organisationer/${org.id}`,
    ];
    const posts: [string, Record<string, string | string[]>][] = [
      ['/samordning/inventeringar/ny', { title: 'Obehörig', opensDate: today(), closesDate: inDays(3), scope: 'all' }],
      [`/samordning/inventeringar/${draft.id}/organisationer`, { shown: org.id, organisationIds: [] }],
      [`/samordning/inventeringar/${draft.id}/oppna`, {}],
      [`/samordning/inventeringar/${open.id}/stang`, {}],
      [`/samordning/organisationer/${org.id}/medlemmar/${employee.id}/administrator`, {}],
      [`/samordning/organisationer/${org.id}/bjud-in`, { email: uniqueEmail() }],
    ];
    const state = async () => ({
      rounds: await t.db.query('SELECT id, status, invite_values FROM needs_rounds ORDER BY id'),
      roles: await t.db.query('SELECT user_id, role FROM organisation_members WHERE organisation_id = $1 ORDER BY user_id', [org.id]),
      invitations: await countRows(t.db, 'invitations'),
    });
    const before = await state();
    const people: [string, GivenUser][] = [['employee', employee], ['org admin', org.admin], ['provider staff', staff]];
    for (const [who, person] of people) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of gets) {
        const res = await web.get(path);
        expect([who, path, res.status]).toEqual([who, path, 403]);
        expect(res.headers['content-type']).toContain('text/html');
      }
      for (const [path, body] of posts) expect([who, path, (await web.post(path, body)).status]).toEqual([who, path, 403]);
    }
    const signedOut = new WebClient(t.app);
    for (const path of gets) {
      const res = await signedOut.get(path);
      expect([path, res.status, res.headers.location?.split('?')[0]]).toEqual([path, 303, '/logga-in']);
    }
    for (const [path, body] of posts) expect([path, (await signedOut.post(path, body)).status]).toEqual([path, 303]);
    expect(await state()).toEqual(before);

    // A coordinator without the form's CSRF token: 403, nothing written.
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    for (const [path, body] of posts) expect([path, (await web.post(path, body, { csrf: false })).status]).toEqual([path, 403]);
    expect(await state()).toEqual(before);
    // The downloads are the coordinator's: files with the export's names.
    const xlsx = await web.get(`/samordning/inventeringar/${open.id}/rapport.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toMatch(/^attachment; filename="behovsinventering-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const coverage = await web.get(`/samordning/tackning.csv?inventering=${open.id}`);
    expect(coverage.status).toBe(200);
    expect(coverage.headers['content-disposition']).toMatch(/^attachment; filename="tackning-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(coverage.text).toContain('Täckning');
  });

  async function check(page: Page, what: string) {
    expect(await checked(page, what)).toEqual({ page: what, problems: [] });
  }
});
