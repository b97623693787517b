import { barChart } from '../../web/charts.js';
import type { Lang } from '../../web/texts.js';
import { fill } from '../../web/views.js';
import type { EvaluationResultsDto } from '../dto/results.dto.js';
import { parseDuration } from '../duration.js';
import { FOLLOW_UP_ADMIN_TEXTS } from './follow-up-admin.texts.js';

type Texts = (typeof FOLLOW_UP_ADMIN_TEXTS)['sv'];

export const SEND_UNITS = ['hours', 'days', 'weeks', 'months'] as const;
export type SendUnit = (typeof SEND_UNITS)[number];

/** A number of hours, days, weeks or months as the plan API's ISO 8601 duration. */
export function isoDuration(amount: number, unit: SendUnit): string {
  return unit === 'hours' ? `PT${amount}H` : `P${amount}${{ days: 'D', weeks: 'W', months: 'M' }[unit]}`;
}

/** An ISO 8601 duration in words ("P1D" → "1 dag"); the duration itself when it has several parts. */
export function durationText(value: string, t: Texts): string {
  const d = parseDuration(value);
  if (!d) return value;
  const parts = (
    [
      [d.years * 12 + d.months, 'month', 'months'],
      [d.weeks, 'week', 'weeks'],
      [d.days, 'day', 'days'],
      [d.hours, 'hour', 'hours'],
      [d.minutes, 'minutes', 'minutes'],
      [d.seconds, 'seconds', 'seconds'],
    ] as const
  ).filter(([n]) => n > 0);
  if (!parts.length) return value;
  return parts.map(([n, one, many]) => fill(n === 1 ? t.durations[one] : t.durations[many], { n })).join(', ');
}

/** A response rate (0..1) in whole percent, or the "none sent" text. */
export function percent(rate: number | null, t: Texts): string {
  return rate === null ? t.noRate : `${Math.round(rate * 100)} %`;
}

/**
 * The questionnaires of evaluation results as the shared macro (evaluation-results.njk) shows them,
 * on the coordinator's and the provider's pages: the response rate in words and a bar chart beside
 * each answer distribution's table (ids q<questionnaire>-<question>-table/-chart, from 1).
 */
export function questionnaireResults(results: EvaluationResultsDto, lang: Lang) {
  const t = FOLLOW_UP_ADMIN_TEXTS[lang];
  return results.questionnaires.map((q, i) => ({
    ...q,
    rateText: percent(q.responseRate, t),
    questions: q.questions.map((question, j) => ({
      ...question,
      chart: question.distribution
        ? barChart({
            id: `q${i + 1}-${j + 1}-chart`,
            lang,
            title: fill(t.distributionCaption, { question: question.text }),
            summary: t.chartDesc,
            rows: question.distribution.map((d) => ({ label: d.label, values: [d.count] })),
            tableId: `q${i + 1}-${j + 1}-table`,
            tableLinkText: t.seeTable,
          })
        : null,
    })),
  }));
}
