import type { AnswerProblem } from '../answers.js';
import type { Question } from '../questionnaire.types.js';

export type Lang = 'sv' | 'en';

/** Everything the survey pages say, in plain Swedish (lättläst) and English. */
export const TEXT = {
  sv: {
    intro: 'Dina svar är anonyma. Ingen kan se vad just du har svarat.',
    course: (title: string) => `Frågorna gäller kursen ${title}.`,
    requiredNote: 'Frågor som du måste svara på är märkta med (måste svaras).',
    required: '(måste svaras)',
    npsLow: 'Inte alls troligt',
    npsHigh: 'Mycket troligt',
    multiHint: 'Du kan välja flera svar.',
    textHint: (max: number) => `Du kan skriva högst ${max} tecken.`,
    numberHint: (min: number | null | undefined, max: number | null | undefined) =>
      min != null && max != null ? `Skriv en siffra från ${min} till ${max}.` : 'Skriv en siffra.',
    submit: 'Skicka mina svar',
    optOut: 'Jag vill inte svara',
    errorsHeading: 'Något behöver rättas',
    thanksTitle: 'Tack för dina svar!',
    thanks: 'Vi har fått dina svar. De hjälper oss att göra kurserna bättre.',
    answeredTitle: 'Du har redan svarat',
    answered: 'Vi har redan fått dina svar. Tack!',
    brokenTitle: 'Länken fungerar inte',
    broken: 'Länken är fel eller har slutat gälla. Kontrollera att hela länken kom med.',
    optOutTitle: 'Vill du inte svara?',
    optOutText: 'Om du trycker på knappen skickar vi inga fler påminnelser om de här frågorna.',
    optOutConfirm: 'Ja, jag vill inte svara',
    optOutBack: 'Jag vill svara ändå',
    optedOutTitle: 'Vi påminner dig inte mer',
    optedOut: 'Du får inga fler påminnelser om de här frågorna.',
    language: 'In English',
    errors: {
      required: (q: Question) => (q.type === 'text' || q.type === 'number' ? 'Skriv ett svar.' : 'Välj ett svar.'),
      type: (q: Question) => (q.type === 'number' ? 'Skriv en siffra.' : q.type === 'text' ? 'Skriv ett svar med text.' : 'Välj ett av svaren.'),
      range: (q: Question) =>
        q.type === 'number' ? `Skriv en siffra${q.min != null ? ` från ${q.min}` : ''}${q.max != null ? ` till ${q.max}` : ''}.` : 'Välj ett av svaren.',
      option: () => 'Välj bland svaren som finns.',
      too_long: (q: Question) => `Texten är för lång. Skriv högst ${q.maxLength ?? 2000} tecken.`,
      unknown: () => 'Okänd fråga.',
    } as Record<AnswerProblem, (q: Question) => string>,
  },
  en: {
    intro: 'Your answers are anonymous. Nobody can see what you answered.',
    course: (title: string) => `The questions are about the course ${title}.`,
    requiredNote: 'Questions you must answer are marked (required).',
    required: '(required)',
    npsLow: 'Not at all likely',
    npsHigh: 'Very likely',
    multiHint: 'You can choose more than one answer.',
    textHint: (max: number) => `You can write at most ${max} characters.`,
    numberHint: (min: number | null | undefined, max: number | null | undefined) =>
      min != null && max != null ? `Write a number from ${min} to ${max}.` : 'Write a number.',
    submit: 'Send my answers',
    optOut: "I don't want to answer",
    errorsHeading: 'Something needs correcting',
    thanksTitle: 'Thank you for your answers!',
    thanks: 'We have received your answers. They help us make the courses better.',
    answeredTitle: 'You have already answered',
    answered: 'We have already received your answers. Thank you!',
    brokenTitle: 'The link does not work',
    broken: 'The link is wrong or no longer valid. Check that the whole link was copied.',
    optOutTitle: "Don't want to answer?",
    optOutText: 'If you press the button, we will not send any more reminders about these questions.',
    optOutConfirm: "Yes, I don't want to answer",
    optOutBack: 'I want to answer after all',
    optedOutTitle: 'We will not remind you again',
    optedOut: 'You will get no more reminders about these questions.',
    language: 'På svenska',
    errors: {
      required: (q: Question) => (q.type === 'text' || q.type === 'number' ? 'Write an answer.' : 'Choose an answer.'),
      type: (q: Question) => (q.type === 'number' ? 'Write a number.' : q.type === 'text' ? 'Write your answer as text.' : 'Choose one of the answers.'),
      range: (q: Question) =>
        q.type === 'number' ? `Write a number${q.min != null ? ` from ${q.min}` : ''}${q.max != null ? ` to ${q.max}` : ''}.` : 'Choose one of the answers.',
      option: () => 'Choose from the answers given.',
      too_long: (q: Question) => `The text is too long. Write at most ${q.maxLength ?? 2000} characters.`,
      unknown: () => 'Unknown question.',
    } as Record<AnswerProblem, (q: Question) => string>,
  },
};
