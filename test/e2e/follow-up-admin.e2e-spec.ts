import { useTestContext } from '../support/context.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { DataSource } from 'typeorm';
import { CourseEvaluationScales1796300000000 } from '../../src/database/migrations/1796300000000-course-evaluation-scales.js';
import { COURSE_ANSWERS, givenCourse, givenInvitedCourse, givenProviderStaff, shippedQuestionnaireId } from '../support/follow-up-factories.js';
import { givenOrganisation } from '../support/organisation-factories.js';

const SIMPLE = {
  title: 'Kort uppföljning',
  questions: [{ key: 'useful', type: 'likert5', text: 'Kursen var nyttig.', required: true }],
};

describe('follow-up: questionnaires, plans and the operational view (coordinators)', () => {
  const t = useTestContext({ smtp: true });
  let coordinator: GivenUser;

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
  });

  it('ships two questionnaires in plain Swedish with English, and a default plan', async () => {
    const list = await t.app.http.get('/api/v1/questionnaires').set(coordinator.auth).expect(200);
    const keys = list.body.items.map((q: { key: string | null }) => q.key);
    expect(keys).toEqual(expect.arrayContaining(['course_evaluation', 'effect_followup']));
    const course = list.body.items.find((q: { key: string }) => q.key === 'course_evaluation');
    expect(course.questions.map((q: { key: string }) => q.key)).toEqual(['satisfaction', 'relevance', 'leader', 'accessibility', 'comments']);
    for (const q of course.questions) expect(q.textEn).toEqual(expect.any(String));
    const effect = list.body.items.find((q: { key: string }) => q.key === 'effect_followup');
    expect(effect.questions.map((q: { key: string }) => q.key)).toEqual(['used_at_work', 'changed_ways', 'further_needs', 'further_needs_text']);
    const plans = await t.app.http.get('/api/v1/follow-up-plans').set(coordinator.auth).expect(200);
    expect(plans.body.total).toBe(1);
    expect(plans.body.items).toEqual([
      expect.objectContaining({
        offeringId: null,
        active: true,
        reminderAfter: 'P3D',
        maxReminders: 2,
        expiresAfter: 'P30D',
        steps: [
          { position: 1, questionnaireId: course.id, sendOffset: 'P1D' },
          { position: 2, questionnaireId: effect.id, sendOffset: 'P3M' },
        ],
      }),
    ]);
  });

  it('edits an unanswered questionnaire in place and makes a new linked version of an answered one', async () => {
    const created = await t.app.http.post('/api/v1/questionnaires').set(coordinator.auth).send(SIMPLE).expect(201);
    expect(created.body).toMatchObject({ version: 1, previousId: null, answered: false, questions: [{ key: 'useful', required: true, textEn: null }] });
    const edited = await t.app.http
      .put(`/api/v1/questionnaires/${created.body.id}`)
      .set(coordinator.auth)
      .send({ ...SIMPLE, title: 'Kort uppföljning 2' })
      .expect(200);
    expect(edited.body).toMatchObject({ id: created.body.id, version: 1, title: 'Kort uppföljning 2' });

    const { invited } = await givenInvitedCourse(t, coordinator, 1, { questionnaireId: created.body.id });
    await t.app.http.post(`/api/v1/evaluations/${invited[0].token}/responses`).send({ answers: { useful: 4 } }).expect(201);
    const versioned = await t.app.http
      .put(`/api/v1/questionnaires/${created.body.id}`)
      .set(coordinator.auth)
      .send({ ...SIMPLE, questions: [...SIMPLE.questions, { key: 'more', type: 'text', text: 'Mer?' }] })
      .expect(200);
    expect(versioned.body).toMatchObject({ version: 2, previousId: created.body.id, answered: false });
    expect(versioned.body.id).not.toBe(created.body.id);
    const old = await t.app.http.get(`/api/v1/questionnaires/${created.body.id}`).set(coordinator.auth).expect(200);
    expect(old.body).toMatchObject({ title: 'Kort uppföljning 2', replacedById: versioned.body.id, answered: true });
    expect(old.body.questions).toHaveLength(1);
    const stale = await t.app.http.put(`/api/v1/questionnaires/${created.body.id}`).set(coordinator.auth).send(SIMPLE).expect(409);
    expect(stale.body.code).toBe('QUESTIONNAIRE_REPLACED');
    // Plans follow the new version.
    expect(await countRows(t.db, 'follow_up_plan_steps', 'questionnaire_id = $1', [versioned.body.id])).toBe(1);
    const list = await t.app.http.get('/api/v1/questionnaires').set(coordinator.auth).expect(200);
    expect(list.body.items.map((q: { id: string }) => q.id)).not.toContain(created.body.id);
  });

  it.each([
    ['no questions', { title: 'X', questions: [] }, 'questions'],
    ['an unknown type', { title: 'X', questions: [{ key: 'a', type: 'essay', text: 'A' }] }, 'questions[0].type'],
    ['a bad key', { title: 'X', questions: [{ key: 'Bad Key', type: 'text', text: 'A' }] }, 'questions[0].key'],
    ['duplicate keys', { title: 'X', questions: [{ key: 'a', type: 'text', text: 'A' }, { key: 'a', type: 'text', text: 'B' }] }, 'questions[1].key'],
    ['a choice without options', { title: 'X', questions: [{ key: 'a', type: 'single_choice', text: 'A' }] }, 'questions[0].options'],
    ['options on a text question', { title: 'X', questions: [{ key: 'a', type: 'text', text: 'A', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] }] }, 'questions[0].options'],
    ['duplicate option values', { title: 'X', questions: [{ key: 'a', type: 'multi_choice', text: 'A', options: [{ value: 'x', label: 'X' }, { value: 'x', label: 'Y' }] }] }, 'questions[0].options'],
    ['min above max', { title: 'X', questions: [{ key: 'a', type: 'number', text: 'A', min: 5, max: 1 }] }, 'questions[0].max'],
    ['maxLength over 2000', { title: 'X', questions: [{ key: 'a', type: 'text', text: 'A', maxLength: 5000 }] }, 'questions[0].maxLength'],
    ['a missing title', { questions: SIMPLE.questions }, 'title'],
    ['an unknown field', { ...SIMPLE, colour: 'red' }, 'colour'],
  ])('refuses a questionnaire with %s: 400 naming the field, writing nothing', async (_what, body, field) => {
    const before = await countRows(t.db, 'questionnaires');
    const res = await t.app.http.post('/api/v1/questionnaires').set(coordinator.auth).send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await countRows(t.db, 'questionnaires')).toBe(before);
  });

  it('accepts plans as sendOffsets or steps; an offering plan overrides the default and replaces its predecessor', async () => {
    const course = await givenCourse(t);
    const qid = await shippedQuestionnaireId(t, 'course_evaluation');
    const first = await t.app.http
      .post('/api/v1/follow-up-plans')
      .set(coordinator.auth)
      .send({ questionnaireId: qid, offeringId: course.offeringId, sendOffsets: ['PT5S', 'p90d'], reminderAfter: 'PT30S', maxReminders: 1, expiresAfter: 'P30D' })
      .expect(201);
    expect(first.body).toMatchObject({
      offeringId: course.offeringId,
      active: true,
      steps: [
        { position: 1, questionnaireId: qid, sendOffset: 'PT5S' },
        { position: 2, questionnaireId: qid, sendOffset: 'P90D' },
      ],
    });
    const second = await t.app.http
      .post('/api/v1/follow-up-plans')
      .set(coordinator.auth)
      .send({ offeringId: course.offeringId, steps: [{ questionnaireId: qid, sendOffset: 'PT1H' }] })
      .expect(201);
    expect((await t.app.http.get(`/api/v1/follow-up-plans/${first.body.id}`).set(coordinator.auth).expect(200)).body.active).toBe(false);
    expect(await countRows(t.db, 'follow_up_plans', 'scope = $1 AND active', [course.offeringId])).toBe(1);
    expect(second.body).toMatchObject({ maxReminders: 0, reminderAfter: null, expiresAfter: null });
    expect((await t.app.http.get('/api/v1/follow-up-plans/00000000-0000-4000-8000-000000000000').set(coordinator.auth).expect(404)).body.code).toBe(
      'FOLLOW_UP_PLAN_NOT_FOUND',
    );
  });

  it.each([
    ['a bad duration', { questionnaireId: 'Q', sendOffsets: ['1 day'] }, 'sendOffsets'],
    ['a negative duration', { questionnaireId: 'Q', sendOffsets: ['-P1D'] }, 'sendOffsets'],
    ['a bad reminder interval', { questionnaireId: 'Q', reminderAfter: 'soon' }, 'reminderAfter'],
    ['too many reminders', { questionnaireId: 'Q', reminderAfter: 'P1D', maxReminders: 11 }, 'maxReminders'],
    ['no questionnaire', { sendOffsets: ['P1D'] }, 'questionnaireId'],
    ['both forms', { questionnaireId: 'Q', steps: [{ questionnaireId: 'Q', sendOffset: 'P1D' }] }, 'steps'],
    ['an unknown questionnaire', { questionnaireId: '00000000-0000-4000-8000-000000000000' }, 'questionnaireId'],
    ['an unknown questionnaire in a step', { steps: [{ questionnaireId: '00000000-0000-4000-8000-000000000000', sendOffset: 'P1D' }] }, 'steps[0].questionnaireId'],
    ['a malformed offering id', { questionnaireId: 'Q', offeringId: 'abc' }, 'offeringId'],
    ['an unknown offering', { questionnaireId: 'Q', offeringId: '00000000-0000-4000-8000-000000000000' }, 'offeringId'],
  ])('refuses a plan with %s: 400 naming the field, writing nothing', async (_what, body, field) => {
    const qid = await shippedQuestionnaireId(t, 'course_evaluation');
    const resolved = JSON.parse(JSON.stringify(body).replace(/"Q"/g, JSON.stringify(qid)));
    const before = await countRows(t.db, 'follow_up_plans');
    const res = await t.app.http.post('/api/v1/follow-up-plans').set(coordinator.auth).send(resolved).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await countRows(t.db, 'follow_up_plans')).toBe(before);
  });

  it('refuses everyone but coordinators on questionnaires, plans and the status view', async () => {
    const org = await givenOrganisation(t);
    const course = await givenCourse(t);
    const staff = await givenProviderStaff(t, course.providerId);
    const qid = await shippedQuestionnaireId(t, 'course_evaluation');
    const routes: [string, string, object?][] = [
      ['post', '/api/v1/questionnaires', SIMPLE],
      ['get', '/api/v1/questionnaires'],
      ['get', `/api/v1/questionnaires/${qid}`],
      ['put', `/api/v1/questionnaires/${qid}`, SIMPLE],
      ['post', '/api/v1/follow-up-plans', { questionnaireId: qid, offeringId: course.offeringId }],
      ['get', '/api/v1/follow-up-plans'],
      ['get', '/api/v1/follow-up/status'],
    ];
    const before = [await countRows(t.db, 'questionnaires'), await countRows(t.db, 'follow_up_plans')];
    for (const [method, url, body] of routes) {
      const anonymous = await (t.app.http as unknown as Record<string, (u: string) => { send(b?: object): Promise<{ status: number; body: { code: string } }> }>)[method](url).send(body);
      expect({ url, status: anonymous.status, code: anonymous.body.code }).toEqual({ url, status: 401, code: 'UNAUTHENTICATED' });
      for (const who of [org.admin, staff]) {
        const res = await (t.app.http as unknown as Record<string, (u: string) => { set(h: object): { send(b?: object): Promise<{ status: number; body: { code: string } }> } }>)[method](url)
          .set(who.auth)
          .send(body);
        expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 403, code: 'FORBIDDEN' });
      }
    }
    expect([await countRows(t.db, 'questionnaires'), await countRows(t.db, 'follow_up_plans')]).toEqual(before);
    const malformed = await t.app.http.get('/api/v1/questionnaires/xyz').set(coordinator.auth).expect(400);
    expect(malformed.body.details).toEqual([{ field: 'id', messages: ['must be a UUID'] }]);
    expect((await t.app.http.get('/api/v1/questionnaires/00000000-0000-4000-8000-000000000000').set(coordinator.auth).expect(404)).body.code).toBe(
      'QUESTIONNAIRE_NOT_FOUND',
    );
    expect((await t.app.http.put('/api/v1/questionnaires/00000000-0000-4000-8000-000000000000').set(coordinator.auth).send(SIMPLE).expect(404)).body.code).toBe(
      'QUESTIONNAIRE_NOT_FOUND',
    );
  });

  it('asks the course evaluation\'s satisfaction as a question on a satisfaction scale; statements keep the agreement scale', async () => {
    const list = await t.app.http.get('/api/v1/questionnaires').set(coordinator.auth).expect(200);
    const course = list.body.items.find((q: { key: string }) => q.key === 'course_evaluation');
    const byKey = Object.fromEntries(course.questions.map((q: { key: string }) => [q.key, q]));
    expect(byKey.satisfaction).toMatchObject({ type: 'likert5', text: 'Hur nöjd är du med kursen?', textEn: 'How satisfied are you with the course?', scale: 'satisfaction' });
    expect(byKey.relevance.scale).toBeUndefined();
    // the page people answer on says so
    const { invited } = await givenInvitedCourse(t, coordinator, 1);
    const page = await t.app.http.get(`/survey/${invited[0].token}`).expect(200);
    expect(page.text).toContain('5 – Mycket nöjd');
    expect(page.text).toContain('1 – Mycket missnöjd');
    expect(page.text).toContain('5 – Stämmer helt');
    // a scale only fits a likert5 question, and only a known one
    for (const question of [
      { key: 'x', type: 'text', text: 'Skriv', scale: 'satisfaction' },
      { key: 'x', type: 'likert5', text: 'Nöjd?', scale: 'happiness' },
    ]) {
      const refused = await t.app.http.post('/api/v1/questionnaires').set(coordinator.auth).send({ title: 'X', questions: [question] }).expect(400);
      expect(refused.body.details[0].field).toBe('questions[0].scale');
    }
  });

  it('the scale migration gives an answered course evaluation a new version and leaves the answered one as it was', async () => {
    const id = await shippedQuestionnaireId(t, 'course_evaluation');
    const { invited } = await givenInvitedCourse(t, coordinator, 1, { questionnaireId: id });
    // As before the migration: the statement on the agreement scale, answered once.
    const old = { key: 'satisfaction', type: 'likert5', text: 'Jag är nöjd med kursen.', textEn: 'I am satisfied with the course.', required: true };
    const [{ questions }] = await t.db.query<{ questions: { key: string }[] }>('SELECT questions FROM questionnaires WHERE id = $1', [id]);
    const before = questions.map((q) => (q.key === 'satisfaction' ? old : q));
    await t.db.query('UPDATE questionnaires SET questions = $2::jsonb WHERE id = $1', [id, JSON.stringify(before)]);
    await t.app.http.post(`/api/v1/evaluations/${invited[0].token}/responses`).send({ answers: COURSE_ANSWERS }).expect(201);
    const steps = await countRows(t.db, 'follow_up_plan_steps', 'questionnaire_id = $1', [id]);
    expect(steps).toBeGreaterThan(0);

    const dataSource = await new DataSource({ type: 'postgres', url: t.db.url }).initialize();
    try {
      await new CourseEvaluationScales1796300000000().up(dataSource.createQueryRunner());
    } finally {
      await dataSource.destroy();
    }
    const [kept] = await t.db.query<{ key: string | null; questions: unknown; replaced_by_id: string }>('SELECT * FROM questionnaires WHERE id = $1', [id]);
    expect(kept).toMatchObject({ key: null, questions: before });
    const [next] = await t.db.query<{ id: string; version: number; previous_id: string; questions: { key: string; scale?: string }[] }>(
      `SELECT * FROM questionnaires WHERE key = 'course_evaluation'`,
    );
    expect(next).toMatchObject({ id: kept.replaced_by_id, previous_id: id, version: 2 });
    expect(next.questions.find((q) => q.key === 'satisfaction')).toMatchObject({ scale: 'satisfaction' });
    expect(await countRows(t.db, 'follow_up_plan_steps', 'questionnaire_id = $1', [next.id])).toBe(steps);
  });
});
