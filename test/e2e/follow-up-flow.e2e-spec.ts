import { useTestContext } from '../support/context.js';
import { WebClient } from '../support/browser.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import {
  dispatchFollowUp,
  fillForm,
  givenCourse,
  givenPlan,
  parseForm,
  recordAttendance,
  shippedQuestionnaireId,
  surveyToken,
} from '../support/follow-up-factories.js';

describe('follow-up: from a finished session to answers and reminders', () => {
  const t = useTestContext({ smtp: true });
  let coordinator: GivenUser;

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
  });

  it('invites the attended (not the absent), takes answers through the HTML form and JSON, reminds only those who have not answered, up to the maximum', async () => {
    const course = await givenCourse(t);
    await givenPlan(t, coordinator, {
      questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'),
      offeringId: course.offeringId,
      sendOffsets: ['PT1M'],
      reminderAfter: 'PT10S',
      maxReminders: 2,
      expiresAfter: 'P7D',
    });
    const [formUser, jsonUser, optOutUser, silentUser, absent] = await Promise.all(
      ['Form', 'Json', 'OptOut', 'Silent', 'Absent'].map((name) => givenUser(t, { name })),
    );
    await recordAttendance(t, course, [
      { user: formUser, attended: true },
      { user: jsonUser, attended: true },
      { user: optOutUser, attended: true },
      { user: silentUser, attended: true },
      { user: absent, attended: false },
    ]);
    expect(await countRows(t.db, 'evaluation_invitations', 'offering_id = $1', [course.offeringId])).toBe(4);

    // Not due before the offset has passed.
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 0, reminders: 0 });
    t.app.clock.advance(61_000);
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 4, reminders: 0 });
    await t.smtp.waitFor(4);
    expect(t.smtp.to(absent.email)).toHaveLength(0);
    const [invitation] = t.smtp.to(formUser.email);
    expect(invitation.subject).toBe(`Vad tyckte du om ${course.title}?`);
    expect(invitation.text).toContain('Dina svar är anonyma');
    expect(invitation.text).toMatch(/http:\/\/kompetenslyft\.test\/survey\/[A-Za-z0-9_-]{43}\/opt-out/);

    // 1. Through the HTML form, as a browser without JavaScript would.
    const browser = new WebClient(t.app);
    const page = await browser.get(`/survey/${surveyToken(invitation)}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="sv">');
    const form = parseForm(page.text);
    expect(form.controls.filter((c) => c.name === 'satisfaction').map((c) => [c.type, c.value])).toEqual(
      ['1', '2', '3', '4', '5'].map((v) => ['radio', v]),
    );
    const body = fillForm(form, { satisfaction: '5', relevance: '4', leader: '5', accessibility: 'partly', comments: 'Tydliga exempel.' });
    const thanks = await browser.postEncoded(form.action, body);
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Tack för dina svar!');
    await t.app.http.get(`/survey/${surveyToken(invitation)}`).expect(409);

    // 2. Through JSON.
    const jsonToken = surveyToken(t.smtp.to(jsonUser.email)[0]);
    const questionnaire = await t.app.http.get(`/api/v1/evaluations/${jsonToken}`).expect(200);
    expect(questionnaire.body).toMatchObject({ title: 'Vad tyckte du om kursen?', courseTitle: course.title, locale: 'sv' });
    expect(questionnaire.body.questions.map((q: { key: string }) => q.key)).toEqual(['satisfaction', 'relevance', 'leader', 'accessibility', 'comments']);
    const answered = await t.app.http
      .post(`/api/v1/evaluations/${jsonToken}/responses`)
      .send({ answers: { satisfaction: 4, relevance: 3, leader: 4 } })
      .expect(201);
    expect(answered.body).toEqual({ answered: true, answeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const again = await t.app.http.post(`/api/v1/evaluations/${jsonToken}/responses`).send({ answers: { satisfaction: 1, relevance: 1, leader: 1 } }).expect(409);
    expect(again.body.code).toBe('EVALUATION_ALREADY_ANSWERED');

    // 3. "I don't want to answer": the GET only asks; the POST stops reminders.
    const optOutToken = surveyToken(t.smtp.to(optOutUser.email)[0]);
    const web = new WebClient(t.app);
    const confirm = await web.get(`/survey/${optOutToken}/opt-out`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Ja, jag vill inte svara');
    expect(await countRows(t.db, 'evaluation_invitations', `user_id = $1 AND status = 'sent'`, [optOutUser.id])).toBe(1);
    const done = await web.post(`/survey/${optOutToken}/opt-out`);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Vi påminner dig inte mer');

    // Reminders: only the silent one, every 10 s, twice, then never again.
    t.app.clock.advance(11_000);
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 0, reminders: 1 });
    t.app.clock.advance(11_000);
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 0, reminders: 1 });
    t.app.clock.advance(11_000);
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 0, reminders: 0 });
    t.app.clock.advance(60_000);
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 0, reminders: 0 });
    await t.smtp.waitFor(6);
    expect(t.smtp.to(silentUser.email).map((m) => m.subject)).toEqual([
      `Vad tyckte du om ${course.title}?`,
      `Påminnelse: vad tyckte du om ${course.title}?`,
      `Påminnelse: vad tyckte du om ${course.title}?`,
    ]);
    for (const person of [formUser, jsonUser, optOutUser]) expect(t.smtp.to(person.email)).toHaveLength(1);
    // Each email carries its own link; the first still works after a reminder.
    const silentTokens = t.smtp.to(silentUser.email).map(surveyToken);
    expect(new Set(silentTokens).size).toBe(3);
    await t.app.http.get(`/api/v1/evaluations/${silentTokens[0]}`).expect(200);

    const status = await t.app.http.get('/api/v1/follow-up/status').set(coordinator.auth).expect(200);
    expect(status.body.invitations).toMatchObject({ answered: 2, optedOut: 1, sent: 1 });
    expect(status.body.remindersSent).toBeGreaterThanOrEqual(2);
    expect(status.body.deliveries.failed).toBe(0);
  });

  it('invites at once when attendance is recorded after the send time, never twice, and cancels unsent invitations when someone is marked absent', async () => {
    const course = await givenCourse(t, { endsAt: new Date(t.app.clock.now().getTime() - 3 * 86_400_000) });
    await givenPlan(t, coordinator, {
      offeringId: course.offeringId,
      steps: [
        { questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'), sendOffset: 'P1D' },
        { questionnaireId: await shippedQuestionnaireId(t, 'effect_followup'), sendOffset: 'P90D' },
      ],
    });
    const [late, changed] = await Promise.all([givenUser(t), givenUser(t)]);
    const [lateBooking, changedBooking] = await recordAttendance(t, course, [
      { user: late, attended: true },
      { user: changed, attended: true },
    ]);
    // Recorded again by the same transaction logic: nothing more.
    await recordAttendance(t, course, [{ user: late, attended: true, bookingId: lateBooking }]);
    const rows = await t.db.query<{ step_position: number; due_at: Date; status: string }>(
      'SELECT step_position, due_at, status FROM evaluation_invitations WHERE booking_id = $1 ORDER BY step_position',
      [lateBooking],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].due_at.getTime()).toBeLessThanOrEqual(t.app.clock.now().getTime());
    expect(rows[1].due_at.getTime()).toBeGreaterThan(t.app.clock.now().getTime() + 80 * 86_400_000);

    await recordAttendance(t, course, [{ user: changed, attended: false, bookingId: changedBooking }]);
    expect(await countRows(t.db, 'evaluation_invitations', `booking_id = $1 AND status = 'cancelled'`, [changedBooking])).toBe(2);

    const before = t.smtp.messages.length;
    await dispatchFollowUp(t.app);
    await t.smtp.waitFor(before + 1);
    expect(t.smtp.to(late.email)).toHaveLength(1);
    expect(t.smtp.to(changed.email)).toHaveLength(0);
    // Marked present again: the invitations come back.
    await recordAttendance(t, course, [{ user: changed, attended: true, bookingId: changedBooking }]);
    expect(await countRows(t.db, 'evaluation_invitations', `booking_id = $1 AND status = 'scheduled'`, [changedBooking])).toBe(2);
  });

  it('sends nothing after the link has expired, and the expired link is a 404 page', async () => {
    const course = await givenCourse(t);
    await givenPlan(t, coordinator, {
      questionnaireId: await shippedQuestionnaireId(t, 'course_evaluation'),
      offeringId: course.offeringId,
      sendOffsets: ['PT1S'],
      reminderAfter: 'PT1M',
      maxReminders: 3,
      expiresAfter: 'PT2M',
    });
    const [person, tooLate] = await Promise.all([givenUser(t), givenUser(t)]);
    await recordAttendance(t, course, [{ user: person, attended: true }]);
    t.app.clock.advance(2_000);
    await dispatchFollowUp(t.app);
    const [mail] = await t.smtp.waitForMailTo(person.email);
    t.app.clock.advance(3 * 60_000);
    expect(await dispatchFollowUp(t.app)).toEqual({ invitations: 0, reminders: 0 });
    const page = await t.app.http.get(`/survey/${surveyToken(mail)}`).expect(404);
    expect(page.text).toContain('Länken fungerar inte');
    const json = await t.app.http.get(`/api/v1/evaluations/${surveyToken(mail)}`).expect(404);
    expect(json.body.code).toBe('EVALUATION_NOT_FOUND');
    await t.app.http.post(`/api/v1/evaluations/${surveyToken(mail)}/responses`).send({ answers: { satisfaction: 5, relevance: 5, leader: 5 } }).expect(404);
    expect(await countRows(t.db, 'evaluation_invitations', `user_id = $1 AND status = 'expired'`, [person.id])).toBe(1);

    // Attendance recorded after the link would already have expired: never sent.
    await recordAttendance(t, course, [{ user: tooLate, attended: true }]);
    await dispatchFollowUp(t.app);
    expect(t.smtp.to(tooLate.email)).toHaveLength(0);
    expect(await countRows(t.db, 'evaluation_invitations', `user_id = $1 AND status = 'expired'`, [tooLate.id])).toBe(1);
  });

  it('an unknown link is a 404 page and a 404 in JSON', async () => {
    const page = await t.app.http.get('/survey/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa').expect(404);
    expect(page.text).toMatch(/<h1[^>]*>Länken fungerar inte<\/h1>/);
    const en = await t.app.http.get('/survey/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?lang=en').expect(404);
    expect(en.text).toContain('The link does not work');
    expect((await t.app.http.get('/api/v1/evaluations/nope').expect(404)).body.code).toBe('EVALUATION_NOT_FOUND');
    const stranger = new WebClient(t.app);
    await stranger.get('/logga-in');
    expect((await stranger.post('/survey/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/opt-out')).status).toBe(404);
  });
});
