import { formatDate } from '../../common/dates.js';
import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

export interface EvaluationMail {
  name: string | null;
  courseTitle: string;
  url: string;
  optOutUrl: string;
  expiresAt: Date | null;
  /** 0 for the invitation, 1.. for reminders. */
  reminder: number;
}

/** An evaluation invitation or reminder, in plain language: what, how long it takes, that it is anonymous. */
export function evaluationMail(locale: Locale, data: EvaluationMail): RenderedMail {
  if (locale === 'en') {
    return renderMail(locale, {
      subject: data.reminder ? `Reminder: what did you think of ${data.courseTitle}?` : `What did you think of ${data.courseTitle}?`,
      greeting: data.name ? `Hello ${data.name},` : 'Hello,',
      paragraphs: [
        data.reminder
          ? `A few days ago we asked what you thought of ${data.courseTitle}. We have not received your answers yet.`
          : `Thank you for taking part in ${data.courseTitle}. We want to know what you thought.`,
        'It takes a few minutes. Your answers are anonymous: nobody can see what you answered.',
        ...(data.expiresAt ? [`You can answer until ${formatDate(data.expiresAt, locale)}.`] : []),
        `Don't want to answer? Open this link and we will not remind you: ${data.optOutUrl}`,
      ],
      action: { label: 'Answer the questions', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: data.reminder ? `Påminnelse: vad tyckte du om ${data.courseTitle}?` : `Vad tyckte du om ${data.courseTitle}?`,
    greeting: data.name ? `Hej ${data.name}!` : 'Hej!',
    paragraphs: [
      data.reminder
        ? `För några dagar sedan frågade vi vad du tyckte om ${data.courseTitle}. Vi har inte fått dina svar än.`
        : `Tack för att du var med på ${data.courseTitle}. Vi vill veta vad du tyckte.`,
      'Det tar några minuter. Dina svar är anonyma. Ingen kan se vad du svarade.',
      ...(data.expiresAt ? [`Du kan svara till och med ${formatDate(data.expiresAt, locale)}.`] : []),
      `Vill du inte svara? Öppna den här länken, så påminner vi dig inte: ${data.optOutUrl}`,
    ],
    action: { label: 'Svara på frågorna', url: data.url },
    footer: FOOTER.sv,
  });
}
