import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

export interface TimeReportCodeMail {
  name: string | null;
  code: string;
  /** The month as people say it, e.g. "januari 2027". */
  monthText: string;
  programmeTitle: string;
  hours: number;
  validMinutes: number;
  url: string;
}

const MONTHS = {
  sv: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "januari 2027" for 2027-01. */
export function monthText(month: string, locale: Locale): string {
  return `${MONTHS[locale][Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** The one-time code with which a participant certifies their time for a month (ESF). */
export function timeReportCodeMail(locale: Locale, data: TimeReportCodeMail): RenderedMail {
  const hours = String(data.hours).replace('.', locale === 'sv' ? ',' : '.');
  if (locale === 'en') {
    return renderMail(locale, {
      subject: `Your code to certify your time: ${data.code}`,
      greeting: data.name ? `Hello ${data.name},` : 'Hello,',
      paragraphs: [
        `You asked to certify your time in "${data.programmeTitle}" for ${data.monthText}: ${hours} hours.`,
        `Your code is ${data.code}. It works once and for ${data.validMinutes} minutes.`,
        'Enter the code on the time report page. If you did not ask for a code, you can ignore this email.',
      ],
      action: { label: 'Open your time report', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: `Din kod för att intyga din tid: ${data.code}`,
    greeting: data.name ? `Hej ${data.name}!` : 'Hej!',
    paragraphs: [
      `Du har bett om att intyga din tid i "${data.programmeTitle}" för ${data.monthText}: ${hours} timmar.`,
      `Din kod är ${data.code}. Den fungerar en gång och i ${data.validMinutes} minuter.`,
      'Skriv in koden på sidan med din tidrapport. Om du inte har bett om en kod kan du strunta i det här mejlet.',
    ],
    action: { label: 'Öppna din tidrapport', url: data.url },
    footer: FOOTER.sv,
  });
}
