import { escapeHtml } from '../../mail/templates/layout.js';
import type { Question } from '../questionnaire.types.js';
import { likertLabels, TEXT_MAX_LENGTH } from '../questionnaire.types.js';
import { type Lang, TEXT } from './survey.texts.js';

export interface SurveyFormState {
  /** Submitted values to show again (form strings). */
  values?: Record<string, unknown>;
  /** Question key → message. */
  errors?: Record<string, string>;
}

const id = (key: string) => `q-${key}`;

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(str) : value === undefined ? [] : [str(value)];
}

/** The first focusable control of a question: where the error summary's link leads. */
export function firstControlId(question: Question): string {
  return ['text', 'number'].includes(question.type) ? id(question.key) : `${id(question.key)}-0`;
}

function choiceGroup(question: Question, lang: Lang, state: SurveyFormState, describedBy: string, error: string | undefined): string {
  const t = TEXT[lang];
  const multi = question.type === 'multi_choice';
  const choices: { value: string; label: string }[] =
    question.type === 'likert5'
      ? likertLabels(question, lang).map((label, i) => ({ value: String(i + 1), label: `${i + 1} – ${label}` }))
      : question.type === 'nps'
        ? Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: i === 0 ? `0 – ${t.npsLow}` : i === 10 ? `10 – ${t.npsHigh}` : String(i) }))
        : (question.options ?? []).map((o) => ({ value: o.value, label: (lang === 'en' ? o.labelEn : null) ?? o.label }));
  const chosen = list(state.values?.[question.key]);
  const hint = multi ? `<p class="hint" id="${id(question.key)}-hint">${escapeHtml(t.multiHint)}</p>` : '';
  const described = [multi ? `${id(question.key)}-hint` : '', describedBy].filter(Boolean).join(' ');
  const items = choices
    .map((c, i) => {
      const inputId = `${id(question.key)}-${i}`;
      const checked = chosen.includes(c.value) ? ' checked' : '';
      const required = question.required && !multi ? ' required' : '';
      return `<div class="choice"><input type="${multi ? 'checkbox' : 'radio'}" id="${inputId}" name="${escapeHtml(question.key)}" value="${escapeHtml(c.value)}"${checked}${required}${error ? ' aria-invalid="true"' : ''}><label for="${inputId}">${escapeHtml(c.label)}</label></div>`;
    })
    .join('\n');
  return `<fieldset id="${id(question.key)}"${described ? ` aria-describedby="${described}"` : ''}>
<legend>${legendText(question, lang)}</legend>
${hint}${error ? `<p class="error" id="${id(question.key)}-error">${escapeHtml(error)}</p>` : ''}
${items}
</fieldset>`;
}

function legendText(question: Question, lang: Lang): string {
  const text = (lang === 'en' ? question.textEn : null) ?? question.text;
  return `${escapeHtml(text)}${question.required ? ` <span class="hint">${escapeHtml(TEXT[lang].required)}</span>` : ''}`;
}

function field(question: Question, lang: Lang, state: SurveyFormState, error: string | undefined): string {
  const t = TEXT[lang];
  const key = question.key;
  const hintId = `${id(key)}-hint`;
  const errorId = `${id(key)}-error`;
  const describedBy = [question.type === 'text' || question.type === 'number' ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  if (question.type !== 'text' && question.type !== 'number') {
    return choiceGroup(question, lang, state, error ? errorId : '', error);
  }
  const value = str(state.values?.[key]);
  const common = `id="${id(key)}" name="${escapeHtml(key)}" aria-describedby="${describedBy}"${question.required ? ' required' : ''}${error ? ' aria-invalid="true"' : ''}`;
  const max = Math.min(question.maxLength ?? TEXT_MAX_LENGTH, TEXT_MAX_LENGTH);
  const control =
    question.type === 'text'
      ? `<textarea ${common} rows="5">${escapeHtml(value)}</textarea>`
      : `<input type="text" inputmode="decimal" ${common} value="${escapeHtml(value)}">`;
  const hint = question.type === 'text' ? t.textHint(max) : t.numberHint(question.min, question.max);
  return `<div class="question">
<label for="${id(key)}">${legendText(question, lang)}</label>
<p class="hint" id="${hintId}">${escapeHtml(hint)}</p>
${error ? `<p class="error" id="${errorId}">${escapeHtml(error)}</p>` : ''}
${control}
</div>`;
}

/**
 * The answer form: one field or group per question, named by its key; errors next to fields and in
 * a summary first. With `preview` (a coordinator's preview of a questionnaire) the same form has no
 * link token, posts nowhere and its buttons are disabled.
 */
export function surveyForm(options: {
  token: string;
  preview?: boolean;
  lang: Lang;
  title: string;
  courseTitle: string | null;
  questions: Question[];
  state: SurveyFormState;
  /** The web session's (or pre-session's) CSRF token, posted with the answers. */
  csrfToken: string;
}): string {
  const { token, lang, questions, state } = options;
  const t = TEXT[lang];
  const path = `/survey/${encodeURIComponent(token)}`;
  const errors = state.errors ?? {};
  const withErrors = questions.filter((q) => errors[q.key]);
  const summary = withErrors.length
    ? `<div role="alert" aria-labelledby="error-summary-heading" tabindex="-1" id="error-summary">
<h2 id="error-summary-heading">${escapeHtml(t.errorsHeading)}</h2>
<ul>${withErrors
        .map((q) => `<li><a href="#${firstControlId(q)}">${escapeHtml((lang === 'en' ? q.textEn : null) ?? q.text)}: ${escapeHtml(errors[q.key])}</a></li>`)
        .join('')}</ul>
</div>`
    : '';
  return `<h1 class="govuk-heading-l">${escapeHtml(options.title)}</h1>
${summary}
${options.courseTitle ? `<p>${escapeHtml(t.course(options.courseTitle))}</p>` : ''}
<p>${escapeHtml(t.intro)}</p>
<p>${escapeHtml(t.requiredNote)}</p>
${
  options.preview
    ? '<form novalidate>'
    : `<form method="post" action="${path}?lang=${lang}" novalidate>
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">`
}
${questions.map((q) => field(q, lang, state, errors[q.key])).join('\n')}
<button type="submit" class="govuk-button"${options.preview ? ' disabled aria-disabled="true"' : ''}>${escapeHtml(t.submit)}</button>
</form>
${options.preview ? `<p>${escapeHtml(t.optOut)}</p>` : `<p><a href="${path}/opt-out?lang=${lang}">${escapeHtml(t.optOut)}</a></p>`}`;
}
