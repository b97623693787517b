import { FOOTER, type Locale, renderMail, type RenderedMail } from './layout.js';

export interface WebhookDisabledMail {
  name: string | null;
  url: string;
  reason: 'gone' | 'failing';
  /** Hours the endpoint failed before it was disabled (reason failing). */
  hours: number;
}

/** To whoever registered a webhook endpoint that was just disabled. */
export function webhookDisabledMail(locale: Locale, mail: WebhookDisabledMail): RenderedMail {
  if (locale === 'en') {
    return renderMail(locale, {
      subject: 'Your webhook endpoint was turned off',
      greeting: mail.name ? `Hello ${mail.name},` : 'Hello,',
      paragraphs: [
        `We no longer send events to ${mail.url}.`,
        mail.reason === 'gone'
          ? 'The receiver answered 410 Gone, which means it does not want them any more.'
          : `Every delivery to it failed for ${mail.hours} hours.`,
        'When the receiver works again, turn the endpoint on again (PATCH /api/v1/webhook-endpoints/:id with enabled: true). Events from the last 30 days can be sent again from the delivery log.',
      ],
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: 'Din webhook har stängts av',
    greeting: mail.name ? `Hej ${mail.name}!` : 'Hej!',
    paragraphs: [
      `Vi skickar inte längre händelser till ${mail.url}.`,
      mail.reason === 'gone'
        ? 'Mottagaren svarade 410 Gone. Det betyder att den inte vill ha fler händelser.'
        : `Alla försök att skicka dit har misslyckats i ${mail.hours} timmar.`,
      'När mottagaren fungerar igen kan du slå på den igen (PATCH /api/v1/webhook-endpoints/:id med enabled: true). Händelser från de senaste 30 dagarna kan skickas igen från leveransloggen.',
    ],
    footer: FOOTER.sv,
  });
}
