import { startTestApp, type TestApp } from '../support/app.js';
import type { TestDatabase } from '../support/database.js';
import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { dispatchFollowUp, givenCourse, givenPlan, recordAttendance, shippedQuestionnaireId } from '../support/follow-up-factories.js';
import { recipients, startSmtpSink } from '../support/smtp.js';
import { stockholmParts } from '../../src/common/dates.js';
import { FollowUpDispatcher } from '../../src/follow-up/follow-up.dispatcher.js';

/** People written straight to the users table (hundreds of sign-ups through the API would only slow the test). */
async function givenPeople(t: { db: TestDatabase }, n: number, prefix: string): Promise<{ id: string; email: string }[]> {
  return t.db.query<{ id: string; email: string }>(
    `INSERT INTO users (email, name) SELECT $1 || '.' || g || '@example.se', 'Deltagare ' || g FROM generate_series(1, $2) AS g RETURNING id, email`,
    [prefix, n],
  );
}

describe('follow-up: dispatch on several instances, SMTP failures, quiet hours', () => {
  const t = useTestContext({ smtp: true });
  let coordinator: GivenUser;
  const extra: TestApp[] = [];

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
  });
  afterAll(async () => {
    for (const app of extra) await app.close();
  });

  it('two instances against one database email each of 300 invitations and each reminder exactly once', async () => {
    const second = await startTestApp({ databaseUrl: t.db.url, smtpUrl: t.smtp.url });
    extra.push(second);
    const course = await givenCourse(t);
    await givenPlan(t, coordinator, {
      questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'),
      offeringId: course.offeringId,
      sendOffsets: ['PT1S'],
      reminderAfter: 'PT10S',
      maxReminders: 1,
    });
    const people = await givenPeople(t, 300, 'tva-instanser');
    await recordAttendance(t, course, people.map((user) => ({ user, attended: true })));
    const both = [t.app, second];
    const advance = (ms: number) => both.forEach((app) => app.clock.advance(ms));
    const dispatchOnBoth = async () => {
      const results = await Promise.all(both.flatMap((app) => [app.app.get(FollowUpDispatcher).dispatchDue(), app.dispatchMail()]));
      await Promise.all(both.map((app) => app.dispatchMail()));
      return results.filter((r): r is { invitations: number; reminders: number } => typeof r === 'object');
    };
    const already = t.smtp.messages.length;

    advance(2_000);
    const first = await dispatchOnBoth();
    expect(first.reduce((s, r) => s + r.invitations, 0)).toBe(300);
    await t.smtp.waitFor(already + 300, 30_000);

    advance(11_000);
    const reminders = await dispatchOnBoth();
    expect(reminders.reduce((s, r) => s + r.reminders, 0)).toBe(300);
    await t.smtp.waitFor(already + 600, 30_000);
    // Nothing more, however often the instances run.
    advance(60_000);
    expect((await dispatchOnBoth()).reduce((s, r) => s + r.invitations + r.reminders, 0)).toBe(0);

    const mails = t.smtp.messages.slice(already);
    expect(mails).toHaveLength(600);
    const perPerson = new Map<string, string[]>();
    for (const mail of mails) for (const to of recipients(mail)) perPerson.set(to, [...(perPerson.get(to) ?? []), mail.subject ?? '']);
    expect(perPerson.size).toBe(300);
    for (const [, subjects] of perPerson) {
      expect(subjects.sort()).toEqual([`Påminnelse: vad tyckte du om ${course.title}?`, `Vad tyckte du om ${course.title}?`].sort());
    }
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(600);
    expect(await countRows(t.db, 'evaluation_invitations', `offering_id = $1 AND status = 'sent' AND reminders_sent = 1`, [course.offeringId])).toBe(300);
  });

  it('retries an SMTP server that refuses for a while: nothing is lost; a permanent refusal shows in the status view', async () => {
    const flaky = await startSmtpSink({ failFirst: 4 });
    const app = await startTestApp({ databaseUrl: t.db.url, smtpUrl: flaky.url });
    extra.push(app);
    try {
      const course = await givenCourse({ app, db: t.db });
      await givenPlan(t, coordinator, { questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'), offeringId: course.offeringId, sendOffsets: ['PT1S'] });
      const people = await givenPeople(t, 6, 'flaky');
      await recordAttendance({ app, db: t.db }, course, people.map((user) => ({ user, attended: true })));
      app.clock.advance(2_000);
      expect(await dispatchFollowUp(app)).toEqual({ invitations: 6, reminders: 0 });
      for (let round = 0; round < 20 && flaky.messages.length < 6; round++) {
        app.clock.advance(1_000);
        await app.dispatchMail();
      }
      expect(flaky.messages).toHaveLength(6);
      expect(flaky.refused).toBe(4);
      expect(new Set(flaky.messages.flatMap(recipients))).toEqual(new Set(people.map((p) => p.email)));
    } finally {
      await flaky.close();
    }

    const refusing = await startSmtpSink({ rejectAllWith: 550 });
    const strict = await startTestApp({ databaseUrl: t.db.url, smtpUrl: refusing.url });
    extra.push(strict);
    try {
      const course = await givenCourse({ app: strict, db: t.db });
      await givenPlan(t, coordinator, { questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'), offeringId: course.offeringId, sendOffsets: ['PT1S'] });
      const [person] = await givenPeople(t, 1, 'refused');
      await recordAttendance({ app: strict, db: t.db }, course, [{ user: person, attended: true }]);
      strict.clock.advance(2_000);
      await dispatchFollowUp(strict);
      const status = await strict.http.get('/api/v1/follow-up/status').set(coordinator.auth).expect(200);
      expect(status.body.deliveries.failed).toBe(1);
    } finally {
      await refusing.close();
    }
  });

  it('holds invitations during the quiet hours and sends them when the hours end', async () => {
    const hour = stockholmParts(new Date()).hour;
    const quiet = `${String(hour).padStart(2, '0')}-${String((hour + 2) % 24).padStart(2, '0')}`;
    const app = await startTestApp({ databaseUrl: t.db.url, smtpUrl: t.smtp.url, env: { QUIET_HOURS: quiet } });
    extra.push(app);
    const course = await givenCourse({ app, db: t.db });
    await givenPlan(t, coordinator, { questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'), offeringId: course.offeringId, sendOffsets: ['PT1S'] });
    const [person] = await givenPeople(t, 1, 'quiet');
    await recordAttendance({ app, db: t.db }, course, [{ user: person, attended: true }]);
    app.clock.advance(2_000);
    expect(await dispatchFollowUp(app)).toEqual({ invitations: 0, reminders: 0 });
    const status = await app.http.get('/api/v1/follow-up/status').set(coordinator.auth).expect(200);
    expect(status.body).toMatchObject({ quietHours: quiet });
    expect(status.body.invitations.due).toBeGreaterThanOrEqual(1);
    app.clock.advance(2 * 3600_000);
    expect(await dispatchFollowUp(app)).toEqual({ invitations: 1, reminders: 0 });
    await t.smtp.waitForMailTo(person.email);
  });
});
