import { NeedsRemindersScheduler } from '../../src/needs/needs-reminders.scheduler.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { givenUser } from '../support/factories.js';
import { givenOrganisation, type GivenOrganisation } from '../support/organisation-factories.js';
import { DAY_MS, givenRound } from '../support/needs-factories.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';

const reminders = (smtp: SmtpSink, address: string) => smtp.to(address).filter((m) => /^(Påminnelse|Reminder)/.test(m.subject ?? ''));

describe('needs rounds: reminders a week before closing', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  const apps: TestApp[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpSink();
  });
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
    await smtp.close();
    await db.drop();
  });

  async function given(env: Record<string, string> = {}): Promise<TestApp> {
    const app = await startTestApp({ databaseUrl: db.url, smtpUrl: smtp.url, env });
    apps.push(app);
    return app;
  }

  /** A round closing in 20 days with three invited organisations: one states a need, one answers the assessment, one is silent. */
  async function givenThreeOrganisations(app: TestApp) {
    const ctx = { app, db };
    const coordinator = await givenUser(ctx, { coordinator: true });
    const stating = await givenOrganisation(ctx);
    const assessing = await givenOrganisation(ctx);
    const silent: GivenOrganisation[] = [await givenOrganisation(ctx, {}, await givenUser(ctx, { locale: 'en' })), await givenOrganisation(ctx)];
    const round = await givenRound(ctx, coordinator, { closesInDays: 20 });
    await app.http
      .post(`/api/v1/needs-rounds/${round.id}/statements`)
      .set(stating.admin.auth)
      .send({ organisationId: stating.id, themeCode: 'digital_skills', people: 3, preferredFormats: ['short_course'] })
      .expect(201);
    await app.http.put(`/api/v1/needs-rounds/${round.id}/assessments/${assessing.id}`).set(assessing.admin.auth).send({}).expect(200);
    await app.dispatchMail();
    await smtp.waitFor(4); // the invitations
    return { round, stating, assessing, silent };
  }

  it('reminds the admins of organisations that have not answered, once, from a week before closing', async () => {
    const app = await given();
    const { stating, assessing, silent } = await givenThreeOrganisations(app);
    const scheduler = app.app.get(NeedsRemindersScheduler);

    app.clock.advance(12 * DAY_MS); // 8 days before closing: not yet
    expect(await scheduler.sendDue()).toBe(0);

    app.clock.advance(2 * DAY_MS); // 6 days before closing
    expect(await scheduler.sendDue()).toBe(2);
    expect(await scheduler.sendDue()).toBe(0);
    await app.dispatchMail();
    await smtp.waitFor(6);
    expect(reminders(smtp, silent[0].admin.email).map((m) => m.subject)).toEqual([expect.stringMatching(/^Reminder: "Behovsinventering 2027" closes/)]);
    expect(reminders(smtp, silent[1].admin.email).map((m) => m.subject)).toEqual([expect.stringMatching(/^Påminnelse: "Behovsinventering 2027" stänger/)]);
    expect(reminders(smtp, stating.admin.email)).toHaveLength(0);
    expect(reminders(smtp, assessing.admin.email)).toHaveLength(0);

    app.clock.advance(DAY_MS);
    expect(await scheduler.sendDue()).toBe(0);
    await app.dispatchMail();
    expect(smtp.messages).toHaveLength(6);
  });

  it('sends nothing for closed rounds or after closing', async () => {
    const app = await given();
    const { round } = await givenThreeOrganisations(app);
    const coordinator = await givenUser({ app, db }, { coordinator: true });
    await app.http.post(`/api/v1/needs-rounds/${round.id}/close`).set(coordinator.auth).expect(200);
    app.clock.advance(15 * DAY_MS);
    expect(await app.app.get(NeedsRemindersScheduler).sendDue()).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM mail_outbox WHERE template = $1', ['needs-round-reminder'])).toEqual([{ n: 0 }]);
  });

  it('two app instances running the scheduler send each reminder once', async () => {
    const env = { DISPATCH_INTERVAL_MS: '20' };
    const [a, b] = await Promise.all([given(env), given(env)]);
    const { silent } = await givenThreeOrganisations(a);
    a.clock.advance(14 * DAY_MS);
    b.clock.advance(14 * DAY_MS);
    // Both intervals run; also kick both at once so that their claims overlap.
    const [fromA, fromB] = await Promise.all([a.app.get(NeedsRemindersScheduler).sendDue(), b.app.get(NeedsRemindersScheduler).sendDue()]);
    expect(fromA + fromB).toBeLessThanOrEqual(2);
    await smtp.waitFor(6);
    await new Promise((r) => setTimeout(r, 300)); // several more ticks of both instances
    expect(reminders(smtp, silent[0].admin.email)).toHaveLength(1);
    expect(reminders(smtp, silent[1].admin.email)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(6);
    expect(await db.query('SELECT count(*)::int AS n FROM needs_round_organisations WHERE reminded_at IS NOT NULL')).toEqual([{ n: 2 }]);
  });
});
