import { useTestContext } from '../support/context.js';
import { WebClient } from '../support/browser.js';
import { countRows, givenUser, type GivenUser } from '../support/factories.js';
import { fillForm, givenInvitedCourse, parseForm } from '../support/follow-up-factories.js';

const ALL_TYPES = {
  title: 'Alla frågetyper',
  titleEn: 'Every question type',
  questions: [
    { key: 'satisfaction', type: 'likert5', text: 'Jag är nöjd.', textEn: 'I am satisfied.', required: true },
    { key: 'recommend', type: 'nps', text: 'Skulle du tipsa en vän?', required: false },
    { key: 'hours', type: 'number', text: 'Hur många timmar?', required: false, min: 0, max: 40 },
    { key: 'comments', type: 'text', text: 'Något mer?', required: false },
    {
      key: 'format',
      type: 'single_choice',
      text: 'Vilken form passar dig?',
      required: false,
      options: [
        { value: 'online', label: 'På distans', labelEn: 'Online' },
        { value: 'room', label: 'I en lokal', labelEn: 'In a room' },
      ],
    },
    {
      key: 'needs',
      type: 'multi_choice',
      text: 'Vad behöver du?',
      required: false,
      options: [
        { value: 'more', label: 'Mer av samma' },
        { value: 'other', label: 'Något annat' },
      ],
    },
  ],
};

describe('follow-up: answers validated per question type', () => {
  const t = useTestContext({ smtp: true });
  let coordinator: GivenUser;
  let tokens: string[];

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
    const questionnaire = await t.app.http.post('/api/v1/questionnaires').set(coordinator.auth).send(ALL_TYPES).expect(201);
    const { invited } = await givenInvitedCourse(t, coordinator, 3, { questionnaireId: questionnaire.body.id });
    tokens = invited.map((p) => p.token);
  });

  it.each([
    ['a likert answer as text', { satisfaction: '5' }, 'answers.satisfaction', 'must be a whole number from 1 to 5'],
    ['a likert answer out of range', { satisfaction: 6 }, 'answers.satisfaction', 'must be from 1 to 5'],
    ['a missing required answer', { recommend: 7 }, 'answers.satisfaction', 'must be answered'],
    ['an nps answer out of range', { satisfaction: 3, recommend: 11 }, 'answers.recommend', 'must be from 0 to 10'],
    ['a number as text', { satisfaction: 3, hours: 'tre' }, 'answers.hours', 'must be a number'],
    ['a number out of range', { satisfaction: 3, hours: 41 }, 'answers.hours', 'must be at most 40'],
    ['oversize text', { satisfaction: 3, comments: 'x'.repeat(2001) }, 'answers.comments', 'must be at most 2000 characters'],
    ['text as a number', { satisfaction: 3, comments: 12 }, 'answers.comments', 'must be text'],
    ['an unknown option', { satisfaction: 3, format: 'boat' }, 'answers.format', 'unknown option "boat"; expected one of online, room'],
    ['a single option for multiple choice', { satisfaction: 3, needs: 'more' }, 'answers.needs', 'must be a list of option values'],
    ['an unknown option among several', { satisfaction: 3, needs: ['more', 'magic'] }, 'answers.needs', 'unknown options "magic"'],
    ['an unknown question', { satisfaction: 3, mood: 'glad' }, 'answers.mood', 'is not a question of this questionnaire'],
  ])('refuses %s with 400 naming the question, and stores nothing', async (_what, answers, field, message) => {
    const before = await countRows(t.db, 'evaluation_responses');
    const res = await t.app.http.post(`/api/v1/evaluations/${tokens[0]}/responses`).send({ answers }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual([{ field, messages: [message] }]);
    expect(await countRows(t.db, 'evaluation_responses')).toBe(before);
    expect(await countRows(t.db, 'evaluation_invitations', 'answered_at IS NOT NULL')).toBe(0);
  });

  it('refuses a body without answers, or answers that are not an object', async () => {
    for (const body of [{}, { answers: [1, 2] }, { answers: 'fem' }, { answers: { satisfaction: 3 }, extra: true }]) {
      const res = await t.app.http.post(`/api/v1/evaluations/${tokens[0]}/responses`).send(body).expect(400);
      expect(res.body.details[0].field).toMatch(/^(answers|extra)$/);
    }
    expect(await countRows(t.db, 'evaluation_responses')).toBe(0);
  });

  it('shows errors next to the fields and in a summary on the HTML form, keeps what was written, and stores nothing', async () => {
    const browser = new WebClient(t.app);
    const page = await browser.get(`/survey/${tokens[1]}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('I am satisfied.');
    const form = parseForm(page.text);
    const body = fillForm(form, { hours: '99', comments: 'Mina tankar', format: 'room', needs: ['more', 'other'] });
    const res = await browser.postEncoded(form.action, body);
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="error-summary"');
    expect(res.text).toMatch(/<fieldset id="q-satisfaction" aria-describedby="q-satisfaction-error">/);
    expect(res.text).toContain('<p class="error" id="q-satisfaction-error">Choose an answer.</p>');
    expect(res.text).toContain('<a href="#q-satisfaction-0">');
    expect(res.text).toMatch(/<input type="text" inputmode="decimal" id="q-hours" name="hours" aria-describedby="q-hours-hint q-hours-error" aria-invalid="true" value="99">/);
    expect(res.text).toContain('>Mina tankar</textarea>');
    expect(res.text).toMatch(/id="q-needs-1" name="needs" value="other" checked/);
    expect(await countRows(t.db, 'evaluation_responses')).toBe(0);

    const fixed = fillForm(parseForm(res.text), { satisfaction: '4', hours: '2,5', comments: 'Mina tankar', needs: ['more', 'other'] });
    expect((await browser.postEncoded(form.action, fixed)).status).toBe(200);
    const [stored] = await t.db.query<{ answers: unknown }>('SELECT answers FROM evaluation_responses');
    expect(stored.answers).toEqual({ satisfaction: 4, hours: 2.5, comments: 'Mina tankar', needs: ['more', 'other'] });
  });

  it('accepts every type through JSON once; the second answer is 409', async () => {
    const answers = { satisfaction: 5, recommend: 10, hours: 0, comments: 'Bra', format: 'online', needs: ['other'] };
    await t.app.http.post(`/api/v1/evaluations/${tokens[2]}/responses`).send({ answers }).expect(201);
    const second = await t.app.http.post(`/api/v1/evaluations/${tokens[2]}/responses`).send({ answers }).expect(409);
    expect(second.body.code).toBe('EVALUATION_ALREADY_ANSWERED');
    const web = new WebClient(t.app);
    await web.get('/logga-in');
    const page = await web.post(`/survey/${tokens[2]}`, { satisfaction: '3' });
    expect(page.status).toBe(409);
    expect(page.text).toContain('Du har redan svarat');
    expect(await countRows(t.db, 'evaluation_responses', `answers->>'recommend' = '10'`)).toBe(1);
  });
});
