export const QUESTION_TYPES = ['likert5', 'single_choice', 'multi_choice', 'text', 'number', 'nps'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * The words of a likert5 question's five steps, so that each question is answered on a scale that
 * fits it: a statement on agreement ("Stämmer helt"), a question of satisfaction on satisfaction.
 */
export const LIKERT_SCALES = ['agreement', 'satisfaction'] as const;
export type LikertScale = (typeof LIKERT_SCALES)[number];

export const LIKERT_LABELS: Record<LikertScale, { sv: string[]; en: string[] }> = {
  agreement: {
    sv: ['Stämmer inte alls', 'Stämmer ganska dåligt', 'Stämmer delvis', 'Stämmer ganska bra', 'Stämmer helt'],
    en: ['Not at all true', 'Mostly not true', 'Partly true', 'Mostly true', 'Completely true'],
  },
  satisfaction: {
    sv: ['Mycket missnöjd', 'Ganska missnöjd', 'Varken nöjd eller missnöjd', 'Ganska nöjd', 'Mycket nöjd'],
    en: ['Very dissatisfied', 'Fairly dissatisfied', 'Neither satisfied nor dissatisfied', 'Fairly satisfied', 'Very satisfied'],
  },
};

/** The five labels of a likert5 question (agreement unless the question names another scale). */
export function likertLabels(question: Pick<Question, 'scale'>, lang: 'sv' | 'en'): string[] {
  return LIKERT_LABELS[question.scale ?? 'agreement'][lang];
}

export interface QuestionOption {
  value: string;
  label: string;
  labelEn?: string | null;
}

/** One question as stored in a questionnaire (jsonb) and served to people who answer. */
export interface Question {
  key: string;
  type: QuestionType;
  text: string;
  textEn?: string | null;
  required: boolean;
  /** likert5 only: the words of its steps (absent: agreement). */
  scale?: LikertScale;
  options?: QuestionOption[];
  min?: number | null;
  max?: number | null;
  maxLength?: number | null;
}

/** Free-text answers are never longer than this, whatever a questionnaire says. */
export const TEXT_MAX_LENGTH = 2000;

export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue>;
