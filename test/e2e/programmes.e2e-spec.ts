import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../src/programmes/plan-pdf.js';
import { useTestContext } from '../support/context.js';
import { givenPublishedOffering, givenProvider, givenStaff } from '../support/catalogue-factories.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenEmployees, givenOrgIn, programmeBody } from '../support/programme-factories.js';

const DAY = 24 * 3600_000;
const CHROMIUM = '/usr/bin/chromium';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * A small region with known numbers. Uppsala län (03): public procurement, 20 people (12 + 8:
 * 10 women, 9 men), study circle first for 12 of them, and 6 free seats offered → 14 planned,
 * 7 women (14 × 10/20), 6 men (14 × 9/20 = 6.3), study circle, the offering's provider; digital
 * skills, 6 people and 10 seats → covered, no proposal. Östergötlands län (05): leadership, 10
 * people (6 women, 4 men), lecture series, no supply → 10 planned, to procure; public procurement,
 * 5 people without gender, team series, no supply in the county → 5 planned, 0 women, 0 men.
 * Defaults: study circle 12 h × 150 kr, lecture series 6 h × 200 kr, team series 16 h × 300 kr.
 */
describe('programmes: draft from a round, approve, link, book, attend, progress, the programme document', () => {
  const t = useTestContext();
  let coordinator: GivenUser;
  let providerId: string;
  let providerName: string;
  let staff: GivenUser;
  let uppsala: GivenUser & { organisationId: string };
  let linkoping: GivenUser & { organisationId: string };
  let roundId: string;
  let programmeId: string;
  let coveredOfferingId: string;
  const ids: Record<string, string> = {};

  const statement = (admin: GivenUser & { organisationId: string }, body: Record<string, unknown>) =>
    t.app.http.post(`/api/v1/needs-rounds/${roundId}/statements`).set(admin.auth).send({ organisationId: admin.organisationId, ...body }).expect(201);

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
    uppsala = await givenOrgIn(t, '0380');
    linkoping = await givenOrgIn(t, '0580');
    const provider = await givenProvider(t, coordinator, { name: 'Studieförbundet Exempel' });
    providerId = provider.id;
    providerName = provider.name;
    staff = await givenStaff(t, providerId);
    // Supply: 6 seats of public procurement and 10 of digital skills, in Uppsala.
    coveredOfferingId = (await givenPublishedOffering(t, staff, providerId, { title: 'Upphandling i praktiken', format: 'study_circle' }, [{ days: 20, capacity: 6 }])).id;
    await givenPublishedOffering(t, staff, providerId, { title: 'Digitala verktyg', themeCodes: ['digital_skills'] }, [{ days: 20, capacity: 10 }]);
    roundId = (await givenRound(t, coordinator)).id;
    ids.s1 = (await statement(uppsala, { themeCode: 'public_procurement', people: 12, women: 8, men: 4, preferredFormats: ['study_circle', 'short_course'] })).body.id;
    ids.s2 = (await statement(uppsala, { themeCode: 'public_procurement', people: 8, women: 2, men: 5, preferredFormats: ['short_course', 'study_circle'] })).body.id;
    await statement(uppsala, { themeCode: 'digital_skills', people: 6, women: 3, men: 3, preferredFormats: ['online_course'] });
    ids.s4 = (await statement(linkoping, { themeCode: 'leadership_board', people: 10, women: 6, men: 4, preferredFormats: ['lecture_series', 'study_visit'] })).body.id;
    ids.s5 = (await statement(linkoping, { themeCode: 'public_procurement', people: 5, preferredFormats: ['team_series'] })).body.id;
    programmeId = (await t.app.http.post('/api/v1/programmes').set(coordinator.auth).send(programmeBody()).expect(201)).body.id;
  });

  it('drafts exactly the unmet cells with the expected participants, form, gender split, provider and cost; nothing for covered cells; idempotent', async () => {
    const res = await t.app.http.post(`/api/v1/programmes/${programmeId}/draft-from-round`).set(coordinator.auth).send({ roundId }).expect(201);
    expect(res.body.created).toBe(true);
    const cells = res.body.items.map((i: Record<string, unknown>) => ({
      theme: i.themeCode,
      counties: i.counties,
      planned: i.plannedParticipants,
      women: i.plannedWomen,
      men: i.plannedMen,
      format: i.format,
      hours: i.hoursPerParticipant,
      providerId: i.providerId,
      toProcure: i.toProcure,
      cost: i.costSek,
      status: i.status,
    }));
    expect(cells.sort((a: { theme: string; counties: string[] }, b: { theme: string; counties: string[] }) => `${a.theme}${a.counties}`.localeCompare(`${b.theme}${b.counties}`))).toEqual([
      { theme: 'leadership_board', counties: ['05'], planned: 10, women: 6, men: 4, format: 'lecture_series', hours: 6, providerId: null, toProcure: true, cost: 12_000, status: 'proposed' },
      { theme: 'public_procurement', counties: ['03'], planned: 14, women: 7, men: 6, format: 'study_circle', hours: 12, providerId, toProcure: false, cost: 25_200, status: 'proposed' },
      { theme: 'public_procurement', counties: ['05'], planned: 5, women: 0, men: 0, format: 'team_series', hours: 16, providerId: null, toProcure: true, cost: 24_000, status: 'proposed' },
    ]);
    const uppsalaProposal = res.body.items.find((i: { themeCode: string; counties: string[] }) => i.themeCode === 'public_procurement' && i.counties[0] === '03');
    ids.main = uppsalaProposal.id;
    ids.procure05 = res.body.items.find((i: { themeCode: string; counties: string[] }) => i.themeCode === 'public_procurement' && i.counties[0] === '05').id;
    ids.leadership = res.body.items.find((i: { themeCode: string }) => i.themeCode === 'leadership_board').id;
    expect(uppsalaProposal.explanation).toMatchObject({
      roundId,
      cell: { themeCode: 'public_procurement', countyCode: '03', countyName: 'Uppsala län', people: 20, seats: 6, gap: 14 },
      statements: { count: 2, people: 20, women: 10, men: 9, otherGender: 0, unspecified: 1, idsTruncated: false },
      formats: [
        { format: 'study_circle', firstChoice: 12, listed: 20 },
        { format: 'short_course', firstChoice: 8, listed: 20 },
      ],
      suggestion: { offeringId: coveredOfferingId, providerId, providerName },
      cost: { hoursPerParticipant: 12, costPerParticipantHourSek: 150, formula: '14 deltagare × 12 timmar × 150 kr = 25 200 kr' },
    });
    expect(uppsalaProposal.explanation.statements.ids).toEqual([ids.s1, ids.s2]);
    expect(uppsalaProposal.explanation.text).toContain('20 − 6 = 14 deltagare');
    expect(uppsalaProposal).toMatchObject({ targetGroups: ['social_economy'], startsOn: '2027-03-01', endsOn: '2029-02-28', sourceRoundId: roundId, providerName });

    // Twice: the same proposals, nothing added.
    const again = await t.app.http.post(`/api/v1/programmes/${programmeId}/draft-from-round`).set(coordinator.auth).send({ roundId }).expect(200);
    expect(again.body.created).toBe(false);
    expect(again.body.items.map((i: { id: string }) => i.id).sort()).toEqual(res.body.items.map((i: { id: string }) => i.id).sort());
    expect(await countRows(t.db, 'interventions', 'programme_id = $1', [programmeId])).toBe(3);
  });

  it('drafts once when asked twice at the same time', async () => {
    const other = (await t.app.http.post('/api/v1/programmes').set(coordinator.auth).send(programmeBody({ title: 'Parallellt utkast' })).expect(201)).body.id;
    const results = await Promise.all([0, 1, 2].map(() => t.app.http.post(`/api/v1/programmes/${other}/draft-from-round`).set(coordinator.auth).send({ roundId })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(await countRows(t.db, 'interventions', 'programme_id = $1', [other])).toBe(3);
  });

  it('approves, links an offering, refuses linking it twice or to a cancelled intervention, then follows bookings and attendance', async () => {
    await t.app.http.post(`/api/v1/interventions/${ids.main}/approve`).set(coordinator.auth).expect(200).expect((r) => expect(r.body.status).toBe('approved'));
    expect((await t.app.http.post(`/api/v1/interventions/${ids.main}/approve`).set(coordinator.auth).expect(409)).body.code).toBe('INTERVENTION_WRONG_STATE');
    expect((await t.app.http.delete(`/api/v1/interventions/${ids.main}`).set(coordinator.auth).expect(409)).body.code).toBe('INTERVENTION_NOT_PROPOSED');

    // The course that delivers it: one 6-hour session in Uppsala in 10 days, 20 seats.
    const course = await givenPublishedOffering(t, staff, providerId, { title: 'Upphandlingscirkel', format: 'study_circle', accessibilityFeatures: ['step_free_access', 'induction_loop'] }, [{ days: 10, capacity: 20 }]);
    const linked = await t.app.http.post(`/api/v1/interventions/${ids.main}/offerings`).set(coordinator.auth).send({ offeringId: course.id }).expect(201);
    expect(linked.body.offeringIds).toEqual([course.id]);
    const twice = await t.app.http.post(`/api/v1/interventions/${ids.leadership}/offerings`).set(coordinator.auth).send({ offeringId: course.id }).expect(409);
    expect(twice.body).toMatchObject({ code: 'OFFERING_ALREADY_LINKED', details: { field: 'offeringId', interventionId: ids.main } });
    await t.app.http.post(`/api/v1/interventions/${ids.procure05}/cancel`).set(coordinator.auth).expect(200);
    const cancelled = await t.app.http.post(`/api/v1/interventions/${ids.procure05}/offerings`).set(coordinator.auth).send({ offeringId: coveredOfferingId }).expect(409);
    expect(cancelled.body.code).toBe('INTERVENTION_CANCELLED');
    expect(await countRows(t.db, 'intervention_offerings')).toBe(1);

    // 6 women and 3 men book; all women and 2 men attend.
    const people = await givenEmployees(t.db, uppsala.organisationId, ['woman', 'woman', 'woman', 'woman', 'woman', 'woman', 'man', 'man', 'man']);
    const bookings: string[] = [];
    for (const person of people) {
      const res = await t.app.http.post(`/api/v1/sessions/${course.sessionIds[0]}/bookings`).set(person.auth).send({}).expect(201);
      expect(res.body.status).toBe('confirmed');
      bookings.push(res.body.id);
    }
    t.app.clock.advance(11 * DAY);
    await t.app.http
      .post(`/api/v1/sessions/${course.sessionIds[0]}/attendance`)
      .set(staff.auth)
      .send({ records: bookings.map((bookingId, i) => ({ bookingId, attended: i !== 8 })) })
      .expect(200);

    const progress = (await t.app.http.get(`/api/v1/programmes/${programmeId}/progress`).set(coordinator.auth).expect(200)).body;
    const main = progress.interventions.find((i: { interventionId: string }) => i.interventionId === ids.main);
    expect(main).toMatchObject({
      status: 'approved',
      offeringIds: [course.id],
      planned: { participants: 14, women: 7, men: 6, participantHours: 168, costSek: 25_200 },
      booked: { total: 9, byGender: { women: 6, men: '<5', otherGender: '<5', unspecified: '<5' } },
      attended: { total: 8, byGender: { women: 6, men: '<5', otherGender: '<5', unspecified: '<5' } },
      hoursDelivered: 48,
      sessionsHeld: 1,
      sessionsPlanned: 1,
      evaluationResponseRate: null,
      evaluation: { invited: 0, responses: 0, overallQuestion: 'satisfaction', overallAnswers: 0, overallMean: null },
      costToDateSek: 7200,
      deviation: { participants: -6, participantsRate: -0.429, participantHours: -120, participantHoursRate: -0.714, costSek: -18_000 },
    });
    const leadership = progress.interventions.find((i: { interventionId: string }) => i.interventionId === ids.leadership);
    expect(leadership).toMatchObject({ booked: { total: 0, byGender: { women: '<5', men: '<5', otherGender: '<5', unspecified: '<5' } }, hoursDelivered: 0, sessionsHeld: 0 });
    // Totals over the interventions that are not cancelled (the Uppsala one and leadership).
    expect(progress.total).toMatchObject({
      planned: { participants: 24, women: 13, men: 10, participantHours: 228, costSek: 37_200 },
      booked: { total: 9 },
      attended: { total: 8, byGender: { women: 6, men: '<5', otherGender: '<5', unspecified: '<5' } },
      hoursDelivered: 48,
      sessionsHeld: 1,
      costToDateSek: 7200,
    });
    expect(progress.interventions).toHaveLength(3);
  });

  describe('the programme document', () => {
    let plan: {
      title: string;
      interventions: { title: string; costSek: number; plannedParticipants: number; provider: string; cofinancingSek: number; attendedWomen: unknown }[];
      totals: Record<string, number>;
      parts: { key: string; title: string; tables: { caption: string; headers: string[]; rows: (string | number)[][] }[] }[];
    };

    beforeAll(async () => {
      plan = (await t.app.http.get(`/api/v1/programmes/${programmeId}/plan`).set(coordinator.auth).expect(200)).body;
    });

    it('as JSON: the five parts, from the data; cancelled interventions left out; co-financing = planned participant hours × unit cost', () => {
      expect(plan.parts.map((p) => p.title)).toEqual(['1. Insatser', '2. Organisation och ekonomi', '3. Jämställdhet', '4. Tillgänglighet', '5. Marknadsföring']);
      expect(plan.interventions.map((i) => [i.plannedParticipants, i.costSek, i.provider, i.cofinancingSek]).sort()).toEqual(
        [
          [10, 12_000, 'Upphandlas', 60 * 300],
          [14, 25_200, providerName, 168 * 300],
        ].sort(),
      );
      expect(plan.totals).toEqual({ budgetSek: 1_000_000, costSek: 37_200, remainingSek: 962_800, participants: 24, participantHours: 228, unitCostPerHourSek: 300, cofinancingSek: 68_400 });
      const access = plan.parts.find((p) => p.key === 'accessibility')!;
      expect(access.tables[0].rows).toEqual(expect.arrayContaining([['Hörslinga', 0, 1], ['Entré utan trappsteg', 0, 1]]));
      const marketing = plan.parts.find((p) => p.key === 'marketing')!;
      expect(marketing.tables.at(-1)!.rows).toEqual([[9, 8, 1, 'Uppsala län']]);
    });

    it('as xlsx: one sheet per part, with the same rows as the JSON', async () => {
      const res = await t.app.http.get(`/api/v1/programmes/${programmeId}/plan?format=xlsx`).set(coordinator.auth).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.body as unknown as ArrayBuffer); // a Node Buffer at run time; exceljs types it apart
      expect(workbook.worksheets.map((w) => w.name)).toEqual(plan.parts.map((p) => p.title));
      for (const part of plan.parts) {
        const sheet = workbook.getWorksheet(part.title)!;
        const values: unknown[][] = [];
        sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
        for (const table of part.tables) {
          const header = values.findIndex((v) => JSON.stringify(v) === JSON.stringify(table.headers));
          expect({ part: part.key, table: table.caption, found: header >= 0 }).toEqual({ part: part.key, table: table.caption, found: true });
          expect(values.slice(header + 1, header + 1 + table.rows.length)).toEqual(table.rows);
        }
      }
    });

    it('as PDF (headless Chromium): its text holds the JSON\'s numbers and names', async () => {
      const res = await t.app.http.get(`/api/v1/programmes/${programmeId}/plan?format=pdf`).set(coordinator.auth).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kl-plan-')), 'plan.pdf');
      fs.writeFileSync(file, res.body as Buffer);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      const sv = (n: number) => n.toLocaleString('sv-SE').replace(/\u00a0/g, ' ');
      for (const part of plan.parts) expect(text).toContain(part.title);
      for (const i of plan.interventions) {
        expect(text).toContain(i.title);
        expect(text).toContain(sv(i.costSek));
      }
      expect(text).toContain(`Deltagarnas tid som medfinansiering: ${plan.totals.participantHours} deltagartimmar × 300 kr = ${plan.totals.cofinancingSek} kr.`);
      expect(text).toContain(sv(plan.totals.remainingSek));
    });

    it('as HTML: a printable page that passes axe-core (WCAG 2.0/2.1 A and AA) in Chromium', async () => {
      const res = await t.app.http.get(`/api/v1/programmes/${programmeId}/plan?format=html`).set(coordinator.auth).expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-chromium-'));
      let context: BrowserContext | undefined;
      try {
        context = await chromium.launchPersistentContext(userDataDir, {
          executablePath: CHROMIUM,
          headless: true,
          args: CHROMIUM_ARGS,
        });
        const page = await context.newPage();
        await page.setContent(res.text);
        await page.evaluate(axeSource);
        const result = (await page.evaluate(
          (tags) => (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; help: string }[]; passes: unknown[] }> } }).axe
            .run({ runOnly: { type: 'tag', values: tags } })
            .then((r) => ({ violations: r.violations.map((v) => `${v.id}: ${v.help}`), passes: r.passes.length })),
          WCAG_TAGS,
        )) as { violations: string[]; passes: number };
        expect(result.passes).toBeGreaterThan(0);
        expect(result.violations).toEqual([]);
        expect(await page.locator('table').count()).toBe(plan.parts.reduce((s, p) => s + p.tables.length, 0));
      } finally {
        await context?.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    });
  });
});
