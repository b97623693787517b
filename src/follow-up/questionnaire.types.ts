export const QUESTION_TYPES = ['likert5', 'single_choice', 'multi_choice', 'text', 'number', 'nps'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

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
  options?: QuestionOption[];
  min?: number | null;
  max?: number | null;
  maxLength?: number | null;
}

/** Free-text answers are never longer than this, whatever a questionnaire says. */
export const TEXT_MAX_LENGTH = 2000;

export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue>;
