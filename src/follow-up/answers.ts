import type { FieldError } from '../common/errors/app-error.js';
import { type Answers, type AnswerValue, type Question, TEXT_MAX_LENGTH } from './questionnaire.types.js';

export type AnswerProblem = 'required' | 'type' | 'range' | 'option' | 'too_long' | 'unknown';

export interface AnswerError {
  key: string;
  problem: AnswerProblem;
  message: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Checks one answer against its question; returns the cleaned value, undefined for "not answered", or a problem. */
function check(question: Question, raw: unknown): { value?: AnswerValue; error?: Omit<AnswerError, 'key'> } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '' && question.type === 'text')) {
    return {};
  }
  const values = (question.options ?? []).map((o) => o.value);
  switch (question.type) {
    case 'likert5':
    case 'nps': {
      const [min, max] = question.type === 'likert5' ? [1, 5] : [0, 10];
      if (!isInt(raw)) return { error: { problem: 'type', message: `must be a whole number from ${min} to ${max}` } };
      if (raw < min || raw > max) return { error: { problem: 'range', message: `must be from ${min} to ${max}` } };
      return { value: raw };
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return { error: { problem: 'type', message: 'must be a number' } };
      if (question.min != null && raw < question.min) return { error: { problem: 'range', message: `must be at least ${question.min}` } };
      if (question.max != null && raw > question.max) return { error: { problem: 'range', message: `must be at most ${question.max}` } };
      return { value: raw };
    }
    case 'text': {
      if (typeof raw !== 'string') return { error: { problem: 'type', message: 'must be text' } };
      const limit = Math.min(question.maxLength ?? TEXT_MAX_LENGTH, TEXT_MAX_LENGTH);
      const text = raw.trim();
      if (text.length > limit) return { error: { problem: 'too_long', message: `must be at most ${limit} characters` } };
      return { value: text };
    }
    case 'single_choice': {
      if (typeof raw !== 'string') return { error: { problem: 'type', message: 'must be one of the option values' } };
      if (!values.includes(raw)) return { error: { problem: 'option', message: `unknown option "${raw.slice(0, 60)}"; expected one of ${values.join(', ')}` } };
      return { value: raw };
    }
    case 'multi_choice': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
        return { error: { problem: 'type', message: 'must be a list of option values' } };
      }
      const unknown = (raw as string[]).filter((v) => !values.includes(v));
      if (unknown.length) return { error: { problem: 'option', message: `unknown options ${unknown.map((v) => `"${v.slice(0, 60)}"`).join(', ')}` } };
      const chosen = values.filter((v) => (raw as string[]).includes(v));
      return chosen.length ? { value: chosen } : {};
    }
  }
}

/**
 * Validates a whole set of answers against a questionnaire. Returns the cleaned answers (only
 * questions answered), or every problem, each naming its question key.
 */
export function validateAnswers(questions: Question[], input: unknown): { answers: Answers; errors: AnswerError[] } {
  const errors: AnswerError[] = [];
  const answers: Answers = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { answers, errors: [{ key: '', problem: 'type', message: 'answers must be an object of question key to answer' }] };
  }
  const byKey = new Map(questions.map((q) => [q.key, q]));
  for (const key of Object.keys(input)) {
    if (!byKey.has(key)) errors.push({ key, problem: 'unknown', message: 'is not a question of this questionnaire' });
  }
  for (const question of questions) {
    const { value, error } = check(question, (input as Record<string, unknown>)[question.key]);
    if (error) errors.push({ key: question.key, ...error });
    else if (value === undefined && question.required) errors.push({ key: question.key, problem: 'required', message: 'must be answered' });
    else if (value !== undefined) answers[question.key] = value;
  }
  return { answers, errors };
}

export function toFieldErrors(errors: AnswerError[]): FieldError[] {
  return errors.map((e) => ({ field: e.key ? `answers.${e.key}` : 'answers', messages: [e.message] }));
}

/**
 * Reads an HTML form body (every value a string, checkboxes repeated) into typed answers: numbers
 * for likert, nps and number questions, lists for multiple choice. Values that do not parse are
 * kept as they are so that validation names them.
 */
export function answersFromForm(questions: Question[], body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const question of questions) {
    const raw = body[question.key];
    if (raw === undefined || raw === '') continue;
    if (question.type === 'multi_choice') {
      out[question.key] = Array.isArray(raw) ? raw : [raw];
    } else if (question.type === 'likert5' || question.type === 'nps' || question.type === 'number') {
      const text = typeof raw === 'string' ? raw.trim().replace(',', '.') : raw;
      out[question.key] = typeof text === 'string' && text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    } else {
      out[question.key] = raw;
    }
  }
  return out;
}
