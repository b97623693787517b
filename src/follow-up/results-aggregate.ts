import type { QuestionResultDto } from './dto/results.dto.js';
import { likertLabels, type Answers, type Question } from './questionnaire.types.js';

/** Results below this many responses show counts only (DOMAIN.md: nothing that could reveal individuals). */
export const MIN_RESPONSES = 5;

const round = (n: number) => Math.round(n * 100) / 100;

/** Per-question aggregates over a set of anonymous answers. */
export function aggregateQuestion(question: Question, answers: Answers[]): QuestionResultDto {
  const given = answers.map((a) => a[question.key]).filter((v) => v !== undefined);
  const base = { key: question.key, type: question.type, text: question.text, answered: given.length };
  const numbers = given.filter((v): v is number => typeof v === 'number');
  const mean = numbers.length ? round(numbers.reduce((s, n) => s + n, 0) / numbers.length) : null;
  const counts = (values: { value: string; label: string }[], picked: string[]) =>
    values.map((v) => ({ value: v.value, label: v.label, count: picked.filter((p) => p === v.value).length }));
  switch (question.type) {
    case 'likert5':
      return {
        ...base,
        mean,
        distribution: counts(likertLabels(question, 'sv').map((label, i) => ({ value: String(i + 1), label })), numbers.map(String)),
      };
    case 'nps': {
      const promoters = numbers.filter((n) => n >= 9).length;
      const detractors = numbers.filter((n) => n <= 6).length;
      return {
        ...base,
        mean,
        npsScore: numbers.length ? Math.round(((promoters - detractors) / numbers.length) * 100) : null,
        distribution: counts(Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) })), numbers.map(String)),
      };
    }
    case 'number':
      return { ...base, mean };
    case 'single_choice':
      return { ...base, distribution: counts(question.options ?? [], given.filter((v): v is string => typeof v === 'string')) };
    case 'multi_choice':
      return { ...base, distribution: counts(question.options ?? [], given.flatMap((v) => (Array.isArray(v) ? v : []))) };
    case 'text':
      return { ...base, texts: given.filter((v): v is string => typeof v === 'string').sort((a, b) => a.localeCompare(b, 'sv')) };
  }
}
