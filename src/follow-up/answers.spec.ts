import { answersFromForm, validateAnswers } from './answers.js';
import type { Question } from './questionnaire.types.js';

const Q: Question[] = [
  { key: 'satisfaction', type: 'likert5', text: 'Nöjd?', required: true },
  { key: 'recommend', type: 'nps', text: 'Rekommendera?', required: false },
  { key: 'hours', type: 'number', text: 'Timmar?', required: false, min: 0, max: 40 },
  { key: 'comments', type: 'text', text: 'Mer?', required: false, maxLength: 10 },
  { key: 'format', type: 'single_choice', text: 'Form?', required: false, options: [{ value: 'online', label: 'Distans' }, { value: 'room', label: 'Lokal' }] },
  { key: 'needs', type: 'multi_choice', text: 'Behov?', required: false, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
];

describe('answers per question type', () => {
  it('accepts a full set of valid answers and cleans them', () => {
    const { answers, errors } = validateAnswers(Q, { satisfaction: 5, recommend: 0, hours: 2.5, comments: '  bra  ', format: 'room', needs: ['b', 'a'] });
    expect(errors).toEqual([]);
    expect(answers).toEqual({ satisfaction: 5, recommend: 0, hours: 2.5, comments: 'bra', format: 'room', needs: ['a', 'b'] });
  });

  it('leaves unanswered optional questions out', () => {
    expect(validateAnswers(Q, { satisfaction: 3, comments: '   ', needs: [] })).toEqual({ answers: { satisfaction: 3 }, errors: [] });
  });

  it.each([
    [{ satisfaction: '5' }, 'satisfaction', 'type'],
    [{ satisfaction: 6 }, 'satisfaction', 'range'],
    [{ satisfaction: 2.5 }, 'satisfaction', 'type'],
    [{}, 'satisfaction', 'required'],
    [{ satisfaction: 3, recommend: 11 }, 'recommend', 'range'],
    [{ satisfaction: 3, hours: 41 }, 'hours', 'range'],
    [{ satisfaction: 3, hours: 'två' }, 'hours', 'type'],
    [{ satisfaction: 3, comments: 'x'.repeat(11) }, 'comments', 'too_long'],
    [{ satisfaction: 3, comments: 7 }, 'comments', 'type'],
    [{ satisfaction: 3, format: 'boat' }, 'format', 'option'],
    [{ satisfaction: 3, needs: 'a' }, 'needs', 'type'],
    [{ satisfaction: 3, needs: ['a', 'z'] }, 'needs', 'option'],
    [{ satisfaction: 3, mood: 'glad' }, 'mood', 'unknown'],
  ])('refuses %j naming %s (%s)', (input, key, problem) => {
    const { errors } = validateAnswers(Q, input);
    expect(errors).toEqual([expect.objectContaining({ key, problem })]);
  });

  it('reads an HTML form body into typed answers', () => {
    expect(answersFromForm(Q, { satisfaction: '4', recommend: '', hours: '1,5', comments: 'hej', needs: 'a', format: 'online' })).toEqual({
      satisfaction: 4,
      hours: 1.5,
      comments: 'hej',
      needs: ['a'],
      format: 'online',
    });
    expect(validateAnswers(Q, answersFromForm(Q, { satisfaction: 'fem' })).errors).toEqual([expect.objectContaining({ key: 'satisfaction', problem: 'type' })]);
  });
});
