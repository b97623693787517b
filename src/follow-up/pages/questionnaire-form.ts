import { FormReader } from '../../web/forms.js';
import type { CreateQuestionnaireDto, QuestionDto, QuestionnaireDto } from '../dto/questionnaire.dto.js';
import { LIKERT_SCALES, QUESTION_TYPES } from '../questionnaire.types.js';
import type { FOLLOW_UP_ADMIN_TEXTS } from './follow-up-admin.texts.js';

type Texts = (typeof FOLLOW_UP_ADMIN_TEXTS)['sv'];

/** Question rows the form shows at first, and at most (the API's limit). */
export const FIRST_ROWS = 3;
export const MAX_ROWS = 50;

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const CHOICE = ['single_choice', 'multi_choice'];

/** A stable option value from its label ("På distans" → "pa_distans"), as the API requires. */
export function optionValue(label: string): string {
  const slug = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 36);
  return slug || 'alt';
}

/** The form's values for an existing questionnaire (to change it or make a new version). */
export function questionnaireValues(q: QuestionnaireDto): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = { title: q.title, titleEn: q.titleEn ?? '', rows: String(Math.max(q.questions.length, 1)) };
  q.questions.forEach((question, i) => {
    const n = `q${i + 1}-`;
    values[`${n}key`] = question.key;
    values[`${n}text`] = question.text;
    values[`${n}textEn`] = question.textEn ?? '';
    values[`${n}type`] = question.type;
    values[`${n}required`] = question.required ? ['yes'] : [];
    values[`${n}scale`] = question.type === 'likert5' ? (question.scale ?? 'agreement') : '';
    values[`${n}options`] = (question.options ?? []).map((o) => (o.labelEn ? `${o.label} | ${o.labelEn}` : o.label)).join('\n');
    values[`${n}min`] = question.min != null ? String(question.min) : '';
    values[`${n}max`] = question.max != null ? String(question.max) : '';
  });
  return values;
}

/** How many question rows a posted form had (and one more when the person asked to add one). */
export function rowsOf(body: Record<string, unknown>, add: boolean): number {
  const posted = Number(typeof body.rows === 'string' ? body.rows : FIRST_ROWS);
  const rows = Number.isInteger(posted) && posted >= 1 ? Math.min(posted, MAX_ROWS) : FIRST_ROWS;
  return Math.min(add ? rows + 1 : rows, MAX_ROWS);
}

/**
 * Reads the questionnaire form: a title and up to `rows` question rows (an empty row is left out).
 * Keys come from the hidden key of an existing question (kept, so that answers stay comparable) or
 * are made up (`q1`, `q2`, … not yet used); option values come from their labels.
 */
export function readQuestionnaireForm(
  body: Record<string, unknown>,
  rows: number,
  t: Texts,
  errorTexts: ConstructorParameters<typeof FormReader>[1],
  current?: QuestionnaireDto,
) {
  // What the form does not show of an existing question is kept: option values (by label), a text's maximum length.
  const existing = new Map((current?.questions ?? []).map((q) => [q.key, q]));
  const form = new FormReader(body, errorTexts);
  form.values.rows = String(rows);
  const title = form.text('title', { label: t.titleField, required: true, max: 200 });
  const titleEn = form.text('titleEn', { label: t.titleEnField, max: 200 });
  const questions: QuestionDto[] = [];
  const usedKeys = new Set<string>();
  for (let i = 1; i <= rows; i++) {
    const n = `q${i}-`;
    const key = typeof body[`${n}key`] === 'string' && KEY.test(body[`${n}key`] as string) ? (body[`${n}key`] as string) : '';
    form.values[`${n}key`] = key;
    const text = form.text(`${n}text`, { label: t.textField, max: 500 });
    const textEn = form.text(`${n}textEn`, { label: t.textEnField, max: 500 });
    const optionsText = form.text(`${n}options`, { label: t.optionsField, max: 20 * 420 });
    const blank = !text && !optionsText && !textEn;
    const type = form.choice(`${n}type`, QUESTION_TYPES, { label: t.typeField, required: !blank });
    form.errors.anchor(`${n}type`, `${n}type`);
    const required = form.list(`${n}required`, ['yes'] as const, { label: t.requiredLabel }).includes('yes');
    const scale = form.choice(`${n}scale`, LIKERT_SCALES, { label: t.scaleField });
    form.errors.anchor(`${n}scale`, `${n}scale`);
    const min = form.integer(`${n}min`, { label: t.minField, min: -1_000_000_000, max: 1_000_000_000 });
    const max = form.integer(`${n}max`, { label: t.maxField, min: -1_000_000_000, max: 1_000_000_000 });
    if (blank) continue;
    if (!text) form.errors.add(`${n}text`, errorTexts.required.replace('{label}', t.textField));
    const question: QuestionDto = { key, type: type ?? 'likert5', text, required, ...(textEn ? { textEn } : {}) };
    if (type === 'likert5' && scale) question.scale = scale;
    const lines = optionsText.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    if (type && CHOICE.includes(type)) {
      const before = new Map((existing.get(key)?.options ?? []).map((o) => [o.label, o.value]));
      const options = lines.map((line) => {
        const [label, labelEn] = line.split('|').map((part) => part.trim());
        return { value: before.get(label) ?? optionValue(label), label, ...(labelEn ? { labelEn } : {}) };
      });
      const values = new Set(options.map((o) => o.value));
      if (options.length < 2 || options.length > 20) form.errors.add(`${n}options`, t.optionsCount);
      else if (options.some((o) => !o.label || o.label.length > 200 || (o.labelEn?.length ?? 0) > 200)) form.errors.add(`${n}options`, t.optionsTooLong);
      else if (values.size !== options.length) form.errors.add(`${n}options`, t.optionsDuplicate);
      question.options = options;
    } else if (type && lines.length) form.errors.add(`${n}options`, t.optionsOnlyChoice);
    if (type === 'number') {
      if (min !== undefined) question.min = min;
      if (max !== undefined) question.max = max;
      if (min !== undefined && max !== undefined && min > max) form.errors.add(`${n}max`, t.minMaxOrder);
    } else if (type && (min !== undefined || max !== undefined)) form.errors.add(`${n}min`, t.minMaxOnlyNumber);
    const maxLength = existing.get(key)?.maxLength;
    if (type === 'text' && existing.get(key)?.type === 'text' && maxLength != null) question.maxLength = maxLength;
    if (key) usedKeys.add(key);
    questions.push(question);
  }
  if (!questions.length && !form.errors.has('q1-text')) form.errors.add('q1-text', t.noQuestions);
  // New questions get the first free q<n> key.
  let next = 1;
  for (const question of questions) {
    if (question.key && usedKeys.has(question.key) && questions.filter((q) => q.key === question.key).length === 1) continue;
    while (usedKeys.has(`q${next}`)) next++;
    question.key = `q${next}`;
    usedKeys.add(question.key);
  }
  const dto: CreateQuestionnaireDto = { title, ...(titleEn ? { titleEn } : {}), questions };
  return { form, dto };
}
