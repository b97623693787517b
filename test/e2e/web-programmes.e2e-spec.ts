import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { checked, signInWithPassword, useBrowsers, WebClient } from '../support/browser.js';
import { givenProvider, givenPublishedOffering, givenStaff } from '../support/catalogue-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { pressFor, tabTo, typeInto } from '../support/keyboard.js';
import { givenRound } from '../support/needs-factories.js';
import { givenOrgIn, interventionBody, programmeBody } from '../support/programme-factories.js';

/**
 * Coordinators' programme pages (issue 19): create a programme, draft from a needs round, approve
 * an intervention, link an offering, follow progress against the plan and download the programme
 * document, in a browser with JavaScript (every state checked: axe, html-validate, 390 px) and
 * without; bad input; who may open what.
 *
 * The round: one organisation in Uppsala län (03) states 12 people (8 women, 4 men) in need of
 * public procurement, study circle first; nothing in the catalogue covers it → one proposal:
 * 12 participants, 8 women, 4 men, study circle, to procure, 12 h × 150 kr × 12 = 21 600 kr.
 */
describe('web: coordinators plan a programme from a needs round and follow it up', () => {
  const browsers = useBrowsers();
  const t = useTestContext();
  let coordinator: GivenUser;
  let uppsala: GivenUser & { organisationId: string };
  let staff: GivenUser;
  let offeringId: string;
  let roundTitle: string;

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true, name: 'Cecilia Samordnare' });
    uppsala = await givenOrgIn(t, '0380');
    const provider = await givenProvider(t, coordinator, { name: 'Studieförbundet Webbsidan' });
    staff = await givenStaff(t, provider.id);
    offeringId = (await givenPublishedOffering(t, staff, provider.id, { title: 'Digitala verktyg för föreningar', themeCodes: ['digital_skills'] }, [{ days: 20, capacity: 10 }])).id;
    roundTitle = 'Inventering för programsidorna';
    const roundId = (await givenRound(t, coordinator, { title: roundTitle })).id;
    await t.app.http
      .post(`/api/v1/needs-rounds/${roundId}/statements`)
      .set(uppsala.auth)
      .send({ organisationId: uppsala.organisationId, themeCode: 'public_procurement', people: 12, women: 8, men: 4, preferredFormats: ['study_circle', 'short_course'] })
      .expect(201);
  });

  /** The coordinator's whole journey; returns the programme's and the approved intervention's ids. */
  async function journey(page: Page, options: { check: boolean; title: string; offeringId: string; offeringTitle: string }): Promise<{ programmeId: string; interventionId: string }> {
    const check = async (what: string) => {
      if (options.check) expect(await checked(page, what)).toEqual({ page: what, problems: [] });
    };
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning');
    await page.click('main a[href="/samordning/program"]');
    expect(await page.textContent('h1')).toBe('Program');
    await check('programmes');
    await page.click('main a:has-text("Skapa ett program")');
    await check('new programme');

    // Bad input: shown again with the error summary, what was typed kept.
    await page.fill('#title', options.title);
    await page.fill('#startsOn', '2027-03-01');
    await page.fill('#endsOn', '2027-01-01');
    await page.fill('#budgetSek', '-5');
    await page.fill('#unitCostPerHourSek', '12,345');
    await page.click('main button:has-text("Skapa programmet")');
    const summary = text(await page.textContent('.govuk-error-summary'));
    expect(summary).toContain('Sista dag kan inte vara före första dag.');
    expect(summary).toContain('Budget måste vara ett heltal mellan 0 och 1000000000000.');
    expect(summary).toContain('Värde per deltagartimme måste vara ett tal mellan 0 och 100000, med högst 2 decimaler.');
    expect(await page.inputValue('#title')).toBe(options.title);
    await check('new programme with errors');

    await page.fill('#endsOn', '2029-02-28');
    await page.fill('#budgetSek', '1000000');
    await page.fill('#unitCostPerHourSek', '300');
    await page.check('input[name="fundingSource"][value="region"]');
    await page.check('input[name="flags"][value="esfReporting"]');
    await page.fill('#finalPaymentYear', '2030');
    await page.click('main button:has-text("Skapa programmet")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Programmet är skapat.');
    expect(text(await page.textContent('#programme'))).toContain('1 000 000 kr');
    const programmeId = new URL(page.url()).pathname.split('/')[3];
    await check('programme created');

    // Change it.
    await page.click('main a:has-text("Ändra programmet")');
    await check('edit programme');
    await page.fill('#budgetSek', '1200000');
    await page.click('main button:has-text("Spara ändringarna")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(text(await page.textContent('#programme'))).toContain('1 200 000 kr');

    // Draft from the round.
    await page.click('main a:has-text("Gör utkast från en behovsinventering")');
    await check('draft: choose a round');
    await page.click('main button:has-text("Gör utkast")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Välj en behovsinventering.');
    await check('draft: no round chosen');
    await page.check(`label:has-text("${roundTitle}")`);
    await page.click('main button:has-text("Gör utkast")');
    await page.waitForSelector('#proposals');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Utkastet är klart: 1 förslag.');
    const proposal = text(await page.textContent('#proposals'));
    expect(proposal).toContain('Deltagare: 12 (Kvinnor 8, Män 4)');
    expect(proposal).toContain('Studiecirkel');
    expect(proposal).toContain('Upphandlas');
    expect(proposal).toContain('21 600 kr');
    expect(proposal).toContain('12 − 0 = 12 deltagare');
    await check('draft: the proposals');

    // Approve it and link an offering.
    await page.click('#proposals a');
    await check('intervention (proposed)');
    await page.click('main button:has-text("Godkänn insatsen")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Insatsen är godkänd.');
    expect(await page.textContent('#intervention')).toContain('Godkänd');
    const interventionId = new URL(page.url()).pathname.split('/')[5];
    await check('intervention approved');
    await page.fill('#offeringId', 'inte-ett-id');
    await page.click('main button:has-text("Länka utbud")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Det finns inget sådant utbud.');
    await check('link offering with errors');
    await page.fill('#offeringId', options.offeringId);
    await page.click('main button:has-text("Länka utbud")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('#linked-offerings')).toContain(options.offeringTitle);
    await check('offering linked');

    // Progress against the plan, with its chart and a table sorted by links.
    await page.click('.govuk-back-link');
    await page.click('main a:has-text("Uppföljning mot planen")');
    expect(text(await page.textContent('#totals'))).toContain('21 600 kr');
    const cells = await page.$$eval('#progress tbody tr td', (tds) => tds.map((td) => td.textContent!.trim()));
    expect(cells.slice(1, 4)).toEqual(['12', '0', '0']);
    if (options.check) expect(await page.getAttribute('#progress-chart svg', 'role')).toBe('img');
    await check('progress');
    await page.click('#progress th a:has-text("Planerat")');
    expect(await page.getAttribute('#progress th[aria-sort="descending"]', 'aria-sort')).toBe('descending');
    await check('progress sorted');
    await page.click('.govuk-back-link');
    expect(await page.getAttribute('#plan-downloads a:has-text("Excel")', 'href')).toBe(`/samordning/program/${programmeId}/programdokument.xlsx`);
    expect(text(await page.textContent('#cost-chart desc'))).toContain('21 600 kr');
    await check('programme with its interventions and the cost chart');
    await page.close();
    return { programmeId, interventionId };
  }

  it('creates a programme, drafts from a round, approves, links an offering and follows progress (JavaScript on, every page checked); the plan downloads', async () => {
    const { programmeId, interventionId } = await journey(await browsers.js.context.newPage(), { check: true, title: 'Kompetenslyft med skript', offeringId, offeringTitle: 'Digitala verktyg för föreningar' });
    const [row] = await t.db.query<{ budget_sek: string; funding_source: string; esf_reporting: boolean; unit_cost_per_hour_sek: string; final_payment_year: number }>(
      'SELECT budget_sek, funding_source, esf_reporting, unit_cost_per_hour_sek, final_payment_year FROM programmes WHERE id = $1',
      [programmeId],
    );
    expect(row).toEqual({ budget_sek: '1200000', funding_source: 'region', esf_reporting: true, unit_cost_per_hour_sek: '300.00', final_payment_year: 2030 });
    expect(await countRows(t.db, 'interventions', `programme_id = $1 AND status = 'approved'`, [programmeId])).toBe(1);
    expect(await countRows(t.db, 'intervention_offerings', 'intervention_id = $1 AND offering_id = $2', [interventionId, offeringId])).toBe(1);

    // The programme document: xlsx opens with exceljs, the PDF is a PDF, the HTML names the programme.
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    const xlsx = await t.app.http.get(`/samordning/program/${programmeId}/programdokument.xlsx`).set('Cookie', `kl_session=${web.cookie('kl_session')}`).buffer(true).parse(binary as never);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer); // a Node Buffer at run time; exceljs types it apart
    expect(book.worksheets.length).toBe(5);
    const firstSheet = book.worksheets[0];
    const texts: string[] = [];
    firstSheet.eachRow((r) => r.eachCell((c) => texts.push(String(c.value))));
    expect(texts.join(' ')).toContain('Offentlig upphandling');
    const pdf = await t.app.http.get(`/samordning/program/${programmeId}/programdokument.pdf`).set('Cookie', `kl_session=${web.cookie('kl_session')}`).buffer(true).parse(binary as never);
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).length).toBeGreaterThan(1000);
    expect((pdf.body as Buffer).subarray(0, 4).toString('latin1')).toBe('%PDF');
    const html = await web.get(`/samordning/program/${programmeId}/programdokument.html`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('Kompetenslyft med skript');
  });

  it('the same journey works with JavaScript off', async () => {
    const second = await givenPublishedOffering(t, staff, await staffProvider(staff), { title: 'Utbud för sidor utan skript', themeCodes: ['digital_skills'] });
    const { programmeId } = await journey(await browsers.noScript.context.newPage(), { check: false, title: 'Kompetenslyft utan skript', offeringId: second.id, offeringTitle: 'Utbud för sidor utan skript' });
    expect(await countRows(t.db, 'interventions', `programme_id = $1 AND status = 'approved'`, [programmeId])).toBe(1);
  });

  it('creates a programme, drafts an intervention from the round and approves it with the keyboard alone (Tab, Space and Enter, the focus visible, every state checked)', async () => {
    const [round] = await t.db.query<{ id: string }>('SELECT id FROM needs_rounds WHERE title = $1', [roundTitle]);
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning/program');
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Skapa ett program');
    await pressFor(page, 'Enter', (url) => url.pathname === '/samordning/program/ny');
    await typeInto(page, 'title', 'Program med tangentbordet');
    await typeInto(page, 'startsOn', '2027-03-01');
    await typeInto(page, 'endsOn', '2028-02-29');
    await tabTo(page, (el) => el.name === 'fundingSource' && el.value === 'esf_plus');
    await page.keyboard.press('Space');
    await typeInto(page, 'budgetSek', '500000');
    await check(page, 'new programme filled in by keyboard');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Skapa programmet');
    await pressFor(page, 'Enter', 'text=Programmet är skapat.');
    await check(page, 'programme created by keyboard');
    const programmeId = new URL(page.url()).pathname.split('/')[3];

    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Gör utkast från en behovsinventering');
    await pressFor(page, 'Enter', (url) => url.pathname.endsWith('/utkast'));
    await tabTo(page, (el) => el.name === 'roundId' && el.value === round.id);
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Gör utkast');
    await pressFor(page, 'Enter', '#proposals');
    await check(page, 'draft made by keyboard');
    await tabTo(page, (el) => el.tag === 'A' && el.href.startsWith(`/samordning/program/${programmeId}/insatser/`));
    await pressFor(page, 'Enter', (url) => url.pathname.includes('/insatser/'));
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Godkänn insatsen');
    await pressFor(page, 'Enter', 'text=Insatsen är godkänd.');
    await check(page, 'intervention approved by keyboard');
    expect(await t.db.query('SELECT p.title, p.funding_source, i.status FROM programmes p JOIN interventions i ON i.programme_id = p.id WHERE p.id = $1', [programmeId])).toEqual([
      { title: 'Program med tangentbordet', funding_source: 'esf_plus', status: 'approved' },
    ]);
    await page.close();
  });

  it('bad input is shown again on the form and writes nothing; an offering linked twice or to a cancelled intervention is refused', async () => {
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    const programmes = await countRows(t.db, 'programmes');
    const english = await web.get('/samordning/program?lang=en');
    expect(english.text).toContain('Create a programme');
    expect(english.text).toContain('<caption class="govuk-table__caption govuk-table__caption--m">All programmes</caption>');
    await web.get('/samordning/program/ny?lang=sv');
    const bad = await web.post('/samordning/program/ny', { title: 'X', startsOn: '2027-02-30', endsOn: 'snart', fundingSource: 'lotteri', budgetSek: 'mycket', finalPaymentYear: '1999' });
    expect(bad.status).toBe(400);
    for (const message of ['Programmets namn måste ha minst 3 tecken.', 'Första dag måste vara ett datum', 'Sista dag måste vara ett datum', 'Välj finansiering.', 'Budget måste vara ett heltal', 'År för slutbetalningen måste vara ett heltal mellan 2000 och 2100.']) {
      expect(bad.text).toContain(message);
    }
    expect(await countRows(t.db, 'programmes')).toBe(programmes);

    const programmeId = (await t.app.http.post('/api/v1/programmes').set(coordinator.auth).send(programmeBody({ title: 'Program för felaktiga insatser' })).expect(201)).body.id;
    await web.get(`/samordning/program/${programmeId}/insatser/ny`);
    const badIntervention = await web.post(`/samordning/program/${programmeId}/insatser/ny`, {
      themeCode: 'castle_building',
      targetGroups: ['social_economy'],
      format: 'study_circle',
      counties: ['03'],
      plannedParticipants: '-1',
      plannedWomen: '5',
      plannedMen: '5',
      hoursPerParticipant: '0',
      providerId: '00000000-0000-4000-8000-000000000000',
      costSek: '1000',
      startsOn: '2027-09-01',
      endsOn: '2027-08-01',
    });
    expect(badIntervention.status).toBe(400);
    for (const message of ['Välj ett tema.', 'Planerat antal deltagare måste vara ett heltal mellan 0 och 1000000.', 'Timmar per deltagare måste vara ett tal mellan 0.1 och 10000', 'Välj en anordnare i listan.', 'Sista dag kan inte vara före första dag.']) {
      expect(badIntervention.text).toContain(message);
    }
    const tooMany = await web.post(`/samordning/program/${programmeId}/insatser/ny`, { ...form(interventionBody()), plannedParticipants: '5', plannedWomen: '4', plannedMen: '4' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('Kvinnor och män kan inte vara fler än planerat antal deltagare.');
    expect(await countRows(t.db, 'interventions', 'programme_id = $1', [programmeId])).toBe(0);

    // A good one, then link the same offering twice (it is linked already by the journeys) and to a cancelled intervention.
    const created = await web.post(`/samordning/program/${programmeId}/insatser/ny`, form(interventionBody({ hoursPerParticipant: '7,5' })));
    expect(created.status).toBe(303);
    const interventionId = /insatser\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
    const [stored] = await t.db.query<{ hours_per_participant: string }>('SELECT hours_per_participant FROM interventions WHERE id = $1', [interventionId]);
    expect(stored.hours_per_participant).toBe('7.5');
    await web.get(`/samordning/program/${programmeId}/insatser/${interventionId}`);
    const twice = await web.post(`/samordning/program/${programmeId}/insatser/${interventionId}/utbud`, { offeringId });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Utbudet är redan länkat till en insats.');
    // Link and unlink.
    const another = (await givenPublishedOffering(t, staff, await staffProvider(staff), { title: 'Utbud att ta bort' })).id;
    expect((await web.post(`/samordning/program/${programmeId}/insatser/${interventionId}/utbud`, { offeringId: another })).status).toBe(303);
    const linkedPage = await web.get(`/samordning/program/${programmeId}/insatser/${interventionId}?klart=lankad`);
    expect(linkedPage.text).toContain('Utbudet är länkat.');
    expect(linkedPage.text).toContain('Utbud att ta bort');
    expect(await countRows(t.db, 'intervention_offerings', 'intervention_id = $1', [interventionId])).toBe(1);
    const unlinked = await web.post(`/samordning/program/${programmeId}/insatser/${interventionId}/utbud/${another}/ta-bort`);
    expect([unlinked.status, unlinked.headers.location]).toEqual([303, `/samordning/program/${programmeId}/insatser/${interventionId}?klart=borttagen`]);
    expect(await countRows(t.db, 'intervention_offerings', 'intervention_id = $1', [interventionId])).toBe(0);
    const confirm = await web.get(`/samordning/program/${programmeId}/insatser/${interventionId}/stall-in`);
    expect(confirm.text).toContain('Vill du ställa in');
    expect((await web.post(`/samordning/program/${programmeId}/insatser/${interventionId}/stall-in`)).status).toBe(303);
    const fresh = (await givenPublishedOffering(t, staff, await staffProvider(staff), { title: 'Nytt utbud' })).id;
    const linkCancelled = await web.post(`/samordning/program/${programmeId}/insatser/${interventionId}/utbud`, { offeringId: fresh });
    expect(linkCancelled.status).toBe(409);
    expect(linkCancelled.text).toContain('Insatsen är inställd. Det går inte att länka utbud till den.');
    expect(await countRows(t.db, 'intervention_offerings', 'intervention_id = $1', [interventionId])).toBe(0);
    const approveCancelled = await web.post(`/samordning/program/${programmeId}/insatser/${interventionId}/godkann`);
    expect(approveCancelled.status).toBe(409);
    expect(approveCancelled.text).toContain('Det går inte i insatsens nuvarande läge.');
    // An intervention through another programme's path does not exist.
    expect((await web.get(`/samordning/program/${programmeId.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'))}/insatser/${interventionId}`)).status).toBe(404);
  });

  it('authorisation: only coordinators reach the programme pages; org admins and provider staff see the interventions that concern them at /insatser', async () => {
    const programmeId = (await t.app.http.post('/api/v1/programmes').set(coordinator.auth).send(programmeBody({ title: 'Program för behörighet' })).expect(201)).body.id as string;
    const interventionId = (await t.app.http.post(`/api/v1/programmes/${programmeId}/interventions`).set(coordinator.auth).send(interventionBody({ title: 'Arbetsgivarrollen i Uppsala' })).expect(201)).body.id as string;
    await t.app.http.post(`/api/v1/interventions/${interventionId}/offerings`).set(coordinator.auth).send({ offeringId: (await givenPublishedOffering(t, staff, (await staffProvider(staff)), { title: 'Länkat för behörighet' })).id }).expect(201);
    const employee = await givenUser(t);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'employee')`, [uppsala.organisationId, employee.id]);
    const otherStaff = await givenStaff(t, (await givenProvider(t, coordinator, { name: 'Folkhögskolan Utanför' })).id);
    const base = `/samordning/program/${programmeId}`;
    const gets = [
      '/samordning/program',
      '/samordning/program/ny',
      base,
      `${base}/andra`,
      `${base}/utkast`,
      `${base}/uppfoljning`,
      `${base}/programdokument.xlsx`,
      `${base}/programdokument.html`,
      `${base}/programdokument.pdf`,
      `${base}/insatser/ny`,
      `${base}/insatser/${interventionId}`,
      `${base}/insatser/${interventionId}/andra`,
      `${base}/insatser/${interventionId}/stall-in`,
    ];
    const posts: [string, Record<string, string | string[]>][] = [
      ['/samordning/program/ny', form(programmeBody({ title: 'Obehörigt program' }))],
      [`${base}/andra`, form(programmeBody({ title: 'Obehörigt ändrat' }))],
      [`${base}/utkast`, { roundId: interventionId }],
      [`${base}/insatser/ny`, form(interventionBody())],
      [`${base}/insatser/${interventionId}/andra`, form(interventionBody({ title: 'Obehörigt ändrad' }))],
      [`${base}/insatser/${interventionId}/godkann`, {}],
      [`${base}/insatser/${interventionId}/stall-in`, {}],
      [`${base}/insatser/${interventionId}/utbud`, { offeringId }],
    ];
    const before = { programmes: await countRows(t.db, 'programmes'), interventions: await countRows(t.db, 'interventions'), links: await countRows(t.db, 'intervention_offerings') };
    for (const [who, person] of [['employee', employee], ['org admin', uppsala], ['provider staff', staff], ['other provider\'s staff', otherStaff]] as const) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of gets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of posts) expect([who, path, (await web.post(path, body)).status]).toEqual([who, path, 403]);
    }
    expect({ programmes: await countRows(t.db, 'programmes'), interventions: await countRows(t.db, 'interventions'), links: await countRows(t.db, 'intervention_offerings') }).toEqual(before);
    expect(await countRows(t.db, 'interventions', `id = $1 AND status = 'proposed' AND title = 'Arbetsgivarrollen i Uppsala'`, [interventionId])).toBe(1);
    const signedOut = new WebClient(t.app);
    for (const path of gets) expect([path, (await signedOut.get(path)).status]).toEqual([path, 303]);

    // /insatser: the org admin (Uppsala län) and the linked offering's provider staff see it; other staff see nothing of it; employees are refused.
    for (const [who, person] of [['org admin', uppsala], ['provider staff', staff]] as const) {
      await browsers.js.context.clearCookies();
      const page = await browsers.js.context.newPage();
      await signInWithPassword(page, t.app, person.email, person.password, '/insatser');
      expect([who, await page.textContent('main')]).toEqual([who, expect.stringContaining('Arbetsgivarrollen i Uppsala')]);
      expect(await checked(page, `interventions that concern the ${who}`)).toEqual({ page: `interventions that concern the ${who}`, problems: [] });
      await page.close();
    }
    const organisationPage = new WebClient(t.app);
    await organisationPage.signIn(uppsala.email, uppsala.password);
    expect((await organisationPage.get(`/organisation/${uppsala.organisationId}`)).text).toContain('href="/insatser"');
    const other = new WebClient(t.app);
    await other.signIn(otherStaff.email, otherStaff.password);
    const nothing = await other.get('/insatser');
    expect(nothing.status).toBe(200);
    expect(nothing.text).toContain('Inga insatser berör dig just nu.');
    expect(nothing.text).not.toContain('Arbetsgivarrollen i Uppsala');
    const asEmployee = new WebClient(t.app);
    await asEmployee.signIn(employee.email, employee.password);
    expect((await asEmployee.get('/insatser')).status).toBe(403);
  });

  async function check(page: Page, what: string) {
    expect(await checked(page, what)).toEqual({ page: what, problems: [] });
  }

  /** The provider a staff member works for. */
  async function staffProvider(person: GivenUser): Promise<string> {
    const [row] = await t.db.query<{ provider_id: string }>('SELECT provider_id FROM provider_staff WHERE user_id = $1', [person.id]);
    return row.provider_id;
  }
});

/** Text with the no-break spaces of Swedish number formatting as plain spaces. */
function text(value: string | null): string {
  return (value ?? '').replace(/[\u00a0\u202f]/g, ' ');
}

/** A JSON body as a posted form (numbers as text, arrays as repeated fields; the programme's flags as checkboxes). */
function form(body: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const flags: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'esfReporting' || key === 'timeCosign') {
      if (value === true) flags.push(key);
    } else if (value === null || value === undefined) out[key] = key === 'providerId' ? 'procure' : '';
    else out[key] = Array.isArray(value) ? value.map(String) : String(value);
  }
  if (flags.length) out.flags = flags;
  if (!('providerId' in out) && 'themeCode' in out) out.providerId = 'procure';
  return out;
}

/** supertest: collect a binary answer as a Buffer. */
function binary(res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
