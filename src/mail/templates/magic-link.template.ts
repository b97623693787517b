import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

export interface MagicLinkMail {
  name: string | null;
  url: string;
  validMinutes: number;
}

export function magicLinkMail(locale: Locale, data: MagicLinkMail): RenderedMail {
  if (locale === 'en') {
    return renderMail(locale, {
      subject: 'Your sign-in link for Kompetenslyft',
      greeting: data.name ? `Hello ${data.name},` : 'Hello,',
      paragraphs: [
        `Use the link below to sign in. It works once and for ${data.validMinutes} minutes.`,
        'If you did not ask to sign in, you can ignore this email.',
      ],
      action: { label: 'Sign in', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: 'Din inloggningslänk till Kompetenslyft',
    greeting: data.name ? `Hej ${data.name}!` : 'Hej!',
    paragraphs: [
      `Använd länken nedan för att logga in. Den fungerar en gång och i ${data.validMinutes} minuter.`,
      'Om du inte har bett om att logga in kan du strunta i det här mejlet.',
    ],
    action: { label: 'Logga in', url: data.url },
    footer: FOOTER.sv,
  });
}
