import type { Page } from 'playwright-core';
import { checked, signInWithPassword, useBrowsers, WebClient } from '../support/browser.js';
import { givenEmployee, givenOrgAdmin } from '../support/catalogue-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenCourse, givenInvitedCourse, givenProviderStaff, shippedQuestionnaireId } from '../support/follow-up-factories.js';
import { pressFor, tabTo, typeInto } from '../support/keyboard.js';
import { givenOrganisation } from '../support/organisation-factories.js';

const answers = (n: number) => ({ satisfaction: (n % 5) + 1, relevance: 4, leader: 5, accessibility: n % 2 ? 'yes' : 'no', comments: `Kommentar ${n}` });


describe('web: coordinators run the follow-up (questionnaires, plans, status, results) and read the audit log', () => {
  const browsers = useBrowsers();
  const t = useTestContext({ smtp: true });

  async function check(page: Page, what: string) {
    expect(await checked(page, what)).toEqual({ page: what, problems: [] });
  }

  function checker(page: Page, on: boolean): (what: string) => Promise<void> {
    return async (what: string) => {
      if (on) expect(await checked(page, what)).toEqual({ page: what, problems: [] });
    };
  }

  /** A coordinator creates a questionnaire (bad input first), previews it, makes a plan with it and finds both in the audit log. */
  async function questionnaireJourney(page: Page, options: { check: boolean; title: string }) {
    const check = checker(page, options.check);
    const coordinator = await givenUser(t, { coordinator: true, name: 'Cecilia Coordinator' });
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning');
    expect(await page.textContent('#figures')).toContain('Utvärderingar som ska skickas nu');
    await page.click('main a:has-text("Uppföljning")');
    expect(await page.textContent('h1')).toBe('Uppföljning');
    expect(await page.textContent('#invitations')).toContain('Besvarade');
    await check('follow-up overview');
    await page.click('main a:has-text("Enkäter")');
    expect(await page.textContent('#questionnaires')).toContain('Vad tyckte du om kursen?');
    await check('questionnaires');
    await page.click('main a:has-text("Skapa en enkät")');
    await check('create questionnaire');

    // Nothing filled in, then a choice question without options: the form comes back with the summary, nothing is written.
    const before = await countRows(t.db, 'questionnaires');
    await page.click('main button:has-text("Spara enkäten")');
    let summary = await page.textContent('.govuk-error-summary');
    expect(summary).toContain('Fyll i enkätens rubrik.');
    expect(summary).toContain('Skriv minst en fråga.');
    await check('create questionnaire with errors');
    await page.fill('#title', options.title);
    await page.fill('#q1-text', 'Hur nöjd är du med dagen?');
    await page.check('#q1-type');
    await page.check('input[name="q1-scale"][value="satisfaction"]');
    await page.check('input[name="q1-required"]');
    await page.fill('#q2-text', 'Hur tog du dig dit?');
    await page.check('input[name="q2-type"][value="single_choice"]');
    await page.click('main button:has-text("Spara enkäten")');
    summary = await page.textContent('.govuk-error-summary');
    expect(summary).toContain('Skriv 2 till 20 svarsalternativ, ett per rad.');
    expect(await page.inputValue('#q1-text')).toBe('Hur nöjd är du med dagen?');
    expect(await page.inputValue('#title')).toBe(options.title);
    await check('create questionnaire with an option error');
    expect(await countRows(t.db, 'questionnaires')).toBe(before);

    await page.fill('#q2-options', 'Buss\nBil | Car\nTill fots');
    // "Add a question" shows a fourth row without saving.
    await page.click('main button:has-text("Lägg till en fråga")');
    expect(await page.$$eval('input[id$="-text"]', (els) => els.length)).toBe(4);
    expect(await countRows(t.db, 'questionnaires')).toBe(before);
    await check('create questionnaire with another row');
    await page.fill('#q4-text', 'Vill du säga något mer?');
    await page.check('input[name="q4-type"][value="text"]');
    await page.click('main button:has-text("Spara enkäten")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain(`Enkäten ${options.title} är skapad.`);
    expect(await page.textContent('#questions')).toContain('Bil / Car');
    await check('questionnaire created');
    const questionnaireId = new URL(page.url()).pathname.split('/')[4];
    const [row] = await t.db.query<{ questions: { key: string; type: string; required: boolean; scale?: string; options?: { value: string; label: string; labelEn: string | null }[] }[] }>(
      'SELECT questions FROM questionnaires WHERE id = $1',
      [questionnaireId],
    );
    expect(row.questions.map((q) => [q.key, q.type, q.required])).toEqual([
      ['q1', 'likert5', true],
      ['q2', 'single_choice', false],
      ['q3', 'text', false],
    ]);
    expect(row.questions[0].scale).toBe('satisfaction');
    expect(row.questions[1].options).toEqual([
      { value: 'buss', label: 'Buss', labelEn: null },
      { value: 'bil', label: 'Bil', labelEn: 'Car' },
      { value: 'till_fots', label: 'Till fots', labelEn: null },
    ]);

    // The preview is the participants' form, without a link token, posting nowhere.
    await page.click('main a:has-text("Förhandsgranska")');
    expect(await page.textContent('.kl-survey h1')).toBe(options.title);
    expect(await page.textContent('.kl-survey')).toContain('Mycket nöjd');
    expect(await page.textContent('.kl-survey')).toContain('Till fots');
    expect(await page.$$eval('.kl-survey form[method="post"], .kl-survey input[name="_csrf"]', (els) => els.length)).toBe(0);
    expect(await page.isDisabled('.kl-survey button')).toBe(true);
    await check('preview');
    await page.goto(`${t.app.baseUrl}/samordning/uppfoljning/enkater/${questionnaireId}/forhandsvisning?lang=en`);
    expect(await page.textContent('.kl-survey')).toContain('Very satisfied');
    expect(await page.textContent('.kl-survey')).toContain('Car');
    await check('preview in English');
    await page.goto(`${t.app.baseUrl}/samordning/uppfoljning/planer?lang=sv`);
    await check('plans');

    // A plan: bad input first (nothing chosen, a zero amount), then a plan sent two days after the session.
    await page.click('main a:has-text("Skapa en plan")');
    await check('plan form');
    const plans = await countRows(t.db, 'follow_up_plans');
    await page.fill('#send1-amount', '0');
    await page.click('main button:has-text("Spara planen")');
    summary = await page.textContent('.govuk-error-summary');
    expect(summary).toContain('Välj en enkät.');
    expect(summary).toContain('Antal måste vara ett heltal mellan 1 och 999.');
    await check('plan form with errors');
    expect(await countRows(t.db, 'follow_up_plans')).toBe(plans);
    const course = await givenCourse(t, { title: `Kurs för planen ${options.title}` });
    await page.reload();
    await page.selectOption('#questionnaireId', questionnaireId);
    await page.check('input[name="scope"][value="offering"]');
    await page.selectOption('#offeringId', course.offeringId);
    await page.fill('#send1-amount', '2');
    await page.selectOption('#send1-unit', 'days');
    await page.fill('#send2-amount', '3');
    await page.selectOption('#send2-unit', 'months');
    await page.fill('#reminderDays', '4');
    await page.fill('#maxReminders', '2');
    await page.click('main button:has-text("Spara planen")');
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Planen är sparad och gäller från nu.');
    const card = await page.textContent(`#plans li:has-text("${course.title}")`);
    expect(card).toContain(`${options.title} (version 1): 2 dagar efter kursen`);
    expect(card).toContain('3 månader efter kursen');
    expect(card).toContain('högst 2, var 4 dagar');
    await check('plan created');
    const [plan] = await t.db.query<{ id: string; reminder_after: string; max_reminders: number }>(
      'SELECT id, reminder_after, max_reminders FROM follow_up_plans WHERE offering_id = $1 AND active',
      [course.offeringId],
    );
    expect(plan).toMatchObject({ reminder_after: 'P4D', max_reminders: 2 });
    const steps = await t.db.query<{ questionnaire_id: string; send_offset: string }>('SELECT questionnaire_id, send_offset FROM follow_up_plan_steps WHERE plan_id = $1 ORDER BY position', [plan.id]);
    expect(steps).toEqual([
      { questionnaire_id: questionnaireId, send_offset: 'P2D' },
      { questionnaire_id: questionnaireId, send_offset: 'P3M' },
    ]);

    // The audit log shows both actions, by the coordinator, filtered by person and by action.
    await page.goto(`${t.app.baseUrl}/samordning/logg`);
    await check('audit log');
    await page.fill('#person', coordinator.email);
    await page.click('#filters button');
    const log = await page.$$eval('#log tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));
    expect(log.map((r) => r[2])).toEqual(['Uppföljningsplan sparad (follow_up_plan.created)', 'Enkät skapad (questionnaire.created)']);
    for (const entry of log) expect(entry[1]).toBe(`Cecilia Coordinator (${coordinator.email})`);
    expect(log[1][4]).toContain(`questionnaireId: ${questionnaireId}`);
    await check('audit log filtered by person');
    await page.selectOption('#action', 'follow_up_plan.created');
    await page.click('#filters button');
    expect(await page.$$eval('#log tbody tr', (rows) => rows.length)).toBe(1);
    await page.fill('#from', '2-12-2026');
    await page.click('#filters button');
    expect(await page.textContent('.govuk-error-summary')).toContain('Från-datumet måste vara ett datum, till exempel 2027-03-01.');
    await check('audit log with a bad date');
    await page.close();
    return { coordinator, questionnaireId };
  }

  it('creates a questionnaire (bad input refused), previews it, makes a plan and finds it in the audit log (JavaScript on, every state checked)', async () => {
    await questionnaireJourney(await browsers.js.context.newPage(), { check: true, title: 'Dagen i Västerås' });
  });

  it('the same journey works with JavaScript off', async () => {
    await questionnaireJourney(await browsers.noScript.context.newPage(), { check: false, title: 'Dagen utan skript' });
  });

  it('creates a questionnaire with the keyboard alone (Tab, Space and Enter, the focus visible, every state checked)', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning/uppfoljning/enkater');
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Skapa en enkät');
    await pressFor(page, 'Enter', (url) => url.pathname === '/samordning/uppfoljning/enkater/ny');
    await typeInto(page, 'title', 'Enkät med tangentbordet');
    await typeInto(page, 'q1-text', 'Hur nöjd är du?');
    await tabTo(page, (el) => el.name === 'q1-type' && el.value === 'likert5');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.name === 'q1-required');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.name === 'q1-scale' && el.value === 'agreement');
    await page.keyboard.press('Space');
    await check(page, 'create questionnaire filled in by keyboard');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Spara enkäten');
    await pressFor(page, 'Enter', 'text=Enkäten Enkät med tangentbordet är skapad.');
    await check(page, 'questionnaire created by keyboard');
    const questionnaireId = new URL(page.url()).pathname.split('/')[4];
    const [row] = await t.db.query<{ title: string; questions: { key: string; type: string; required: boolean; scale?: string }[] }>('SELECT title, questions FROM questionnaires WHERE id = $1', [questionnaireId]);
    expect([row.title, row.questions.map((q) => [q.key, q.type, q.required, q.scale])]).toEqual(['Enkät med tangentbordet', [['q1', 'likert5', true, 'agreement']]]);
    await page.close();
  });

  it('an answered questionnaire changed on the page becomes a new version; the plan follows it', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    const created = await t.app.http
      .post('/api/v1/questionnaires')
      .set(coordinator.auth)
      .send({
        title: 'Egen utvärdering',
        questions: [
          { key: 'satisfaction', type: 'likert5', scale: 'satisfaction', text: 'Hur nöjd är du?', required: true },
          { key: 'accessibility', type: 'single_choice', text: 'Fungerade lokalen?', options: [{ value: 'yes', label: 'Ja' }, { value: 'no', label: 'Nej', labelEn: 'No' }] },
          { key: 'comments', type: 'text', text: 'Något mer?', maxLength: 500 },
        ],
      })
      .expect(201);
    const questionnaireId = created.body.id as string;
    const { invited } = await givenInvitedCourse(t, coordinator, 1, { questionnaireId });
    await t.app.http.post(`/api/v1/evaluations/${invited[0].token}/responses`).send({ answers: { satisfaction: 4, accessibility: 'yes', comments: 'Bra.' } }).expect(201);
    const form = await web.get(`/samordning/uppfoljning/enkater/${questionnaireId}/ny-version`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Enkäten har svar.');
    const values: Record<string, string> = {};
    for (const m of form.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>/g)) if (!m[0].includes('type="radio"') && !m[0].includes('type="checkbox"')) values[m[1]] = m[2].replace(/&amp;/g, '&');
    for (const m of form.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked[^>]*>/g)) values[m[1]] = m[2];
    for (const m of form.text.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) values[m[1]] = m[2].trim();
    const res = await web.post(`/samordning/uppfoljning/enkater/${questionnaireId}/ny-version`, { ...values, title: 'Egen utvärdering (ny)', action: 'save' });
    expect(res.status).toBe(303);
    const newId = /enkater\/([0-9a-f-]{36})\?sparad=version/.exec(res.headers.location)![1];
    expect(newId).not.toBe(questionnaireId);
    const page = await web.get(res.headers.location);
    expect(page.text).toContain('har fått version 2');
    const oldPage = await web.get(`/samordning/uppfoljning/enkater/${questionnaireId}`);
    expect(oldPage.text).toContain('Den här versionen är ersatt av en nyare.');
    expect(oldPage.text).toContain(`/samordning/uppfoljning/resultat?enkat=${questionnaireId}`);
    const results = await web.get(`/samordning/uppfoljning/resultat?enkat=${questionnaireId}`);
    expect(results.status).toBe(200);
    expect(results.text).toMatch(new RegExp(`<option value="${questionnaireId}" selected>`));
    expect(results.text).toContain('Egen utvärdering');
    const api = await t.app.http.get(`/api/v1/questionnaires/${newId}`).set(coordinator.auth).expect(200);
    const old = await t.app.http.get(`/api/v1/questionnaires/${questionnaireId}`).set(coordinator.auth).expect(200);
    expect(api.body).toMatchObject({ version: 2, previousId: questionnaireId, title: 'Egen utvärdering (ny)' });
    expect(api.body.questions.map((q: { key: string }) => q.key)).toEqual(old.body.questions.map((q: { key: string }) => q.key));
    // What the form does not show (option values, a text's maximum length) is kept, so that answers stay comparable.
    expect(api.body.questions).toEqual(old.body.questions);
    const plan = await t.db.query<{ questionnaire_id: string }>(
      'SELECT s.questionnaire_id FROM follow_up_plan_steps s JOIN follow_up_plans p ON p.id = s.plan_id WHERE p.active AND s.questionnaire_id = ANY($1::uuid[])',
      [[questionnaireId, newId]],
    );
    expect(plan).toEqual([{ questionnaire_id: newId }]);
  });

  /** Seeded answers: course A (5 of 6 answered, its organisation's), course B (2 of 4: suppressed). */
  async function givenResults() {
    const coordinator = await givenUser(t, { coordinator: true });
    const org = await givenOrganisation(t);
    const a = await givenInvitedCourse(t, coordinator, 6, { organisationId: org.id });
    for (const [i, p] of a.invited.slice(0, 5).entries()) await t.app.http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answers(i) }).expect(201);
    const b = await givenInvitedCourse(t, coordinator, 4);
    for (const [i, p] of b.invited.slice(0, 2).entries()) await t.app.http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answers(i) }).expect(201);
    return { coordinator, org, a: a.course, b: b.course };
  }

  async function tableRows(page: Page): Promise<string[][]> {
    return page.$$eval('#results-table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));
  }

  async function resultsJourney(page: Page, checks: boolean, seeded: Awaited<ReturnType<typeof givenResults>>) {
    const check = checker(page, checks);
    const { coordinator, org, a, b } = seeded;
    const apiA = (await t.app.http.get(`/api/v1/offerings/${a.offeringId}/evaluation-results`).set(coordinator.auth).expect(200)).body;
    const apiB = (await t.app.http.get(`/api/v1/offerings/${b.offeringId}/evaluation-results`).set(coordinator.auth).expect(200)).body;
    expect(apiA).toMatchObject({ invited: 6, responses: 5, responseRate: 0.83 });
    expect(apiB).toMatchObject({ invited: 4, responses: 2, responseRate: 0.5 });
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, '/samordning/uppfoljning/resultat');
    await check('results per offering');
    const rows = await tableRows(page);
    const rowOf = (title: string) => rows.find((r) => r[0].startsWith(title))!;
    expect(rowOf(a.title)).toEqual([expect.stringContaining(a.title), '6', '5', '83 %', 'Visas']);
    expect(rowOf(b.title)).toEqual([expect.stringContaining(b.title), '4', '2', '50 %', 'Bara antal (färre än 5 svar)']);
    expect(await page.textContent('#rate-chart desc')).toContain(`${a.title}`);

    // Sorting by answers: descending first (a number column) puts A before B, then ascending B before A; aria-sort says which.
    const answersHeader = '#results-table thead th:nth-child(3)';
    await page.click(`${answersHeader} a`);
    expect(await page.getAttribute(answersHeader, 'aria-sort')).toBe('descending');
    let names = (await tableRows(page)).map((r) => r[0]);
    expect(names.findIndex((n) => n.startsWith(a.title))).toBeLessThan(names.findIndex((n) => n.startsWith(b.title)));
    let responses = (await tableRows(page)).map((r) => Number(r[2]));
    expect(responses).toEqual([...responses].sort((x, y) => y - x));
    expect(new URL(page.url()).search).toContain('sort=responses&dir=desc');
    await check('results sorted by answers, descending');
    await page.click(`${answersHeader} a`);
    expect(await page.getAttribute(answersHeader, 'aria-sort')).toBe('ascending');
    names = (await tableRows(page)).map((r) => r[0]);
    expect(names.findIndex((n) => n.startsWith(b.title))).toBeLessThan(names.findIndex((n) => n.startsWith(a.title)));
    responses = (await tableRows(page)).map((r) => Number(r[2]));
    expect(responses).toEqual([...responses].sort((x, y) => x - y));
    expect(await page.getAttribute('#results-table thead th:nth-child(1)', 'aria-sort')).toBe('none');

    // A's results: the API's means and counts; B's: counts only, nothing of the answers.
    await page.click(`#results-table a:has-text("${a.title}")`);
    expect(await page.textContent('#totals')).toContain('83 %');
    const satisfaction = apiA.questionnaires[0].questions.find((q: { key: string }) => q.key === 'satisfaction');
    expect(await page.textContent('main')).toContain(`Medelvärde: ${satisfaction.mean}`);
    const firstTable = await page.$$eval('#q1-1-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
    expect(firstTable).toEqual(satisfaction.distribution.map((d: { label: string; count: number }) => [d.label, String(d.count)]));
    expect(await page.textContent('main')).toContain('Kommentar 4');
    await check('results of an offering');
    await page.goto(`${t.app.baseUrl}/samordning/uppfoljning/resultat/offering/${b.offeringId}`);
    expect(await page.textContent('.kl-suppressed')).toContain('Färre än 5 har svarat.');
    expect(await page.textContent('main')).not.toContain('Kommentar');
    expect(await page.textContent('main')).not.toContain('Medelvärde');
    expect(await page.$$('main table')).toHaveLength(0);
    await check('results of a small group (suppressed)');

    // Per provider and per organisation: the API's numbers.
    await page.goto(`${t.app.baseUrl}/samordning/uppfoljning/resultat?per=provider`);
    const provider = (await t.app.http.get(`/api/v1/evaluation-results?providerId=${b.providerId}`).set(coordinator.auth).expect(200)).body;
    const providerRow = (await tableRows(page)).find((r) => r[0].startsWith('Studieförbund ' + b.providerId.slice(0, 8)))!;
    expect(providerRow.slice(1, 4)).toEqual([String(provider.invited), String(provider.responses), `${Math.round(provider.responseRate * 100)} %`]);
    await check('results per provider');
    await page.goto(`${t.app.baseUrl}/samordning/uppfoljning/resultat?per=organisation`);
    const byOrg = (await t.app.http.get(`/api/v1/evaluation-results?organisationId=${org.id}`).set(coordinator.auth).expect(200)).body;
    const orgRow = (await tableRows(page)).find((r) => r[0] === `Förening ${org.orgNumber}`)!;
    expect(orgRow.slice(1, 4)).toEqual([String(byOrg.invited), String(byOrg.responses), `${Math.round(byOrg.responseRate * 100)} %`]);
    await check('results per organisation');
    await page.goto(`${t.app.baseUrl}/samordning/uppfoljning/resultat?per=theme`);
    const byTheme = (await t.app.http.get('/api/v1/evaluation-results?themeCode=finance_accounting').set(coordinator.auth).expect(200)).body;
    const themeRow = (await tableRows(page)).find((r) => r[0].startsWith('Ekonomi'))!;
    expect(themeRow.slice(1, 3)).toEqual([String(byTheme.invited), String(byTheme.responses)]);
    await check('results per theme');
    await page.close();
    return seeded;
  }

  it('results per offering, provider, theme and organisation show the API\'s numbers, suppress a small group and sort by links (JavaScript on)', async () => {
    const seeded = await resultsJourney(await browsers.js.context.newPage(), true, await givenResults());

    // The downloads are the API's exports of the same scope.
    const web = new WebClient(t.app);
    await web.signIn(seeded.coordinator.email, seeded.coordinator.password);
    const csv = await web.get(`/samordning/uppfoljning/resultat/ladda-ner?per=offering&key=${seeded.a.offeringId}&format=csv`);
    const apiCsv = await t.app.http.get(`/api/v1/offerings/${seeded.a.offeringId}/evaluation-results?format=csv`).set(seeded.coordinator.auth).expect(200);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toBe(apiCsv.text);
    const xlsx = await web.get(`/samordning/uppfoljning/resultat/ladda-ner?per=organisation&key=${seeded.org.id}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const all = await web.get('/samordning/uppfoljning/resultat/ladda-ner?format=csv');
    expect(all.status).toBe(200);
    expect(all.text).toContain('Vad tyckte du om kursen?');
  });

  it('the results journey works with JavaScript off', async () => {
    await resultsJourney(await browsers.noScript.context.newPage(), false, await givenResults());
  });

  it('the audit log filters by organisation and pages through 50 entries at a time, keeping the filters in the links', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const org = await givenOrganisation(t);
    for (let i = 0; i < 55; i++) {
      await t.db.query(`INSERT INTO audit_log (occurred_at, actor_user_id, action, organisation_id, details) VALUES (now() - ($1 || ' minutes')::interval, NULL, 'test.paging', $2, $3)`, [
        String(i),
        org.id,
        JSON.stringify({ n: i }),
      ]);
    }
    const page = await browsers.js.context.newPage();
    await signInWithPassword(page, t.app, coordinator.email, coordinator.password, `/samordning/logg?organisation=${org.orgNumber}`);
    expect(await page.textContent('#count')).toBe('56 åtgärder');
    expect(await page.$$eval('#log tbody tr', (rows) => rows.length)).toBe(50);
    expect(await page.textContent('#log tbody tr:first-child')).toContain('Systemet');
    expect(await page.textContent('#log tbody tr:first-child')).toContain(`organisation: Förening ${org.orgNumber}`);
    await check(page, 'audit log, first page');
    await page.click('.govuk-pagination__next a');
    expect(new URL(page.url()).search).toBe(`?organisation=${org.orgNumber}&sida=2`);
    const second = await page.$$eval('#log tbody tr', (rows) => rows.map((r) => r.textContent!));
    expect(second).toHaveLength(6);
    expect(second.at(-1)).toContain('Organisation skapad');
    expect(await page.textContent('#log-caption')).toContain('Sida 2 av 2');
    await check(page, 'audit log, second page');
    await page.goto(`${t.app.baseUrl}/samordning/logg?organisation=finns-inte-${org.orgNumber}`);
    expect(await page.textContent('.govuk-error-summary')).toContain('Ingen organisation passar.');
    await check(page, 'audit log, unknown organisation');
    await page.close();
  });

  it('authorisation: employees, organisation admins and provider staff get 403 on every follow-up and audit page (nothing written); signed out → sign in', async () => {
    const coordinator = await givenUser(t, { coordinator: true });
    const { course } = await givenInvitedCourse(t, coordinator, 1);
    const staff = await givenProviderStaff(t, course.providerId);
    const orgAdmin = await givenOrgAdmin(t);
    const employee = await givenEmployee(t, orgAdmin.organisationId);
    const questionnaireId = await shippedQuestionnaireId(t, 'course_evaluation');
    const gets = [
      '/samordning/uppfoljning',
      '/samordning/uppfoljning/enkater',
      '/samordning/uppfoljning/enkater/ny',
      `/samordning/uppfoljning/enkater/${questionnaireId}`,
      `/samordning/uppfoljning/enkater/${questionnaireId}/forhandsvisning`,
      `/samordning/uppfoljning/enkater/${questionnaireId}/ny-version`,
      '/samordning/uppfoljning/planer',
      '/samordning/uppfoljning/planer/ny',
      '/samordning/uppfoljning/resultat',
      '/samordning/uppfoljning/resultat?per=organisation',
      `/samordning/uppfoljning/resultat/offering/${course.offeringId}`,
      `/samordning/uppfoljning/resultat/provider/${course.providerId}`,
      `/samordning/uppfoljning/resultat/ladda-ner?per=offering&key=${course.offeringId}&format=csv`,
      '/samordning/uppfoljning/resultat/ladda-ner?format=xlsx',
      '/samordning/logg',
    ];
    const posts: [string, Record<string, string>][] = [
      ['/samordning/uppfoljning/enkater/ny', { title: 'Obehörig', 'q1-text': 'Fråga?', 'q1-type': 'text', rows: '1', action: 'save' }],
      [`/samordning/uppfoljning/enkater/${questionnaireId}/ny-version`, { title: 'Obehörig', 'q1-text': 'Fråga?', 'q1-type': 'text', rows: '1', action: 'save' }],
      ['/samordning/uppfoljning/planer/ny', { questionnaireId, scope: 'default', 'send1-amount': '1', 'send1-unit': 'days' }],
    ];
    const counts = async () => [await countRows(t.db, 'questionnaires'), await countRows(t.db, 'follow_up_plans'), await countRows(t.db, 'audit_log')];
    const before = await counts();
    for (const [who, person] of [['provider staff', staff], ['org admin', orgAdmin], ['employee', employee]] as [string, GivenUser][]) {
      const web = new WebClient(t.app);
      await web.signIn(person.email, person.password);
      for (const path of gets) expect([who, path, (await web.get(path)).status]).toEqual([who, path, 403]);
      for (const [path, body] of posts) expect([who, path, (await web.post(path, body)).status]).toEqual([who, path, 403]);
    }
    const signedOut = new WebClient(t.app);
    for (const path of gets) {
      const res = await signedOut.get(path);
      expect([path, res.status, res.headers.location?.startsWith('/logga-in?next=')]).toEqual([path, 303, true]);
    }
    for (const [path, body] of posts) expect([path, (await signedOut.post(path, body)).status]).toEqual([path, 303]);
    expect(await counts()).toEqual(before);

    // A coordinator: every page opens; without the CSRF token a post is refused; unknown ids are 404.
    const web = new WebClient(t.app);
    await web.signIn(coordinator.email, coordinator.password);
    for (const path of gets) expect([path, (await web.get(path)).status]).toEqual([path, 200]);
    // In English too, with every text there.
    for (const path of gets.filter((p) => !p.includes('ladda-ner'))) {
      const res = await web.get(`${path}${path.includes('?') ? '&' : '?'}lang=en`);
      expect([path, res.status, /undefined|\[object Object\]/.test(res.text), /lang="en"/.test(res.text)]).toEqual([path, 200, false, true]);
    }
    await web.get('/samordning?lang=sv');
    expect((await web.post(posts[0][0], posts[0][1], { csrf: false })).status).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await web.get('/samordning/uppfoljning/enkater/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await web.get('/samordning/uppfoljning/enkater/inte-ett-id')).status).toBe(404);
    expect((await web.get('/samordning/uppfoljning/resultat/offering/inte-ett-id')).status).toBe(404);
    expect((await web.get('/samordning/uppfoljning/resultat/planet/x')).status).toBe(404);
  });
});
